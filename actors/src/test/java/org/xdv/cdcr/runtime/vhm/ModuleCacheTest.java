package org.xdv.cdcr.runtime.vhm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import com.dylibso.chicory.wasm.WasmModule;
import org.junit.jupiter.api.Test;

class ModuleCacheTest {

    @Test
    void aModuleIsDecodedOnceAndSharedByContent() {
        ModuleCache cache = new ModuleCache();
        List<String> problems = new ArrayList<>();
        WasmModule first = cache.decode(Vhm.builtinModule(), problems);
        WasmModule again = cache.decode(Vhm.builtinModule(), problems); // another array, the same bytes
        assertThat(problems).isEmpty();
        assertThat(again).isSameAs(first);
        assertThat(cache.decode(VhmFixture.module("k-only.wasm"), problems)).isNotSameAs(first);
        assertThat(cache.size()).isEqualTo(2);
    }

    @Test
    void aModuleThatDoesNotDecodeIsNotKeptAndReportsEveryTime() {
        ModuleCache cache = new ModuleCache();
        byte[] junk = {0, 'a', 's', 'm', 9, 9, 9, 9};
        for (int i = 0; i < 2; i++) {
            List<String> problems = new ArrayList<>();
            assertThat(cache.decode(junk, problems)).isNull();
            assertThat(problems).singleElement().asString().startsWith("not a valid WebAssembly module");
        }
        assertThat(cache.size()).isZero();
    }

    @Test
    void theLeastRecentlyUsedModuleIsEvictedPastTheCapacity() {
        ModuleCache cache = new ModuleCache();
        List<String> problems = new ArrayList<>();
        byte[] builtin = Vhm.builtinModule();
        WasmModule kept = cache.decode(builtin, problems);
        byte[] base = VhmFixture.module("k-only.wasm");
        for (int i = 0; i < ModuleCache.CAPACITY + 4; i++) {
            cache.decode(withCustomSection(base, i), problems);
            cache.decode(builtin, problems); // used again: stays
        }
        assertThat(problems).isEmpty();
        assertThat(cache.size()).isEqualTo(ModuleCache.CAPACITY);
        assertThat(cache.decode(builtin, problems)).isSameAs(kept);
    }

    /** The module with a custom section appended: other bytes, the same program. */
    private static byte[] withCustomSection(byte[] module, int n) {
        byte[] name = ("n" + n).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] out = new byte[module.length + 3 + name.length];
        System.arraycopy(module, 0, out, 0, module.length);
        int p = module.length;
        out[p++] = 0; // custom section id
        out[p++] = (byte) (1 + name.length); // section size
        out[p++] = (byte) name.length;
        System.arraycopy(name, 0, out, p, name.length);
        return out;
    }
}
