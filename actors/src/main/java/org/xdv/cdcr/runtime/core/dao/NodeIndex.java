package org.xdv.cdcr.runtime.core.dao;

import java.util.Comparator;

import org.pcollections.TreePSet;

/**
 * Nodes that can host work (K slots &gt; 0), kept in the two orders placement prefers, so that a balanced or
 * Q-heavy placement looks at the best candidates first instead of scanning every node.
 *
 * <ul>
 *   <li>{@link #byLoad}: K load {@code usedK/kSlots} ascending (compared exactly by cross-multiplication), then
 *       node id — the order of {@link Affinity#BALANCED};</li>
 *   <li>{@link #byFreeQubits}: free qubits descending, then the same load order — the order of
 *       {@link Affinity#Q_HEAVY}.</li>
 * </ul>
 * Both are total orders (ids are unique), derived only from the node entries, and updated in O(log n) whenever
 * an entry changes. The first node in either order that passes every filter is exactly the node a full scan
 * with the same score and tie-break would choose.
 */
public record NodeIndex(TreePSet<NodeEntry> byLoad, TreePSet<NodeEntry> byFreeQubits) {

    static final Comparator<NodeEntry> LOAD = (a, b) -> {
        int c = Long.compare((long) a.usedK() * b.spec().kSlots(), (long) b.usedK() * a.spec().kSlots());
        return c != 0 ? c : a.spec().id().compareTo(b.spec().id());
    };

    static final Comparator<NodeEntry> FREE_QUBITS = (a, b) -> {
        int c = Integer.compare(b.freeQ(), a.freeQ());
        return c != 0 ? c : LOAD.compare(a, b);
    };

    public static final NodeIndex EMPTY = new NodeIndex(TreePSet.empty(LOAD), TreePSet.empty(FREE_QUBITS));

    static NodeIndex of(Iterable<NodeEntry> nodes) {
        NodeIndex idx = EMPTY;
        for (NodeEntry n : nodes) {
            idx = idx.replace(null, n);
        }
        return idx;
    }

    /** The index after node entry {@code old} (or none) became {@code now} (or none). */
    NodeIndex replace(NodeEntry old, NodeEntry now) {
        TreePSet<NodeEntry> load = byLoad;
        TreePSet<NodeEntry> free = byFreeQubits;
        if (old != null && old.spec().kSlots() > 0) {
            load = load.minus(old);
            free = free.minus(old);
        }
        if (now != null && now.spec().kSlots() > 0) {
            load = load.plus(now);
            free = free.plus(now);
        }
        return new NodeIndex(load, free);
    }
}
