package org.xdv.cdcr.q.sim;

import java.util.Arrays;

import org.xdv.cdcr.q.circuit.Mat2;

/** A gate as the fuser sees it: the IR's unitaries and swaps plus the dense blocks it makes. */
sealed interface KernelOp {

    /** Every qubit the operation touches. */
    int[] qubits();

    /** The kernel call on a state of {@code n} qubits ({@code null} for an exact identity). */
    Kernels.Call compile(int n);

    /** The same operation with qubit {@code q} renamed {@code map[q]}. */
    KernelOp remap(int[] map);

    /**
     * Rough cost per amplitude of the whole state, in units of a general uncontrolled 1-qubit gate
     * (used only to decide whether a dense block pays).
     */
    double cost();

    /** True when the operation only multiplies amplitudes by phases. */
    boolean diagonal();

    /** A (multi-)controlled 1-qubit gate. */
    record Gate(int[] controls, int target, Mat2 m) implements KernelOp {
        @Override
        public int[] qubits() {
            int[] q = Arrays.copyOf(controls, controls.length + 1);
            q[controls.length] = target;
            return q;
        }

        @Override
        public Kernels.Call compile(int n) {
            return StateVector.unitaryCall(n, controls, target, m);
        }

        @Override
        public KernelOp remap(int[] map) {
            int[] c = new int[controls.length];
            for (int i = 0; i < c.length; i++) {
                c[i] = map[controls[i]];
            }
            return new Gate(c, map[target], m);
        }

        @Override
        public double cost() {
            // measured in cache on the benchmark machine, relative to the general complex kernel
            double base;
            if (m.isDiagonal()) {
                base = (m.ar() == 1 && m.ai() == 0) || (m.dr() == 1 && m.di() == 0) ? 0.4 : 0.7;
            } else if (m.isAntiDiagonal()) {
                base = 0.6;
            } else if (StateVector.isReal(m) || StateVector.isRxLike(m)) {
                base = 0.7;
            } else {
                base = 1.0;
            }
            return base / (1 << controls.length);
        }

        @Override
        public boolean diagonal() {
            return m.isDiagonal();
        }

        @Override
        public String toString() {
            return "Gate" + Arrays.toString(controls) + "->" + target;
        }
    }

    /** Exchange of two qubits. */
    record Swap(int a, int b) implements KernelOp {
        @Override
        public int[] qubits() {
            return new int[] {a, b};
        }

        @Override
        public Kernels.Call compile(int n) {
            return StateVector.swapCall(n, a, b);
        }

        @Override
        public KernelOp remap(int[] map) {
            return new Swap(map[a], map[b]);
        }

        @Override
        public double cost() {
            return 0.6;
        }

        @Override
        public boolean diagonal() {
            return false;
        }
    }

    /** Cost of a dense k-qubit block: the unrolled 4×4 kernel runs at about 2.2 general gates, larger ones slower. */
    static double denseCost(int k) {
        return k == 2 ? 2.2 : 1 << k;
    }

    /** A dense {@code 2^k × 2^k} block; bit {@code b} of a row or column index is qubit {@code qubits[b]}. */
    record Dense(int[] qubits, double[] mr, double[] mi) implements KernelOp {
        @Override
        public Kernels.Call compile(int n) {
            return StateVector.denseCall(n, qubits, mr, mi);
        }

        @Override
        public KernelOp remap(int[] map) {
            int[] q = new int[qubits.length];
            for (int i = 0; i < q.length; i++) {
                q[i] = map[qubits[i]];
            }
            return new Dense(q, mr, mi);
        }

        @Override
        public double cost() {
            return denseCost(qubits.length);
        }

        @Override
        public boolean diagonal() {
            return false;
        }

        @Override
        public String toString() {
            return "Dense" + Arrays.toString(qubits);
        }
    }
}
