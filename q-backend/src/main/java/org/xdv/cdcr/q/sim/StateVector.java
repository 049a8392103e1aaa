package org.xdv.cdcr.q.sim;

import java.util.Arrays;

import org.xdv.cdcr.q.circuit.Mat2;
import org.xdv.cdcr.q.circuit.Op;

/**
 * A dense state vector of {@code n} qubits and its in-place kernels.
 *
 * <p>Storage: two {@code double[]} of length {@code 2^n}, real and imaginary parts ("split" layout, so that a
 * SIMD register holds the same part of consecutive amplitudes). Basis index {@code i} has qubit {@code q} in
 * bit {@code q} (global qubit 0 = q[0] of the first register = least significant bit, as in
 * {@link org.xdv.cdcr.q.circuit.Circuit}). 24 qubits take 256 MiB, 27 qubits 2 GiB; at most
 * {@value #MAX_QUBITS} qubits.
 *
 * <p>Kernels: 1-qubit gates with any number of controls, split by matrix shape into diagonal (phase on one or
 * both halves), anti-diagonal (bit flip with phases; a pure swap of pairs for X/CX/CCX/…), and general 2×2;
 * qubit swap; and a dense 2^k×2^k matrix on k qubits. A controlled gate iterates only over the subspace where
 * its controls are 1 (see {@link Kernels}). With more than one thread and at least
 * {@value #PARALLEL_MIN_AMPLITUDES} amplitudes a kernel is split into contiguous pieces; each amplitude is
 * computed by the same arithmetic in any piece, so the thread count never changes a bit of the result.
 */
public final class StateVector {

    /** Largest supported register: 2^30 amplitudes is the largest power of two a Java array can hold. */
    public static final int MAX_QUBITS = 30;

    /** Below this many amplitudes a kernel runs on the calling thread. */
    public static final int PARALLEL_MIN_AMPLITUDES = 1 << 15;

    /** Fixed chunk (in counter values) of the deterministic reductions: independent of the thread count. */
    private static final int REDUCE_CHUNK = 1 << 13;

    private final int n;
    final double[] re;
    final double[] im;
    private final int threads;
    final boolean vector;

    StateVector(int n, double[] re, double[] im, int threads, boolean vector) {
        this.n = n;
        this.re = re;
        this.im = im;
        this.threads = threads;
        this.vector = vector && Kernels.VECTOR_AVAILABLE;
    }

    /** |0…0⟩ on {@code n} qubits, single-threaded kernels. */
    public static StateVector zero(int n) {
        return zero(n, 1);
    }

    /** |0…0⟩ on {@code n} qubits whose kernels use up to {@code threads} threads. */
    public static StateVector zero(int n, int threads) {
        return zero(n, threads, true);
    }

    static StateVector zero(int n, int threads, boolean vector) {
        StateVector s = allocate(n, threads, vector);
        s.re[0] = 1;
        return s;
    }

    /** A state with the given amplitudes (copied); the length must be a power of two. */
    public static StateVector of(double[] re, double[] im) {
        if (re.length != im.length || Integer.bitCount(re.length) != 1) {
            throw new IllegalArgumentException("amplitude arrays must have the same power-of-two length, were "
                    + re.length + " and " + im.length);
        }
        int n = Integer.numberOfTrailingZeros(re.length);
        return new StateVector(n, re.clone(), im.clone(), 1, true);
    }

    private static StateVector allocate(int n, int threads, boolean vector) {
        if (n < 0 || n > MAX_QUBITS) {
            throw new IllegalArgumentException("a state vector has 0.." + MAX_QUBITS + " qubits, asked for " + n);
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, was " + threads);
        }
        long bytes = 16L << n;
        Runtime rt = Runtime.getRuntime();
        if (bytes > rt.maxMemory()) {
            throw new IllegalArgumentException(String.format(
                    "a %d-qubit state needs %d MiB but the JVM heap limit is %d MiB", n, bytes >> 20,
                    rt.maxMemory() >> 20));
        }
        return new StateVector(n, new double[1 << n], new double[1 << n], threads, vector);
    }

    /** An independent copy with the same kernel settings. */
    public StateVector copy() {
        return new StateVector(n, re.clone(), im.clone(), threads, vector);
    }

