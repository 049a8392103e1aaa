package org.xdv.cdcr.phi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class StabilityForecastTest {

    private static final PhiConfig DEFAULTS = PhiConfig.defaults(2);

    @Test
    void valuesArePinnedBySpecification() {
        // Golden values: if one changes, every placement decision of every journal changes with it.
        StabilityForecast f = StabilityForecast.of(DEFAULTS, "node-1", 0);
        assertThat(f.at(0)).isEqualTo(0x1.d56491216c9dbp-1);
        assertThat(f.at(4095)).isEqualTo(0x1.b79568161ca12p-1);
        assertThat(f.at(4096)).isEqualTo(0x1.a7c11ab1fae1fp-1);
        assertThat(f.at(100_000)).isEqualTo(0x1.f01b63d08344p-1);
        assertThat(StabilityForecast.seedFor("node-1", 0, 0)).isEqualTo(0xd21b19a6df72d6dfL);
    }

    @Test
    void freshInstancesAgreeWhateverTheQueryOrder() {
        StabilityForecast forward = StabilityForecast.of(DEFAULTS, "node-1", 1);
        StabilityForecast backward = StabilityForecast.of(DEFAULTS, "node-1", 1);
        double[] fw = new double[200];
        for (int i = 0; i < fw.length; i++) {
            fw[i] = forward.at(i * 1_237L);
        }
        for (int i = fw.length - 1; i >= 0; i--) {
            assertThat(backward.at(i * 1_237L)).isEqualTo(fw[i]);
        }
        // far away and back again (cache eviction must not matter)
        double far = forward.at(10_000_000_000L);
        assertThat(forward.at(0)).isEqualTo(fw[0]);
        assertThat(StabilityForecast.of(DEFAULTS, "node-1", 1).at(10_000_000_000L)).isEqualTo(far);
    }

    @Test
    void nodesAndChannelsHaveTheirOwnStreams() {
        StabilityForecast a = StabilityForecast.of(DEFAULTS, "node-1", 0);
        StabilityForecast b = StabilityForecast.of(DEFAULTS, "node-1", 1);
        StabilityForecast c = StabilityForecast.of(DEFAULTS, "node-2", 0);
        StabilityForecast d = StabilityForecast.of(DEFAULTS.withForecastSeed(1), "node-1", 0);
        int differB = 0;
        int differC = 0;
        int differD = 0;
        for (long s = 0; s < 1000; s++) {
            differB += a.at(s) != b.at(s) ? 1 : 0;
            differC += a.at(s) != c.at(s) ? 1 : 0;
            differD += a.at(s) != d.at(s) ? 1 : 0;
        }
        assertThat(differB).isGreaterThan(990);
        assertThat(differC).isGreaterThan(990);
        assertThat(differD).isGreaterThan(990);
    }

    @Test
    void revertsToTheMeanWithTheExpectedSpreadAndSmallSteps() {
        StabilityForecast f = StabilityForecast.of(DEFAULTS, "node-1", 0);
        int n = 200_000;
        double sum = 0;
        double sq = 0;
        double maxStep = 0;
        double prev = f.at(0);
        for (long s = 0; s < n; s++) {
            double v = f.at(s);
            sum += v;
            sq += v * v;
            maxStep = Math.max(maxStep, Math.abs(v - prev));
            prev = v;
        }
        double mean = sum / n;
        double sd = Math.sqrt(sq / n - mean * mean);
        double stationary = 0.02 / Math.sqrt(1 - 0.95 * 0.95);
        assertThat(mean).isCloseTo(0.9, org.assertj.core.data.Offset.offset(0.01));
        // clamping at 1 trims the upper tail a little
        assertThat(sd).isBetween(0.7 * stationary, 1.1 * stationary);
        // a step is at most θ·|x − μ| + √3·σ, also across chunk boundaries (restart is invisible)
        assertThat(maxStep).isLessThan(0.05 * 0.9 + Math.sqrt(3) * 0.02 + 1e-9);
    }

    @Test
    void pureNoiseAndFlatConfigurations() {
        StabilityForecast flat = StabilityForecast.of(new PhiConfig(1, 0.7, 0.3, 0.0, 0.0, 1, 100, 0), "n", 0);
        assertThat(flat.at(12_345)).isEqualTo(0.7);
        assertThat(StabilityForecast.warmupFor(0.0)).isEqualTo(1);
        assertThat(StabilityForecast.warmupFor(0.95)).isEqualTo(405);
        assertThat(StabilityForecast.warmupFor(1.0 - 1e-9)).isEqualTo(StabilityForecast.MAX_WARMUP);
        StabilityForecast wild = StabilityForecast.of(new PhiConfig(1, 0.5, 1.0, 5.0, 0.0, 1, 100, 0), "n", 0);
        for (long s = 0; s < 5000; s++) {
            assertThat(wild.at(s)).isBetween(0.0, 1.0);
        }
    }

    @Test
    void badArgumentsAreTyped() {
        StabilityForecast f = StabilityForecast.of(DEFAULTS, "node-1", 0);
        assertThatThrownBy(() -> f.at(-1)).isInstanceOfSatisfying(PhiException.class,
                e -> assertThat(e.error().reason()).isEqualTo(PhiError.Reason.INVALID_SLOT));
        assertThatThrownBy(() -> f.min(5, 5)).isInstanceOf(PhiException.class);
        assertThatThrownBy(() -> StabilityForecast.of(DEFAULTS, "node-1", 2)).isInstanceOfSatisfying(
                PhiException.class, e -> assertThat(e.error().reason()).isEqualTo(PhiError.Reason.UNKNOWN_CHANNEL));
        assertThatThrownBy(() -> StabilityForecast.of(DEFAULTS, "", 0)).isInstanceOf(PhiException.class);
    }

    /** A volatile forecast, so that floors near the mean cut windows into many pieces. */
    private static final StabilityForecast VOLATILE =
            StabilityForecast.of(new PhiConfig(1, 0.8, 0.2, 0.08, 0.0, 1, 65_536, 3), "n", 0);

    @Property(tries = 300)
    void windowQueriesAgreeWithSlotBySlotScans(@ForAll @LongRange(max = 20_000) long from,
                                               @ForAll @IntRange(min = 1, max = 9_000) int len,
                                               @ForAll @DoubleRange(min = 0.5, max = 1.0) double floor) {
        long to = from + len;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        long lastBelow = -1;
        long firstBelow = -1;
        long firstAtLeast = to;
        for (long s = from; s < to; s++) {
            double v = VOLATILE.at(s);
            min = Math.min(min, v);
            max = Math.max(max, v);
            if (v < floor) {
                lastBelow = s;
                if (firstBelow < 0) {
                    firstBelow = s;
                }
            }
            if (v >= floor && firstAtLeast == to) {
                firstAtLeast = s;
            }
        }
        assertThat(VOLATILE.min(from, to)).isEqualTo(min);
        assertThat(VOLATILE.max(from, to)).isEqualTo(max);
        assertThat(VOLATILE.lastBelow(from, to, floor)).isEqualTo(lastBelow);
        assertThat(VOLATILE.firstBelow(from, to, floor)).isEqualTo(firstBelow);
        assertThat(VOLATILE.firstAtLeast(from, to, floor)).isEqualTo(firstAtLeast);
    }
}
