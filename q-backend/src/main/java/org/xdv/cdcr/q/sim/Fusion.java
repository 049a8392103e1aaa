package org.xdv.cdcr.q.sim;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.PriorityQueue;

import org.xdv.cdcr.q.circuit.Mat2;
import org.xdv.cdcr.q.circuit.Op;

/**
 * Gate fusion: turns a run of unitary operations into fewer, cheaper passes over the state.
 *
 * <p>GOALS: (1) less arithmetic — consecutive 1-qubit gates on a qubit become one matrix, and a cluster of gates
 * on at most {@link Config#denseQubits} qubits becomes one dense matrix when that is cheaper than the gates;
 * (2) less memory traffic — gates on at most {@code tileQubits − tileMargin} qubits are applied together, tile
 * by tile, while each {@code 2^tileQubits}-amplitude tile sits in the core's cache, so a whole block of gates
 * costs one pass over memory.
 *
 * <p>CONSTRAINTS: the result equals the unfused product up to rounding; operations are only reordered past
 * operations on disjoint qubits (which commute); nothing is fused across a barrier on the qubits concerned
 * (no group holds both an operation before and an operation after a barrier on a shared qubit). Measures,
 * resets and conditionals never reach this class: the simulator cuts the circuit at them.
 *
 * <p>ALGORITHM (both levels use the same grouping): keep each qubit's operations in program order; an
 * operation is ready when it is first in the queue of every qubit it touches. A group starts empty; the
 * earliest ready operation is taken if the group's qubit set, with its qubits added, stays within the limit,
 * otherwise it waits for the next group (and blocks its qubits for this one); a ready barrier is dropped when
 * it shares no qubit with the group, and waits otherwise. Taking an operation may make others ready. When
 * nothing ready can be taken the group is closed. Example (limit 2): {@code h q0; h q1; cx q0,q1; h q2; cx q1,q2}
 * gives group {h q0, h q1, cx q0,q1} (h q2 would make 3 qubits) and then {h q2, cx q1,q2}.
 */
final class Fusion {

    /**
     * Tuning. {@code denseQubits}: largest dense block (0 = none). {@code tileQubits}: qubits per cache tile
     * (2^15 amplitudes = 512 KiB); states of at most that many qubits are not tiled. {@code tileMargin}: a tile
     * group uses at most {@code tileQubits − tileMargin} qubits, so that the tile always holds global qubits
     * 0 .. tileMargin−1 and is copied in runs of at least {@code 2^tileMargin} consecutive amplitudes.
     */
    record Config(int denseQubits, int tileQubits, int tileMargin) {
        Config {
            if (denseQubits < 0 || denseQubits > 5) {
                throw new IllegalArgumentException("denseQubits must be 0..5, was " + denseQubits);
            }
            if (tileQubits < 4 || tileMargin < 0 || tileMargin >= tileQubits - 1) {
                throw new IllegalArgumentException("bad tile configuration " + tileQubits + "/" + tileMargin);
            }
        }

        /** Chosen with SimBenchmark on a 2-core AMD EPYC (1 MiB L2 per core): 512 KiB tiles. */
        static Config defaults() {
            return new Config(2, 15, 3);
        }
    }

    /** An operation in the grouping graph: a kernel op, or a barrier when {@code op} is null. */
    record Node(int[] qubits, KernelOp op) {
    }

    /** One group: the barriers dropped while it was built (they belong before it) and its members in order. */
    record Group(List<Node> barriersBefore, List<Node> members) {
    }

    private Fusion() {
    }

    /** The fused plan of {@code ops} (unitaries, swaps, barriers; measures are skipped) on {@code n} qubits. */
    static Plan plan(int n, List<Op> ops, Config cfg) {
        List<Node> nodes = new ArrayList<>();
        int gates = 0;
        for (Op op : ops) {
            if (op instanceof Op.Barrier b) {
                int[] q = Arrays.stream(b.qubits()).distinct().toArray();
                if (q.length > 0) {
                    nodes.add(new Node(q, null));
                }
            } else {
                KernelOp k = Plan.toKernelOp(op);
                if (k != null) {
                    nodes.add(new Node(k.qubits(), k));
                    gates++;
                }
            }
        }
        for (Node nd : nodes) {
            for (int q : nd.qubits()) {
                StateVector.checkQubit(n, q);
            }
        }
        List<Node> level1 = cluster(n, nodes, cfg.denseQubits());
        List<Plan.Step> steps = new ArrayList<>();
        if (n <= cfg.tileQubits()) {
            for (Node nd : level1) {
                if (nd.op() != null) {
                    steps.add(new Plan.Direct(nd.op(), nd.op().compile(n)));
                }
            }
            return new Plan(n, steps, gates);
        }
        for (Group g : group(n, level1, cfg.tileQubits() - cfg.tileMargin())) {
            List<Node> members = g.members();
            if (members.size() == 1) {
                KernelOp op = members.get(0).op();
                steps.add(new Plan.Direct(op, op.compile(n)));
            } else if (members.size() > 1) {
                steps.add(tile(n, members, cfg.tileQubits()));
            }
        }
        return new Plan(n, steps, gates);
    }

