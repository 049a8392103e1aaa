package org.xdv.cdcr.q.sim;

/**
 * The SplitMix64 generator (Steele, Lea and Flood, "Fast splittable pseudorandom number generators", 2014),
 * written out here so that its output is fixed by this file rather than by a JDK version.
 *
 * <p>State {@code s} advances by the golden-ratio increment {@code 0x9E3779B97F4A7C15}; each output is
 * {@link #mix64(long)} of the new state. {@link #nextDouble()} takes the top 53 bits:
 * {@code (nextLong() >>> 11) * 2^-53}, uniform in [0, 1).
 */
public final class SplitMix64 {

    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private long state;

    public SplitMix64(long seed) {
        this.state = seed;
    }

    /**
     * The generator of shot {@code shot} in per-shot mode: seeded with {@code mix64(seed + (shot + 1) · GOLDEN)},
     * so each shot has its own stream that does not depend on how many draws earlier shots took.
     */
    public static SplitMix64 forShot(long seed, long shot) {
        return new SplitMix64(mix64(seed + (shot + 1) * GOLDEN));
    }

    public long nextLong() {
        state += GOLDEN;
        return mix64(state);
    }

    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** The SplitMix64 finaliser (variant 13 of Stafford's mixers). */
    public static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
