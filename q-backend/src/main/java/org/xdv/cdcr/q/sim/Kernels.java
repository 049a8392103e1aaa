package org.xdv.cdcr.q.sim;

/**
 * The state-vector kernels, on split storage ({@code re[i]}, {@code im[i]} for basis index {@code i}).
 *
 * <p>GOALS: every gate touches only the amplitudes it changes, streams through memory in long contiguous runs,
 * and computes each amplitude with one fixed sequence of IEEE operations, so that the result is bit-identical
 * whatever the partition into threads and whether a run is done by the scalar loop here or by the SIMD loop in
 * {@link VectorKernels}.
 *
 * <p>ALGORITHM: a kernel acts on the subspace where some qubits (the sorted {@code pos}) have fixed values
 * ({@code mask}): for a gate with controls, {@code pos} = controls ∪ {target}, the controls set in {@code mask}
 * and the target 0, and the partner of index {@code i} is {@code i + 2^target}. The subspace is enumerated by a
 * dense counter {@code k ∈ [0, 2^(n-|pos|))}: {@link #insertZeros} spreads the bits of {@code k} around the fixed
 * positions and {@code mask} is or-ed in. Consecutive {@code k} give consecutive indices for {@code 2^pos[0]}
 * steps (a run), so the counter range is cut into runs and each run is a plain loop over
 * {@code [i, i + len)}. Example: n = 3, CX with control 0 and target 2: pos = {0, 2}, mask = 0b001, k ∈ {0, 1}
 * gives i = 0b001 and 0b011, partners 0b101 and 0b111; runs have length 2^0 = 1.
 *
 * <p>Canonical arithmetic (shared with {@link VectorKernels}), with {@code (r0, i0)} the amplitude whose
 * target bit is 0 and {@code (r1, i1)} its partner, matrix {@code [[a, b], [c, d]]}:
 * <pre>
 *   r0' = ((ar·r0 − ai·i0) + br·r1) − bi·i1      i0' = ((ar·i0 + ai·r0) + br·i1) + bi·r1
 *   r1' = ((dr·r1 − di·i1) + cr·r0) − ci·i0      i1' = ((dr·i1 + di·r1) + cr·i0) + ci·r0
 * </pre>
 * Java never contracts these into fused multiply-adds, so the same expression gives the same bits everywhere.
 */
final class Kernels {

    static final int GENERAL = 0;
    static final int DIAGONAL = 1;
    static final int SCALE = 2;
    static final int ANTI = 3;
    static final int SWAP = 4;
    static final int ZERO = 5;
    static final int DENSE = 6;
    /** Gates on qubits 0..2: aligned blocks of 8 amplitudes with per-lane coefficients (see {@link #blockIn}). */
    static final int BLOCK_IN = 7;
    static final int BLOCK_PAIR = 8;
    static final int BLOCK_SCALE = 9;
    /**
     * All four entries real (H, RY, …; imaginary parts below 1e-15 are dropped): {@code r0' = ar·r0 + br·r1},
     * {@code i0' = ar·i0 + br·i1}, and so on.
     */
    static final int REAL = 10;
    /** Real diagonal, imaginary off-diagonal (RX, …): {@code r0' = ar·r0 − bi·i1}, {@code i0' = ar·i0 + bi·r1}. */
    static final int RX_LIKE = 11;
    static final int KINDS = 12;

    /** Qubits below this are handled inside aligned blocks of {@code 2^BLOCK_BITS} amplitudes. */
    static final int BLOCK_BITS = 3;
    static final int BLOCK = 1 << BLOCK_BITS;

    /** True when {@code jdk.incubator.vector} is in the boot layer and not disabled by {@code -Dcdcr.sim.vector=false}. */
    static final boolean VECTOR_AVAILABLE = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
            && !"false".equalsIgnoreCase(System.getProperty("cdcr.sim.vector"));

    /** Runs shorter than 2^this are stepped element by element rather than looped. */
    private static final int SHORT_RUN_BITS = 3;

    /** SIMD lanes, or a huge number when there is no vector support (no run is then long enough). */
    static final int LANES = VECTOR_AVAILABLE ? VectorKernels.lanes() : Integer.MAX_VALUE;

    private Kernels() {
    }

