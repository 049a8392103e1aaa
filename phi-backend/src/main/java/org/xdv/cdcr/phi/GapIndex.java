package org.xdv.cdcr.phi;

import java.util.Arrays;

/**
 * Immutable index of the free slots left by a set of half-open busy intervals on one channel.
 *
 * <p>The intervals are merged into disjoint, non-touching busy runs {@code [busyStart[i], busyEnd[i])}. Gap
 * {@code g} (0..m) is the free run before busy run {@code g}: from {@code busyEnd[g-1]} (−∞ for g = 0) to
 * {@code busyStart[g]} (+∞ for g = m). A max-segment tree over gap lengths answers "first gap at or after
 * {@code g} that is at least {@code len} long" in O(log m), so {@link #earliestFree} costs O(log m) however
 * densely the channel is packed.
 */
final class GapIndex {

    static final GapIndex EMPTY = new GapIndex(new long[0], new long[0]);

    private final long[] busyStart;
    private final long[] busyEnd;
    /** busyPrefix[i] = total length of busy runs 0..i-1. */
    private final long[] busyPrefix;
    private final int leaves;
    private final long[] tree;

    private GapIndex(long[] busyStart, long[] busyEnd) {
        this.busyStart = busyStart;
        this.busyEnd = busyEnd;
        int m = busyStart.length;
        this.busyPrefix = new long[m + 1];
        for (int i = 0; i < m; i++) {
            busyPrefix[i + 1] = busyPrefix[i] + (busyEnd[i] - busyStart[i]);
        }
        int size = 1;
        while (size < m + 1) {
            size <<= 1;
        }
        this.leaves = size;
        this.tree = new long[2 * size];
        Arrays.fill(tree, Long.MIN_VALUE);
        for (int g = 0; g <= m; g++) {
            tree[size + g] = (g == 0 || g == m) ? Long.MAX_VALUE : busyStart[g] - busyEnd[g - 1];
        }
        for (int i = size - 1; i >= 1; i--) {
            tree[i] = Math.max(tree[2 * i], tree[2 * i + 1]);
        }
    }

    /** Builds the index from intervals sorted by start ({@code ends[i] > starts[i]}). */
    static GapIndex of(long[] starts, long[] ends, int n) {
        if (n == 0) {
            return EMPTY;
        }
        long[] bs = new long[n];
        long[] be = new long[n];
        int m = 0;
        long curStart = starts[0];
        long curEnd = ends[0];
        for (int i = 1; i < n; i++) {
            if (starts[i] <= curEnd) {
                curEnd = Math.max(curEnd, ends[i]);
            } else {
                bs[m] = curStart;
                be[m] = curEnd;
                m++;
                curStart = starts[i];
                curEnd = ends[i];
            }
        }
        bs[m] = curStart;
        be[m] = curEnd;
        m++;
        return new GapIndex(Arrays.copyOf(bs, m), Arrays.copyOf(be, m));
    }

    int busyRuns() {
        return busyStart.length;
    }

    /** The earliest {@code s ≥ t} such that {@code [s, s+len)} touches no busy run. */
    long earliestFree(long t, long len) {
        int m = busyStart.length;
        int k = firstEndAfter(t);
        if (k == m) {
            return t;
        }
        if (busyStart[k] > t && busyStart[k] - t >= len) {
            return t;
        }
        int g = firstGapAtLeast(k + 1, len);
        return busyEnd[g - 1];
    }

    /** Busy slots within {@code [from, to)}. */
    long busyWithin(long from, long to) {
        int k1 = firstEndAfter(from);
        int k2 = firstStartAtOrAfter(to);
        if (k1 >= k2) {
            return 0;
        }
        long total = busyPrefix[k2] - busyPrefix[k1];
        total -= Math.max(0, from - busyStart[k1]);
        total -= Math.max(0, busyEnd[k2 - 1] - to);
        return total;
    }

    /** Length of the longest free run within {@code [from, to)}. */
    long longestFreeWithin(long from, long to) {
        int k1 = firstEndAfter(from);
        int k2 = firstStartAtOrAfter(to);
        long best = clippedGap(k1, from, to);
        if (k2 != k1) {
            best = Math.max(best, clippedGap(k2, from, to));
        }
        if (k2 - k1 >= 2) {
            best = Math.max(best, rangeMax(k1 + 1, k2 - 1));
        }
        return best;
    }

    /** Free runs within {@code [from, to)}, as consecutive (start, end) pairs. */
    long[] freeRunsWithin(long from, long to) {
        int k1 = firstEndAfter(from);
        int k2 = firstStartAtOrAfter(to);
        long[] out = new long[2 * (k2 - k1 + 1)];
        int n = 0;
        for (int g = k1; g <= k2; g++) {
            long s = Math.max(from, gapStart(g));
            long e = Math.min(to, gapEnd(g));
            if (e > s) {
                out[n++] = s;
                out[n++] = e;
            }
        }
        return Arrays.copyOf(out, n);
    }

    private long gapStart(int g) {
        return g == 0 ? Long.MIN_VALUE : busyEnd[g - 1];
    }

    private long gapEnd(int g) {
        return g == busyStart.length ? Long.MAX_VALUE : busyStart[g];
    }

    private long clippedGap(int g, long from, long to) {
        return Math.max(0, Math.min(to, gapEnd(g)) - Math.max(from, gapStart(g)));
    }

    /** First busy run whose end is &gt; t (m if none). */
    private int firstEndAfter(long t) {
        int lo = 0;
        int hi = busyEnd.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (busyEnd[mid] > t) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }

    /** First busy run whose start is ≥ t (m if none). */
    private int firstStartAtOrAfter(long t) {
        int lo = 0;
        int hi = busyStart.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (busyStart[mid] >= t) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }

    /** First gap index ≥ from whose length is ≥ len; the last gap is unbounded, so one always exists. */
    private int firstGapAtLeast(int from, long len) {
        int i = from + leaves;
        while (true) {
            if (tree[i] >= len) {
                while (i < leaves) {
                    i = 2 * i;
                    if (tree[i] < len) {
                        i++;
                    }
                }
                return i - leaves;
            }
            while ((i & 1) == 1) {
                i >>>= 1;
            }
            if (i == 0) {
                throw new IllegalStateException("unbounded last gap missing");
            }
            i++;
        }
    }

    /** Max gap length over gap indices {@code [lo, hi]}. */
    private long rangeMax(int lo, int hi) {
        long best = Long.MIN_VALUE;
        int l = lo + leaves;
        int r = hi + leaves + 1;
        while (l < r) {
            if ((l & 1) == 1) {
                best = Math.max(best, tree[l++]);
            }
            if ((r & 1) == 1) {
                best = Math.max(best, tree[--r]);
            }
            l >>>= 1;
            r >>>= 1;
        }
        return best;
    }
}
