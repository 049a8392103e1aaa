package org.xdv.cdcr.q.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.redfx.strange.Complex;
import org.redfx.strange.Gate;
import org.redfx.strange.Program;
import org.redfx.strange.Step;
import org.redfx.strange.gate.Cnot;
import org.redfx.strange.gate.Cr;
import org.redfx.strange.gate.Hadamard;
import org.redfx.strange.gate.R;
import org.redfx.strange.gate.RotationX;
import org.redfx.strange.gate.Swap;
import org.redfx.strange.local.SimpleQuantumExecutionEnvironment;
import org.xdv.cdcr.q.circuit.Circuit;
import org.xdv.cdcr.q.circuit.Mat2;
import org.xdv.cdcr.q.circuit.Op;
import org.xdv.cdcr.q.sim.CircuitBuilder;
import org.xdv.cdcr.q.sim.SimOptions;
import org.xdv.cdcr.q.sim.Simulator;
import org.xdv.cdcr.q.sim.StateVector;

/**
 * Throughput of the state-vector simulator against this machine's memory bandwidth, and against
 * {@code org.redfx:strange} 0.1.3. Not a test: run it with
 * {@code mvn -B -q -pl q-backend -Pbench test-compile exec:exec} (see docs/benchmarks.md).
 *
 * <p>Method. (1) In-place bandwidth: a read-modify-write sweep ({@code a[i] = a[i]·c + d}) over a 256 MiB
 * {@code double[]}, best of several passes, on one thread and on all processors (contiguous slices); bytes
 * touched = 16 per element per pass (read + write). (2) The ceiling for an unfused gate is 32 bytes touched per
 * amplitude (16-byte amplitude read and written), so ceiling ns/amp/gate = 32 / bandwidth, and ceiling gates/s =
 * bandwidth / (32 · 2^n); single-thread figures are compared with the single-thread bandwidth, all-core figures
 * with the all-core bandwidth. (3) Each figure is the best of a few runs of {@link Simulator#finalState} (state
 * allocation included) after warm-up; "gates" counts the circuit's IR operations in every mode, so a fused run's
 * gates/s is an effective rate. (4) strange runs the same gates (RZ as its phase gate R, equal up to a global
 * phase; its RotationZ is a global phase only in 0.1.3), gates on disjoint qubit spans packed into one step (its
 * fast path), single-threaded as it is; its probabilities are checked against ours.
 */
public final class SimBenchmark {

    private static final int[] SIZES = {10, 14, 18, 20, 22, 24};
    private static final int[] STRANGE_SIZES = {6, 8, 10, 12, 14};
    private static final int DEPTH = 20;
    private static final long SEED = 20240601L;

    private static final int CORES = Runtime.getRuntime().availableProcessors();

    private record Mode(String label, SimOptions options, boolean allCores) {
    }

    private record Figure(int n, String circuit, Mode mode, int gates, double seconds, double ceilingNs) {
        double gatesPerSecond() {
            return gates / seconds;
        }

        double nsPerAmpGate() {
            return seconds * 1e9 / gates / Math.pow(2, n);
        }

        double percentOfCeiling() {
            return 100 * ceilingNs / nsPerAmpGate();
        }
    }

    private SimBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Locale.setDefault(Locale.ROOT);
        int maxN = args.length > 0 ? Integer.parseInt(args[0]) : 24;
        long start = System.nanoTime();
        System.out.printf("machine: %d processors, %s, Java %s (%s), max heap %d MiB, SIMD %s%n", CORES,
                System.getProperty("os.arch"), System.getProperty("java.version"), System.getProperty("java.vm.name"),
                Runtime.getRuntime().maxMemory() >> 20,
                Simulator.simdAvailable() ? "on (jdk.incubator.vector)" : "off (scalar kernels)");

        System.out.printf("load average at start (other processes on this machine): %s%n", loadAverage());
        double bw1 = bandwidth(1);
        double bwAll = bandwidth(CORES);
        System.out.printf("in-place memory bandwidth (256 MiB read-modify-write sweep): 1 thread %.1f GB/s, "
                + "%d threads %.1f GB/s%n", bw1, CORES, bwAll);
        double ceil1 = 32 / bw1;
        double ceilAll = 32 / bwAll;
        System.out.printf("ceiling (32 B per amplitude per unfused gate): 1 thread %.3f ns/amp/gate, "
                + "%d threads %.3f ns/amp/gate%n%n", ceil1, CORES, ceilAll);

        Mode[] modes = {
            new Mode("1 thread, unfused", SimOptions.unfused(1), false),
            new Mode(CORES + " threads, unfused", SimOptions.unfused(CORES), true),
            new Mode(CORES + " threads, fused", SimOptions.fused(CORES), true),
        };
        warmUp(modes);

