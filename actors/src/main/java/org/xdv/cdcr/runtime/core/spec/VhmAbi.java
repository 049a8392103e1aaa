package org.xdv.cdcr.runtime.core.spec;

import static com.dylibso.chicory.wasm.types.ValType.F64;
import static com.dylibso.chicory.wasm.types.ValType.I32;
import static com.dylibso.chicory.wasm.types.ValType.I64;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import com.dylibso.chicory.wasm.Parser;
import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.Export;
import com.dylibso.chicory.wasm.types.ExternalType;
import com.dylibso.chicory.wasm.types.FunctionImport;
import com.dylibso.chicory.wasm.types.FunctionType;
import com.dylibso.chicory.wasm.types.MemoryLimits;
import com.dylibso.chicory.wasm.types.ValType;
import org.xdv.cdcr.runtime.core.Capabilities;

/**
 * The VHM host ABI (import module {@value #MODULE}, {@code docs/vhm.md}): every import's signature and the
 * capability it needs, and the admission check of a module against it. Pure: the module is decoded, never run.
 */
public final class VhmAbi {

    public static final String MODULE = "cdcr";

    /** Largest module accepted (the spec that carries it base64-encoded is at most 1 MiB). */
    public static final int MAX_MODULE_BYTES = 512 * 1024;

    /** Largest initial table accepted (tables grow only by fuel, one per element). */
    public static final int MAX_TABLE_ENTRIES = 65_536;

    /** Error codes a host import returns (negative i32) for a mistake the module may recover from. */
    public static final int OK = 0;
    public static final int ERR_ARG = -1;
    public static final int ERR_QASM = -2;
    public static final int ERR_NO_COUNTS = -3;
    public static final int ERR_STATE = -4;

    /** One import: its type and the capability it needs (empty: any container may call it). */
    public record HostImport(FunctionType type, Optional<String> capability) {
    }

    /** Every import of the ABI by name, sorted. */
    public static final Map<String, HostImport> IMPORTS = imports();

    private VhmAbi() {
    }

    private static Map<String, HostImport> imports() {
        Map<String, HostImport> m = new TreeMap<>();
        put(m, "domains", List.of(), List.of(I32), null);
        put(m, "q_alloc", List.of(I32), List.of(I32), Capabilities.Q_ALLOC);
        put(m, "q_release", List.of(I32), List.of(I32), Capabilities.Q_ALLOC);
        put(m, "q_gate", List.of(I32, I32, I32, I32, F64), List.of(I32), Capabilities.Q_RUN);
        put(m, "q_run", List.of(I32, I32), List.of(I32), Capabilities.Q_RUN);
        put(m, "q_run_qasm", List.of(I32, I32, I32, I32), List.of(I32), Capabilities.Q_RUN);
        put(m, "q_run_declared", List.of(I32), List.of(I32), Capabilities.Q_RUN);
        put(m, "q_counts", List.of(I32, I32, I32), List.of(I32), Capabilities.Q_MEASURE);
        put(m, "q_expect_z", List.of(I32, I64), List.of(F64), Capabilities.Q_MEASURE);
        put(m, "phi_acquire", List.of(), List.of(I32), Capabilities.PHI_ENVELOPE);
        put(m, "phi_slots", List.of(I32), List.of(I64), Capabilities.PHI_ENVELOPE);
        put(m, "phi_floor", List.of(I32), List.of(F64), Capabilities.PHI_ENVELOPE);
        put(m, "phi_hold", List.of(I32, I64), List.of(I32), Capabilities.PHI_ENVELOPE);
        put(m, "phi_sample", List.of(I32, I64), List.of(F64), Capabilities.PHI_SAMPLE);
        put(m, "phi_release", List.of(I32), List.of(I32), Capabilities.PHI_ENVELOPE);
        put(m, "log", List.of(I32, I32), List.of(I32), Capabilities.LOG_WRITE);
        put(m, "result", List.of(I32, I32), List.of(I32), null);
        return java.util.Collections.unmodifiableMap(m);
    }

    private static void put(Map<String, HostImport> m, String name, List<ValType> params, List<ValType> results,
                            String capability) {
        m.put(name, new HostImport(FunctionType.of(params, results), Optional.ofNullable(capability)));
    }

    /** A module that passed admission: decoded, with its declared memory limits (if it has a memory). */
    public record Checked(WasmModule module, Optional<MemoryLimits> memory) {
    }

    /**
     * Admission of a module: size, decoding, imports (only functions of the ABI, with the ABI's types), the entry
     * export (a function taking {@code argCount} i32/i64 parameters and returning nothing or one i32), one memory
     * at most, not imported, whose initial size fits {@code memoryPages}. Returns the problems, or the module.
     */
    public static Checked check(byte[] bytes, String entry, int argCount, int memoryPages, List<String> problems) {
        WasmModule module = decode(bytes, problems);
        return module == null ? null : check(module, entry, argCount, memoryPages, problems);
    }

