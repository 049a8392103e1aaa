package org.xdv.cdcr.q.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.xdv.cdcr.q.circuit.Circuit;
import org.xdv.cdcr.q.circuit.Mat2;
import org.xdv.cdcr.q.circuit.Op;

/** Every kernel against {@link NaiveReference} on random states, and the kernels' bit-for-bit invariances. */
class KernelTest {

    private static final double EPS = 1e-12;

    private static StateVector randomState(int n, Random rnd, int threads, boolean vector) {
        int dim = 1 << n;
        double[] re = new double[dim];
        double[] im = new double[dim];
        double norm = 0;
        for (int i = 0; i < dim; i++) {
            re[i] = rnd.nextGaussian();
            im[i] = rnd.nextGaussian();
            norm += re[i] * re[i] + im[i] * im[i];
        }
        double s = 1 / Math.sqrt(norm);
        for (int i = 0; i < dim; i++) {
            re[i] *= s;
            im[i] *= s;
        }
        return new StateVector(n, re, im, threads, vector);
    }

    private static void assertSame(StateVector sv, NaiveReference ref, String what) {
        for (int i = 0; i < ref.dim; i++) {
            assertThat(sv.re(i)).as("%s re[%d]", what, i).isCloseTo(ref.re[i], within(EPS));
            assertThat(sv.im(i)).as("%s im[%d]", what, i).isCloseTo(ref.im[i], within(EPS));
        }
    }

    private static int[] pick(Random rnd, int n, int k) {
        int[] all = new int[n];
        Arrays.setAll(all, i -> i);
        for (int i = 0; i < k; i++) {
            int j = i + rnd.nextInt(n - i);
            int t = all[i];
            all[i] = all[j];
            all[j] = t;
        }
        return Arrays.copyOf(all, k);
    }

