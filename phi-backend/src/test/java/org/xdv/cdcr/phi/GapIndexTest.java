package org.xdv.cdcr.phi;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

class GapIndexTest {

    private static final int SPACE = 600;

    @Provide
    Arbitrary<List<long[]>> intervals() {
        Arbitrary<long[]> one = Combinators.combine(
                        Arbitraries.integers().between(0, SPACE - 60), Arbitraries.integers().between(1, 60))
                .as((s, l) -> new long[] {s, s + l});
        return one.list().ofMaxSize(40);
    }

    @Property(tries = 300)
    void agreesWithASlotBitmap(@ForAll("intervals") List<long[]> intervals,
                               @ForAll @IntRange(max = SPACE) int from,
                               @ForAll @IntRange(min = 1, max = 80) int len,
                               @ForAll @IntRange(min = 1, max = SPACE) int width) {
        List<long[]> sorted = new ArrayList<>(intervals);
        sorted.sort(Comparator.comparingLong(a -> a[0]));
        long[] starts = sorted.stream().mapToLong(a -> a[0]).toArray();
        long[] ends = sorted.stream().mapToLong(a -> a[1]).toArray();
        GapIndex index = GapIndex.of(starts, ends, starts.length);

        boolean[] busy = new boolean[SPACE * 3];
        for (long[] iv : intervals) {
            Arrays.fill(busy, (int) iv[0], (int) iv[1], true);
        }
        long expectedFree = -1;
        int run = 0;
        for (int s = from; s < busy.length; s++) {
            run = busy[s] ? 0 : run + 1;
            if (run == len) {
                expectedFree = s - len + 1;
                break;
            }
        }
        assertThat(index.earliestFree(from, len)).isEqualTo(expectedFree);

        int to = from + width;
        long busyCount = 0;
        long longest = 0;
        List<Long> runs = new ArrayList<>();
        run = 0;
        for (int s = from; s < to; s++) {
            if (busy[s]) {
                busyCount++;
                if (run > 0) {
                    runs.add((long) (s - run));
                    runs.add((long) s);
                }
                run = 0;
            } else {
                run++;
                longest = Math.max(longest, run);
            }
        }
        if (run > 0) {
            runs.add((long) (to - run));
            runs.add((long) to);
        }
        assertThat(index.busyWithin(from, to)).isEqualTo(busyCount);
        assertThat(index.longestFreeWithin(from, to)).isEqualTo(longest);
        assertThat(index.freeRunsWithin(from, to)).containsExactly(runs.stream().mapToLong(Long::longValue).toArray());
    }
}
