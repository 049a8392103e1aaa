package org.xdv.cdcr.q.sim;

import java.util.ArrayList;
import java.util.List;

import org.xdv.cdcr.q.circuit.Op;

/**
 * A compiled sequence of kernel steps for a run of unitary operations: either every gate on its own
 * ({@link #unfused}) or the output of {@link Fusion}.
 */
final class Plan {

    /** One step over the whole state. */
    sealed interface Step permits Direct, Tile {
    }

    /** One kernel pass over the whole state. */
    record Direct(KernelOp op, Kernels.Call call) implements Step {
    }

    /**
     * Several operations applied tile by tile: {@code qubits} are the tile's qubits in local order (global
     * {@code qubits[i]} is local qubit {@code i}), {@code ops} are renamed accordingly, and {@code calls} are
     * compiled for the tile.
     */
    record Tile(int[] qubits, List<KernelOp> ops, Kernels.Call[] calls) implements Step {
    }

    private final int numQubits;
    private final List<Step> steps;
    private final int sourceGates;

    Plan(int numQubits, List<Step> steps, int sourceGates) {
        this.numQubits = numQubits;
        this.steps = List.copyOf(steps);
        this.sourceGates = sourceGates;
    }

    /** Every unitary and swap as its own kernel pass, in program order; barriers and measures are skipped. */
    static Plan unfused(int n, List<Op> ops) {
        List<Step> steps = new ArrayList<>();
        int gates = 0;
        for (Op op : ops) {
            KernelOp k = toKernelOp(op);
            if (k != null) {
                steps.add(new Direct(k, k.compile(n)));
                gates++;
            }
        }
        return new Plan(n, steps, gates);
    }

    /**
     * The kernel form of a unitary or swap; {@code null} for a barrier or a measure (a plan is only ever built
     * from operations before which, or after which, a measure changes nothing); anything else is rejected.
     */
    static KernelOp toKernelOp(Op op) {
        if (op instanceof Op.Unitary u) {
            return new KernelOp.Gate(u.controls(), u.target(), u.matrix());
        }
        if (op instanceof Op.Swap s) {
            return new KernelOp.Swap(s.a(), s.b());
        }
        if (op instanceof Op.Barrier || op instanceof Op.Measure) {
            return null;
        }
        throw new IllegalArgumentException("not a unitary operation: " + op);
    }

    void applyTo(StateVector sv) {
        if (sv.numQubits() != numQubits) {
            throw new IllegalArgumentException("plan for " + numQubits + " qubits applied to " + sv.numQubits());
        }
        for (Step s : steps) {
            if (s instanceof Direct d) {
                sv.exec(d.call());
            } else if (s instanceof Tile t) {
                sv.applyTile(t.qubits(), t.calls());
            }
        }
    }

    List<Step> steps() {
        return steps;
    }

    /** Number of IR unitaries and swaps this plan stands for. */
    int sourceGates() {
        return sourceGates;
    }

    /** Number of passes over the full state vector. */
    int passes() {
        return steps.size();
    }
}