    /** Overwrites this state with {@code other} (same number of qubits). */
    void copyFrom(StateVector other) {
        if (other.n != n) {
            throw new IllegalArgumentException("cannot copy a " + other.n + "-qubit state into " + n + " qubits");
        }
        System.arraycopy(other.re, 0, re, 0, re.length);
        System.arraycopy(other.im, 0, im, 0, im.length);
    }

    public int numQubits() {
        return n;
    }

    /** {@code 2^n}. */
    public long dimension() {
        return 1L << n;
    }

    int threads() {
        return threads;
    }

    public double re(long basisIndex) {
        return re[index(basisIndex)];
    }

    public double im(long basisIndex) {
        return im[index(basisIndex)];
    }

    /** {@code |amplitude|²} of one basis state. */
    public double probability(long basisIndex) {
        int i = index(basisIndex);
        return re[i] * re[i] + im[i] * im[i];
    }

    /** All {@code 2^n} probabilities (meant for small registers: this allocates {@code 8·2^n} bytes). */
    public double[] probabilities() {
        double[] p = new double[re.length];
        for (int i = 0; i < p.length; i++) {
            p[i] = re[i] * re[i] + im[i] * im[i];
        }
        return p;
    }

    /** The Euclidean norm {@code sqrt(Σ|a_i|²)}, summed in a fixed order (1 for a normalised state). */
    public double norm() {
        return Math.sqrt(subspaceProbability(new int[0], 0));
    }

    private int index(long basisIndex) {
        if (basisIndex < 0 || basisIndex >= re.length) {
            throw new IndexOutOfBoundsException("basis index " + basisIndex + " outside 0.." + (re.length - 1));
        }
        return (int) basisIndex;
    }

    // ---------------------------------------------------------------- gates

    /** Applies a lowered IR gate. */
    public void apply(Op.Unitary u) {
        applyUnitary(u.controls(), u.target(), u.matrix());
    }

    /** Applies a lowered IR swap. */
    public void apply(Op.Swap s) {
        applySwap(s.a(), s.b());
    }

    /**
     * {@code m} on {@code target} where every control is 1, with the kernel chosen by the shape of {@code m}:
     * diagonal, anti-diagonal, real, real diagonal with imaginary off-diagonal, or general.
     */
    public void applyUnitary(int[] controls, int target, Mat2 m) {
        exec(unitaryCall(n, controls, target, m));
    }

    /** The general 2×2 kernel, whatever the shape of {@code m}. */
    public void applyGeneral(int[] controls, int target, Mat2 m) {
        checkGate(n, controls, target);
        exec(generalCall(controls, target, m));
    }

    /** The diagonal kernel: uses only the diagonal entries of {@code m}. */
    public void applyDiagonal(int[] controls, int target, Mat2 m) {
        checkGate(n, controls, target);
        exec(diagonalCall(controls, target, m));
    }

    /** The anti-diagonal (bit-flip with phases) kernel: uses only the off-diagonal entries of {@code m}. */
    public void applyAntiDiagonal(int[] controls, int target, Mat2 m) {
        checkGate(n, controls, target);
        exec(antiCall(controls, target, m));
    }

    /** Exchanges qubits {@code a} and {@code b}. */
    public void applySwap(int a, int b) {
        exec(swapCall(n, a, b));
    }

    /**
     * A dense {@code 2^k × 2^k} matrix on {@code qubits} (k = qubits.length), row-major in {@code mr}, {@code mi};
     * bit {@code b} of a row or column index is the value of {@code qubits[b]}.
     */
    public void applyDense(int[] qubits, double[] mr, double[] mi) {
        exec(denseCall(n, qubits, mr, mi));
    }

    // ---------------------------------------------------------------- measurement

    /** Probability that {@code qubit} reads 1 (not normalised: relative to {@code norm()²}). */
    public double probabilityOfOne(int qubit) {
        checkQubit(n, qubit);
        return subspaceProbability(new int[] {qubit}, 1 << qubit);
    }

    /**
     * Measures {@code qubit} with the uniform draw {@code u ∈ [0, 1)}: the outcome is 1 when
     * {@code u·(p0 + p1) < p1}; the state collapses onto the outcome and is renormalised.
     */
    public int measure(int qubit, double u) {
        checkQubit(n, qubit);
        double p1 = subspaceProbability(new int[] {qubit}, 1 << qubit);
        double p0 = subspaceProbability(new int[] {qubit}, 0);
        int outcome = u * (p0 + p1) < p1 ? 1 : 0;
        collapse(qubit, outcome, outcome == 1 ? p1 : p0);
        return outcome;
    }

