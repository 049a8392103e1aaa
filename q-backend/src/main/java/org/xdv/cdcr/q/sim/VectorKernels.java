package org.xdv.cdcr.q.sim;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * SIMD versions of the contiguous-run loops of {@link Kernels}, on {@code jdk.incubator.vector}.
 *
 * <p>Loaded only when the module is in the boot layer (run the JVM with
 * {@code --add-modules jdk.incubator.vector}); otherwise the scalar loops do all the work. Each lane performs
 * exactly the operation sequence of the scalar loop, with no fused multiply-add, so the two give identical bits.
 * A counter range is handled here only when every run is a whole number of vectors (of 8-amplitude blocks for
 * the block kernels); otherwise {@link Kernels} does it with the scalar loops.
 */
final class VectorKernels {

    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final int B = Kernels.BLOCK;
    /** Lane x ↔ lane x ^ h inside one vector, for h = 1, 2, 4 (null where h is not below the lane count). */
    private static final VectorShuffle<Double> SWAP1 = L > 1 ? VectorShuffle.fromOp(S, i -> i ^ 1) : null;
    private static final VectorShuffle<Double> SWAP2 = L > 2 ? VectorShuffle.fromOp(S, i -> i ^ 2) : null;
    private static final VectorShuffle<Double> SWAP4 = L > 4 ? VectorShuffle.fromOp(S, i -> i ^ 4) : null;

    private VectorKernels() {
    }

    static int lanes() {
        return L;
    }

    /**
     * Applies {@code c} to the counter range {@code [kLo, kHi)} when every run is a whole number of vectors
     * (blocks for {@link Kernels#BLOCK_IN}) and the kernel has a SIMD form for this lane count; returns false,
     * doing nothing, otherwise.
     */
    static boolean runRange(double[] re, double[] im, Kernels.Call c, int kLo, int kHi, double[] tr, double[] ti) {
        return KERNELS[c.kind()].runRange(re, im, c, kLo, kHi, tr, ti);
    }

    /**
     * One object per kernel kind, each with its own copy of the run loop, called through a shared call site.
     * That site is megamorphic, so the JIT does not inline every kernel into one large method (where it stops
     * intrinsifying the vector operations and the kernels slow down several-fold); each kernel is compiled on its
     * own, with its run loop. Runs are walked without recomputing indices: the next run's free bits are
     * {@code ((free | fixed | (R − 1)) + 1) & ~fixed}.
     */
    private abstract static class Kernel {
        abstract boolean runRange(double[] re, double[] im, Kernels.Call c, int kLo, int kHi, double[] tr,
                                  double[] ti);
    }

    /** Fixed-bit mask of the positions, or -1 if the range cannot be done in whole units of {@code unit}. */
    private static int fixedMask(Kernels.Call c, int kLo, int kHi, int unit) {
        int[] pos = c.pos();
        int runBits = pos.length == 0 ? 30 : pos[0];
        if ((1L << runBits) < unit || (kLo & (unit - 1)) != 0 || (kHi & (unit - 1)) != 0) {
            return -1;
        }
        int fixed = 0;
        for (int p : pos) {
            fixed |= 1 << p;
        }
        return fixed;
    }

    private static final Kernel[] KERNELS = new Kernel[Kernels.KINDS];

