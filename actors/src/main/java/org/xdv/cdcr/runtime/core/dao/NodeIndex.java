package org.xdv.cdcr.runtime.core.dao;

import java.util.Comparator;
import java.util.Objects;

import org.pcollections.TreePSet;

/**
 * Nodes that can host work (K slots &gt; 0), kept in the orders placement prefers, so that a placement looks at
 * the best candidates first instead of scanning every node.
 *
 * <ul>
 *   <li>{@link #byLoad}: K load {@code usedK/kSlots} ascending (compared exactly by cross-multiplication), then
 *       node id — the order of {@link Affinity#BALANCED};</li>
 *   <li>{@link #byFreeQubits}: the nodes with qubits, free qubits descending, then the same load order — the
 *       order of {@link Affinity#Q_HEAVY} (nodes without qubits follow it in load order);</li>
 *   <li>{@link #phiById}: the nodes with Φ channels, by id — the candidates of {@link Affinity#PHI_COHERENT},
 *       which are scored by the window each offers; {@link #phiRankings} remembers those scores per request
 *       shape, and {@link #phiChanges} says which Φ nodes changed since (see {@link PhiRankings}).</li>
 * </ul>
 * The orders are total (ids are unique), derived only from the node entries, and updated in O(log n) whenever
 * an entry changes. The first node in either load order that passes every filter is exactly the node a full
 * scan with the same score and tie-break would choose. Equality is that of the three orders: the rankings are a
 * cache and the change list only serves it.
 */
public final class NodeIndex {

    static final Comparator<NodeEntry> LOAD = (a, b) -> {
        int c = Long.compare((long) a.usedK() * b.spec().kSlots(), (long) b.usedK() * a.spec().kSlots());
        return c != 0 ? c : a.spec().id().compareTo(b.spec().id());
    };

    static final Comparator<NodeEntry> FREE_QUBITS = (a, b) -> {
        int c = Integer.compare(b.freeQ(), a.freeQ());
        return c != 0 ? c : LOAD.compare(a, b);
    };

    static final Comparator<NodeEntry> ID = Comparator.comparing(n -> n.spec().id());

    public static final NodeIndex EMPTY = new NodeIndex(TreePSet.empty(LOAD), TreePSet.empty(FREE_QUBITS),
            TreePSet.empty(ID), null, null);

    private final TreePSet<NodeEntry> byLoad;
    private final TreePSet<NodeEntry> byFreeQubits;
    private final TreePSet<NodeEntry> phiById;
    private final PhiRankings.Change phiChanges;
    private final PhiRankings phiRankings;

    private NodeIndex(TreePSet<NodeEntry> byLoad, TreePSet<NodeEntry> byFreeQubits, TreePSet<NodeEntry> phiById,
                      PhiRankings.Change phiChanges, PhiRankings phiRankings) {
        this.byLoad = byLoad;
        this.byFreeQubits = byFreeQubits;
        this.phiById = phiById;
        this.phiChanges = phiChanges;
        this.phiRankings = phiRankings;
    }

    public TreePSet<NodeEntry> byLoad() {
        return byLoad;
    }

    public TreePSet<NodeEntry> byFreeQubits() {
        return byFreeQubits;
    }

    public TreePSet<NodeEntry> phiById() {
        return phiById;
    }

    /** The newest change to a Φ candidate (null before any). */
    PhiRankings.Change phiChanges() {
        return phiChanges;
    }

    /** The ranking cache shared by every view derived from the same first admission (null when empty). */
    PhiRankings phiRankings() {
        return phiRankings;
    }

    static NodeIndex of(Iterable<NodeEntry> nodes) {
        NodeIndex idx = EMPTY;
        for (NodeEntry n : nodes) {
            idx = idx.replace(null, n);
        }
        return idx;
    }

    /** Whether a node is a Φ candidate: it can host work and has Φ channels. */
    static boolean phiCandidate(NodeEntry n) {
        return n != null && n.spec().kSlots() > 0 && n.spec().phiChannels() > 0;
    }

    /** The index after node entry {@code old} (or none) became {@code now} (or none). */
    NodeIndex replace(NodeEntry old, NodeEntry now) {
        TreePSet<NodeEntry> load = byLoad;
        TreePSet<NodeEntry> free = byFreeQubits;
        TreePSet<NodeEntry> phi = phiById;
        if (old != null && old.spec().kSlots() > 0) {
            load = load.minus(old);
            if (old.spec().qubits() > 0) {
                free = free.minus(old);
            }
        }
        if (phiCandidate(old)) {
            phi = phi.minus(old);
        }
        if (now != null && now.spec().kSlots() > 0) {
            load = load.plus(now);
            if (now.spec().qubits() > 0) {
                free = free.plus(now);
            }
        }
        if (phiCandidate(now)) {
            phi = phi.plus(now);
        }
        PhiRankings.Change changes = phiChanges;
        boolean wasPhi = phiCandidate(old);
        boolean isPhi = phiCandidate(now);
        if (wasPhi || isPhi) {
            changes = PhiRankings.Change.after(changes, (now != null ? now : old).spec().id());
        }
        return new NodeIndex(load, free, phi, changes, phiRankings != null ? phiRankings : new PhiRankings());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NodeIndex other && byLoad.equals(other.byLoad) && byFreeQubits.equals(other.byFreeQubits)
                && phiById.equals(other.phiById);
    }

    @Override
    public int hashCode() {
        return Objects.hash(byLoad, byFreeQubits, phiById);
    }

    @Override
    public String toString() {
        return "NodeIndex[" + byLoad.size() + " nodes, " + phiById.size() + " Φ nodes]";
    }
}