    /** Level 1: 1-qubit runs merged, small clusters made dense where that is cheaper; barriers kept in place. */
    static List<Node> cluster(int n, List<Node> nodes, int denseQubits) {
        List<Node> out = new ArrayList<>();
        for (Group g : group(n, nodes, Math.max(1, denseQubits))) {
            out.addAll(g.barriersBefore());
            List<KernelOp> ops = mergeSingleQubitRuns(n, g.members());
            int[] qubits = union(g.members());
            // dense blocks stay off qubits 0..2: gates there have SIMD block kernels, a dense block would not
            if (denseQubits >= 2 && ops.size() >= 2 && qubits.length >= 2 && qubits.length <= denseQubits
                    && qubits[0] >= Kernels.BLOCK_BITS && pays(ops, qubits.length)) {
                KernelOp dense = dense(qubits, ops);
                out.add(new Node(dense.qubits(), dense));
            } else {
                for (KernelOp op : ops) {
                    out.add(new Node(op.qubits(), op));
                }
            }
        }
        return out;
    }

    private static boolean pays(List<KernelOp> ops, int k) {
        double cost = 0;
        boolean allDiagonal = true;
        for (KernelOp op : ops) {
            cost += op.cost();
            allDiagonal &= op.diagonal();
        }
        // phases stay cheaper as phases; the block must save at least 15% over its gates
        return !allDiagonal && cost > 1.15 * KernelOp.denseCost(k);
    }

    /**
     * Within one group, consecutive uncontrolled 1-qubit gates on the same qubit become one matrix; the product
     * is emitted just before the next operation that touches the qubit, or at the end of the group.
     */
    static List<KernelOp> mergeSingleQubitRuns(int n, List<Node> members) {
        Mat2[] pending = new Mat2[n];
        List<KernelOp> out = new ArrayList<>();
        for (Node nd : members) {
            KernelOp op = nd.op();
            if (op instanceof KernelOp.Gate g && g.controls().length == 0) {
                int t = g.target();
                pending[t] = pending[t] == null ? g.m() : g.m().times(pending[t]);
                continue;
            }
            for (int q : op.qubits()) {
                if (pending[q] != null) {
                    out.add(new KernelOp.Gate(new int[0], q, pending[q]));
                    pending[q] = null;
                }
            }
            out.add(op);
        }
        for (int q = 0; q < n; q++) {
            if (pending[q] != null) {
                out.add(new KernelOp.Gate(new int[0], q, pending[q]));
            }
        }
        return out;
    }

    /** The dense matrix of {@code ops} on {@code qubits} (ascending), computed column by column. */
    static KernelOp.Dense dense(int[] qubits, List<KernelOp> ops) {
        int k = qubits.length;
        int dim = 1 << k;
        int[] map = localMap(qubits);
        List<Kernels.Call> calls = new ArrayList<>();
        for (KernelOp op : ops) {
            calls.add(op.remap(map).compile(k));
        }
        double[] mr = new double[dim * dim];
        double[] mi = new double[dim * dim];
        for (int col = 0; col < dim; col++) {
            StateVector basis = new StateVector(k, new double[dim], new double[dim], 1, false);
            basis.re[col] = 1;
            for (Kernels.Call c : calls) {
                basis.exec(c);
            }
            for (int row = 0; row < dim; row++) {
                mr[row * dim + col] = basis.re[row];
                mi[row * dim + col] = basis.im[row];
            }
        }
        return new KernelOp.Dense(qubits, mr, mi);
    }