    static {
        KERNELS[Kernels.GENERAL] = new Kernel() {
            @Override
            boolean runRange(double[] re, double[] im, Kernels.Call c, int kLo, int kHi, double[] tr, double[] ti) {
                int fixed = fixedMask(c, kLo, kHi, L);
                if (fixed < 0) {
                    return false;
                }
                int runMask = c.pos().length == 0 ? -1 : (1 << c.pos()[0]) - 1;
                int free = Kernels.insertZeros(kLo, c.pos());
                int k = kLo;
                while (k < kHi) {
                    int len = runMask < 0 ? kHi - k : Math.min(runMask + 1 - (k & runMask), kHi - k);
                    int i = free | c.mask();
                    general(re, im, i, i + len, c.off(), c.ar(), c.ai(), c.br(), c.bi(), c.cr(), c.ci(), c.dr(), c.di());
                    k += len;
                    free = ((free | fixed | runMask) + 1) & ~fixed;
                }
                return true;
            }
        };
        KERNELS[Kernels.DIAGONAL] = new Kernel() {
            @Override
            boolean runRange(double[] re, double[] im, Kernels.Call c, int kLo, int kHi, double[] tr, double[] ti) {
                int fixed = fixedMask(c, kLo, kHi, L);
                if (fixed < 0) {
                    return false;
                }
                int runMask = c.pos().length == 0 ? -1 : (1 << c.pos()[0]) - 1;
                int free = Kernels.insertZeros(kLo, c.pos());
                int k = kLo;
                while (k < kHi) {
                    int len = runMask < 0 ? kHi - k : Math.min(runMask + 1 - (k & runMask), kHi - k);
                    int i = free | c.mask();
                    diagonal(re, im, i, i + len, c.off(), c.ar(), c.ai(), c.dr(), c.di());
                    k += len;
                    free = ((free | fixed | runMask) + 1) & ~fixed;
                }
                return true;
            }
        };
        KERNELS[Kernels.SCALE] = new Kernel() {
            @Override
            boolean runRange(double[] re, double[] im, Kernels.Call c, int kLo, int kHi, double[] tr, double[] ti) {
                int fixed = fixedMask(c, kLo, kHi, L);
                if (fixed < 0) {
                    return false;
                }
                int runMask = c.pos().length == 0 ? -1 : (1 << c.pos()[0]) - 1;
                int free = Kernels.insertZeros(kLo, c.pos());
                int k = kLo;
                while (k < kHi) {
                    int len = runMask < 0 ? kHi - k : Math.min(runMask + 1 - (k & runMask), kHi - k);
                    int i = free | c.mask();
                    scale(re, im, i, i + len, c.ar(), c.ai());
                    k += len;
                    free = ((free | fixed | runMask) + 1) & ~fixed;
                }
                return true;
            }
        };
        KERNELS[Kernels.ANTI] = new Kernel() {
            @Override
            boolean runRange(double[] re, double[] im, Kernels.Call c, int kLo, int kHi, double[] tr, double[] ti) {
                int fixed = fixedMask(c, kLo, kHi, L);
                if (fixed < 0) {
                    return false;
                }
                int runMask = c.pos().length == 0 ? -1 : (1 << c.pos()[0]) - 1;
                int free = Kernels.insertZeros(kLo, c.pos());
                int k = kLo;
                while (k < kHi) {
                    int len = runMask < 0 ? kHi - k : Math.min(runMask + 1 - (k & runMask), kHi - k);
                    int i = free | c.mask();
                    anti(re, im, i, i + len, c.off(), c.br(), c.bi(), c.cr(), c.ci());
                    k += len;
                    free = ((free | fixed | runMask) + 1) & ~fixed;
                }
                return true;
            }
        };
        KERNELS[Kernels.SWAP] = new Kernel() {
            @Override
            boolean runRange(double[] re, double[] im, Kernels.Call c, int kLo, int kHi, double[] tr, double[] ti) {
                int fixed = fixedMask(c, kLo, kHi, L);
                if (fixed < 0) {
                    return false;
                }
                int runMask = c.pos().length == 0 ? -1 : (1 << c.pos()[0]) - 1;
                int free = Kernels.insertZeros(kLo, c.pos());
                int k = kLo;
                while (k < kHi) {
                    int len = runMask < 0 ? kHi - k : Math.min(runMask + 1 - (k & runMask), kHi - k);
                    int i = free | c.mask();
                    swap(re, im, i, i + len, c.off());
                    k += len;
                    free = ((free | fixed | runMask) + 1) & ~fixed;
                }
                return true;
            }
        };
        KERNELS[Kernels.ZERO] = new Kernel() {
            @Override
            boolean runRange(double[] re, double[] im, Kernels.Call c, int kLo, int kHi, double[] tr, double[] ti) {
                int fixed = fixedMask(c, kLo, kHi, L);
                if (fixed < 0) {
                    return false;
                }
                int runMask = c.pos().length == 0 ? -1 : (1 << c.pos()[0]) - 1;
                int free = Kernels.insertZeros(kLo, c.pos());
                int k = kLo;
                while (k < kHi) {
                    int len = runMask < 0 ? kHi - k : Math.min(runMask + 1 - (k & runMask), kHi - k);
                    int i = free | c.mask();
                    zero(re, im, i, i + len);
                    k += len;
                    free = ((free | fixed | runMask) + 1) & ~fixed;
                }
                return true;
            }
        };
        KERNELS[Kernels.DENSE] = new Kernel() {
            @Override
            boolean runRange(double[] re, double[] im, Kernels.Call c, int kLo, int kHi, double[] tr, double[] ti) {
                int fixed = fixedMask(c, kLo, kHi, L);
                if (fixed < 0) {
                    return false;
                }
                int runMask = c.pos().length == 0 ? -1 : (1 << c.pos()[0]) - 1;
                int free = Kernels.insertZeros(kLo, c.pos());
                int k = kLo;
                while (k < kHi) {
                    int len = runMask < 0 ? kHi - k : Math.min(runMask + 1 - (k & runMask), kHi - k);
                    int i = free | c.mask();
                    if (c.offs().length == 4) {
                        dense2(re, im, i, i + len, c.offs(), c.mr(), c.mi());
                    } else {
                        dense(re, im, i, i + len, c.offs(), c.mr(), c.mi(), tr, ti);
                    }
                    k += len;
                    free = ((free | fixed | runMask) + 1) & ~fixed;
                }
                return true;
            }
        };
        KERNELS[Kernels.BLOCK_IN] = new Kernel() {
            @Override
            boolean runRange(double[] re, double[] im, Kernels.Call c, int kLo, int kHi, double[] tr, double[] ti) {
                if (L != 4 && L != 8) {
                    return false;
                }
                int fixed = fixedMask(c, kLo, kHi, B);
                if (fixed < 0) {
                    return false;
                }
                int runMask = c.pos().length == 0 ? -1 : (1 << c.pos()[0]) - 1;
                int free = Kernels.insertZeros(kLo, c.pos());
                int k = kLo;
                while (k < kHi) {
                    int len = runMask < 0 ? kHi - k : Math.min(runMask + 1 - (k & runMask), kHi - k);
                    int i = free | c.mask();
                    if (L == 4) {
                        blockIn4(re, im, i, i + len, c.off(), c.lanes());
                    } else {
                        blockIn8(re, im, i, i + len, c.off(), c.lanes());
                    }
                    k += len;
                    free = ((free | fixed | runMask) + 1) & ~fixed;
                }
                return true;
            }
        };
        KERNELS[Kernels.BLOCK_PAIR] = new Kernel() {
            @Override
            boolean runRange(double[] re, double[] im, Kernels.Call c, int kLo, int kHi, double[] tr, double[] ti) {
                if (L > B) {
                    return false;
                }
                int fixed = fixedMask(c, kLo, kHi, L);
                if (fixed < 0) {
                    return false;
                }
                int runMask = c.pos().length == 0 ? -1 : (1 << c.pos()[0]) - 1;
                int free = Kernels.insertZeros(kLo, c.pos());
                int k = kLo;
                while (k < kHi) {
                    int len = runMask < 0 ? kHi - k : Math.min(runMask + 1 - (k & runMask), kHi - k);
                    int i = free | c.mask();
                    blockPair(re, im, i, i + len, c.off(), c.lanes());
                    k += len;
                    free = ((free | fixed | runMask) + 1) & ~fixed;
                }
                return true;
            }
        };
        KERNELS[Kernels.BLOCK_SCALE] = new Kernel() {
            @Override
            boolean runRange(double[] re, double[] im, Kernels.Call c, int kLo, int kHi, double[] tr, double[] ti) {
                if (L > B) {
                    return false;
                }
                int fixed = fixedMask(c, kLo, kHi, L);
                if (fixed < 0) {
                    return false;
                }
                int runMask = c.pos().length == 0 ? -1 : (1 << c.pos()[0]) - 1;
                int free = Kernels.insertZeros(kLo, c.pos());
                int k = kLo;
                while (k < kHi) {
                    int len = runMask < 0 ? kHi - k : Math.min(runMask + 1 - (k & runMask), kHi - k);
                    int i = free | c.mask();
                    blockScale(re, im, i, i + len, c.lanes());
                    k += len;
                    free = ((free | fixed | runMask) + 1) & ~fixed;
                }
                return true;
            }
        };
        KERNELS[Kernels.REAL] = new Kernel() {
            @Override
            boolean runRange(double[] re, double[] im, Kernels.Call c, int kLo, int kHi, double[] tr, double[] ti) {
                int fixed = fixedMask(c, kLo, kHi, L);
                if (fixed < 0) {
                    return false;
                }
                int runMask = c.pos().length == 0 ? -1 : (1 << c.pos()[0]) - 1;
                int free = Kernels.insertZeros(kLo, c.pos());
                int k = kLo;
                while (k < kHi) {
                    int len = runMask < 0 ? kHi - k : Math.min(runMask + 1 - (k & runMask), kHi - k);
                    int i = free | c.mask();
                    real(re, im, i, i + len, c.off(), c.ar(), c.br(), c.cr(), c.dr());
                    k += len;
                    free = ((free | fixed | runMask) + 1) & ~fixed;
                }
                return true;
            }
        };
        KERNELS[Kernels.RX_LIKE] = new Kernel() {
            @Override
            boolean runRange(double[] re, double[] im, Kernels.Call c, int kLo, int kHi, double[] tr, double[] ti) {
                int fixed = fixedMask(c, kLo, kHi, L);
                if (fixed < 0) {
                    return false;
                }
                int runMask = c.pos().length == 0 ? -1 : (1 << c.pos()[0]) - 1;
                int free = Kernels.insertZeros(kLo, c.pos());
                int k = kLo;
                while (k < kHi) {
                    int len = runMask < 0 ? kHi - k : Math.min(runMask + 1 - (k & runMask), kHi - k);
                    int i = free | c.mask();
                    rxLike(re, im, i, i + len, c.off(), c.ar(), c.bi(), c.ci(), c.dr());
                    k += len;
                    free = ((free | fixed | runMask) + 1) & ~fixed;
                }
                return true;
            }
        };
    }

