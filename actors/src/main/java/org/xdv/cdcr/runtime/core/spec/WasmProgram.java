package org.xdv.cdcr.runtime.core.spec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * A WebAssembly K program: the module bytes, the entry export and its arguments. It travels inside
 * {@link ContainerSpec.KSpec#program()} as one line of text, {@code wasm;entry=<name>;args=<a,b,..>;module=<base64>},
 * so the persisted {@code KSpec} keeps its wire format (see {@code KryoRegistry}'s evolution rules) and the
 * module bytes are part of the container's journaled spec: a replay runs exactly the module that ran.
 */
public record WasmProgram(byte[] module, String entry, List<Long> args) {

    public static final String PREFIX = "wasm;";

    public WasmProgram {
        module = module.clone();
        args = List.copyOf(args);
    }

    @Override
    public byte[] module() {
        return module.clone();
    }

    public String encode() {
        StringBuilder a = new StringBuilder();
        for (Long x : args) {
            a.append(a.length() > 0 ? "," : "").append(x);
        }
        return PREFIX + "entry=" + entry + ";args=" + a + ";module=" + Base64.getEncoder().encodeToString(module);
    }

    /** The program of a {@code KSpec}, or empty for the built-in one. Throws on a damaged encoding. */
    public static Optional<WasmProgram> decode(String program) {
        if (!program.startsWith(PREFIX)) {
            return Optional.empty();
        }
        String[] parts = program.substring(PREFIX.length()).split(";", 3);
        if (parts.length != 3 || !parts[0].startsWith("entry=") || !parts[1].startsWith("args=")
                || !parts[2].startsWith("module=")) {
            throw new IllegalArgumentException("not a wasm program descriptor");
        }
        List<Long> args = new ArrayList<>();
        String a = parts[1].substring("args=".length());
        if (!a.isEmpty()) {
            for (String x : a.split(",")) {
                args.add(Long.parseLong(x));
            }
        }
        return Optional.of(new WasmProgram(Base64.getDecoder().decode(parts[2].substring("module=".length())),
                parts[0].substring("entry=".length()), args));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WasmProgram w && Arrays.equals(module, w.module) && entry.equals(w.entry)
                && args.equals(w.args);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(module) + entry.hashCode()) + args.hashCode();
    }

    @Override
    public String toString() {
        return "WasmProgram[" + module.length + " bytes, entry=" + entry + ", args=" + args + "]";
    }
}