    /**
     * Level 2: a tile of {@code tileQubits} qubits, the group's qubits plus the lowest others ("fillers"), in
     * ascending order. Global qubits 0 .. margin−1 are always in the tile (each is either used or among the
     * lowest unused), so the tile is copied in runs of at least {@code 2^margin} consecutive amplitudes; gates on
     * local qubits 0..2 use the block kernels.
     */
    private static Plan.Tile tile(int n, List<Node> members, int tileQubits) {
        int[] used = union(members);
        boolean[] in = new boolean[n];
        for (int q : used) {
            in[q] = true;
        }
        int size = used.length;
        for (int q = 0; q < n && size < tileQubits; q++) {
            if (!in[q]) {
                in[q] = true;
                size++;
            }
        }
        int[] qubits = new int[size];
        int j = 0;
        for (int q = 0; q < n; q++) {
            if (in[q]) {
                qubits[j++] = q;
            }
        }
        int[] map = localMap(qubits);
        List<KernelOp> local = new ArrayList<>();
        List<Kernels.Call> calls = new ArrayList<>();
        for (Node nd : members) {
            KernelOp op = nd.op().remap(map);
            local.add(op);
            Kernels.Call c = op.compile(size);
            if (c != null) {
                calls.add(c);
            }
        }
        return new Plan.Tile(qubits, local, calls.toArray(new Kernels.Call[0]));
    }

    private static int[] localMap(int[] qubits) {
        int max = 0;
        for (int q : qubits) {
            max = Math.max(max, q);
        }
        int[] map = new int[max + 1];
        Arrays.fill(map, -1);
        for (int i = 0; i < qubits.length; i++) {
            map[qubits[i]] = i;
        }
        return map;
    }

    private static int[] union(List<Node> members) {
        return members.stream().flatMapToInt(nd -> Arrays.stream(nd.qubits())).distinct().sorted().toArray();
    }

    /** The greedy grouping described in the class comment, with at most {@code limit} qubits per group. */
    static List<Group> group(int n, List<Node> nodes, int limit) {
        int count = nodes.size();
        int[] perQubit = new int[n];
        for (Node nd : nodes) {
            for (int q : nd.qubits()) {
                perQubit[q]++;
            }
        }
        int[][] queue = new int[n][];
        for (int q = 0; q < n; q++) {
            queue[q] = new int[perQubit[q]];
        }
        int[] fill = new int[n];
        for (int i = 0; i < count; i++) {
            for (int q : nodes.get(i).qubits()) {
                queue[q][fill[q]++] = i;
            }
        }
        int[] front = new int[n];
        boolean[] queued = new boolean[count];
        PriorityQueue<Integer> ready = new PriorityQueue<>();
        for (int q = 0; q < n; q++) {
            if (queue[q].length > 0) {
                offer(queue[q][0], nodes, queue, front, queued, ready);
            }
        }
        List<Group> groups = new ArrayList<>();
        int popped = 0;
        while (!ready.isEmpty()) {
            List<Node> barriers = new ArrayList<>();
            List<Node> members = new ArrayList<>();
            boolean[] inGroup = new boolean[n];
            int size = 0;
            List<Integer> waiting = new ArrayList<>();
            while (!ready.isEmpty()) {
                int idx = ready.poll();
                Node nd = nodes.get(idx);
                int added = 0;
                for (int q : nd.qubits()) {
                    if (!inGroup[q]) {
                        added++;
                    }
                }
                boolean take;
                if (nd.op() == null) {
                    take = added == nd.qubits().length;
                } else {
                    take = members.isEmpty() || size + added <= limit;
                }
                if (!take) {
                    waiting.add(idx);
                    continue;
                }
                if (nd.op() == null) {
                    barriers.add(nd);
                } else {
                    members.add(nd);
                    for (int q : nd.qubits()) {
                        if (!inGroup[q]) {
                            inGroup[q] = true;
                            size++;
                        }
                    }
                }
                popped++;
                for (int q : nd.qubits()) {
                    front[q]++;
                    if (front[q] < queue[q].length) {
                        offer(queue[q][front[q]], nodes, queue, front, queued, ready);
                    }
                }
            }
            groups.add(new Group(barriers, members));
            ready.addAll(waiting);
        }
        if (popped != count) {
            throw new IllegalStateException("fusion left " + (count - popped) + " operations unscheduled");
        }
        return groups;
    }

    private static void offer(int idx, List<Node> nodes, int[][] queue, int[] front, boolean[] queued,
                              PriorityQueue<Integer> ready) {
        if (queued[idx]) {
            return;
        }
        for (int q : nodes.get(idx).qubits()) {
            if (queue[q][front[q]] != idx) {
                return;
            }
        }
        queued[idx] = true;
        ready.add(idx);
    }
}