    /** {@link Kernels#blockIn} for 4 lanes: a block is two vectors; h = 4 pairs them, h = 1, 2 shuffle within. */
    private static void blockIn4(double[] re, double[] im, int from, int to, int h, double[] lanes) {
        DoubleVector ar0 = DoubleVector.fromArray(S, lanes, 0);
        DoubleVector ar1 = DoubleVector.fromArray(S, lanes, 4);
        DoubleVector ai0 = DoubleVector.fromArray(S, lanes, B);
        DoubleVector ai1 = DoubleVector.fromArray(S, lanes, B + 4);
        DoubleVector br0 = DoubleVector.fromArray(S, lanes, 2 * B);
        DoubleVector br1 = DoubleVector.fromArray(S, lanes, 2 * B + 4);
        DoubleVector bi0 = DoubleVector.fromArray(S, lanes, 3 * B);
        DoubleVector bi1 = DoubleVector.fromArray(S, lanes, 3 * B + 4);
        VectorShuffle<Double> sh = h == 1 ? SWAP1 : SWAP2;
        for (int b = from; b < to; b += B) {
            DoubleVector sr0 = DoubleVector.fromArray(S, re, b);
            DoubleVector si0 = DoubleVector.fromArray(S, im, b);
            DoubleVector sr1 = DoubleVector.fromArray(S, re, b + 4);
            DoubleVector si1 = DoubleVector.fromArray(S, im, b + 4);
            DoubleVector pr0;
            DoubleVector pi0;
            DoubleVector pr1;
            DoubleVector pi1;
            if (h == 4) {
                pr0 = sr1;
                pi0 = si1;
                pr1 = sr0;
                pi1 = si0;
            } else {
                pr0 = sr0.rearrange(sh);
                pi0 = si0.rearrange(sh);
                pr1 = sr1.rearrange(sh);
                pi1 = si1.rearrange(sh);
            }
            sr0.mul(ar0).sub(si0.mul(ai0)).add(pr0.mul(br0)).sub(pi0.mul(bi0)).intoArray(re, b);
            si0.mul(ar0).add(sr0.mul(ai0)).add(pi0.mul(br0)).add(pr0.mul(bi0)).intoArray(im, b);
            sr1.mul(ar1).sub(si1.mul(ai1)).add(pr1.mul(br1)).sub(pi1.mul(bi1)).intoArray(re, b + 4);
            si1.mul(ar1).add(sr1.mul(ai1)).add(pi1.mul(br1)).add(pr1.mul(bi1)).intoArray(im, b + 4);
        }
    }

