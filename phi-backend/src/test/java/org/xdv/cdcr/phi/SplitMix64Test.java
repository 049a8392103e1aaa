package org.xdv.cdcr.phi;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class SplitMix64Test {

    @Test
    void matchesThePublishedReferenceValues() {
        // splitmix64.c (Vigna) seeded with 0: first output
        assertThat(SplitMix64.at(0, 0)).isEqualTo(0xe220a8397b1dcdafL);
        // FNV-1a 64 test vectors
        assertThat(SplitMix64.fnv1a64("")).isEqualTo(0xcbf29ce484222325L);
        assertThat(SplitMix64.fnv1a64("a")).isEqualTo(0xaf63dc4c8601ec8cL);
        assertThat(SplitMix64.fnv1a64("foobar")).isEqualTo(0x85944171f73967e8L);
    }

    @Property(tries = 50)
    void valueIisTheIplus1thNextLongOfSplittableRandom(@ForAll long seed, @ForAll @IntRange(max = 300) int i) {
        SplittableRandom r = new SplittableRandom(seed);
        long expected = 0;
        for (int k = 0; k <= i; k++) {
            expected = r.nextLong();
        }
        assertThat(SplitMix64.at(seed, i)).isEqualTo(expected);
    }

    @Property(tries = 50)
    void unitIsInTheHalfOpenUnitInterval(@ForAll long bits) {
        assertThat(SplitMix64.unit(bits)).isGreaterThanOrEqualTo(0.0).isLessThan(1.0);
    }
}