    /** Projects onto {@code qubit = outcome} and renormalises; the outcome must have non-zero probability. */
    public void collapse(int qubit, int outcome) {
        checkQubit(n, qubit);
        if (outcome != 0 && outcome != 1) {
            throw new IllegalArgumentException("outcome must be 0 or 1, was " + outcome);
        }
        collapse(qubit, outcome, subspaceProbability(new int[] {qubit}, outcome << qubit));
    }

    private void collapse(int qubit, int outcome, double p) {
        if (!(p > 0)) {
            throw new IllegalStateException("outcome " + outcome + " of qubit " + qubit + " has probability " + p);
        }
        double s = 1 / Math.sqrt(p);
        int[] pos = {qubit};
        exec(Kernels.Call.pair(Kernels.SCALE, pos, outcome << qubit, 0, s, 0, 0, 0, 0, 0, 0, 0));
        exec(Kernels.Call.pair(Kernels.ZERO, pos, (1 - outcome) << qubit, 0, 0, 0, 0, 0, 0, 0, 0, 0));
    }

    /** Measures {@code qubit} with draw {@code u} and flips it back to |0⟩ if it read 1; returns the outcome. */
    public int reset(int qubit, double u) {
        int outcome = measure(qubit, u);
        if (outcome == 1) {
            exec(antiCall(new int[0], qubit, Mat2.X));
        }
        return outcome;
    }

    /**
     * Σ|a_i|² over the indices whose bits {@code pos} equal {@code mask}: partial sums over fixed chunks of
     * {@value #REDUCE_CHUNK} counter values, added in chunk order, so the result does not depend on threads.
     */
    double subspaceProbability(int[] pos, int mask) {
        int[] sorted = pos.clone();
        Arrays.sort(sorted);
        Kernels.Call c = Kernels.Call.pair(Kernels.SCALE, sorted, mask, 0, 0, 0, 0, 0, 0, 0, 0, 0);
        int count = c.count(n);
        int chunks = (count + REDUCE_CHUNK - 1) / REDUCE_CHUNK;
        double[] partial = new double[chunks];
        Parallel.Body body = (part, lo, hi) -> {
            for (int ch = lo; ch < hi; ch++) {
                int from = ch * REDUCE_CHUNK;
                partial[ch] = Kernels.probability(re, im, c, from, Math.min(count, from + REDUCE_CHUNK));
            }
        };
        if (threads > 1 && count >= PARALLEL_MIN_AMPLITUDES) {
            Parallel.forRange(threads, chunks, 1, body);
        } else {
            body.run(0, 0, chunks);
        }
        double sum = 0;
        for (double p : partial) {
            sum += p;
        }
        return sum;
    }

    // ---------------------------------------------------------------- execution

    /** Runs one compiled kernel call over the whole state ({@code null} = identity). */
    void exec(Kernels.Call c) {
        if (c == null) {
            return;
        }
        int count = c.count(n);
        int touched = c.kind() == Kernels.SCALE || c.kind() == Kernels.ZERO ? count : count * 2;
        if (threads > 1 && touched >= PARALLEL_MIN_AMPLITUDES) {
            Parallel.forRange(threads, count, 64, (part, lo, hi) -> Kernels.run(re, im, c, lo, hi, vector));
        } else {
            Kernels.run(re, im, c, 0, count, vector);
        }
    }

