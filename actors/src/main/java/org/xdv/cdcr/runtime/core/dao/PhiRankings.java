package org.xdv.cdcr.runtime.core.dao;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

import org.xdv.cdcr.phi.EnvelopeRequest;
import org.xdv.cdcr.phi.Placement;
import org.xdv.cdcr.phi.SharingContracts;

/**
 * The Φ candidates of a view ranked by the window each offers a request, remembered per request shape so that a
 * Φ-coherent placement does not search every Φ node's channels on every decision.
 *
 * <p>GOAL: the same answer as asking every Φ node ({@code PhiAllocator.feasibleOrEmpty}) and sorting, at the cost
 * of searching only the nodes whose allocator changed since the shape was last ranked. A shape is everything the
 * window search reads: tenant, sharing partner, self-overlap, length, floor, channel, start slot and the sharing
 * contracts; the container id plays no part.
 *
 * <p>HOW: every view carries the newest {@link Change} — a short list, newest first, of the Φ candidates whose
 * entry changed (a window reserved or released, compaction, K slots or qubits taken or freed, drain, admission,
 * removal). A remembered ranking keeps the change it was made at. Asked again from a later view, the ranking walks
 * that view's changes back to its own; of the nodes named on the way it searches again only those whose allocator
 * changed (the others keep their window and take their new entry), and merges them in. So every ranked entry is
 * the node's entry in the view asked about, and placement needs no lookup per candidate. When the walk does not reach it (another
 * branch of views, or more than {@link #MAX_WALK} changes since, where the list is cut so that old views are not
 * kept alive), the shape is ranked from scratch. A view's ranking depends only on the view, so the cache never
 * changes a decision; {@code PhiRankingsTest} checks it against the full search over random journals.
 *
 * <p>Rankings are ordered by the window's forecast minimum (higher first), then its start (earlier first), then
 * node id; the orchestrator breaks a tie on both scores by K load, scanning the tie group.
 *
 * <p>Thread-safe (one lock); a cache of at most {@link #MAX_SHAPES} shapes, least recently used evicted.
 */
final class PhiRankings {

    static final int MAX_WALK = 256;
    static final int MAX_SHAPES = 1024;

    /** One node's window for a shape, with the node's entry in the view the ranking is for. */
    record Ranked(Placement window, NodeEntry entry) {
        String node() {
            return entry.spec().id();
        }
    }

    static final Comparator<Ranked> ORDER = (a, b) -> {
        int c = Double.compare(b.window().minForecast(), a.window().minForecast());
        if (c != 0) {
            return c;
        }
        c = Long.compare(a.window().startSlot(), b.window().startSlot());
        return c != 0 ? c : a.node().compareTo(b.node());
    };

    /** A Φ candidate changed: newest first, cut every {@link #MAX_WALK} changes. */
    static final class Change {
        final Change previous;
        final String node;
        final int depth;

        private Change(Change previous, String node, int depth) {
            this.previous = previous;
            this.node = node;
            this.depth = depth;
        }

        static Change after(Change newest, String node) {
            if (newest == null || newest.depth + 1 >= MAX_WALK) {
                return new Change(null, node, 0);
            }
            return new Change(newest, node, newest.depth + 1);
        }
    }

    private record Shape(String tenant, Optional<String> share, boolean selfOverlap, long length, double floor,
                         java.util.OptionalInt channel, long fromSlot) {
        static Shape of(EnvelopeRequest r, long fromSlot) {
            return new Shape(r.tenant(), r.shareWithTenant(), r.allowSelfOverlap(), r.lengthSlots(),
                    r.stabilityFloor(), r.channel(), fromSlot);
        }
    }

    private record Remembered(Change at, SharingContracts contracts, List<Ranked> ranked) {
    }

    private final Map<Shape, Remembered> shapes = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Shape, Remembered> eldest) {
            return size() > MAX_SHAPES;
        }
    };

    /** The Φ candidates of {@code view} that have a window for {@code request}, best first. */
    synchronized List<Ranked> rank(DaoState view, EnvelopeRequest request) {
        Shape shape = Shape.of(request, view.slot());
        Change now = view.index().phiChanges();
        Remembered old = shapes.get(shape);
        List<Ranked> ranked = null;
        if (old != null && old.contracts() == view.contracts()) {
            if (old.at() == now) {
                return old.ranked();
            }
            TreeSet<String> changed = since(now, old.at());
            if (changed != null) {
                ranked = merge(view, request, old.ranked(), changed);
            }
        }
        if (ranked == null) {
            ranked = new ArrayList<>();
            for (NodeEntry n : view.index().phiById()) {
                Optional<Placement> w = n.phi().feasibleOrEmpty(request, view.slot(), view.contracts());
                if (w.isPresent()) {
                    ranked.add(new Ranked(w.get(), n));
                }
            }
            ranked.sort(ORDER);
        }
        List<Ranked> frozen = List.copyOf(ranked);
        shapes.put(shape, new Remembered(now, view.contracts(), frozen));
        return frozen;
    }

    /** The nodes changed from {@code at} (exclusive) to {@code now}, or null if the walk does not reach it. */
    private static TreeSet<String> since(Change now, Change at) {
        if (at == null) {
            return null; // ranked before any change: the list may have been cut since
        }
        TreeSet<String> nodes = new TreeSet<>();
        for (Change c = now; c != null; c = c.previous) {
            if (c == at) {
                return nodes;
            }
            nodes.add(c.node);
        }
        return null;
    }

    private static List<Ranked> merge(DaoState view, EnvelopeRequest request, List<Ranked> old,
                                      TreeSet<String> changed) {
        TreeSet<String> kept = new TreeSet<>();
        List<Ranked> out = new ArrayList<>(old.size() + changed.size());
        List<Ranked> moved = new ArrayList<>();
        for (Ranked r : old) {
            if (!changed.contains(r.node())) {
                out.add(r);
                continue;
            }
            NodeEntry n = view.nodes().get(r.node());
            if (NodeIndex.phiCandidate(n) && n.phi() == r.entry().phi()) {
                out.add(new Ranked(r.window(), n)); // same allocator: same window, same place
                kept.add(r.node());
            }
        }
        for (String id : changed) {
            NodeEntry n = view.nodes().get(id);
            if (kept.contains(id) || !NodeIndex.phiCandidate(n)) {
                continue;
            }
            Optional<Placement> w = n.phi().feasibleOrEmpty(request, view.slot(), view.contracts());
            w.ifPresent(p -> moved.add(new Ranked(p, n)));
        }
        for (Ranked r : moved) {
            int at = java.util.Collections.binarySearch(out, r, ORDER);
            out.add(at < 0 ? -at - 1 : at, r);
        }
        return out;
    }
}
