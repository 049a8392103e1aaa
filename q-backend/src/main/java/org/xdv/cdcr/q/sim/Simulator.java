package org.xdv.cdcr.q.sim;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

import org.xdv.cdcr.q.circuit.Circuit;
import org.xdv.cdcr.q.circuit.Op;

/**
 * The state-vector simulator of lowered circuits.
 *
 * <p><b>Terminal measurements</b> ({@link Circuit#measurementsAreTerminal()}): the state is evolved once and
 * every shot is sampled from its distribution. Sampling: {@code shots} draws {@code u} from
 * {@link SplitMix64}{@code (seed)}, sorted ascending; one sweep over the basis states in index order
 * accumulates {@code cum += |a_i|²} and assigns each draw with {@code u·total < cum} (where {@code total} is
 * the same sum over all states, so the distribution need not be exactly normalised) to state {@code i}. The
 * state is mapped to classical bits through the measures (a clbit that is written twice keeps the last
 * qubit; a clbit never written reads 0). Thread count never changes the amplitudes, so it never changes the
 * counts; fused and unfused amplitudes differ by rounding only (about 1e-15), which can move a draw only if
 * it lands that close to a cumulative boundary.
 *
 * <p><b>Mid-circuit measurement, reset or {@code if}</b>: first the longest prefix whose every operation is
 * certain — unitaries, and measures, resets and conditionals whose outcome has probability 0 or 1 within
 * {@value #DETERMINISTIC} (e.g. ancillas uncomputed to |0⟩ and reset, as in QASMBench's bwt_n21) — is computed
 * once, without a draw. If what follows is only unitaries and terminal measurements, it is evolved once and
 * sampled as above (certain bits keep their value). Otherwise each shot is run on its own from the prefix.
 * Shot {@code i} draws from {@link SplitMix64#forShot}{@code (seed, i)}. A measure of qubit {@code q} takes one draw {@code u} and reads 1 iff
 * {@code u·(p0 + p1) < p1}, then collapses and renormalises; a reset is such a measure followed by a flip if
 * it read 1 (no classical bit is written); a conditional compares the value of its classical register (bit
 * {@code firstClbit} least significant) with its value and, if equal, applies its body, drawing only if the
 * body is a measure or reset.
 */
public final class Simulator {

    private final SimOptions options;
    private final Fusion.Config fusion;
    private final boolean vector;

    public Simulator(SimOptions options) {
        this(options, Fusion.Config.defaults(), true);
    }

    /** With explicit fusion tuning, and SIMD kernels allowed or not (for tests and the benchmark). */
    Simulator(SimOptions options, Fusion.Config fusion, boolean vector) {
        this.options = options;
        this.fusion = fusion;
        this.vector = vector;
    }

    public SimOptions options() {
        return options;
    }

    /** True when the SIMD kernels are in use (the JVM was started with {@code --add-modules jdk.incubator.vector}). */
    public static boolean simdAvailable() {
        return Kernels.VECTOR_AVAILABLE;
    }

    /**
     * The state after every unitary and swap of {@code c}, starting from |0…0⟩; measures and barriers are
     * ignored. Only for circuits whose measurements are terminal.
     *
     * @throws IllegalArgumentException if {@code c} has a reset, a conditional, or a gate after a measure of
     *                                  one of its qubits, or is too large for the heap
     */
    public StateVector finalState(Circuit c) {
        if (!c.measurementsAreTerminal()) {
            throw new IllegalArgumentException("the circuit has a reset, a conditional or a gate after a measure"
                    + " of the same qubit, so it has no single final state; use run() to simulate it shot by shot");
        }
        StateVector sv = StateVector.zero(c.numQubits(), options.threads(), vector);
        plan(c.numQubits(), c.ops()).applyTo(sv);
        return sv;
    }

    /**
     * The exact distribution of the classical bits (keys as in {@link ShotResult}) of a circuit whose
     * measurements are terminal; only outcomes of non-zero probability are listed.
     */
    public SortedMap<String, Double> distribution(Circuit c) {
        StateVector sv = finalState(c);
        int[] source = clbitSources(c);
        SortedMap<String, Double> out = new TreeMap<>();
        for (int i = 0; i < sv.re.length; i++) {
            double p = sv.re[i] * sv.re[i] + sv.im[i] * sv.im[i];
            if (p > 0) {
                out.merge(key(i, source), p, Double::sum);
            }
        }
        return out;
    }

    /** Runs {@code c} for {@code shots} shots; the same (circuit, shots, seed) always gives the same counts. */
    public ShotResult run(Circuit c, int shots, long seed) {
        if (shots < 0) {
            throw new IllegalArgumentException("shots must not be negative, was " + shots);
        }
        SortedMap<String, Integer> counts = c.measurementsAreTerminal()
                ? sampleOnce(c, shots, seed)
                : perShot(c, shots, seed);
        return new ShotResult(shots, seed, counts);
    }

