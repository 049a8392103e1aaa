package org.xdv.cdcr.phi;

/**
 * Static configuration of the Φ resources of one node.
 *
 * <p>Everything except {@link #slotMillis()} and {@link #noiseSigma()} feeds decisions. {@code slotMillis} is
 * only used to map logical slots onto the wall clock when an envelope executes, and {@code noiseSigma} only
 * shapes the observed ("physical") stability stream; the allocator reads neither.
 *
 * @param channels           number of Φ channels of the node, numbered {@code 0 .. channels-1}; 1..4096
 * @param mean               long-run mean μ of the stability forecast, in [0, 1]
 * @param reversion          mean-reversion rate θ of the forecast walk, in (0, 1] (1 = no memory)
 * @param volatility         step standard deviation σ of the forecast walk, finite, ≥ 0
 * @param noiseSigma         standard deviation of the observed noise around the forecast, finite, ≥ 0
 * @param slotMillis         wall-clock length of one slot in milliseconds, &gt; 0 (execution only)
 * @param searchHorizonSlots how far past {@code fromSlot} a reservation may end; 1 .. 2^24
 * @param forecastSeed       cluster-wide salt mixed into every forecast seed (change it to get another world)
 */
public record PhiConfig(int channels, double mean, double reversion, double volatility, double noiseSigma,
                        long slotMillis, long searchHorizonSlots, long forecastSeed) {

    /** Largest accepted {@link #searchHorizonSlots()}. */
    public static final long MAX_SEARCH_HORIZON = 1L << 24;
    /** Largest accepted {@link #channels()}. */
    public static final int MAX_CHANNELS = 4096;

    public PhiConfig {
        require(channels >= 1 && channels <= MAX_CHANNELS, "channels",
                "must be in [1, " + MAX_CHANNELS + "], was " + channels);
        require(mean >= 0.0 && mean <= 1.0, "mean", "must be in [0, 1], was " + mean);
        require(reversion > 0.0 && reversion <= 1.0, "reversion", "must be in (0, 1], was " + reversion);
        require(volatility >= 0.0 && Double.isFinite(volatility), "volatility",
                "must be finite and >= 0, was " + volatility);
        require(noiseSigma >= 0.0 && Double.isFinite(noiseSigma), "noiseSigma",
                "must be finite and >= 0, was " + noiseSigma);
        require(slotMillis > 0, "slotMillis", "must be > 0, was " + slotMillis);
        require(searchHorizonSlots >= 1 && searchHorizonSlots <= MAX_SEARCH_HORIZON, "searchHorizonSlots",
                "must be in [1, " + MAX_SEARCH_HORIZON + "], was " + searchHorizonSlots);
    }

    /**
     * Defaults for a node with {@code channels} channels: μ = 0.9, θ = 0.05, σ = 0.02 (stationary spread about
     * 0.064), observed noise 0.03, 10 ms slots, 65,536-slot search horizon, seed 0.
     */
    public static PhiConfig defaults(int channels) {
        return new PhiConfig(channels, 0.9, 0.05, 0.02, 0.03, 10, 65_536, 0L);
    }

    public PhiConfig withChannels(int newChannels) {
        return new PhiConfig(newChannels, mean, reversion, volatility, noiseSigma, slotMillis, searchHorizonSlots,
                forecastSeed);
    }

    public PhiConfig withForecast(double newMean, double newReversion, double newVolatility) {
        return new PhiConfig(channels, newMean, newReversion, newVolatility, noiseSigma, slotMillis,
                searchHorizonSlots, forecastSeed);
    }

    public PhiConfig withNoiseSigma(double newNoiseSigma) {
        return new PhiConfig(channels, mean, reversion, volatility, newNoiseSigma, slotMillis, searchHorizonSlots,
                forecastSeed);
    }

    public PhiConfig withSearchHorizonSlots(long newHorizon) {
        return new PhiConfig(channels, mean, reversion, volatility, noiseSigma, slotMillis, newHorizon,
                forecastSeed);
    }

    public PhiConfig withForecastSeed(long newSeed) {
        return new PhiConfig(channels, mean, reversion, volatility, noiseSigma, slotMillis, searchHorizonSlots,
                newSeed);
    }

    private static void require(boolean ok, String field, String message) {
        if (!ok) {
            throw new PhiException(PhiError.of(PhiError.Reason.INVALID_CONFIG, field, message));
        }
    }
}
