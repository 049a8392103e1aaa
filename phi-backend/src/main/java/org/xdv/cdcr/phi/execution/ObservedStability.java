package org.xdv.cdcr.phi.execution;

import java.util.Objects;
import org.xdv.cdcr.phi.PhiConfig;
import org.xdv.cdcr.phi.PhiError;
import org.xdv.cdcr.phi.PhiException;
import org.xdv.cdcr.phi.SplitMix64;
import org.xdv.cdcr.phi.StabilityForecast;

/**
 * The stability a running container actually experiences on a node's Φ channels: the forecast plus seeded
 * "physical" noise. This is execution-side only: nothing in {@code org.xdv.cdcr.phi} (the allocator) may read it
 * (an ArchUnit test guards that), so physical variation can never change a placement (spec §10).
 *
 * <p>Observed value at slot {@code s} of channel {@code ch}:
 * {@code clamp(forecast(s) + noiseSigma · z_s, 0, 1)} where {@code z_s} is a standard normal from Box–Muller over
 * two SplitMix64 values of the noise stream: {@code u1 = unit(at(k, 2s))}, {@code u2 = unit(at(k, 2s+1))},
 * {@code z = sqrt(−2 ln(1 − u1)) · cos(2π u2)} (with {@code StrictMath}, so bit-identical on every JVM), and the
 * noise seed is {@code k = mix64(forecastSeed(node, ch) ^ mix64(runSeed ^ 0x5048492d4e4f4953))}. So the stream is a
 * pure function of (config, node, channel, slot, run seed): a run is reproducible given its run seed, and two
 * runs with different run seeds see different physics over the same placements.
 */
public final class ObservedStability {

    private static final long NOISE_SALT = 0x5048492d4e4f4953L; // "PHI-NOIS"
    private static final double TWO_PI = 2.0 * StrictMath.PI;

    private final PhiConfig config;
    private final String nodeId;
    private final long runSeed;
    private final StabilityForecast[] forecasts;
    private final long[] noiseSeeds;

    public ObservedStability(PhiConfig config, String nodeId, long runSeed) {
        this.config = Objects.requireNonNull(config, "config");
        if (nodeId == null || nodeId.isBlank()) {
            throw new PhiException(new PhiError(PhiError.Reason.INVALID_NODE, "nodeId", "must not be blank"));
        }
        this.nodeId = nodeId;
        this.runSeed = runSeed;
        this.forecasts = new StabilityForecast[config.channels()];
        this.noiseSeeds = new long[config.channels()];
        for (int ch = 0; ch < forecasts.length; ch++) {
            forecasts[ch] = StabilityForecast.of(config, nodeId, ch);
            noiseSeeds[ch] = noiseSeed(nodeId, ch, config.forecastSeed(), runSeed);
        }
    }

    /** Seed of the noise stream of ({@code nodeId}, {@code channel}) in the run {@code runSeed}. */
    public static long noiseSeed(String nodeId, int channel, long forecastSeed, long runSeed) {
        return SplitMix64.mix64(StabilityForecast.seedFor(nodeId, channel, forecastSeed)
                ^ SplitMix64.mix64(runSeed ^ NOISE_SALT));
    }

    public String nodeId() {
        return nodeId;
    }

    public long runSeed() {
        return runSeed;
    }

    public PhiConfig config() {
        return config;
    }

    /** The forecast component of channel {@code channel} (same values the allocator uses). */
    public StabilityForecast forecast(int channel) {
        checkChannel(channel);
        return forecasts[channel];
    }

    /** Observed stability of {@code channel} at {@code slot} (≥ 0), in [0, 1]. */
    public double at(int channel, long slot) {
        checkChannel(channel);
        if (slot < 0) {
            throw new PhiException(new PhiError(PhiError.Reason.INVALID_SLOT, "slot", "must be >= 0, was " + slot));
        }
        double v = forecasts[channel].at(slot) + config.noiseSigma() * gaussian(noiseSeeds[channel], slot);
        return v < 0.0 ? 0.0 : (v > 1.0 ? 1.0 : v);
    }

    static double gaussian(long seed, long slot) {
        double u1 = SplitMix64.unit(SplitMix64.at(seed, 2 * slot));
        double u2 = SplitMix64.unit(SplitMix64.at(seed, 2 * slot + 1));
        return StrictMath.sqrt(-2.0 * StrictMath.log(1.0 - u1)) * StrictMath.cos(TWO_PI * u2);
    }

    private void checkChannel(int channel) {
        if (channel < 0 || channel >= forecasts.length) {
            throw new PhiException(new PhiError(PhiError.Reason.UNKNOWN_CHANNEL, "channel",
                    "node " + nodeId + " has channels [0, " + forecasts.length + "), not " + channel));
        }
    }
}