    /**
     * Matrices that reach each kernel: general, both-phase diagonal, phase on |1⟩, phase on |0⟩, equal phases, X,
     * real (H, RY), real diagonal with imaginary off-diagonal (RX), anti-diagonal, identity.
     */
    private static Mat2[] shapes(Random rnd) {
        double a = rnd.nextDouble() * 6;
        double b = rnd.nextDouble() * 6;
        double c = rnd.nextDouble() * 6;
        return new Mat2[] {
            Mat2.u(a, b, c), Mat2.diag(a, b), Mat2.phase(c), Mat2.diag(b, 0), Mat2.diag(a, a), Mat2.X,
            CircuitBuilder.H, CircuitBuilder.ry(a), CircuitBuilder.rx(b),
            new Mat2(0, 0, Math.cos(a), Math.sin(a), Math.cos(b), Math.sin(b), 0, 0), Mat2.IDENTITY,
        };
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3})
    void controlledGatesOfEveryShapeMatchTheReference(int controls) {
        Random rnd = new Random(100 + controls);
        int n = 6;
        for (int trial = 0; trial < 12; trial++) {
            for (Mat2 m : shapes(rnd)) {
                int[] q = pick(rnd, n, controls + 1);
                int target = q[0];
                int[] ctrl = Arrays.copyOfRange(q, 1, q.length);
                StateVector sv = randomState(n, rnd, 1, true);
                NaiveReference ref = new NaiveReference(sv.re, sv.im);
                sv.applyUnitary(ctrl, target, m);
                ref.gate(ctrl, target, m);
                assertSame(sv, ref, "gate " + m + " on " + target + " ctrl " + Arrays.toString(ctrl));
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3})
    void explicitKernelsMatchTheReference(int controls) {
        Random rnd = new Random(200 + controls);
        int n = 6;
        for (int trial = 0; trial < 20; trial++) {
            int[] q = pick(rnd, n, controls + 1);
            int target = q[0];
            int[] ctrl = Arrays.copyOfRange(q, 1, q.length);
            Mat2 general = Mat2.u(rnd.nextDouble() * 6, rnd.nextDouble() * 6, rnd.nextDouble() * 6);
            Mat2 diag = Mat2.diag(rnd.nextDouble() * 6, rnd.nextDouble() * 6);
            Mat2 anti = new Mat2(0, 0, Math.cos(1.1 * trial), Math.sin(1.1 * trial), 0, -1, 0, 0);

            StateVector sv = randomState(n, rnd, 1, true);
            NaiveReference ref = new NaiveReference(sv.re, sv.im);
            sv.applyGeneral(ctrl, target, general);
            ref.gate(ctrl, target, general);
            assertSame(sv, ref, "general");
            sv.applyGeneral(ctrl, target, diag);
            ref.gate(ctrl, target, diag);
            assertSame(sv, ref, "general on a diagonal matrix");
            sv.applyDiagonal(ctrl, target, diag);
            ref.gate(ctrl, target, diag);
            assertSame(sv, ref, "diagonal");
            sv.applyAntiDiagonal(ctrl, target, anti);
            ref.gate(ctrl, target, anti);
            assertSame(sv, ref, "anti-diagonal");
            sv.applyAntiDiagonal(ctrl, target, Mat2.X);
            ref.gate(ctrl, target, Mat2.X);
            assertSame(sv, ref, "X");
        }
    }

    @Test
    void swapOfEveryPairMatchesTheReference() {
        Random rnd = new Random(3);
        int n = 5;
        for (int a = 0; a < n; a++) {
            for (int b = 0; b < n; b++) {
                if (a == b) {
                    continue;
                }
                StateVector sv = randomState(n, rnd, 1, true);
                NaiveReference ref = new NaiveReference(sv.re, sv.im);
                sv.applySwap(a, b);
                ref.swap(a, b);
                assertSame(sv, ref, "swap " + a + "," + b);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4})
    void denseMatricesMatchTheReference(int k) {
        Random rnd = new Random(40 + k);
        int n = 6;
        int dim = 1 << k;
        for (int trial = 0; trial < 6; trial++) {
            double[] mr = new double[dim * dim];
            double[] mi = new double[dim * dim];
            for (int i = 0; i < mr.length; i++) {
                mr[i] = rnd.nextGaussian();
                mi[i] = rnd.nextGaussian();
            }
            int[] q = pick(rnd, n, k);
            StateVector sv = randomState(n, rnd, 1, true);
            NaiveReference ref = new NaiveReference(sv.re, sv.im);
            sv.applyDense(q, mr, mi);
            ref.dense(q, mr, mi);
            assertSame(sv, ref, "dense on " + Arrays.toString(q));
        }
    }

    @Test
    void simdAndScalarKernelsGiveIdenticalBits() {
        assumeTrue(Kernels.VECTOR_AVAILABLE, "run with --add-modules jdk.incubator.vector (the surefire setup does)");
        Circuit c = CircuitBuilder.random(12, 300, 8, false);
        Random rnd = new Random(9);
        StateVector simd = randomState(12, new Random(1), 1, true);
        StateVector scalar = new StateVector(12, simd.re.clone(), simd.im.clone(), 1, false);
        for (Op op : c.ops()) {
            Kernels.Call call = Plan.toKernelOp(op).compile(12);
            simd.exec(call);
            scalar.exec(call);
        }
        int[] q = pick(rnd, 12, 3);
        double[] mr = new double[64];
        double[] mi = new double[64];
        for (int i = 0; i < 64; i++) {
            mr[i] = rnd.nextGaussian();
            mi[i] = rnd.nextGaussian();
        }
        simd.applyDense(q, mr, mi);
        scalar.applyDense(q, mr, mi);
        assertThat(simd.re).isEqualTo(scalar.re);
        assertThat(simd.im).isEqualTo(scalar.im);
    }

    @Test
    void threadCountNeverChangesABit() {
        Circuit c = CircuitBuilder.random(17, 120, 21, true);
        StateVector one = randomState(17, new Random(5), 1, true);
        StateVector three = new StateVector(17, one.re.clone(), one.im.clone(), 3, true);
        Plan unfused = Plan.unfused(17, c.ops());
        unfused.applyTo(one);
        unfused.applyTo(three);
        Plan fused = Fusion.plan(17, c.ops(), new Fusion.Config(2, 12, 2));
        fused.applyTo(one);
        fused.applyTo(three);
        assertThat(one.re).isEqualTo(three.re);
        assertThat(one.im).isEqualTo(three.im);
        assertThat(one.probabilityOfOne(16)).isEqualTo(three.probabilityOfOne(16));
        assertThat(one.norm()).isEqualTo(three.norm());
    }

    @Test
    void measurementCollapsesAndRenormalises() {
        Random rnd = new Random(6);
        StateVector sv = randomState(5, rnd, 1, true);
        double[] before = sv.probabilities();
        double p1 = 0;
        for (int i = 0; i < 32; i++) {
            if ((i & 0b100) != 0) {
                p1 += before[i];
            }
        }
        assertThat(sv.probabilityOfOne(2)).isCloseTo(p1, within(EPS));
        // a draw just below p1 reads 1, one just above reads 0
        StateVector one = sv.copy();
        assertThat(one.measure(2, p1 * 0.999)).isEqualTo(1);
        StateVector zero = sv.copy();
        assertThat(zero.measure(2, p1 * 1.001)).isEqualTo(0);
        for (int i = 0; i < 32; i++) {
            double expectOne = (i & 0b100) != 0 ? before[i] / p1 : 0;
            double expectZero = (i & 0b100) == 0 ? before[i] / (1 - p1) : 0;
            assertThat(one.probability(i)).isCloseTo(expectOne, within(EPS));
            assertThat(zero.probability(i)).isCloseTo(expectZero, within(EPS));
        }
        assertThat(one.norm()).isCloseTo(1, within(EPS));
        // reset after reading 1 leaves qubit 2 in |0⟩ with the other amplitudes kept
        StateVector reset = sv.copy();
        assertThat(reset.reset(2, p1 * 0.5)).isEqualTo(1);
        assertThat(reset.probabilityOfOne(2)).isZero();
        for (int i = 0; i < 32; i++) {
            double expect = (i & 0b100) == 0 ? before[i | 0b100] / p1 : 0;
            assertThat(reset.probability(i)).isCloseTo(expect, within(EPS));
        }
    }

    @Test
    void badArgumentsAreRejectedWithTheirReason() {
        StateVector sv = StateVector.zero(3);
        assertThatThrownBy(() -> sv.applyUnitary(new int[] {1}, 1, Mat2.X)).hasMessageContaining("twice");
        assertThatThrownBy(() -> sv.applyUnitary(new int[0], 3, Mat2.X)).hasMessageContaining("qubit 3 outside 0..2");
        assertThatThrownBy(() -> sv.applySwap(2, 2)).hasMessageContaining("itself");
        assertThatThrownBy(() -> sv.applyDense(new int[] {0, 1}, new double[4], new double[4]))
                .hasMessageContaining("16 entries");
        assertThatThrownBy(() -> StateVector.zero(31)).hasMessageContaining("0..30");
        assertThatThrownBy(() -> sv.collapse(0, 1)).hasMessageContaining("probability 0");
    }
}
