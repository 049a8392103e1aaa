package org.xdv.cdcr.q.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.xdv.cdcr.q.circuit.Circuit;
import org.xdv.cdcr.q.circuit.Mat2;
import org.xdv.cdcr.q.circuit.Op;

/** Builds IR circuits directly (one quantum and one classical register), for tests and the benchmark. */
public final class CircuitBuilder {

    public static final Mat2 H = Mat2.u(Math.PI / 2, 0, Math.PI);
    public static final Mat2 Y = Mat2.u(Math.PI, Math.PI / 2, Math.PI / 2);
    public static final Mat2 Z = Mat2.phase(Math.PI);
    public static final Mat2 S = Mat2.phase(Math.PI / 2);
    public static final Mat2 T = Mat2.phase(Math.PI / 4);

    private final int qubits;
    private final int clbits;
    private final List<Op> ops = new ArrayList<>();

    public CircuitBuilder(int qubits, int clbits) {
        this.qubits = qubits;
        this.clbits = clbits;
    }

    /** {@code [[cos θ/2, −i sin θ/2], [−i sin θ/2, cos θ/2]]}, exactly (no rounding residue in the zero parts). */
    public static Mat2 rx(double theta) {
        double c = Math.cos(theta / 2);
        double s = Math.sin(theta / 2);
        return new Mat2(c, 0, 0, -s, 0, -s, c, 0);
    }

    public static Mat2 ry(double theta) {
        return Mat2.u(theta, 0, 0);
    }

    public static Mat2 rz(double theta) {
        return Mat2.diag(-theta / 2, theta / 2);
    }

    public CircuitBuilder gate(String name, Mat2 m, int target, int... controls) {
        ops.add(new Op.Unitary(name, controls, target, m));
        return this;
    }

    public CircuitBuilder h(int q) {
        return gate("h", H, q);
    }

    public CircuitBuilder x(int q) {
        return gate("x", Mat2.X, q);
    }

    public CircuitBuilder z(int q) {
        return gate("z", Z, q);
    }

    public CircuitBuilder u(int q, double theta, double phi, double lambda) {
        return gate("u3", Mat2.u(theta, phi, lambda), q);
    }

    public CircuitBuilder cx(int control, int target) {
        return gate("cx", Mat2.X, target, control);
    }

    public CircuitBuilder cp(int control, int target, double lambda) {
        return gate("cu1", Mat2.phase(lambda), target, control);
    }

    public CircuitBuilder swap(int a, int b) {
        ops.add(new Op.Swap(a, b));
        return this;
    }

    public CircuitBuilder measure(int q, int c) {
        ops.add(new Op.Measure(q, c));
        return this;
    }

    public CircuitBuilder measureAll() {
        for (int q = 0; q < Math.min(qubits, clbits); q++) {
            measure(q, q);
        }
        return this;
    }

    public CircuitBuilder reset(int q) {
        ops.add(new Op.Reset(q));
        return this;
    }

    public CircuitBuilder barrier(int... q) {
        ops.add(new Op.Barrier(q));
        return this;
    }

    /** {@code if (c[first .. first+width-1] == value) body;} */
    public CircuitBuilder when(int first, int width, long value, Op body) {
        ops.add(new Op.Conditional(first, width, value, body));
        return this;
    }

    public CircuitBuilder op(Op op) {
        ops.add(op);
        return this;
    }

    public Circuit build() {
        List<Circuit.Register> qregs = qubits == 0 ? List.of() : List.of(new Circuit.Register("q", 0, qubits));
        List<Circuit.Register> cregs = clbits == 0 ? List.of() : List.of(new Circuit.Register("c", 0, clbits));
        return new Circuit(qregs, cregs, ops);
    }

    /** GHZ on n qubits, measured into n clbits. */
    public static Circuit ghz(int n) {
        CircuitBuilder b = new CircuitBuilder(n, n).h(0);
        for (int i = 1; i < n; i++) {
            b.cx(i - 1, i);
        }
        return b.measureAll().build();
    }