    /**
     * One kernel invocation: the kind, the fixed-bit subspace and the coefficients.
     * For pair kernels {@code off} is the partner offset; for {@link #DENSE}, {@code offs[l]} is the offset of
     * local basis state {@code l} and {@code mr}/{@code mi} the row-major matrix.
     */
    record Call(int kind, int[] pos, int mask, int off,
                double ar, double ai, double br, double bi, double cr, double ci, double dr, double di,
                int[] offs, double[] mr, double[] mi, double[] lanes) {

        static Call pair(int kind, int[] pos, int mask, int off,
                         double ar, double ai, double br, double bi, double cr, double ci, double dr, double di) {
            return new Call(kind, pos, mask, off, ar, ai, br, bi, cr, ci, dr, di, null, null, null, null);
        }

        static Call dense(int[] pos, int[] offs, double[] mr, double[] mi) {
            return new Call(DENSE, pos, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, offs, mr, mi, null);
        }

        /** A block kernel; every position is at least {@link #BLOCK_BITS}; {@code lanes} as in the kernel. */
        static Call block(int kind, int[] pos, int mask, int off, double[] lanes) {
            return new Call(kind, pos, mask, off, 0, 0, 0, 0, 0, 0, 0, 0, null, null, null, lanes);
        }

        /** Number of counter values {@code k} for a state of {@code n} qubits. */
        int count(int n) {
            return 1 << (n - pos.length);
        }
    }

    /** Spreads the bits of {@code k} so that the (ascending) positions {@code pos} are zero. */
    static int insertZeros(int k, int[] pos) {
        for (int p : pos) {
            int low = k & ((1 << p) - 1);
            k = ((k >>> p) << (p + 1)) | low;
        }
        return k;
    }

    /** Applies {@code c} to the counter range {@code [kLo, kHi)}. */
    static void run(double[] re, double[] im, Call c, int kLo, int kHi, boolean vector) {
        int runBits = c.pos.length == 0 ? 30 : c.pos[0];
        double[] tr = null;
        double[] ti = null;
        if (c.kind == DENSE) {
            int dim = c.offs.length;
            int width = vector && VECTOR_AVAILABLE ? LANES : 1;
            tr = new double[dim * width];
            ti = new double[dim * width];
        } else if (c.kind == BLOCK_IN) {
            tr = new double[BLOCK];
            ti = new double[BLOCK];
        }
        if (vector && VECTOR_AVAILABLE && VectorKernels.runRange(re, im, c, kLo, kHi, tr, ti)) {
            return;
        }
        if (runBits < SHORT_RUN_BITS) {
            // runs of 1..4 amplitudes: step through the subspace one index at a time, where the next free index
            // is ((free | fixed) + 1) & ~fixed (the carry skips the fixed positions)
            int fixed = 0;
            for (int p : c.pos) {
                fixed |= 1 << p;
            }
            int free = insertZeros(kLo, c.pos);
            for (int k = kLo; k < kHi; k++) {
                scalarRun(re, im, c, free | c.mask, 1, tr, ti);
                free = ((free | fixed) + 1) & ~fixed;
            }
            return;
        }
        int k = kLo;
        while (k < kHi) {
            int end = (int) Math.min(kHi, ((((long) k) >>> runBits) + 1) << runBits);
            int i = insertZeros(k, c.pos) | c.mask;
            int len = end - k;
            scalarRun(re, im, c, i, len, tr, ti);
            k = end;
        }
    }

    private static void scalarRun(double[] re, double[] im, Call c, int i, int len, double[] tr, double[] ti) {
        switch (c.kind) {
            case GENERAL -> general(re, im, i, i + len, c.off, c.ar, c.ai, c.br, c.bi, c.cr, c.ci, c.dr, c.di);
            case DIAGONAL -> diagonal(re, im, i, i + len, c.off, c.ar, c.ai, c.dr, c.di);
            case SCALE -> scale(re, im, i, i + len, c.ar, c.ai);
            case ANTI -> anti(re, im, i, i + len, c.off, c.br, c.bi, c.cr, c.ci);
            case SWAP -> swap(re, im, i, i + len, c.off);
            case ZERO -> zero(re, im, i, i + len);
            case DENSE -> dense(re, im, i, i + len, c.offs, c.mr, c.mi, tr, ti);
            case BLOCK_IN -> blockIn(re, im, i, i + len, c.off, c.lanes, tr, ti);
            case BLOCK_PAIR -> blockPair(re, im, i, i + len, c.off, c.lanes);
            case BLOCK_SCALE -> blockScale(re, im, i, i + len, c.lanes);
            case REAL -> real(re, im, i, i + len, c.off, c.ar, c.br, c.cr, c.dr);
            case RX_LIKE -> rxLike(re, im, i, i + len, c.off, c.ar, c.bi, c.ci, c.dr);
            default -> throw new IllegalStateException("unknown kernel " + c.kind);
        }
    }