        System.out.printf("%3s  %-8s %-20s %6s %9s %12s %13s %11s%n", "n", "circuit", "mode", "gates", "seconds",
                "gates/s", "ns/amp/gate", "% ceiling");
        List<Figure> figures = new ArrayList<>();
        long peakHeap = 0;
        for (int n : SIZES) {
            if (n > maxN) {
                continue;
            }
            for (String name : new String[] {"random", "qft"}) {
                Circuit c = circuit(name, n);
                for (Mode mode : modes) {
                    double seconds = time(new Simulator(mode.options()), c, n);
                    Figure f = new Figure(n, name, mode, gateCount(c), seconds, mode.allCores() ? ceilAll : ceil1);
                    figures.add(f);
                    System.out.printf("%3d  %-8s %-20s %6d %9.3f %12.1f %13.3f %10.0f%%%n", n, name, mode.label(),
                            f.gates(), f.seconds(), f.gatesPerSecond(), f.nsPerAmpGate(), f.percentOfCeiling());
                }
            }
            peakHeap = Math.max(peakHeap, peakHeapUsed());
        }

        System.out.printf("%nstrange 0.1.3 (single-threaded) against this simulator on the same circuits%n");
        System.out.printf("%3s  %-8s %6s %11s %12s %14s %16s %13s %12s%n", "n", "circuit", "gates", "strange s",
                "strange g/s", "ours 1t unf g/s", "ours fused g/s", "ratio 1t unf", "ratio fused");
        Simulator ours1 = new Simulator(SimOptions.unfused(1));
        Simulator oursFused = new Simulator(SimOptions.fused(CORES));
        for (int n : STRANGE_SIZES) {
            for (String name : new String[] {"random", "qft"}) {
                Circuit c = circuit(name, n);
                Program p = toStrange(c);
                double strangeSeconds = timeStrange(p, n);
                double maxDiff = compare(ours1.finalState(c), p);
                if (maxDiff > 1e-5) {
                    throw new IllegalStateException("strange disagrees with us on " + name + " n=" + n
                            + ": max probability difference " + maxDiff);
                }
                double t1 = time(ours1, c, n);
                double tf = time(oursFused, c, n);
                int g = gateCount(c);
                System.out.printf("%3d  %-8s %6d %11.4f %12.1f %14.1f %16.1f %12.0fx %11.0fx%n", n, name, g,
                        strangeSeconds, g / strangeSeconds, g / t1, g / tf, strangeSeconds / t1, strangeSeconds / tf);
            }
        }

