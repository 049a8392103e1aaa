package org.xdv.cdcr.runtime.vhm;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.dylibso.chicory.runtime.ChicoryInterruptedException;
import com.dylibso.chicory.runtime.ExecutionListener;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.MStack;
import com.dylibso.chicory.runtime.Memory;
import com.dylibso.chicory.runtime.WasmException;
import com.dylibso.chicory.wasm.ChicoryException;
import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.Instruction;
import com.dylibso.chicory.wasm.types.MemoryLimits;
import com.dylibso.chicory.wasm.types.OpCode;
import org.xdv.cdcr.runtime.core.container.ContainerResult;
import org.xdv.cdcr.runtime.core.container.FaultKind;
import org.xdv.cdcr.runtime.core.container.Termination;
import org.xdv.cdcr.runtime.core.spec.ContainerSpec;
import org.xdv.cdcr.runtime.core.spec.SpecParser;
import org.xdv.cdcr.runtime.core.spec.VhmAbi;
import org.xdv.cdcr.runtime.core.spec.WasmProgram;
import org.xdv.cdcr.runtime.node.RunControl;

/**
 * The Virtual Hybrid Machine of one container (spec §3.1–3.2, {@code docs/vhm.md}): one Chicory WebAssembly
 * instance with its own linear memory, run by the interpreter with a per-instruction fuel meter, whose only way
 * out is the {@code cdcr} host ABI ({@link HostAbi}) bound to this container's resources.
 *
 * <p>GOALS: the same module, arguments and Q seed use exactly the same fuel everywhere; a module cannot reach
 * anything but its own memory and its container's bindings; nothing a module does (trap, endless loop, memory
 * growth, bad pointers, deep recursion) hurts the node.
 *
 * <p>ALGORITHM: admit (decode, check imports/exports/memory against the ABI and limits) → instantiate with the
 * memory maximum clamped to min(k.memoryPages, the module's declared maximum, {@link SpecParser#MAX_MEMORY_PAGES})
 * → call the entry export with the spec's arguments. Every instruction costs 1 fuel, every host call
 * {@link #HOST_CALL_FUEL} more; the meter throws when the budget is spent. {@code memory.grow} past the limit is a
 * {@code MEMORY_EXHAUSTED} fault rather than WebAssembly's silent -1, so a module cannot probe its way round it.
 * Bulk memory and table instructions cost by their size ({@link #BULK_BYTES_PER_FUEL}); nested calls are limited
 * ({@link #MAX_CALL_DEPTH}).
 * Example: a loop of 4 instructions run 1 000 times with fuel 3 000 faults at its 750th iteration, every time.
 */
public final class Vhm {

    /** Fuel charged for each host call on top of the instruction that made it. */
    public static final long HOST_CALL_FUEL = 100;
    /** memory.fill / copy / init cost 1 fuel more per this many bytes; table bulk operations 1 per element. */
    public static final long BULK_BYTES_PER_FUEL = 64;
    /** The meter looks at suspend/kill every this many instructions (never changes the fuel used). */
    static final int CONTROL_EVERY = 1 << 14;
    /**
     * Nested WebAssembly calls allowed; one more is a {@code K_TRAP} (see {@link DepthLimitedMachine}). Chicory's
     * interpreter needs roughly 1 KiB of Java stack per nested call, so a VHM thread's stack
     * ({@link org.xdv.cdcr.runtime.node.TenantPools#VHM_STACK_BYTES}) holds several times this many.
     */
    public static final int MAX_CALL_DEPTH = 2000;
    /** Entry export of the built-in circuit runner module. */
    public static final String BUILTIN_ENTRY = "run";

    private static final byte[] BUILTIN = resource("/vhm/circuit-runner.wasm");

    /** Decoded modules shared by every VHM of this process (each run still gets its own instance and memory). */
    private static final ModuleCache MODULES = new ModuleCache();

    /** The built-in runner, decoded once (on first use). */
    private static final class BuiltinModule {
        static final WasmModule DECODED = decodeBuiltin();

        private static WasmModule decodeBuiltin() {
            List<String> problems = new ArrayList<>();
            WasmModule module = VhmAbi.decode(BUILTIN, problems);
            if (module == null) {
                throw new IllegalStateException("the built-in circuit runner does not decode: " + problems);
            }
            return module;
        }
    }

    /** How a VHM run ended, the fuel it used and its log lines. */
    public record Outcome(Termination termination, Optional<ContainerResult> result, long fuelUsed,
                          List<String> log, int logDropped) {
        public Outcome {
            log = List.copyOf(log);
        }
    }

    private Vhm() {
    }

    /** The VHM's fuel meter alone (as installed by {@link #run}), for benchmarks: faults after {@code budget}. */
    public static ExecutionListener fuelMeter(long budget) {
        return new Meter(budget, new RunControl());
    }

    /** The bytes of the built-in circuit runner ({@code builtin:circuit-runner}), a module like any other. */
    public static byte[] builtinModule() {
        return BUILTIN.clone();
    }

    /** The module, entry and arguments a spec's K part runs. */
    public static WasmProgram program(ContainerSpec spec) {
        return WasmProgram.decode(spec.k().program())
                .orElseGet(() -> new WasmProgram(BUILTIN, BUILTIN_ENTRY, List.of()));
    }