    /**
     * A 1-qubit gate whose target {@code t} is below {@link #BLOCK_BITS}, inside each aligned block of
     * {@link #BLOCK} amplitudes: lane {@code x} pairs with lane {@code x ^ h} ({@code h = 2^t}) and becomes
     * {@code A[x]·self + B[x]·partner}, with {@code lanes = Ar[8] Ai[8] Br[8] Bi[8]}: {@code A = a, B = b} where
     * bit t is 0, {@code A = d, B = c} where it is 1, and {@code A = 1, B = 0} where a control below
     * {@link #BLOCK_BITS} is 0. Same canonical order as {@link #general}.
     */
    static void blockIn(double[] re, double[] im, int from, int to, int h, double[] lanes, double[] tr, double[] ti) {
        for (int b = from; b < to; b += BLOCK) {
            for (int x = 0; x < BLOCK; x++) {
                int s = b + x;
                int p = b + (x ^ h);
                double sr = re[s];
                double si = im[s];
                double pr = re[p];
                double pi = im[p];
                double ar = lanes[x];
                double ai = lanes[BLOCK + x];
                double br = lanes[2 * BLOCK + x];
                double bi = lanes[3 * BLOCK + x];
                tr[x] = ((ar * sr - ai * si) + br * pr) - bi * pi;
                ti[x] = ((ar * si + ai * sr) + br * pi) + bi * pr;
            }
            for (int x = 0; x < BLOCK; x++) {
                re[b + x] = tr[x];
                im[b + x] = ti[x];
            }
        }
    }

    /**
     * {@link #general} with coefficients chosen per lane {@code j mod 8} (identity where a control below
     * {@link #BLOCK_BITS} is 0): {@code lanes = ar[8] ai[8] br[8] bi[8] cr[8] ci[8] dr[8] di[8]}.
     */
    static void blockPair(double[] re, double[] im, int from, int to, int h, double[] lanes) {
        for (int j = from; j < to; j++) {
            int x = j & (BLOCK - 1);
            int k = j + h;
            double ar = lanes[x];
            double ai = lanes[BLOCK + x];
            double br = lanes[2 * BLOCK + x];
            double bi = lanes[3 * BLOCK + x];
            double cr = lanes[4 * BLOCK + x];
            double ci = lanes[5 * BLOCK + x];
            double dr = lanes[6 * BLOCK + x];
            double di = lanes[7 * BLOCK + x];
            double r0 = re[j];
            double i0 = im[j];
            double r1 = re[k];
            double i1 = im[k];
            re[j] = ((ar * r0 - ai * i0) + br * r1) - bi * i1;
            im[j] = ((ar * i0 + ai * r0) + br * i1) + bi * r1;
            re[k] = ((dr * r1 - di * i1) + cr * r0) - ci * i0;
            im[k] = ((dr * i1 + di * r1) + cr * i0) + ci * r0;
        }
    }

    /** {@link #scale} with the factor chosen per lane {@code j mod 8}: {@code lanes = Dr[8] Di[8]}. */
    static void blockScale(double[] re, double[] im, int from, int to, double[] lanes) {
        for (int j = from; j < to; j++) {
            int x = j & (BLOCK - 1);
            double dr = lanes[x];
            double di = lanes[BLOCK + x];
            double r = re[j];
            double i = im[j];
            re[j] = dr * r - di * i;
            im[j] = dr * i + di * r;
        }
    }

    static void general(double[] re, double[] im, int from, int to, int h,
                        double ar, double ai, double br, double bi, double cr, double ci, double dr, double di) {
        for (int j = from; j < to; j++) {
            int k = j + h;
            double r0 = re[j];
            double i0 = im[j];
            double r1 = re[k];
            double i1 = im[k];
            re[j] = ((ar * r0 - ai * i0) + br * r1) - bi * i1;
            im[j] = ((ar * i0 + ai * r0) + br * i1) + bi * r1;
            re[k] = ((dr * r1 - di * i1) + cr * r0) - ci * i0;
            im[k] = ((dr * i1 + di * r1) + cr * i0) + ci * r0;
        }
    }

    static void real(double[] re, double[] im, int from, int to, int h, double a, double b, double c, double d) {
        for (int j = from; j < to; j++) {
            int k = j + h;
            double r0 = re[j];
            double i0 = im[j];
            double r1 = re[k];
            double i1 = im[k];
            re[j] = a * r0 + b * r1;
            im[j] = a * i0 + b * i1;
            re[k] = d * r1 + c * r0;
            im[k] = d * i1 + c * i0;
        }
    }

