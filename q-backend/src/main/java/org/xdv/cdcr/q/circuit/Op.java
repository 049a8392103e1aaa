package org.xdv.cdcr.q.circuit;

import java.util.Arrays;

/**
 * One lowered circuit operation. The front end expands every user and library gate into these;
 * qubit and classical-bit indices are global (registers concatenated in declaration order).
 */
public sealed interface Op {

    /**
     * A single-qubit unitary on {@code target}, applied only where every qubit in {@code controls}
     * is |1⟩ (no controls: unconditional). {@code name} is the source gate, for diagnostics.
     */
    record Unitary(String name, int[] controls, int target, Mat2 matrix) implements Op {
        public Unitary {
            controls = controls.clone();
        }

        @Override
        public int[] controls() {
            return controls.clone();
        }

        public int controlCount() {
            return controls.length;
        }

        public int control(int i) {
            return controls[i];
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Unitary u && name.equals(u.name) && target == u.target
                    && Arrays.equals(controls, u.controls) && matrix.equals(u.matrix);
        }

        @Override
        public int hashCode() {
            return 31 * (31 * name.hashCode() + Arrays.hashCode(controls)) + target * 7 + matrix.hashCode();
        }

        @Override
        public String toString() {
            return name + Arrays.toString(controls) + "->" + target;
        }
    }

    /** Exchange of two qubits. */
    record Swap(int a, int b) implements Op {
    }

    /** Measure {@code qubit} in the computational basis into classical bit {@code clbit}. */
    record Measure(int qubit, int clbit) implements Op {
    }

    /** Reset {@code qubit} to |0⟩. */
    record Reset(int qubit) implements Op {
    }

    /** A barrier: no effect on the state, but fusion never crosses it. */
    record Barrier(int[] qubits) implements Op {
        public Barrier {
            qubits = qubits.clone();
        }

        @Override
        public int[] qubits() {
            return qubits.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Barrier b && Arrays.equals(qubits, b.qubits);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(qubits);
        }

        @Override
        public String toString() {
            return "Barrier" + Arrays.toString(qubits);
        }
    }

    /**
     * {@code if(creg==value) body;} — {@code body} runs only when the classical register that starts at
     * global bit {@code firstClbit} and is {@code width} bits wide (bit 0 least significant) equals {@code value}.
     * {@code body} is never itself a {@code Conditional}.
     */
    record Conditional(int firstClbit, int width, long value, Op body) implements Op {
        public Conditional {
            if (body instanceof Conditional) {
                throw new IllegalArgumentException("nested conditional");
            }
        }
    }
}