    Plan plan(int n, List<Op> ops) {
        return options.fusion() ? Fusion.plan(n, ops, fusion) : Plan.unfused(n, ops);
    }

    private SortedMap<String, Integer> sampleOnce(Circuit c, int shots, long seed) {
        SortedMap<String, Integer> counts = new TreeMap<>();
        if (shots == 0) {
            return counts;
        }
        StateVector sv = finalState(c);
        int[] source = clbitSources(c);
        int[] outcome = sample(sv, shots, seed);
        int s = 0;
        while (s < shots) {
            int e = s;
            while (e < shots && outcome[e] == outcome[s]) {
                e++;
            }
            counts.merge(key(outcome[s], source), e - s, Integer::sum);
            s = e;
        }
        return counts;
    }

    /** Basis-state index of each of {@code shots} draws, ascending (see the class comment). */
    static int[] sample(StateVector sv, int shots, long seed) {
        SplitMix64 rng = new SplitMix64(seed);
        double[] u = new double[shots];
        for (int s = 0; s < shots; s++) {
            u[s] = rng.nextDouble();
        }
        Arrays.sort(u);
        double[] re = sv.re;
        double[] im = sv.im;
        double total = 0;
        for (int i = 0; i < re.length; i++) {
            total += re[i] * re[i] + im[i] * im[i];
        }
        int[] out = new int[shots];
        int s = 0;
        double cum = 0;
        int lastNonZero = 0;
        for (int i = 0; i < re.length && s < shots; i++) {
            double p = re[i] * re[i] + im[i] * im[i];
            if (p > 0) {
                lastNonZero = i;
            }
            cum += p;
            while (s < shots && u[s] * total < cum) {
                out[s++] = i;
            }
        }
        // u < 1 so u·total < total = cum at the end, except when the product rounds up to total
        while (s < shots) {
            out[s++] = lastNonZero;
        }
        return out;
    }

    /** {@code source[clbit]} = the qubit last measured into it, or -1. */
    private static int[] clbitSources(Circuit c) {
        int[] source = new int[c.numClbits()];
        Arrays.fill(source, -1);
        for (Op op : c.ops()) {
            if (op instanceof Op.Measure m) {
                source[m.clbit()] = m.qubit();
            }
        }
        return source;
    }

    private static String key(int basisIndex, int[] source) {
        int w = source.length;
        char[] bits = new char[w];
        for (int cb = 0; cb < w; cb++) {
            int q = source[cb];
            bits[w - 1 - cb] = q >= 0 && ((basisIndex >>> q) & 1) != 0 ? '1' : '0';
        }
        return new String(bits);
    }

    private static String key(boolean[] clbits) {
        int w = clbits.length;
        char[] bits = new char[w];
        for (int cb = 0; cb < w; cb++) {
            bits[w - 1 - cb] = clbits[cb] ? '1' : '0';
        }
        return new String(bits);
    }

    // ---------------------------------------------------------------- per-shot mode

    /** A piece of a per-shot program: a fused block of unitaries, or one non-unitary operation. */
    private record Segment(Plan plan, Op op) {
    }

    /** Below this, an outcome's probability is floating-point residue of an exact zero. */
    static final double DETERMINISTIC = 1e-12;

    private SortedMap<String, Integer> perShot(Circuit c, int shots, long seed) {
        int n = c.numQubits();
        List<Op> ops = c.ops();
        // Deterministic prefix: unitaries, and measures/resets/conditionals whose outcome is certain (an
        // ancilla uncomputed to |0⟩ and reset, a conditional on such a bit). It is computed once, with no draw.
        StateVector initial = StateVector.zero(n, options.threads(), vector);
        boolean[] fixed = new boolean[c.numClbits()];
        int first = 0;
        int pending = 0;
        while (first < ops.size()) {
            Op op = ops.get(first);
            if (isUnitaryPart(op)) {
                first++;
                continue;
            }
            if (pending < first) {
                plan(n, ops.subList(pending, first)).applyTo(initial);
                pending = first;
            }
            if (!applyIfCertain(initial, op, fixed)) {
                break;
            }
            first++;
            pending = first;
        }
        List<Op> rest = ops.subList(pending, ops.size());
        if (new Circuit(c.qregs(), c.cregs(), rest).measurementsAreTerminal()) {
            // Everything uncertain is a terminal measurement: evolve the rest once and sample.
            plan(n, rest).applyTo(initial);
            return sampleWith(initial, rest, fixed, shots, seed);
        }
        List<Segment> program = new ArrayList<>();
        int i = 0;
        while (i < rest.size()) {
            if (isUnitaryPart(rest.get(i))) {
                int j = i;
                while (j < rest.size() && isUnitaryPart(rest.get(j))) {
                    j++;
                }
                program.add(new Segment(plan(n, rest.subList(i, j)), null));
                i = j;
            } else {
                program.add(new Segment(null, rest.get(i)));
                i++;
            }
        }
        SortedMap<String, Integer> counts = new TreeMap<>();
        if (shots == 0) {
            return counts;
        }
        StateVector sv = initial.copy();
        boolean[] clbits = new boolean[c.numClbits()];
        for (int shot = 0; shot < shots; shot++) {
            sv.copyFrom(initial);
            System.arraycopy(fixed, 0, clbits, 0, clbits.length);
            SplitMix64 rng = SplitMix64.forShot(seed, shot);
            for (Segment seg : program) {
                if (seg.plan() != null) {
                    seg.plan().applyTo(sv);
                } else {
                    execute(sv, seg.op(), clbits, rng);
                }
            }
            counts.merge(key(clbits), 1, Integer::sum);
        }
        return counts;
    }