    static void rxLike(double[] re, double[] im, int from, int to, int h, double a, double bi, double ci, double d) {
        for (int j = from; j < to; j++) {
            int k = j + h;
            double r0 = re[j];
            double i0 = im[j];
            double r1 = re[k];
            double i1 = im[k];
            re[j] = a * r0 - bi * i1;
            im[j] = a * i0 + bi * r1;
            re[k] = d * r1 - ci * i0;
            im[k] = d * i1 + ci * r0;
        }
    }

    /** {@code x0 ← a·x0}, {@code x1 ← d·x1}. */
    static void diagonal(double[] re, double[] im, int from, int to, int h, double ar, double ai, double dr, double di) {
        for (int j = from; j < to; j++) {
            int k = j + h;
            double r0 = re[j];
            double i0 = im[j];
            double r1 = re[k];
            double i1 = im[k];
            re[j] = ar * r0 - ai * i0;
            im[j] = ar * i0 + ai * r0;
            re[k] = dr * r1 - di * i1;
            im[k] = dr * i1 + di * r1;
        }
    }

    /** {@code x ← (ar + i·ai)·x}. */
    static void scale(double[] re, double[] im, int from, int to, double ar, double ai) {
        for (int j = from; j < to; j++) {
            double r = re[j];
            double i = im[j];
            re[j] = ar * r - ai * i;
            im[j] = ar * i + ai * r;
        }
    }

    /** {@code x0 ← b·x1}, {@code x1 ← c·x0}. */
    static void anti(double[] re, double[] im, int from, int to, int h, double br, double bi, double cr, double ci) {
        for (int j = from; j < to; j++) {
            int k = j + h;
            double r0 = re[j];
            double i0 = im[j];
            double r1 = re[k];
            double i1 = im[k];
            re[j] = br * r1 - bi * i1;
            im[j] = br * i1 + bi * r1;
            re[k] = cr * r0 - ci * i0;
            im[k] = cr * i0 + ci * r0;
        }
    }

    static void swap(double[] re, double[] im, int from, int to, int h) {
        for (int j = from; j < to; j++) {
            int k = j + h;
            double r = re[j];
            double i = im[j];
            re[j] = re[k];
            im[j] = im[k];
            re[k] = r;
            im[k] = i;
        }
    }

    static void zero(double[] re, double[] im, int from, int to) {
        for (int j = from; j < to; j++) {
            re[j] = 0;
            im[j] = 0;
        }
    }

    /**
     * Dense 2^k×2^k matrix on the amplitudes {@code j + offs[l]}: {@code y_o = Σ_l M[o][l]·x_l}, summed in order
     * of {@code l} starting from the {@code l = 0} product, real part {@code (acc + mr·xr) − mi·xi}, imaginary
     * part {@code (acc + mr·xi) + mi·xr}.
     */
    static void dense(double[] re, double[] im, int from, int to, int[] offs, double[] mr, double[] mi,
                      double[] xr, double[] xi) {
        int dim = offs.length;
        for (int j = from; j < to; j++) {
            for (int l = 0; l < dim; l++) {
                xr[l] = re[j + offs[l]];
                xi[l] = im[j + offs[l]];
            }
            for (int o = 0; o < dim; o++) {
                int row = o * dim;
                double m0r = mr[row];
                double m0i = mi[row];
                double accR = m0r * xr[0] - m0i * xi[0];
                double accI = m0r * xi[0] + m0i * xr[0];
                for (int l = 1; l < dim; l++) {
                    double mrl = mr[row + l];
                    double mil = mi[row + l];
                    accR = (accR + mrl * xr[l]) - mil * xi[l];
                    accI = (accI + mrl * xi[l]) + mil * xr[l];
                }
                re[j + offs[o]] = accR;
                im[j + offs[o]] = accI;
            }
        }
    }

    /** Σ (re² + im²) over the subspace of {@code c} (its coefficients are ignored), in index order. */
    static double probability(double[] re, double[] im, Call c, int kLo, int kHi) {
        int runBits = c.pos.length == 0 ? 30 : c.pos[0];
        double sum = 0;
        int k = kLo;
        while (k < kHi) {
            int end = (int) Math.min(kHi, ((((long) k) >>> runBits) + 1) << runBits);
            int i = insertZeros(k, c.pos) | c.mask;
            int to = i + (end - k);
            for (int j = i; j < to; j++) {
                sum += re[j] * re[j] + im[j] * im[j];
            }
            k = end;
        }
        return sum;
    }
}
