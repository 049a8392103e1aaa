package org.xdv.cdcr.q.qpu;

import org.xdv.cdcr.q.circuit.Circuit;
import org.xdv.cdcr.q.circuit.Op;

/**
 * What one execution of a circuit costs a register's decoherence budget, in integer units.
 *
 * <p>GOALS: a deterministic, documented charge that grows with what physically decoheres a register —
 * gates (two-qubit gates far more than one-qubit gates) and time (circuit depth over every qubit of the
 * register, idling included). CONSTRAINTS: integer arithmetic, a pure function of the circuit and register
 * size, so that replay and every node agree. ALGORITHM:
 * <pre>
 *   gate cost  = 1 per single-qubit gate + 10 per control qubit; swap 30; measure 5; reset 5
 *   time cost  = depth × register size     (depth = longest chain of ops sharing a qubit)
 *   total      = gate cost + time cost     (charged once per run: shots are independent preparations)
 * </pre>
 * Example: a Bell circuit (h, cx, 2 measures) on a 2-qubit register: gates 1 + 11 + 5 + 5 = 22; depth 3
 * (h → cx → measure) × 2 qubits = 6; total 28.
 */
public final class DecoherenceCost {

    public static final long SINGLE_QUBIT = 1;
    public static final long PER_CONTROL = 10;
    public static final long SWAP = 30;
    public static final long MEASURE = 5;
    public static final long RESET = 5;

    private DecoherenceCost() {
    }

    public static long of(Circuit c, int registerSize) {
        int[] layer = new int[Math.max(c.numQubits(), 1)];
        long gates = 0;
        int depth = 0;
        for (Op op : c.ops()) {
            Op body = op instanceof Op.Conditional k ? k.body() : op;
            int[] qubits;
            if (body instanceof Op.Unitary u) {
                gates += SINGLE_QUBIT + PER_CONTROL * u.controlCount();
                int[] cs = u.controls();
                qubits = new int[cs.length + 1];
                System.arraycopy(cs, 0, qubits, 0, cs.length);
                qubits[cs.length] = u.target();
            } else if (body instanceof Op.Swap s) {
                gates += SWAP;
                qubits = new int[] {s.a(), s.b()};
            } else if (body instanceof Op.Measure m) {
                gates += MEASURE;
                qubits = new int[] {m.qubit()};
            } else if (body instanceof Op.Reset r) {
                gates += RESET;
                qubits = new int[] {r.qubit()};
            } else {
                continue;
            }
            int at = 0;
            for (int q : qubits) {
                at = Math.max(at, layer[q]);
            }
            at++;
            for (int q : qubits) {
                layer[q] = at;
            }
            depth = Math.max(depth, at);
        }
        return gates + (long) depth * registerSize;
    }
}