    /**
     * Applies a measure, reset or conditional whose outcome is certain (probability of 1 below
     * {@link #DETERMINISTIC} or above 1 − it), writing certain classical bits into {@code clbits}; returns false,
     * changing nothing, when the outcome is random.
     */
    private static boolean applyIfCertain(StateVector sv, Op op, boolean[] clbits) {
        if (op instanceof Op.Conditional cond) {
            long value = 0;
            for (int b = 0; b < cond.width(); b++) {
                if (clbits[cond.firstClbit() + b]) {
                    value |= 1L << b;
                }
            }
            if (value != cond.value()) {
                return true;
            }
            if (cond.body() instanceof Op.Unitary u) {
                sv.apply(u);
                return true;
            }
            if (cond.body() instanceof Op.Swap sw) {
                sv.apply(sw);
                return true;
            }
            return applyIfCertain(sv, cond.body(), clbits);
        }
        int qubit = op instanceof Op.Measure m ? m.qubit() : op instanceof Op.Reset r ? r.qubit() : -1;
        if (qubit < 0) {
            return op instanceof Op.Barrier;
        }
        double p1 = sv.probabilityOfOne(qubit);
        int outcome = p1 < DETERMINISTIC ? 0 : p1 > 1 - DETERMINISTIC ? 1 : -1;
        if (outcome < 0) {
            return false;
        }
        sv.collapse(qubit, outcome);
        if (op instanceof Op.Measure m) {
            clbits[m.clbit()] = outcome == 1;
        } else if (outcome == 1) {
            sv.apply(new Op.Unitary("x", new int[0], qubit, org.xdv.cdcr.q.circuit.Mat2.X));
        }
        return true;
    }

    /** Samples the terminal measurements of {@code rest} from {@code sv}; other bits keep their {@code fixed} value. */
    private static SortedMap<String, Integer> sampleWith(StateVector sv, List<Op> rest, boolean[] fixed, int shots,
                                                        long seed) {
        SortedMap<String, Integer> counts = new TreeMap<>();
        if (shots == 0) {
            return counts;
        }
        int[] source = new int[fixed.length];
        Arrays.fill(source, -1);
        for (Op op : rest) {
            if (op instanceof Op.Measure m) {
                source[m.clbit()] = m.qubit();
            }
        }
        int[] outcome = sample(sv, shots, seed);
        boolean[] bits = new boolean[fixed.length];
        for (int s = 0; s < shots; s++) {
            for (int cb = 0; cb < bits.length; cb++) {
                bits[cb] = source[cb] >= 0 ? ((outcome[s] >>> source[cb]) & 1) != 0 : fixed[cb];
            }
            counts.merge(key(bits), 1, Integer::sum);
        }
        return counts;
    }

    private static boolean isUnitaryPart(Op op) {
        return op instanceof Op.Unitary || op instanceof Op.Swap || op instanceof Op.Barrier;
    }

    private static void execute(StateVector sv, Op op, boolean[] clbits, SplitMix64 rng) {
        if (op instanceof Op.Measure m) {
            clbits[m.clbit()] = sv.measure(m.qubit(), rng.nextDouble()) == 1;
        } else if (op instanceof Op.Reset r) {
            sv.reset(r.qubit(), rng.nextDouble());
        } else if (op instanceof Op.Conditional cond) {
            long value = 0;
            for (int b = 0; b < cond.width(); b++) {
                if (clbits[cond.firstClbit() + b]) {
                    value |= 1L << b;
                }
            }
            if (value == cond.value()) {
                execute(sv, cond.body(), clbits, rng);
            }
        } else if (op instanceof Op.Unitary u) {
            sv.apply(u);
        } else if (op instanceof Op.Swap s) {
            sv.apply(s);
        } else if (!(op instanceof Op.Barrier)) {
            throw new IllegalArgumentException("unsupported operation " + op);
        }
    }
}