    /** The first half of admission: size and decoding (validation included). Returns the problem, or the module. */
    public static WasmModule decode(byte[] bytes, List<String> problems) {
        if (bytes.length > MAX_MODULE_BYTES) {
            problems.add("module is " + bytes.length + " bytes, more than the limit of " + MAX_MODULE_BYTES);
            return null;
        }
        try {
            return Parser.parse(bytes);
        } catch (RuntimeException e) { // Chicory's own exceptions, and anything else a crafted module provokes
            problems.add("not a valid WebAssembly module: " + e.getMessage());
            return null;
        }
    }

    /** The second half of admission, on a decoded module: imports, entry export, memory, tables, start function. */
    public static Checked check(WasmModule module, String entry, int argCount, int memoryPages,
                                List<String> problems) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < module.importSection().importCount(); i++) {
            com.dylibso.chicory.wasm.types.Import imp = module.importSection().getImport(i);
            String name = imp.module() + "." + imp.name();
            if (!(imp instanceof FunctionImport f) || !imp.module().equals(MODULE)
                    || !IMPORTS.containsKey(imp.name())) {
                out.add("imports " + imp.importType().name().toLowerCase() + " " + name
                        + ", which the VHM does not provide (only functions of module '" + MODULE + "')");
                continue;
            }
            FunctionType want = IMPORTS.get(imp.name()).type();
            FunctionType got = f.typeIndex() < module.typeSection().typeCount()
                    ? module.typeSection().getType(f.typeIndex()) : null;
            if (!want.equals(got)) {
                out.add("imports " + name + " as " + sig(got) + " but the ABI type is " + sig(want));
            }
        }
        Export export = null;
        for (int i = 0; i < module.exportSection().exportCount(); i++) {
            if (module.exportSection().getExport(i).name().equals(entry)) {
                export = module.exportSection().getExport(i);
            }
        }
        if (export == null || export.exportType() != ExternalType.FUNCTION) {
            out.add("has no exported function '" + entry + "'");
        } else {
            FunctionType t = functionType(module, export.index());
            if (t == null) {
                out.add("exports '" + entry + "' with an unknown type");
            } else {
                if (t.params().size() != argCount || !t.params().stream().allMatch(p -> p.equals(I32) || p.equals(I64))) {
                    out.add("entry '" + entry + "' takes " + sig(t.params()) + " but the spec gives " + argCount
                            + " integer argument(s)");
                }
                if (t.returns().size() > 1 || (t.returns().size() == 1 && !t.returns().get(0).equals(I32))) {
                    out.add("entry '" + entry + "' must return nothing or one i32 status, not " + sig(t.returns()));
                }
            }
        }
        Optional<MemoryLimits> memory = Optional.empty();
        if (module.memorySection().isPresent() && module.memorySection().get().memoryCount() > 0) {
            if (module.memorySection().get().memoryCount() > 1) {
                out.add("declares more than one memory");
            }
            MemoryLimits l = module.memorySection().get().getMemory(0).limits();
            if (l.shared()) {
                out.add("declares a shared memory");
            }
            if (l.initialPages() > memoryPages) {
                out.add("needs " + l.initialPages() + " initial memory pages but k.memoryPages is " + memoryPages);
            }
            memory = Optional.of(l);
        }
        for (int i = 0; i < module.tableSection().tableCount(); i++) {
            long entries = module.tableSection().getTable(i).limits().min();
            if (entries > MAX_TABLE_ENTRIES) {
                out.add("declares a table of " + entries + " entries, more than " + MAX_TABLE_ENTRIES);
            }
        }
        if (module.startSection().isPresent()) {
            out.add("has a start function (the VHM only runs the entry export, metered)");
        }
        problems.addAll(out);
        return out.isEmpty() ? new Checked(module, memory) : null;
    }

    static String sig(List<ValType> types) {
        return types.stream().map(t -> t.toString().toLowerCase()).collect(java.util.stream.Collectors.joining(", ", "(", ")"));
    }

    static String sig(FunctionType t) {
        return t == null ? "an unknown type" : sig(t.params()) + " -> " + sig(t.returns());
    }

    private static FunctionType functionType(WasmModule module, int funcIndex) {
        int imported = (int) module.importSection().stream().filter(i -> i.importType() == ExternalType.FUNCTION)
                .count();
        int typeIdx;
        if (funcIndex < imported) {
            FunctionImport f = (FunctionImport) module.importSection().stream()
                    .filter(i -> i.importType() == ExternalType.FUNCTION).skip(funcIndex).findFirst().orElseThrow();
            typeIdx = f.typeIndex();
        } else if (funcIndex - imported < module.functionSection().functionCount()) {
            typeIdx = module.functionSection().getFunctionType(funcIndex - imported);
        } else {
            return null;
        }
        return typeIdx < module.typeSection().typeCount() ? module.typeSection().getType(typeIdx) : null;
    }
}
