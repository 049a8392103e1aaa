package org.xdv.cdcr.q.sim;

/**
 * How the {@link Simulator} runs: whether it fuses gates, and how many threads it uses for large states.
 *
 * <p>Neither option changes results beyond floating-point rounding: every kernel computes each amplitude with
 * the same arithmetic whatever the thread count (so thread count never changes a bit of the state), and the
 * fused path agrees with the unfused one to about 1e-12 per amplitude.
 *
 * @param fusion  merge gates into fused blocks (1-qubit runs, dense k-qubit blocks, cache-resident tiles)
 * @param threads worker threads for states of at least {@value StateVector#PARALLEL_MIN_AMPLITUDES} amplitudes
 */
public record SimOptions(boolean fusion, int threads) {

    public SimOptions {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, was " + threads);
        }
    }

    /** Fusion on, one thread per available processor. */
    public static SimOptions defaults() {
        return new SimOptions(true, Runtime.getRuntime().availableProcessors());
    }

    /** Every gate applied on its own, one kernel pass each: the reference path. */
    public static SimOptions unfused(int threads) {
        return new SimOptions(false, threads);
    }

    /** Fusion on with the given number of threads. */
    public static SimOptions fused(int threads) {
        return new SimOptions(true, threads);
    }
}