    /**
     * Applies {@code calls} (compiled for a {@code tileQubits.length}-qubit state) to every tile: the
     * sub-vectors over {@code tileQubits} for each setting of the other qubits, global qubit
     * {@code tileQubits[i]} being local qubit {@code i}. Each tile is copied into a cache-sized buffer, all calls
     * run there, and it is copied back: one pass over memory for the lot. The copy moves runs of consecutive
     * amplitudes when the first local qubits are global qubits 0, 1, …, and single amplitudes otherwise.
     */
    void applyTile(int[] tileQubits, Kernels.Call[] calls) {
        int m = tileQubits.length;
        int[] sorted = tileQubits.clone();
        Arrays.sort(sorted);
        int b = 0;
        while (b < m && tileQubits[b] == b) {
            b++;
        }
        int low = b;
        int runLen = 1 << low;
        int runs = 1 << (m - low);
        int[] runOff = new int[runs];
        for (int r = 0; r < runs; r++) {
            int off = 0;
            for (int x = 0; x < m - low; x++) {
                if (((r >>> x) & 1) != 0) {
                    off |= 1 << tileQubits[low + x];
                }
            }
            runOff[r] = off;
        }
        int tiles = 1 << (n - m);
        Parallel.Body body = (part, lo, hi) -> {
            double[] br = new double[1 << m];
            double[] bi = new double[1 << m];
            StateVector local = new StateVector(m, br, bi, 1, vector);
            for (int t = lo; t < hi; t++) {
                int base = Kernels.insertZeros(t, sorted);
                if (runLen >= 8) {
                    for (int r = 0; r < runs; r++) {
                        System.arraycopy(re, base + runOff[r], br, r << low, runLen);
                        System.arraycopy(im, base + runOff[r], bi, r << low, runLen);
                    }
                } else {
                    for (int r = 0; r < runs; r++) {
                        int g = base + runOff[r];
                        int l = r << low;
                        for (int x = 0; x < runLen; x++) {
                            br[l + x] = re[g + x];
                            bi[l + x] = im[g + x];
                        }
                    }
                }
                for (Kernels.Call c : calls) {
                    local.exec(c);
                }
                if (runLen >= 8) {
                    for (int r = 0; r < runs; r++) {
                        System.arraycopy(br, r << low, re, base + runOff[r], runLen);
                        System.arraycopy(bi, r << low, im, base + runOff[r], runLen);
                    }
                } else {
                    for (int r = 0; r < runs; r++) {
                        int g = base + runOff[r];
                        int l = r << low;
                        for (int x = 0; x < runLen; x++) {
                            re[g + x] = br[l + x];
                            im[g + x] = bi[l + x];
                        }
                    }
                }
            }
        };
        if (threads > 1 && tiles > 1 && re.length >= PARALLEL_MIN_AMPLITUDES) {
            Parallel.forRange(threads, tiles, 1, body);
        } else {
            body.run(0, 0, tiles);
        }
    }

    // ---------------------------------------------------------------- compilation of gates into kernel calls

    static Kernels.Call unitaryCall(int n, int[] controls, int target, Mat2 m) {
        checkGate(n, controls, target);
        if (n >= Kernels.BLOCK_BITS && touchesBlock(controls, target)) {
            return blockCall(controls, target, m);
        }
        if (m.isDiagonal()) {
            return diagonalCall(controls, target, m);
        }
        if (m.isAntiDiagonal()) {
            return antiCall(controls, target, m);
        }
        int[] pos = positions(controls, target);
        int cm = mask(controls);
        if (isReal(m)) {
            return Kernels.Call.pair(Kernels.REAL, pos, cm, 1 << target,
                    m.ar(), 0, m.br(), 0, m.cr(), 0, m.dr(), 0);
        }
        if (isRxLike(m)) {
            return Kernels.Call.pair(Kernels.RX_LIKE, pos, cm, 1 << target,
                    m.ar(), 0, 0, m.bi(), 0, m.ci(), m.dr(), 0);
        }
        return generalCall(controls, target, m);
    }

    /**
     * All imaginary parts (numerically) zero, with the tolerance of {@link Mat2#isDiagonal()}: gates such as
     * {@code u(π/2, 0, π)} carry residues of about 1e-16 that would otherwise force the general kernel.
     */
    static boolean isReal(Mat2 m) {
        return Math.abs(m.ai()) + Math.abs(m.bi()) + Math.abs(m.ci()) + Math.abs(m.di()) < 1e-15;
    }

    /** Real diagonal and imaginary off-diagonal entries (numerically), as RX(θ). */
    static boolean isRxLike(Mat2 m) {
        return Math.abs(m.ai()) + Math.abs(m.di()) + Math.abs(m.br()) + Math.abs(m.cr()) < 1e-15;
    }

    private static boolean touchesBlock(int[] controls, int target) {
        if (target < Kernels.BLOCK_BITS) {
            return true;
        }
        for (int c : controls) {
            if (c < Kernels.BLOCK_BITS) {
                return true;
            }
        }
        return false;
    }

