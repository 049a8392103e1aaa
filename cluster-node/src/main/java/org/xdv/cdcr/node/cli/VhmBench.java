package org.xdv.cdcr.node.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Function;

import com.dylibso.chicory.compiler.MachineFactoryCompiler;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Machine;
import com.dylibso.chicory.wasm.Parser;
import com.dylibso.chicory.wasm.WasmModule;
import org.xdv.cdcr.phi.PhiConfig;
import org.xdv.cdcr.phi.execution.ObservedStability;
import org.xdv.cdcr.q.qpu.Qpu;
import org.xdv.cdcr.q.sim.SimOptions;
import org.xdv.cdcr.runtime.core.container.Termination;
import org.xdv.cdcr.runtime.core.spec.ContainerSpec;
import org.xdv.cdcr.runtime.core.spec.SpecParser;
import org.xdv.cdcr.runtime.node.RunControl;
import org.xdv.cdcr.runtime.vhm.HostAbi;
import org.xdv.cdcr.runtime.vhm.Vhm;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cdcr bench vhm}: what a Virtual Hybrid Machine costs. Prints (1) admission + instantiation + run of a
 * trivial module through {@link Vhm#run}, (2) host-call round trips per second, (3) the fuel meter's overhead:
 * the same loop in Chicory's interpreter with and without the VHM's per-instruction meter, (4) that metered
 * interpreter against Chicory's compiler running the loop with fuel counters injected into the module (written
 * by hand in {@code vhm-bench/loop-fuel.wat}: the VHM has no injector). Modules: {@code vhm-bench/*.wat}.
 */
@Command(name = "vhm", mixinStandardHelpOptions = true,
        description = "VHM instantiation, host calls, fuel-metering overhead, interpreter vs compiled.")
public final class VhmBench implements Callable<Integer> {

    @Option(names = "--instances", defaultValue = "2000", description = "Trivial VHMs to run (default ${DEFAULT-VALUE}).")
    int instances;

    @Option(names = "--host-calls", defaultValue = "200000",
            description = "Host calls in the round-trip loop (default ${DEFAULT-VALUE}).")
    int hostCalls;

    @Option(names = "--iterations", defaultValue = "2000000",
            description = "Loop iterations (14 instructions each) for the metering figures (default ${DEFAULT-VALUE}).")
    long iterations;

    @Option(names = "--repeat", defaultValue = "5", description = "Timed repetitions per figure; the best counts "
            + "(default ${DEFAULT-VALUE}).")
    int repeat;

    private final Qpu qpu = new Qpu("bench", 4, SimOptions.defaults());
    private final ObservedStability observed = new ObservedStability(PhiConfig.defaults(1), "bench", 1L);

    @Override
    public Integer call() throws Exception {
        System.out.printf("cdcr bench vhm: Chicory 1.7.5, Java %s, %d processors%n", Runtime.version(),
                Runtime.getRuntime().availableProcessors());
        List<List<String>> rows = new ArrayList<>();

        // 1. trivial module: admission (decode + ABI check) + instantiation + run, as the node agent does it
        ContainerSpec trivial = spec("trivial.wasm", "[]", 1_000);
        for (int i = 0; i < Math.min(instances, 500); i++) {
            vhm(trivial);
        }
        long[] t = new long[instances];
        for (int i = 0; i < instances; i++) {
            long t0 = System.nanoTime();
            vhm(trivial);
            t[i] = System.nanoTime() - t0;
        }
        Arrays.sort(t);
        double p50 = t[t.length / 2] / 1e6;
        rows.add(List.of("VHM admit + instantiate + run, trivial module",
                String.format("p50 %.3f ms, p99 %.3f ms", p50, t[(int) (t.length * 0.99)] / 1e6),
                "target < 5 ms: " + (p50 < 5 ? "met" : "NOT met")));

        // 2. host-call round trips: cdcr.domains in a metered loop (fuel: 100 per call + the loop's instructions)
        ContainerSpec calls = spec("hostcalls.wasm", "[" + hostCalls + "]", Long.MAX_VALUE / 4);
        vhm(calls);
        double best = Double.MAX_VALUE;
        for (int r = 0; r < repeat; r++) {
            long t0 = System.nanoTime();
            vhm(calls);
            best = Math.min(best, (System.nanoTime() - t0) / 1e9);
        }
        rows.add(List.of("host-call round trips (cdcr.domains, metered)", String.format("%,.0f /s", hostCalls / best),
                hostCalls + " calls per run, best of " + repeat));

        // 3. + 4. the same loop: interpreter unmetered / interpreter + VHM meter / compiler + injected counters
        WasmModule loop = Parser.parse(resource("loop.wasm"));
        WasmModule loopFuel = Parser.parse(resource("loop-fuel.wasm"));
        long instructions = iterations * 14;
        double plain = time(() -> Instance.builder(loop).build(), null, iterations);
        double metered = time(() -> Instance.builder(loop).withUnsafeExecutionListener(
                Vhm.fuelMeter(Long.MAX_VALUE / 4)).build(), null, iterations);
        Function<Instance, Machine> compiled = MachineFactoryCompiler.compile(loopFuel);
        double compiledFuel = time(() -> Instance.builder(loopFuel).withMachineFactory(compiled).build(), "fuel",
                iterations);
        Function<Instance, Machine> compiledPlainFactory = MachineFactoryCompiler.compile(loop);
        double compiledPlain = time(() -> Instance.builder(loop).withMachineFactory(compiledPlainFactory).build(),
                null, iterations);
        rows.add(List.of("interpreter, unmetered", rate(instructions, plain), "loop.wasm"));
        rows.add(List.of("interpreter + VHM fuel meter (what runs)", rate(instructions, metered),
                String.format("metering overhead %+.0f%%", (metered / plain - 1) * 100)));
        rows.add(List.of("compiler + injected fuel counters", rate(instructions, compiledFuel),
                String.format("%.1fx the metered interpreter", metered / compiledFuel)));
        rows.add(List.of("compiler, unmetered", rate(instructions, compiledPlain),
                String.format("injected counters cost %+.0f%%", (compiledFuel / compiledPlain - 1) * 100)));

        System.out.println();
        System.out.println(Tables.render(List.of("FIGURE", "VALUE", "NOTE"), rows));
        return 0;
    }

    private static String rate(long instructions, double seconds) {
        return String.format("%,.1f M instr/s", instructions / seconds / 1e6);
    }

    private interface Build {
        Instance build();
    }

    /** Best wall time of {@code repeat} runs of the loop export on a fresh instance; with a fuel global, refilled. */
    private double time(Build build, String fuelGlobal, long n) {
        double best = Double.MAX_VALUE;
        for (int r = 0; r <= repeat; r++) { // the first run warms up and is not counted
            Instance inst = build.build();
            if (fuelGlobal != null) {
                inst.exports().global(fuelGlobal).setValue(Long.MAX_VALUE / 4);
            }
            long t0 = System.nanoTime();
            inst.export("run").apply(n);
            double s = (System.nanoTime() - t0) / 1e9;
            if (r > 0) {
                best = Math.min(best, s);
            }
        }
        return best;
    }

    private void vhm(ContainerSpec spec) {
        Vhm.Outcome o = Vhm.run(new HostAbi.Bindings(spec, qpu, Optional.empty(), Optional.empty(), observed, 0),
                new RunControl());
        if (!o.termination().equals(Termination.completed())) {
            throw new IllegalStateException("benchmark module did not complete: " + o.termination());
        }
    }

    private static ContainerSpec spec(String module, String args, long fuel) throws Exception {
        return SpecParser.parse("{\"tenant\":\"bench\",\"name\":\"vhm\",\"capabilities\":[\"k.exec\"],\"k\":{"
                + "\"moduleBase64\":\"" + Base64.getEncoder().encodeToString(resource(module)) + "\",\"args\":" + args
                + ",\"fuel\":" + fuel + ",\"memoryPages\":1}}");
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = VhmBench.class.getResourceAsStream("/vhm-bench/" + name)) {
            if (in == null) {
                throw new IOException("missing resource vhm-bench/" + name);
            }
            return in.readAllBytes();
        }
    }
}
