package org.xdv.cdcr.phi.bench;

import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.xdv.cdcr.phi.Envelope;
import org.xdv.cdcr.phi.EnvelopeRequest;
import org.xdv.cdcr.phi.PhiAllocator;
import org.xdv.cdcr.phi.PhiConfig;
import org.xdv.cdcr.phi.PhiOutcome;
import org.xdv.cdcr.phi.Placement;
import org.xdv.cdcr.phi.SharingContracts;

/**
 * Feasibility checks ("could this request fit, and where") on a one-channel node holding 1,000 live envelopes of
 * eight tenants (every tenth envelope of t0 names t1 under a mutual contract), with the default forecast
 * (μ 0.9, θ 0.05, σ 0.02) and a 65,536-slot search horizon. Requests cycle through 1,024 pre-generated ones:
 * lengths 1–256 slots, floors 0.70–0.90, start slots spread over the whole packed region (so many checks must
 * skip dense runs of envelopes and forecast dips before they find a window).
 *
 * <ul>
 *   <li>{@code feasibleStrict}: requests without overlap permission (the common case, gap index only).</li>
 *   <li>{@code feasibleContracted}: t1 requests naming t0 (gap index of non-permitting envelopes, then the
 *       permitting ones checked one by one).</li>
 *   <li>{@code reserve}: a full reservation (search plus copy-on-write of the channel), for scale.</li>
 * </ul>
 * Run: {@code mvn -B -q -pl phi-backend test-compile exec:exec@jmh} (see docs/phi.md).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class PhiFeasibilityBenchmark {

    static final int LIVE_ENVELOPES = 1_000;
    static final int REQUESTS = 1_024;

    PhiAllocator allocator;
    SharingContracts contracts;
    EnvelopeRequest[] strict;
    EnvelopeRequest[] contracted;
    long[] from;
    long busyEnd;
    int next;

    @Setup(Level.Trial)
    public void setUp() {
        contracts = SharingContracts.mutualPairs("t0", "t1");
        PhiAllocator a = PhiAllocator.empty(PhiConfig.defaults(1), "bench-node");
        SplittableRandom rnd = new SplittableRandom(20_240_611L);
        int n = 0;
        int serial = 0;
        while (n < LIVE_ENVELOPES) {
            int tenant = rnd.nextInt(8);
            EnvelopeRequest r = EnvelopeRequest.of("t" + tenant, "t" + tenant + "/c" + serial, 1 + rnd.nextInt(64),
                    0.70 + rnd.nextInt(15) * 0.01);
            if (tenant == 0 && serial % 10 == 0) {
                r = r.sharingWith("t1");
            }
            serial++;
            PhiOutcome<Envelope> o = a.reserve(r, rnd.nextInt(40_000), contracts);
            if (o.accepted()) {
                a = o.state();
                n++;
            }
        }
        allocator = a;
        for (Envelope e : a.envelopes()) {
            busyEnd = Math.max(busyEnd, e.endSlot());
        }
        strict = new EnvelopeRequest[REQUESTS];
        contracted = new EnvelopeRequest[REQUESTS];
        from = new long[REQUESTS];
        for (int i = 0; i < REQUESTS; i++) {
            int tenant = 2 + rnd.nextInt(6);
            long len = 1 + rnd.nextInt(256);
            double floor = 0.70 + rnd.nextInt(21) * 0.01;
            strict[i] = EnvelopeRequest.of("t" + tenant, "t" + tenant + "/q" + i, len, floor);
            contracted[i] = EnvelopeRequest.of("t1", "t1/q" + i, len, floor).sharingWith("t0");
            from[i] = rnd.nextLong(busyEnd);
        }
        if (a.envelopes(0).size() != LIVE_ENVELOPES) {
            throw new IllegalStateException("expected " + LIVE_ENVELOPES + " live envelopes");
        }
    }

    @Benchmark
    public Optional<Placement> feasibleStrict() {
        int i = next++ & (REQUESTS - 1);
        return allocator.feasible(strict[i], from[i], contracts);
    }

    @Benchmark
    public Optional<Placement> feasibleContracted() {
        int i = next++ & (REQUESTS - 1);
        return allocator.feasible(contracted[i], from[i], contracts);
    }

    @Benchmark
    public PhiOutcome<Envelope> reserve() {
        int i = next++ & (REQUESTS - 1);
        return allocator.reserve(strict[i], from[i], contracts);
    }
}