    /** {@link Kernels#blockIn} for 8 lanes: a block is one vector, the partner a shuffle of it. */
    private static void blockIn8(double[] re, double[] im, int from, int to, int h, double[] lanes) {
        DoubleVector ar = DoubleVector.fromArray(S, lanes, 0);
        DoubleVector ai = DoubleVector.fromArray(S, lanes, B);
        DoubleVector br = DoubleVector.fromArray(S, lanes, 2 * B);
        DoubleVector bi = DoubleVector.fromArray(S, lanes, 3 * B);
        VectorShuffle<Double> sh = h == 1 ? SWAP1 : h == 2 ? SWAP2 : SWAP4;
        for (int b = from; b < to; b += B) {
            DoubleVector sr = DoubleVector.fromArray(S, re, b);
            DoubleVector si = DoubleVector.fromArray(S, im, b);
            DoubleVector pr = sr.rearrange(sh);
            DoubleVector pi = si.rearrange(sh);
            sr.mul(ar).sub(si.mul(ai)).add(pr.mul(br)).sub(pi.mul(bi)).intoArray(re, b);
            si.mul(ar).add(sr.mul(ai)).add(pi.mul(br)).add(pr.mul(bi)).intoArray(im, b);
        }
    }

    private static void blockPair(double[] re, double[] im, int from, int to, int h, double[] lanes) {
        for (int j = from; j < to; j += L) {
            int x = j & (B - 1);
            int k = j + h;
            DoubleVector ar = DoubleVector.fromArray(S, lanes, x);
            DoubleVector ai = DoubleVector.fromArray(S, lanes, B + x);
            DoubleVector br = DoubleVector.fromArray(S, lanes, 2 * B + x);
            DoubleVector bi = DoubleVector.fromArray(S, lanes, 3 * B + x);
            DoubleVector cr = DoubleVector.fromArray(S, lanes, 4 * B + x);
            DoubleVector ci = DoubleVector.fromArray(S, lanes, 5 * B + x);
            DoubleVector dr = DoubleVector.fromArray(S, lanes, 6 * B + x);
            DoubleVector di = DoubleVector.fromArray(S, lanes, 7 * B + x);
            DoubleVector r0 = DoubleVector.fromArray(S, re, j);
            DoubleVector i0 = DoubleVector.fromArray(S, im, j);
            DoubleVector r1 = DoubleVector.fromArray(S, re, k);
            DoubleVector i1 = DoubleVector.fromArray(S, im, k);
            r0.mul(ar).sub(i0.mul(ai)).add(r1.mul(br)).sub(i1.mul(bi)).intoArray(re, j);
            i0.mul(ar).add(r0.mul(ai)).add(i1.mul(br)).add(r1.mul(bi)).intoArray(im, j);
            r1.mul(dr).sub(i1.mul(di)).add(r0.mul(cr)).sub(i0.mul(ci)).intoArray(re, k);
            i1.mul(dr).add(r1.mul(di)).add(i0.mul(cr)).add(r0.mul(ci)).intoArray(im, k);
        }
    }

