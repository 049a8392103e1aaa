package org.xdv.cdcr.phi;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Immutable state of one channel: its live envelopes sorted by (start, seq), plus indexes rebuilt on every change
 * (copy-on-write, O(n) per reserve/release, so that feasibility checks stay O(log n)):
 * <ul>
 *   <li>{@code all}: gaps left by every envelope. A request with no overlap permission conflicts with every
 *       envelope, so this index alone answers it.</li>
 *   <li>{@code hard}: gaps left by envelopes without any overlap permission. Those conflict with every request.</li>
 *   <li>{@code flagged}: envelopes that carry an overlap permission (sharing contract or self-overlap); a request
 *       with a permission of its own checks them one by one (prefix-max of ends bounds the scan).</li>
 * </ul>
 */
final class ChannelState {

    static final ChannelState EMPTY = new ChannelState(new Envelope[0]);

    private final Envelope[] envelopes;
    private final long[] starts;
    private final GapIndex all;
    private final GapIndex hard;
    private final Envelope[] flagged;
    private final long[] flaggedStart;
    private final long[] flaggedPrefixMaxEnd;

    private ChannelState(Envelope[] envelopes) {
        this.envelopes = envelopes;
        int n = envelopes.length;
        this.starts = new long[n];
        long[] ends = new long[n];
        long[] hardStarts = new long[n];
        long[] hardEnds = new long[n];
        int h = 0;
        List<Envelope> fl = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Envelope e = envelopes[i];
            starts[i] = e.startSlot();
            ends[i] = e.endSlot();
            if (e.mayOverlapAnything()) {
                fl.add(e);
            } else {
                hardStarts[h] = starts[i];
                hardEnds[h] = ends[i];
                h++;
            }
        }
        this.all = GapIndex.of(starts, ends, n);
        this.hard = h == n ? all : GapIndex.of(hardStarts, hardEnds, h);
        this.flagged = fl.toArray(new Envelope[0]);
        this.flaggedStart = new long[flagged.length];
        this.flaggedPrefixMaxEnd = new long[flagged.length];
        long maxEnd = Long.MIN_VALUE;
        for (int i = 0; i < flagged.length; i++) {
            flaggedStart[i] = flagged[i].startSlot();
            maxEnd = Math.max(maxEnd, flagged[i].endSlot());
            flaggedPrefixMaxEnd[i] = maxEnd;
        }
    }

    int size() {
        return envelopes.length;
    }

    Envelope get(int i) {
        return envelopes[i];
    }

    GapIndex all() {
        return all;
    }

    /** Index of the envelope with this id, or -1. */
    int indexOf(EnvelopeId id) {
        int i = lowerBound(starts, starts.length, id.startSlot());
        for (; i < envelopes.length && starts[i] == id.startSlot(); i++) {
            if (envelopes[i].id().equals(id)) {
                return i;
            }
        }
        return -1;
    }

    ChannelState with(Envelope e) {
        int n = envelopes.length;
        int pos = lowerBound(starts, n, e.startSlot());
        while (pos < n && starts[pos] == e.startSlot() && envelopes[pos].id().seq() < e.id().seq()) {
            pos++;
        }
        Envelope[] next = new Envelope[n + 1];
        System.arraycopy(envelopes, 0, next, 0, pos);
        next[pos] = e;
        System.arraycopy(envelopes, pos, next, pos + 1, n - pos);
        return new ChannelState(next);
    }

    ChannelState without(int index) {
        int n = envelopes.length;
        if (n == 1) {
            return EMPTY;
        }
        Envelope[] next = new Envelope[n - 1];
        System.arraycopy(envelopes, 0, next, 0, index);
        System.arraycopy(envelopes, index + 1, next, index, n - index - 1);
        return new ChannelState(next);
    }

    /** Drops every envelope that ends at or before {@code nowSlot}; returns this when none does. */
    ChannelState compact(long nowSlot) {
        int kept = 0;
        for (Envelope e : envelopes) {
            if (e.endSlot() > nowSlot) {
                kept++;
            }
        }
        if (kept == envelopes.length) {
            return this;
        }
        Envelope[] next = new Envelope[kept];
        int k = 0;
        for (Envelope e : envelopes) {
            if (e.endSlot() > nowSlot) {
                next[k++] = e;
            }
        }
        return kept == 0 ? EMPTY : new ChannelState(next);
    }

    /**
     * Earliest start {@code t} with {@code from ≤ t ≤ maxStart} such that {@code [t, t+len)} conflicts with no
     * envelope and the forecast is ≥ floor on every slot; -1 if there is none.
     *
     * <p>Each loop turn either returns or moves {@code t} strictly forward, jumping past the obstacle it found:
     * the end of the busy run (O(log n) via the gap index), the slot after the last bad one in the window
     * (block minima let the scan skip good blocks), or the end of a conflicting flagged envelope. The search
     * remembers the run {@code [goodFrom, goodTo)} already known to be ≥ floor, so each forecast slot is scanned at
     * most once per search.
     */
    long earliest(StabilityForecast forecast, Ask ask, long from, long maxStart) {
        boolean strict = !ask.hasPermission();
        GapIndex index = strict ? all : hard;
        boolean checkFlagged = !strict && flagged.length > 0;
        long len = ask.length;
        // Invariant: every slot in [t, goodTo) is known to be >= floor (empty when goodTo <= t). It holds because
        // t only grows and goodTo is only set to the end of a run that was just checked from at most t.
        long goodTo = -1;
        long t = from;
        while (t <= maxStart) {
            long free = index.earliestFree(t, len);
            if (free != t) {
                t = free;
                continue;
            }
            long scanFrom = Math.max(t, goodTo);
            if (scanFrom < t + len) {
                // scan the unknown tail backwards: the last bad slot gives the longest safe jump, and every slot
                // after it is then known to be good
                long bad = forecast.lastBelow(scanFrom, t + len, ask.floor);
                goodTo = t + len;
                if (bad >= 0) {
                    t = bad + 1 < goodTo ? bad + 1 : forecast.firstAtLeast(bad + 1, maxStart + 1, ask.floor);
                    continue;
                }
            }
            if (checkFlagged) {
                long end = maxConflictingFlaggedEnd(t, t + len, ask);
                if (end > t) {
                    t = end;
                    continue;
                }
            }
            return t;
        }
        return -1;
    }

    /** Largest end among flagged envelopes that overlap {@code [from, to)} and conflict with the ask. */
    private long maxConflictingFlaggedEnd(long from, long to, Ask ask) {
        int k = lowerBound(flaggedStart, flaggedStart.length, to);
        long best = Long.MIN_VALUE;
        for (int i = k - 1; i >= 0 && flaggedPrefixMaxEnd[i] > from; i--) {
            Envelope e = flagged[i];
            if (e.endSlot() > from && !ask.compatibleWith(e)) {
                best = Math.max(best, e.endSlot());
            }
        }
        return best;
    }

    /** First index in a[0..n) with a[i] ≥ key. */
    private static int lowerBound(long[] a, int n, long key) {
        int lo = 0;
        int hi = n;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (a[mid] >= key) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }

    List<Envelope> envelopes() {
        return Arrays.asList(envelopes.clone());
    }

    boolean sameEnvelopes(ChannelState other) {
        return Arrays.equals(envelopes, other.envelopes);
    }

    int envelopesHash() {
        return Arrays.hashCode(envelopes);
    }

    /**
     * A validated request, reduced to what the search needs. {@code shareWith} is non-null only when a mutual
     * contract backs it.
     */
    static final class Ask {
        final String tenant;
        final String shareWith;
        final boolean selfOverlap;
        final long length;
        final double floor;

        Ask(String tenant, String shareWith, boolean selfOverlap, long length, double floor) {
            this.tenant = tenant;
            this.shareWith = shareWith;
            this.selfOverlap = selfOverlap;
            this.length = length;
            this.floor = floor;
        }

        boolean hasPermission() {
            return shareWith != null || selfOverlap;
        }

        /**
         * Whether a new envelope for this ask may overlap {@code e}: same tenant and both allow self-overlap, or
         * the tenants name each other (the contract behind {@code shareWith} was checked when the ask was made).
         */
        boolean compatibleWith(Envelope e) {
            if (e.tenant().equals(tenant)) {
                return selfOverlap && e.allowSelfOverlap();
            }
            return shareWith != null && shareWith.equals(e.tenant())
                    && e.shareWithTenant().isPresent() && e.shareWithTenant().get().equals(tenant);
        }
    }
}
