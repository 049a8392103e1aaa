package org.xdv.cdcr.runtime.vhm;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.dylibso.chicory.wasm.WasmModule;
import org.xdv.cdcr.runtime.core.spec.VhmAbi;

/**
 * Decoded modules by the SHA-256 of their bytes, least recently used evicted past {@link #CAPACITY}. Decoding
 * (parsing and validating) a module costs more than instantiating it, and most containers of a tenant run the same
 * module (the built-in circuit runner, or one job's module many times); a decoded {@link WasmModule} is immutable
 * and every container still gets its own {@code Instance} with its own memory. Modules that fail to decode are not
 * kept: each attempt reports its problem again.
 */
final class ModuleCache {

    static final int CAPACITY = 32;

    private final Map<ByteBuffer, WasmModule> modules = new LinkedHashMap<>(CAPACITY * 2, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<ByteBuffer, WasmModule> eldest) {
            return size() > CAPACITY;
        }
    };

    /** The decoded module, or null with the problem added to {@code problems}. */
    WasmModule decode(byte[] bytes, List<String> problems) {
        ByteBuffer key = ByteBuffer.wrap(sha256(bytes));
        synchronized (modules) {
            WasmModule known = modules.get(key);
            if (known != null) {
                return known;
            }
        }
        WasmModule module = VhmAbi.decode(bytes, problems);
        if (module != null) {
            synchronized (modules) {
                modules.putIfAbsent(key, module);
            }
        }
        return module;
    }

    int size() {
        synchronized (modules) {
            return modules.size();
        }
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