    private static void blockScale(double[] re, double[] im, int from, int to, double[] lanes) {
        for (int j = from; j < to; j += L) {
            int x = j & (B - 1);
            DoubleVector dr = DoubleVector.fromArray(S, lanes, x);
            DoubleVector di = DoubleVector.fromArray(S, lanes, B + x);
            DoubleVector r = DoubleVector.fromArray(S, re, j);
            DoubleVector i = DoubleVector.fromArray(S, im, j);
            r.mul(dr).sub(i.mul(di)).intoArray(re, j);
            i.mul(dr).add(r.mul(di)).intoArray(im, j);
        }
    }

    private static void general(double[] re, double[] im, int from, int to, int h,
                                double ar, double ai, double br, double bi,
                                double cr, double ci, double dr, double di) {
        for (int j = from; j < to; j += L) {
            int k = j + h;
            DoubleVector r0 = DoubleVector.fromArray(S, re, j);
            DoubleVector i0 = DoubleVector.fromArray(S, im, j);
            DoubleVector r1 = DoubleVector.fromArray(S, re, k);
            DoubleVector i1 = DoubleVector.fromArray(S, im, k);
            r0.mul(ar).sub(i0.mul(ai)).add(r1.mul(br)).sub(i1.mul(bi)).intoArray(re, j);
            i0.mul(ar).add(r0.mul(ai)).add(i1.mul(br)).add(r1.mul(bi)).intoArray(im, j);
            r1.mul(dr).sub(i1.mul(di)).add(r0.mul(cr)).sub(i0.mul(ci)).intoArray(re, k);
            i1.mul(dr).add(r1.mul(di)).add(i0.mul(cr)).add(r0.mul(ci)).intoArray(im, k);
        }
    }