    /**
     * A gate with its target or a control among qubits 0..2: the low qubits are resolved inside aligned blocks of
     * 8 amplitudes by per-lane coefficient tables (lanes where a low control is 0 get the identity), the others
     * by the usual subspace enumeration, so every run is a whole number of blocks and vectorises.
     */
    private static Kernels.Call blockCall(int[] controls, int target, Mat2 m) {
        int lowMask = 0;
        int highCount = 0;
        for (int c : controls) {
            if (c < Kernels.BLOCK_BITS) {
                lowMask |= 1 << c;
            } else {
                highCount++;
            }
        }
        int[] high = new int[highCount];
        int hm = 0;
        int j = 0;
        for (int c : controls) {
            if (c >= Kernels.BLOCK_BITS) {
                high[j++] = c;
                hm |= 1 << c;
            }
        }
        Arrays.sort(high);
        int b = Kernels.BLOCK;
        boolean aOne = m.ar() == 1 && m.ai() == 0;
        boolean dOne = m.dr() == 1 && m.di() == 0;
        if (m.isDiagonal() && aOne && dOne) {
            return null;
        }
        if (target < Kernels.BLOCK_BITS) {
            if (m.isDiagonal()) {
                double[] lanes = new double[2 * b];
                for (int x = 0; x < b; x++) {
                    boolean on = (x & lowMask) == lowMask;
                    boolean one = ((x >>> target) & 1) != 0;
                    lanes[x] = on ? (one ? m.dr() : m.ar()) : 1;
                    lanes[b + x] = on ? (one ? m.di() : m.ai()) : 0;
                }
                return Kernels.Call.block(Kernels.BLOCK_SCALE, high, hm, 0, lanes);
            }
            double[] lanes = new double[4 * b];
            for (int x = 0; x < b; x++) {
                boolean on = (x & lowMask) == lowMask;
                boolean one = ((x >>> target) & 1) != 0;
                lanes[x] = on ? (one ? m.dr() : m.ar()) : 1;
                lanes[b + x] = on ? (one ? m.di() : m.ai()) : 0;
                lanes[2 * b + x] = on ? (one ? m.cr() : m.br()) : 0;
                lanes[3 * b + x] = on ? (one ? m.ci() : m.bi()) : 0;
            }
            return Kernels.Call.block(Kernels.BLOCK_IN, high, hm, 1 << target, lanes);
        }
        int[] pos = Arrays.copyOf(high, highCount + 1);
        pos[highCount] = target;
        Arrays.sort(pos);
        if (m.isDiagonal() && (aOne || dOne)) {
            // one half of the target only: a per-lane phase on that half
            double[] lanes = new double[2 * b];
            for (int x = 0; x < b; x++) {
                boolean on = (x & lowMask) == lowMask;
                lanes[x] = on ? (aOne ? m.dr() : m.ar()) : 1;
                lanes[b + x] = on ? (aOne ? m.di() : m.ai()) : 0;
            }
            return Kernels.Call.block(Kernels.BLOCK_SCALE, pos, hm | (aOne ? 1 << target : 0), 0, lanes);
        }
        double[] lanes = new double[8 * b];
        double[] coeff = {m.ar(), m.ai(), m.br(), m.bi(), m.cr(), m.ci(), m.dr(), m.di()};
        double[] identity = {1, 0, 0, 0, 0, 0, 1, 0};
        for (int x = 0; x < b; x++) {
            boolean on = (x & lowMask) == lowMask;
            for (int e = 0; e < 8; e++) {
                lanes[e * b + x] = on ? coeff[e] : identity[e];
            }
        }
        return Kernels.Call.block(Kernels.BLOCK_PAIR, pos, hm, 1 << target, lanes);
    }

    private static Kernels.Call generalCall(int[] controls, int target, Mat2 m) {
        return Kernels.Call.pair(Kernels.GENERAL, positions(controls, target), mask(controls), 1 << target,
                m.ar(), m.ai(), m.br(), m.bi(), m.cr(), m.ci(), m.dr(), m.di());
    }