        System.out.printf("%ntargets%n");
        double worstUnfused = Double.MAX_VALUE;
        for (Figure f : figures) {
            if (f.n() >= 20 && !f.mode().allCores() && !f.mode().options().fusion()) {
                worstUnfused = Math.min(worstUnfused, f.percentOfCeiling());
                System.out.printf("  unfused 1 thread, %-6s n=%d: %.0f%% of ceiling (target >= 70%%): %s%n",
                        f.circuit(), f.n(), f.percentOfCeiling(), f.percentOfCeiling() >= 70 ? "met" : "MISSED");
            }
        }
        for (Figure f : figures) {
            if (f.n() == 22 && f.circuit().equals("random") && f.mode().options().fusion()) {
                double ratio = f.gatesPerSecond() / (bwAll * 1e9 / (32 * Math.pow(2, 22)));
                System.out.printf("  fused %d threads, random n=22: %.2fx the ceiling's gates/s (target >= 2x): %s%n",
                        CORES, ratio, ratio >= 2 ? "met" : "MISSED");
            }
        }
        System.out.printf("  n=%d ran with max heap %d MiB, peak heap used %d MiB (target: 24 qubits under 1 GiB): %s%n",
                maxN, Runtime.getRuntime().maxMemory() >> 20, peakHeap >> 20,
                maxN >= 24 && Runtime.getRuntime().maxMemory() <= (1L << 30) ? "met" : "not run at 24 under 1 GiB");
        System.out.printf("load average at end: %s; total benchmark time %.0f s%n", loadAverage(),
                (System.nanoTime() - start) / 1e9);
    }

    private static Circuit circuit(String name, int n) {
        return name.equals("qft") ? CircuitBuilder.qft(n) : CircuitBuilder.layered(n, DEPTH, SEED + n);
    }

    private static int gateCount(Circuit c) {
        int g = 0;
        for (Op op : c.ops()) {
            if (op instanceof Op.Unitary || op instanceof Op.Swap) {
                g++;
            }
        }
        return g;
    }

    private static void warmUp(Mode[] modes) {
        long until = System.nanoTime() + 4_000_000_000L;
        while (System.nanoTime() < until) {
            for (Mode m : modes) {
                Simulator sim = new Simulator(m.options());
                sim.finalState(circuit("random", 17));
                sim.finalState(circuit("qft", 17));
                sim.finalState(circuit("random", 12));
            }
        }
    }

    /**
     * Best wall time of {@code finalState} over 3 runs (2 at n ≥ 24, and at least 0.3 s in all at n ≤ 14): the
     * best run is the one least disturbed by other processes on the machine.
     */
    private static double time(Simulator sim, Circuit c, int n) {
        int runs = n >= 24 ? 2 : 3;
        double minTotal = n <= 14 ? 0.3 : 0;
        double best = Double.MAX_VALUE;
        double total = 0;
        int done = 0;
        while (done < runs || total < minTotal) {
            long t0 = System.nanoTime();
            StateVector sv = sim.finalState(c);
            double s = (System.nanoTime() - t0) / 1e9;
            if (sv.numQubits() != n) {
                throw new IllegalStateException("wrong state size");
            }
            best = Math.min(best, s);
            total += s;
            done++;
        }
        return best;
    }

    // ------------------------------------------------------------------ memory bandwidth

    /** GB/s of an in-place read-modify-write sweep over 256 MiB with {@code threads} threads (best of 5 passes). */
    private static double bandwidth(int threads) throws Exception {
        double[] a = new double[1 << 25];
        for (int i = 0; i < a.length; i++) {
            a[i] = i;
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            double best = 0;
            for (int pass = 0; pass < 6; pass++) {
                List<Future<?>> parts = new ArrayList<>();
                long t0 = System.nanoTime();
                for (int t = 0; t < threads; t++) {
                    int lo = (int) ((long) a.length * t / threads);
                    int hi = (int) ((long) a.length * (t + 1) / threads);
                    parts.add(pool.submit(() -> sweep(a, lo, hi)));
                }
                for (Future<?> f : parts) {
                    f.get();
                }
                double seconds = (System.nanoTime() - t0) / 1e9;
                if (pass > 0) {
                    best = Math.max(best, 16.0 * a.length / seconds / 1e9);
                }
            }
            return best;
        } finally {
            pool.shutdown();
        }
    }

    private static void sweep(double[] a, int lo, int hi) {
        for (int i = lo; i < hi; i++) {
            a[i] = a[i] * 0.999999 + 1e-9;
        }
    }

    /** The 1, 5 and 15 minute load averages (Linux), or "unknown". */
    private static String loadAverage() {
        try {
            String[] f = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).trim().split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (java.io.IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static long peakHeapUsed() {
        long sum = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
                sum += pool.getPeakUsage().getUsed();
            }
        }
        return sum;
    }

    // ------------------------------------------------------------------ strange

    /** The circuit as a strange program: each gate mapped, gates on disjoint qubit spans packed into one step. */
    static Program toStrange(Circuit c) {
        Program p = new Program(c.numQubits());
        Step step = new Step();
        BitSet used = new BitSet();
        for (Op op : c.ops()) {
            Gate g;
            int[] qubits;
            if (op instanceof Op.Swap s) {
                g = new Swap(s.a(), s.b());
                qubits = new int[] {s.a(), s.b()};
            } else if (op instanceof Op.Unitary u) {
                g = strangeGate(u);
                int[] ctrl = u.controls();
                qubits = java.util.Arrays.copyOf(ctrl, ctrl.length + 1);
                qubits[ctrl.length] = u.target();
            } else {
                continue;
            }
            // strange moves a gate's qubits next to each other through the qubits in between, so a step may only
            // hold gates whose spans [min, max] do not overlap (otherwise it computes a wrong state)
            int lo = java.util.Arrays.stream(qubits).min().orElseThrow();
            int hi = java.util.Arrays.stream(qubits).max().orElseThrow();
            if (!used.get(lo, hi + 1).isEmpty()) {
                p.addStep(step);
                step = new Step();
                used.clear();
            }
            step.addGate(g);
            used.set(lo, hi + 1);
        }
        if (!step.getGates().isEmpty()) {
            p.addStep(step);
        }
        return p;
    }

    private static Gate strangeGate(Op.Unitary u) {
        Mat2 m = u.matrix();
        int t = u.target();
        if (u.controlCount() == 0) {
            switch (u.name()) {
                case "h":
                    return new Hadamard(t);
                case "rx":
                    return new RotationX(2 * Math.atan2(-m.bi(), m.ar()), t);
                case "rz":
                    // diag(e^{-iθ/2}, e^{iθ/2}) = e^{-iθ/2}·diag(1, e^{iθ}): strange's phase gate R(θ)
                    return new R(2 * Math.atan2(m.di(), m.dr()), t);
                default:
                    break;
            }
        } else if (u.controlCount() == 1) {
            if (u.name().equals("cx")) {
                return new Cnot(u.control(0), t);
            }
            if (u.name().equals("cu1")) {
                return new Cr(u.control(0), t, Math.atan2(m.di(), m.dr()));
            }
        }
        throw new IllegalArgumentException("no strange equivalent for " + u);
    }

    private static double timeStrange(Program p, int n) {
        int runs = n <= 10 ? 3 : 1;
        double best = Double.MAX_VALUE;
        for (int r = 0; r < runs; r++) {
            long t0 = System.nanoTime();
            new SimpleQuantumExecutionEnvironment().runProgram(p);
            best = Math.min(best, (System.nanoTime() - t0) / 1e9);
        }
        return best;
    }

    /** Max |p_ours − p_strange| over basis states (strange computes in single precision). */
    private static double compare(StateVector ours, Program p) {
        Complex[] amps = new SimpleQuantumExecutionEnvironment().runProgram(p).getProbability();
        double max = 0;
        for (int i = 0; i < amps.length; i++) {
            double ps = (double) amps[i].r * amps[i].r + (double) amps[i].i * amps[i].i;
            max = Math.max(max, Math.abs(ps - ours.probability(i)));
        }
        return max;
    }
}