    private static void real(double[] re, double[] im, int from, int to, int h,
                             double a, double b, double c, double d) {
        for (int j = from; j < to; j += L) {
            int k = j + h;
            DoubleVector r0 = DoubleVector.fromArray(S, re, j);
            DoubleVector i0 = DoubleVector.fromArray(S, im, j);
            DoubleVector r1 = DoubleVector.fromArray(S, re, k);
            DoubleVector i1 = DoubleVector.fromArray(S, im, k);
            r0.mul(a).add(r1.mul(b)).intoArray(re, j);
            i0.mul(a).add(i1.mul(b)).intoArray(im, j);
            r1.mul(d).add(r0.mul(c)).intoArray(re, k);
            i1.mul(d).add(i0.mul(c)).intoArray(im, k);
        }
    }

    private static void rxLike(double[] re, double[] im, int from, int to, int h,
                               double a, double bi, double ci, double d) {
        for (int j = from; j < to; j += L) {
            int k = j + h;
            DoubleVector r0 = DoubleVector.fromArray(S, re, j);
            DoubleVector i0 = DoubleVector.fromArray(S, im, j);
            DoubleVector r1 = DoubleVector.fromArray(S, re, k);
            DoubleVector i1 = DoubleVector.fromArray(S, im, k);
            r0.mul(a).sub(i1.mul(bi)).intoArray(re, j);
            i0.mul(a).add(r1.mul(bi)).intoArray(im, j);
            r1.mul(d).sub(i0.mul(ci)).intoArray(re, k);
            i1.mul(d).add(r0.mul(ci)).intoArray(im, k);
        }
    }

    private static void diagonal(double[] re, double[] im, int from, int to, int h,
                                 double ar, double ai, double dr, double di) {
        for (int j = from; j < to; j += L) {
            int k = j + h;
            DoubleVector r0 = DoubleVector.fromArray(S, re, j);
            DoubleVector i0 = DoubleVector.fromArray(S, im, j);
            DoubleVector r1 = DoubleVector.fromArray(S, re, k);
            DoubleVector i1 = DoubleVector.fromArray(S, im, k);
            r0.mul(ar).sub(i0.mul(ai)).intoArray(re, j);
            i0.mul(ar).add(r0.mul(ai)).intoArray(im, j);
            r1.mul(dr).sub(i1.mul(di)).intoArray(re, k);
            i1.mul(dr).add(r1.mul(di)).intoArray(im, k);
        }
    }

