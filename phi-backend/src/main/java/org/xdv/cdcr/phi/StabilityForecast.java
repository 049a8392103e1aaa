package org.xdv.cdcr.phi;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The stability forecast of one Φ channel of one node: a value in [0, 1] for every slot ≥ 0, and the only
 * stability input the allocator ever reads.
 *
 * <p>GOALS: deterministic on every JVM (a pure function of config, node id, channel and slot), cheap to query
 * at any slot the allocator looks at, and cheap to answer "is every slot of this window ≥ floor?".
 *
 * <p>ALGORITHM (normative; changing it changes every placement):
 * <ol>
 *   <li>Seed: {@code seed = mix64(fnv1a64(utf8(nodeId)) ^ mix64(forecastSeed + (channel + 1) * GOLDEN_GAMMA))},
 *       see {@link SplitMix64}.</li>
 *   <li>Innovation at slot {@code j} (any long, also negative): {@code ε_j = (2u − 1)·√3} with
 *       {@code u = unit(SplitMix64.at(seed, j))}, i.e. uniform with mean 0 and variance 1.</li>
 *   <li>Slots are grouped in chunks of {@value #CHUNK} slots. For chunk {@code c} (first slot
 *       {@code b = c·4096}) the discrete Ornstein-Uhlenbeck walk
 *       {@code x ← μ + (1−θ)(x − μ) + σ·ε_j} is started at {@code x = μ} at slot {@code b − W} and stepped for
 *       {@code j = b−W .. b+4095}; the forecast at slot {@code j ≥ b} is {@code clamp(x_j, 0, 1)}.
 *       {@code W} ("warm-up") is the smallest {@code n ≥ 1} with {@code (1−θ)^n < 1e-9} (computed by repeated
 *       multiplication), capped at {@value #MAX_WARMUP}, so the restart at a chunk boundary is invisible for
 *       all practical θ.</li>
 * </ol>
 * Java double arithmetic is IEEE-754 strict (no fused multiply-add is introduced by the JIT), so the values
 * are bit-identical everywhere.
 *
 * <p>Chunks are computed on demand and memoised in a small direct-mapped cache, together with the minimum and
 * maximum of every block of {@value #BLOCK} slots; window queries skip whole blocks and chunks whose minimum
 * (or maximum) settles the answer. The cache is invisible from outside: a fresh instance answers the same.
 * Instances are thread-safe.
 */
public final class StabilityForecast {

    /** Slots per cached chunk (part of the normative definition, see class doc). */
    public static final int CHUNK = 4096;
    /** Slots per block summarised by a min and a max. */
    public static final int BLOCK = 64;
    /** Upper bound of the warm-up length W. */
    public static final int MAX_WARMUP = 1 << 16;

    private static final int CHUNK_BITS = 12;
    private static final long CHUNK_MASK = CHUNK - 1;
    private static final int BLOCK_BITS = 6;
    private static final int BLOCK_MASK = BLOCK - 1;
    private static final int BLOCKS_PER_CHUNK = CHUNK / BLOCK;
    private static final double SQRT3 = Math.sqrt(3.0);

    private final String nodeId;
    private final int channel;
    private final long seed;
    private final double mean;
    private final double keep;
    private final double volatility;
    private final int warmup;
    private final AtomicReferenceArray<Chunk> cache;
    private final int cacheMask;

    private StabilityForecast(PhiConfig config, String nodeId, int channel) {
        this.nodeId = nodeId;
        this.channel = channel;
        this.seed = seedFor(nodeId, channel, config.forecastSeed());
        this.mean = config.mean();
        this.keep = 1.0 - config.reversion();
        this.volatility = config.volatility();
        this.warmup = warmupFor(keep);
        int wanted = (int) Math.min(256, config.searchHorizonSlots() / CHUNK + 3);
        int size = Integer.highestOneBit(Math.max(4, wanted - 1)) << 1;
        this.cache = new AtomicReferenceArray<>(size);
        this.cacheMask = size - 1;
    }

    /** The forecast of {@code channel} on {@code nodeId}; throws {@link PhiException} for bad arguments. */
    public static StabilityForecast of(PhiConfig config, String nodeId, int channel) {
        Objects.requireNonNull(config, "config");
        if (nodeId == null || nodeId.isBlank()) {
            throw new PhiException(PhiError.of(PhiError.Reason.INVALID_NODE, "nodeId", "must not be blank"));
        }
        if (channel < 0 || channel >= config.channels()) {
            throw new PhiException(PhiError.of(PhiError.Reason.UNKNOWN_CHANNEL, "channel",
                    "channel " + channel + " not in [0, " + config.channels() + ")"));
        }
        return new StabilityForecast(config, nodeId, channel);
    }

    /** The seed of the forecast of ({@code nodeId}, {@code channel}); see the class doc. */
    public static long seedFor(String nodeId, int channel, long forecastSeed) {
        return SplitMix64.mix64(SplitMix64.fnv1a64(nodeId)
                ^ SplitMix64.mix64(forecastSeed + (channel + 1L) * SplitMix64.GOLDEN_GAMMA));
    }

    static int warmupFor(double keep) {
        double r = 1.0;
        int n = 0;
        do {
            r *= keep;
            n++;
        } while (r >= 1e-9 && n < MAX_WARMUP);
        return n;
    }

    public String nodeId() {
        return nodeId;
    }

    public int channel() {
        return channel;
    }

    /** Forecast stability at {@code slot} (≥ 0), in [0, 1]. */
    public double at(long slot) {
        requireSlot(slot, "slot");
        return chunk(slot >>> CHUNK_BITS).values[(int) (slot & CHUNK_MASK)];
    }

    /** Minimum forecast over {@code [from, to)}; {@code from < to}. */
    public double min(long from, long to) {
        requireRange(from, to);
        double m = Double.POSITIVE_INFINITY;
        long s = from;
        while (s < to) {
            Chunk ch = chunk(s >>> CHUNK_BITS);
            long chunkStart = s & ~CHUNK_MASK;
            if (s == chunkStart && to - s >= CHUNK) {
                m = Math.min(m, ch.min);
                s += CHUNK;
                continue;
            }
            int i = (int) (s & CHUNK_MASK);
            if ((i & BLOCK_MASK) == 0 && to - s >= BLOCK) {
                m = Math.min(m, ch.blockMin[i >>> BLOCK_BITS]);
                s += BLOCK;
                continue;
            }
            m = Math.min(m, ch.values[i]);
            s++;
        }
        return m;
    }

    /** Maximum forecast over {@code [from, to)}; {@code from < to}. */
    public double max(long from, long to) {
        requireRange(from, to);
        double m = Double.NEGATIVE_INFINITY;
        long s = from;
        while (s < to) {
            Chunk ch = chunk(s >>> CHUNK_BITS);
            long chunkStart = s & ~CHUNK_MASK;
            if (s == chunkStart && to - s >= CHUNK) {
                m = Math.max(m, ch.max);
                s += CHUNK;
                continue;
            }
            int i = (int) (s & CHUNK_MASK);
            if ((i & BLOCK_MASK) == 0 && to - s >= BLOCK) {
                m = Math.max(m, ch.blockMax[i >>> BLOCK_BITS]);
                s += BLOCK;
                continue;
            }
            m = Math.max(m, ch.values[i]);
            s++;
        }
        return m;
    }

    /** The last slot in {@code [from, to)} whose forecast is below {@code floor}, or -1 if there is none. */
    public long lastBelow(long from, long to, double floor) {
        requireRange(from, to);
        long s = to - 1;
        while (s >= from) {
            Chunk ch = chunk(s >>> CHUNK_BITS);
            long chunkStart = s & ~CHUNK_MASK;
            if (ch.min >= floor) {
                s = chunkStart - 1;
                continue;
            }
            int i = (int) (s & CHUNK_MASK);
            long blockStart = s - (i & BLOCK_MASK);
            if (ch.blockMin[i >>> BLOCK_BITS] >= floor) {
                s = blockStart - 1;
                continue;
            }
            long lo = Math.max(from, blockStart);
            for (; s >= lo; s--) {
                if (ch.values[(int) (s & CHUNK_MASK)] < floor) {
                    return s;
                }
            }
        }
        return -1;
    }

    /** The first slot in {@code [from, to)} whose forecast is below {@code floor}, or -1 if there is none. */
    public long firstBelow(long from, long to, double floor) {
        requireRange(from, to);
        long s = from;
        while (s < to) {
            Chunk ch = chunk(s >>> CHUNK_BITS);
            if (ch.min >= floor) {
                s = (s & ~CHUNK_MASK) + CHUNK;
                continue;
            }
            int i = (int) (s & CHUNK_MASK);
            long blockEnd = s - (i & BLOCK_MASK) + BLOCK;
            if (ch.blockMin[i >>> BLOCK_BITS] >= floor) {
                s = blockEnd;
                continue;
            }
            long hi = Math.min(to, blockEnd);
            for (; s < hi; s++) {
                if (ch.values[(int) (s & CHUNK_MASK)] < floor) {
                    return s;
                }
            }
        }
        return -1;
    }

    /**
     * The first slot in {@code [from, bound)} whose forecast is at least {@code floor}, or {@code bound} if there
     * is none.
     */
    public long firstAtLeast(long from, long bound, double floor) {
        requireSlot(from, "from");
        long s = from;
        while (s < bound) {
            Chunk ch = chunk(s >>> CHUNK_BITS);
            if (ch.max < floor) {
                s = (s & ~CHUNK_MASK) + CHUNK;
                continue;
            }
            int i = (int) (s & CHUNK_MASK);
            long blockEnd = s - (i & BLOCK_MASK) + BLOCK;
            if (ch.blockMax[i >>> BLOCK_BITS] < floor) {
                s = blockEnd;
                continue;
            }
            long hi = Math.min(bound, blockEnd);
            for (; s < hi; s++) {
                if (ch.values[(int) (s & CHUNK_MASK)] >= floor) {
                    return s;
                }
            }
        }
        return bound;
    }

    private static void requireSlot(long slot, String field) {
        if (slot < 0) {
            throw new PhiException(PhiError.of(PhiError.Reason.INVALID_SLOT, field, "must be >= 0, was " + slot));
        }
    }

    private static void requireRange(long from, long to) {
        requireSlot(from, "from");
        if (to <= from) {
            throw new PhiException(PhiError.of(PhiError.Reason.INVALID_SLOT, "to",
                    "must be > from (" + from + "), was " + to));
        }
    }

    private Chunk chunk(long c) {
        int slot = (int) (c & cacheMask);
        Chunk cached = cache.get(slot);
        if (cached != null && cached.index == c) {
            return cached;
        }
        Chunk computed = compute(c);
        cache.set(slot, computed);
        return computed;
    }

    private Chunk compute(long c) {
        long base = c << CHUNK_BITS;
        double x = mean;
        for (long j = base - warmup; j < base; j++) {
            x = mean + keep * (x - mean) + volatility * innovation(j);
        }
        double[] values = new double[CHUNK];
        double[] blockMin = new double[BLOCKS_PER_CHUNK];
        double[] blockMax = new double[BLOCKS_PER_CHUNK];
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (int b = 0; b < BLOCKS_PER_CHUNK; b++) {
            double bMin = Double.POSITIVE_INFINITY;
            double bMax = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < BLOCK; k++) {
                int i = (b << BLOCK_BITS) + k;
                x = mean + keep * (x - mean) + volatility * innovation(base + i);
                double v = x < 0.0 ? 0.0 : (x > 1.0 ? 1.0 : x);
                values[i] = v;
                bMin = Math.min(bMin, v);
                bMax = Math.max(bMax, v);
            }
            blockMin[b] = bMin;
            blockMax[b] = bMax;
            min = Math.min(min, bMin);
            max = Math.max(max, bMax);
        }
        return new Chunk(c, values, blockMin, blockMax, min, max);
    }

    private double innovation(long j) {
        return (2.0 * SplitMix64.unit(SplitMix64.at(seed, j)) - 1.0) * SQRT3;
    }

    @Override
    public String toString() {
        return "StabilityForecast[" + nodeId + "/phi" + channel + "]";
    }

    /** One memoised chunk; immutable after construction (published through the atomic array). */
    private static final class Chunk {
        final long index;
        final double[] values;
        final double[] blockMin;
        final double[] blockMax;
        final double min;
        final double max;

        Chunk(long index, double[] values, double[] blockMin, double[] blockMax, double min, double max) {
            this.index = index;
            this.values = values;
            this.blockMin = blockMin;
            this.blockMax = blockMax;
            this.min = min;
            this.max = max;
        }
    }
}