    /** Runs the container's K part to its end on the calling thread (a thread of the tenant's pool). */
    public static Outcome run(HostAbi.Bindings bindings, RunControl control) {
        ContainerSpec spec = bindings.spec();
        WasmProgram program;
        try {
            program = program(spec);
        } catch (IllegalArgumentException e) {
            return refused("its program descriptor is damaged: " + e.getMessage());
        }
        List<String> problems = new ArrayList<>();
        // the built-in runner (the same array every time) skips the cache's SHA-256 of its bytes
        WasmModule decoded = program.module() == BUILTIN ? BuiltinModule.DECODED
                : MODULES.decode(program.module(), problems);
        VhmAbi.Checked checked = decoded == null ? null
                : VhmAbi.check(decoded, program.entry(), program.args().size(), spec.k().memoryPages(), problems);
        if (checked == null) {
            return refused(String.join("; ", problems));
        }
        Meter meter = new Meter(spec.k().fuel(), control);
        HostAbi abi = new HostAbi(bindings, meter);
        Instance instance;
        try {
            Instance.Builder b = Instance.builder(checked.module()).withImportValues(abi.imports())
                    .withStart(false).withUnsafeExecutionListener(meter)
                    .withMachineFactory(inst -> new DepthLimitedMachine(inst, MAX_CALL_DEPTH));
            if (checked.memory().isPresent()) {
                MemoryLimits declared = checked.memory().get();
                int limit = memoryLimit(declared, spec.k().memoryPages());
                meter.memoryLimit = limit;
                b.withMemoryLimits(new MemoryLimits(declared.initialPages(), limit));
            }
            instance = b.build();
        } catch (RuntimeException e) {
            return refused("instantiation failed: " + e.getMessage());
        }
        meter.memory = instance.memory();
        abi.attach(instance);
        long[] args = program.args().stream().mapToLong(Long::longValue).toArray();
        Termination termination;
        try {
            meter.checkControl(); // killed or suspended before it started
            long[] r = instance.export(program.entry()).apply(args);
            int status = r == null || r.length == 0 ? 0 : (int) r[0];
            termination = status == 0 ? Termination.completed()
                    : Termination.failed("K program exited with status " + status);
        } catch (VhmFault f) {
            termination = Termination.fault(f.kind(), f.getMessage());
        } catch (Killed k) {
            termination = Termination.killed(k.getMessage());
        } catch (ChicoryInterruptedException e) {
            termination = Termination.killed("node shutdown");
        } catch (ChicoryException e) {
            termination = Termination.fault(FaultKind.K_TRAP, "trap: " + e.getMessage());
        } catch (StackOverflowError e) {
            termination = Termination.fault(FaultKind.K_TRAP, "trap: call stack exhausted");
        } catch (WasmException e) {
            termination = Termination.fault(FaultKind.K_TRAP, "trap: uncaught WebAssembly exception (tag "
                    + e.tagIdx() + ")");
        } catch (ArithmeticException | IndexOutOfBoundsException e) {
            termination = Termination.fault(FaultKind.K_TRAP, "trap: " + e.getMessage());
        }
        Optional<ContainerResult> result = termination.kind() == Termination.Kind.COMPLETED
                ? Optional.of(abi.result()) : Optional.empty();
        return new Outcome(termination, result, meter.used(), abi.log(), abi.logDropped());
    }

    /** min(the spec's pages, the module's declared maximum, the node-wide cap); at least the initial size. */
    static int memoryLimit(MemoryLimits declared, int specPages) {
        int limit = Math.min(specPages, SpecParser.MAX_MEMORY_PAGES);
        if (declared.maximumPages() != MemoryLimits.MAX_PAGES) {
            limit = Math.min(limit, declared.maximumPages());
        }
        return Math.max(limit, declared.initialPages());
    }

    private static Outcome refused(String why) {
        return new Outcome(Termination.failed("module refused: " + why), Optional.empty(), 0, List.of(), 0);
    }

    private static byte[] resource(String name) {
        try (InputStream in = Vhm.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops the instance when the container is killed. */
    static final class Killed extends RuntimeException {
        Killed(String by) {
            super(by, null, false, false);
        }
    }

    /** The fuel meter and memory guard: Chicory's interpreter calls it before every instruction. */
    static final class Meter implements ExecutionListener {
        private final long budget;
        private final RunControl control;
        private long remaining;
        private int sinceControl;
        Memory memory;
        int memoryLimit = Integer.MAX_VALUE;

        Meter(long budget, RunControl control) {
            this.budget = budget;
            this.remaining = budget;
            this.control = control;
        }

        @Override
        public void onExecution(Instruction instruction, MStack stack) {
            charge(1);
            OpCode op = instruction.opcode();
            // bulk operations cost by size, so one instruction cannot buy unbounded work (n is on top of the stack)
            if (op == OpCode.MEMORY_FILL || op == OpCode.MEMORY_COPY || op == OpCode.MEMORY_INIT) {
                charge((stack.peek() & 0xffff_ffffL) / BULK_BYTES_PER_FUEL);
            } else if (op == OpCode.TABLE_FILL || op == OpCode.TABLE_COPY || op == OpCode.TABLE_INIT
                    || op == OpCode.TABLE_GROW) {
                charge(stack.peek() & 0xffff_ffffL);
            }
            if (op == OpCode.MEMORY_GROW && memory != null) {
                long delta = stack.peek() & 0xffff_ffffL;
                if (memory.pages() + delta > memoryLimit) {
                    throw new VhmFault(FaultKind.MEMORY_EXHAUSTED, "memory.grow by " + delta + " page(s) from "
                            + memory.pages() + " exceeds the container's limit of " + memoryLimit + " pages");
                }
            }
            if (++sinceControl >= CONTROL_EVERY) {
                sinceControl = 0;
                checkControl();
            }
        }

        void charge(long fuel) {
            remaining -= fuel;
            if (remaining < 0) {
                remaining = 0;
                throw new VhmFault(FaultKind.FUEL_EXHAUSTED, "fuel budget of " + budget + " used up");
            }
        }

        void checkControl() {
            try {
                if (!control.proceed()) {
                    throw new Killed("operator");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new Killed("node shutdown");
            }
        }

        long used() {
            return budget - remaining;
        }
    }
}