    private static void scale(double[] re, double[] im, int from, int to, double ar, double ai) {
        for (int j = from; j < to; j += L) {
            DoubleVector r = DoubleVector.fromArray(S, re, j);
            DoubleVector i = DoubleVector.fromArray(S, im, j);
            r.mul(ar).sub(i.mul(ai)).intoArray(re, j);
            i.mul(ar).add(r.mul(ai)).intoArray(im, j);
        }
    }

    private static void anti(double[] re, double[] im, int from, int to, int h,
                             double br, double bi, double cr, double ci) {
        for (int j = from; j < to; j += L) {
            int k = j + h;
            DoubleVector r0 = DoubleVector.fromArray(S, re, j);
            DoubleVector i0 = DoubleVector.fromArray(S, im, j);
            DoubleVector r1 = DoubleVector.fromArray(S, re, k);
            DoubleVector i1 = DoubleVector.fromArray(S, im, k);
            r1.mul(br).sub(i1.mul(bi)).intoArray(re, j);
            i1.mul(br).add(r1.mul(bi)).intoArray(im, j);
            r0.mul(cr).sub(i0.mul(ci)).intoArray(re, k);
            i0.mul(cr).add(r0.mul(ci)).intoArray(im, k);
        }
    }

    private static void swap(double[] re, double[] im, int from, int to, int h) {
        for (int j = from; j < to; j += L) {
            int k = j + h;
            DoubleVector r0 = DoubleVector.fromArray(S, re, j);
            DoubleVector i0 = DoubleVector.fromArray(S, im, j);
            DoubleVector r1 = DoubleVector.fromArray(S, re, k);
            DoubleVector i1 = DoubleVector.fromArray(S, im, k);
            r1.intoArray(re, j);
            i1.intoArray(im, j);
            r0.intoArray(re, k);
            i0.intoArray(im, k);
        }
    }

    private static void zero(double[] re, double[] im, int from, int to) {
        DoubleVector z = DoubleVector.zero(S);
        for (int j = from; j < to; j += L) {
            z.intoArray(re, j);
            z.intoArray(im, j);
        }
    }

