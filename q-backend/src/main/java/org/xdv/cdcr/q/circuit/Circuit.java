package org.xdv.cdcr.q.circuit;

import java.util.List;

/**
 * A lowered OpenQASM 2.0 program: registers and the flat list of operations.
 *
 * <p>Bit order: quantum registers are concatenated in declaration order, so qubit {@code q[0]} of the first
 * register is global qubit 0; the same for classical registers. In a bitstring (counts key) the highest
 * global bit is the leftmost character and bit 0 is the rightmost, as Qiskit prints them (for several
 * classical registers Qiskit separates them with spaces; we do not).
 */
public record Circuit(List<Register> qregs, List<Register> cregs, List<Op> ops) {

    /** A declared register: its name, its first global index and its size. */
    public record Register(String name, int offset, int size) {
    }

    public Circuit {
        qregs = List.copyOf(qregs);
        cregs = List.copyOf(cregs);
        ops = List.copyOf(ops);
    }

    public int numQubits() {
        return qregs.isEmpty() ? 0 : qregs.get(qregs.size() - 1).offset() + qregs.get(qregs.size() - 1).size();
    }

    public int numClbits() {
        return cregs.isEmpty() ? 0 : cregs.get(cregs.size() - 1).offset() + cregs.get(cregs.size() - 1).size();
    }

    /**
     * True when no operation other than measure and barrier follows a measure on any qubit, and there is no
     * reset or conditional: the state can be evolved once and sampled for every shot.
     */
    public boolean measurementsAreTerminal() {
        boolean[] measured = new boolean[numQubits()];
        for (Op op : ops) {
            if (op instanceof Op.Measure m) {
                measured[m.qubit()] = true;
            } else if (op instanceof Op.Reset || op instanceof Op.Conditional) {
                return false;
            } else if (op instanceof Op.Unitary u) {
                if (measured[u.target()]) {
                    return false;
                }
                for (int c : u.controls()) {
                    if (measured[c]) {
                        return false;
                    }
                }
            } else if (op instanceof Op.Swap s) {
                if (measured[s.a()] || measured[s.b()]) {
                    return false;
                }
            }
        }
        return true;
    }
}