    /**
     * The benchmark's layered random circuit: {@code depth} layers, each a random gate from {H, RX(θ), RZ(θ)} on
     * every qubit followed by CX on neighbouring pairs (i, i+1) for i ≡ layer (mod 2) — a brickwork pattern.
     */
    public static Circuit layered(int n, int depth, long seed) {
        Random rnd = new Random(seed);
        CircuitBuilder b = new CircuitBuilder(n, 0);
        for (int layer = 0; layer < depth; layer++) {
            for (int q = 0; q < n; q++) {
                switch (rnd.nextInt(3)) {
                    case 0 -> b.h(q);
                    case 1 -> b.gate("rx", rx(rnd.nextDouble() * 2 * Math.PI), q);
                    default -> b.gate("rz", rz(rnd.nextDouble() * 2 * Math.PI), q);
                }
            }
            for (int q = layer % 2; q + 1 < n; q += 2) {
                b.cx(q, q + 1);
            }
        }
        return b.build();
    }

    /** The textbook QFT: H and controlled phases from the top qubit down, then the reversing swaps. */
    public static Circuit qft(int n) {
        CircuitBuilder b = new CircuitBuilder(n, 0);
        for (int j = n - 1; j >= 0; j--) {
            b.h(j);
            for (int k = j - 1; k >= 0; k--) {
                b.cp(k, j, Math.PI / (1L << (j - k)));
            }
        }
        for (int i = 0; i < n / 2; i++) {
            b.swap(i, n - 1 - i);
        }
        return b.build();
    }

    /**
     * A random circuit of {@code gates} operations mixing every kernel kind: general, diagonal, phase, X-like
     * and anti-diagonal 1-qubit gates with 0..3 controls, swaps, and (if {@code barriers}) barriers.
     */
    public static Circuit random(int n, int gates, long seed, boolean barriers) {
        Random rnd = new Random(seed);
        CircuitBuilder b = new CircuitBuilder(n, 0);
        for (int g = 0; g < gates; g++) {
            int kind = rnd.nextInt(barriers ? 11 : 10);
            if (kind == 10) {
                int[] q = distinct(rnd, n, 1 + rnd.nextInt(Math.min(3, n)));
                b.barrier(q);
                continue;
            }
            if (kind == 9 && n >= 2) {
                int[] q = distinct(rnd, n, 2);
                b.swap(q[0], q[1]);
                continue;
            }
            int controls = n == 1 ? 0 : rnd.nextInt(Math.min(4, n));
            controls = rnd.nextInt(3) == 0 ? controls : Math.min(controls, 1);
            int[] q = distinct(rnd, n, controls + 1);
            int[] c = java.util.Arrays.copyOfRange(q, 1, q.length);
            int shape = rnd.nextInt(11);
            b.gate("g" + shape, randomMatrix(rnd, shape), q[0], c);
        }
        return b.build();
    }

    /**
     * A random matrix of a shape chosen by {@code kind % 11}: general, H, diagonal, phase, X, anti-diagonal,
     * phase on |0⟩, general with a global phase, RX, RY.
     */
    public static Mat2 randomMatrix(Random rnd, int kind) {
        double a = rnd.nextDouble() * 2 * Math.PI;
        double p = rnd.nextDouble() * 2 * Math.PI;
        double l = rnd.nextDouble() * 2 * Math.PI;
        return switch (kind % 11) {
            case 9 -> rx(a);
            case 10 -> ry(a);
            case 0, 1 -> Mat2.u(a, p, l);
            case 2 -> H;
            case 3 -> Mat2.diag(p, l);
            case 4 -> Mat2.phase(l);
            case 5 -> Mat2.X;
            case 6 -> new Mat2(0, 0, Math.cos(p), Math.sin(p), Math.cos(l), Math.sin(l), 0, 0);
            case 7 -> Mat2.diag(p, 0);
            default -> Mat2.u(a, p, l).withPhase(l);
        };
    }

    private static int[] distinct(Random rnd, int n, int k) {
        int[] all = new int[n];
        for (int i = 0; i < n; i++) {
            all[i] = i;
        }
        for (int i = 0; i < k; i++) {
            int j = i + rnd.nextInt(n - i);
            int t = all[i];
            all[i] = all[j];
            all[j] = t;
        }
        return java.util.Arrays.copyOf(all, k);
    }
}