    /** {@link Kernels#dense} for k = 2, unrolled: the four inputs stay in registers. */
    private static void dense2(double[] re, double[] im, int from, int to, int[] offs, double[] mr, double[] mi) {
        int o1 = offs[1];
        int o2 = offs[2];
        int o3 = offs[3];
        for (int j = from; j < to; j += L) {
            DoubleVector xr0 = DoubleVector.fromArray(S, re, j);
            DoubleVector xi0 = DoubleVector.fromArray(S, im, j);
            DoubleVector xr1 = DoubleVector.fromArray(S, re, j + o1);
            DoubleVector xi1 = DoubleVector.fromArray(S, im, j + o1);
            DoubleVector xr2 = DoubleVector.fromArray(S, re, j + o2);
            DoubleVector xi2 = DoubleVector.fromArray(S, im, j + o2);
            DoubleVector xr3 = DoubleVector.fromArray(S, re, j + o3);
            DoubleVector xi3 = DoubleVector.fromArray(S, im, j + o3);
            xr0.mul(mr[0]).sub(xi0.mul(mi[0]))
                    .add(xr1.mul(mr[1])).sub(xi1.mul(mi[1]))
                    .add(xr2.mul(mr[2])).sub(xi2.mul(mi[2]))
                    .add(xr3.mul(mr[3])).sub(xi3.mul(mi[3]))
                    .intoArray(re, j);
            xi0.mul(mr[0]).add(xr0.mul(mi[0]))
                    .add(xi1.mul(mr[1])).add(xr1.mul(mi[1]))
                    .add(xi2.mul(mr[2])).add(xr2.mul(mi[2]))
                    .add(xi3.mul(mr[3])).add(xr3.mul(mi[3]))
                    .intoArray(im, j);
            xr0.mul(mr[4]).sub(xi0.mul(mi[4]))
                    .add(xr1.mul(mr[5])).sub(xi1.mul(mi[5]))
                    .add(xr2.mul(mr[6])).sub(xi2.mul(mi[6]))
                    .add(xr3.mul(mr[7])).sub(xi3.mul(mi[7]))
                    .intoArray(re, j + o1);
            xi0.mul(mr[4]).add(xr0.mul(mi[4]))
                    .add(xi1.mul(mr[5])).add(xr1.mul(mi[5]))
                    .add(xi2.mul(mr[6])).add(xr2.mul(mi[6]))
                    .add(xi3.mul(mr[7])).add(xr3.mul(mi[7]))
                    .intoArray(im, j + o1);
            xr0.mul(mr[8]).sub(xi0.mul(mi[8]))
                    .add(xr1.mul(mr[9])).sub(xi1.mul(mi[9]))
                    .add(xr2.mul(mr[10])).sub(xi2.mul(mi[10]))
                    .add(xr3.mul(mr[11])).sub(xi3.mul(mi[11]))
                    .intoArray(re, j + o2);
            xi0.mul(mr[8]).add(xr0.mul(mi[8]))
                    .add(xi1.mul(mr[9])).add(xr1.mul(mi[9]))
                    .add(xi2.mul(mr[10])).add(xr2.mul(mi[10]))
                    .add(xi3.mul(mr[11])).add(xr3.mul(mi[11]))
                    .intoArray(im, j + o2);
            xr0.mul(mr[12]).sub(xi0.mul(mi[12]))
                    .add(xr1.mul(mr[13])).sub(xi1.mul(mi[13]))
                    .add(xr2.mul(mr[14])).sub(xi2.mul(mi[14]))
                    .add(xr3.mul(mr[15])).sub(xi3.mul(mi[15]))
                    .intoArray(re, j + o3);
            xi0.mul(mr[12]).add(xr0.mul(mi[12]))
                    .add(xi1.mul(mr[13])).add(xr1.mul(mi[13]))
                    .add(xi2.mul(mr[14])).add(xr2.mul(mi[14]))
                    .add(xi3.mul(mr[15])).add(xr3.mul(mi[15]))
                    .intoArray(im, j + o3);
        }
    }

    private static void dense(double[] re, double[] im, int from, int to, int[] offs, double[] mr, double[] mi,
                              double[] xr, double[] xi) {
        int dim = offs.length;
        for (int j = from; j < to; j += L) {
            for (int l = 0; l < dim; l++) {
                DoubleVector.fromArray(S, re, j + offs[l]).intoArray(xr, l * L);
                DoubleVector.fromArray(S, im, j + offs[l]).intoArray(xi, l * L);
            }
            for (int o = 0; o < dim; o++) {
                int row = o * dim;
                DoubleVector x0r = DoubleVector.fromArray(S, xr, 0);
                DoubleVector x0i = DoubleVector.fromArray(S, xi, 0);
                double m0r = mr[row];
                double m0i = mi[row];
                DoubleVector accR = x0r.mul(m0r).sub(x0i.mul(m0i));
                DoubleVector accI = x0i.mul(m0r).add(x0r.mul(m0i));
                for (int l = 1; l < dim; l++) {
                    DoubleVector xlr = DoubleVector.fromArray(S, xr, l * L);
                    DoubleVector xli = DoubleVector.fromArray(S, xi, l * L);
                    double mrl = mr[row + l];
                    double mil = mi[row + l];
                    accR = accR.add(xlr.mul(mrl)).sub(xli.mul(mil));
                    accI = accI.add(xli.mul(mrl)).add(xlr.mul(mil));
                }
                accR.intoArray(re, j + offs[o]);
                accI.intoArray(im, j + offs[o]);
            }
        }
    }
}
