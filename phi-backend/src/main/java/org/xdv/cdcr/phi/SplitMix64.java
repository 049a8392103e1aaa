package org.xdv.cdcr.phi;

import java.nio.charset.StandardCharsets;

/**
 * The only source of pseudo-randomness in the Φ backend: SplitMix64 (Steele, Lea, Flood, "Fast splittable
 * pseudorandom number generators", OOPSLA 2014), used <em>counter-based</em>, so that value number {@code i} of a
 * stream is a pure function of {@code (seed, i)} and never depends on how many values were drawn before.
 *
 * <p>Value {@code i} (0-based) of the stream with seed {@code s} is {@code mix64(s + (i + 1) * GOLDEN_GAMMA)},
 * which is exactly the {@code (i+1)}-th {@code nextLong()} of {@code new java.util.SplittableRandom(s)} (whose
 * algorithm the JDK specifies); the tests check that equivalence.
 *
 * <p>Seeds are derived from strings with 64-bit FNV-1a over the UTF-8 bytes (offset basis
 * {@code 0xcbf29ce484222325}, prime {@code 0x100000001b3}), not with {@code String.hashCode}, to get 64 bits.
 */
public final class SplitMix64 {

    /** The odd constant 2^64 / φ used as SplitMix64's increment. */
    public static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;

    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;
    private static final double TWO_POW_MINUS_53 = 0x1.0p-53;

    private SplitMix64() {
    }

    /** SplitMix64's finaliser (Stafford's "variant 13"), a bijection on 64-bit values. */
    public static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /** Value number {@code index} (0-based, any long) of the stream seeded with {@code seed}. */
    public static long at(long seed, long index) {
        return mix64(seed + (index + 1) * GOLDEN_GAMMA);
    }

    /** Uniform double in [0, 1) from the top 53 bits of {@code bits}. */
    public static double unit(long bits) {
        return (bits >>> 11) * TWO_POW_MINUS_53;
    }

    /** 64-bit FNV-1a hash of the UTF-8 encoding of {@code s}. */
    public static long fnv1a64(String s) {
        long h = FNV_OFFSET;
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h ^= (b & 0xff);
            h *= FNV_PRIME;
        }
        return h;
    }
}