    private static Kernels.Call diagonalCall(int[] controls, int target, Mat2 m) {
        boolean aOne = m.ar() == 1 && m.ai() == 0;
        boolean dOne = m.dr() == 1 && m.di() == 0;
        if (aOne && dOne) {
            return null;
        }
        int[] pos = positions(controls, target);
        int cm = mask(controls);
        if (aOne) {
            return Kernels.Call.pair(Kernels.SCALE, pos, cm | (1 << target), 0, m.dr(), m.di(), 0, 0, 0, 0, 0, 0);
        }
        if (dOne) {
            return Kernels.Call.pair(Kernels.SCALE, pos, cm, 0, m.ar(), m.ai(), 0, 0, 0, 0, 0, 0);
        }
        if (m.ar() == m.dr() && m.ai() == m.di()) {
            int[] cpos = controls.clone();
            Arrays.sort(cpos);
            return Kernels.Call.pair(Kernels.SCALE, cpos, cm, 0, m.ar(), m.ai(), 0, 0, 0, 0, 0, 0);
        }
        return Kernels.Call.pair(Kernels.DIAGONAL, pos, cm, 1 << target,
                m.ar(), m.ai(), 0, 0, 0, 0, m.dr(), m.di());
    }

    private static Kernels.Call antiCall(int[] controls, int target, Mat2 m) {
        int[] pos = positions(controls, target);
        int cm = mask(controls);
        if (m.br() == 1 && m.bi() == 0 && m.cr() == 1 && m.ci() == 0) {
            return Kernels.Call.pair(Kernels.SWAP, pos, cm, 1 << target, 0, 0, 0, 0, 0, 0, 0, 0);
        }
        return Kernels.Call.pair(Kernels.ANTI, pos, cm, 1 << target, 0, 0, m.br(), m.bi(), m.cr(), m.ci(), 0, 0);
    }

    static Kernels.Call swapCall(int n, int a, int b) {
        checkQubit(n, a);
        checkQubit(n, b);
        if (a == b) {
            throw new IllegalArgumentException("swap of qubit " + a + " with itself");
        }
        int lo = Math.min(a, b);
        int hi = Math.max(a, b);
        return Kernels.Call.pair(Kernels.SWAP, new int[] {lo, hi}, 1 << lo, (1 << hi) - (1 << lo),
                0, 0, 0, 0, 0, 0, 0, 0);
    }

    static Kernels.Call denseCall(int n, int[] qubits, double[] mr, double[] mi) {
        int k = qubits.length;
        if (k < 1 || k > 10) {
            throw new IllegalArgumentException("a dense gate acts on 1..10 qubits, was " + k);
        }
        int dim = 1 << k;
        if (mr.length != dim * dim || mi.length != dim * dim) {
            throw new IllegalArgumentException("a " + k + "-qubit dense matrix has " + dim * dim
                    + " entries, got " + mr.length + " and " + mi.length);
        }
        for (int q : qubits) {
            checkQubit(n, q);
        }
        int[] pos = qubits.clone();
        Arrays.sort(pos);
        for (int i = 1; i < k; i++) {
            if (pos[i] == pos[i - 1]) {
                throw new IllegalArgumentException("dense gate names qubit " + pos[i] + " twice");
            }
        }
        int[] offs = new int[dim];
        for (int l = 0; l < dim; l++) {
            int off = 0;
            for (int b = 0; b < k; b++) {
                if (((l >>> b) & 1) != 0) {
                    off |= 1 << qubits[b];
                }
            }
            offs[l] = off;
        }
        return Kernels.Call.dense(pos, offs, mr.clone(), mi.clone());
    }

    private static int[] positions(int[] controls, int target) {
        int[] pos = Arrays.copyOf(controls, controls.length + 1);
        pos[controls.length] = target;
        Arrays.sort(pos);
        return pos;
    }

    private static int mask(int[] controls) {
        int m = 0;
        for (int c : controls) {
            m |= 1 << c;
        }
        return m;
    }

    static void checkQubit(int n, int q) {
        if (q < 0 || q >= n) {
            throw new IllegalArgumentException("qubit " + q + " outside 0.." + (n - 1));
        }
    }

    static void checkGate(int n, int[] controls, int target) {
        checkQubit(n, target);
        int seen = 1 << target;
        for (int c : controls) {
            checkQubit(n, c);
            if ((seen & (1 << c)) != 0) {
                throw new IllegalArgumentException("qubit " + c + " appears twice in a gate on target " + target);
            }
            seen |= 1 << c;
        }
    }
}
