package org.xdv.cdcr.phi;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;

/**
 * Properties of the allocator over random call sequences (reserve / release / compact) by four tenants on a
 * three-channel node with a volatile forecast. Tenants t0–t1 and t1–t2 signed mutually; t3 signed naming t0 only.
 */
class PhiAllocatorPropertiesTest {

    static final String[] TENANTS = {"t0", "t1", "t2", "t3"};
    static final SharingContracts CONTRACTS = SharingContracts.mutualPairs("t0", "t1", "t1", "t2").sign("t3", "t0");
    static final PhiConfig CONFIG = new PhiConfig(3, 0.85, 0.1, 0.05, 0.02, 10, 2048, 11L);
    static final String NODE = "node-7";

    sealed interface Op permits Reserve, Release, Compact {
    }

    /** share = index of the tenant to share with, or -1; channel = -1 for any (3 is an unknown channel). */
    record Reserve(int tenant, int share, boolean self, int len, double floor, int channel, int fromDelta)
            implements Op {
        EnvelopeRequest request(int serial) {
            EnvelopeRequest r = new EnvelopeRequest(TENANTS[tenant], TENANTS[tenant] + "/c" + serial, len, floor,
                    share < 0 ? Optional.empty() : Optional.of(TENANTS[share]), self,
                    channel < 0 ? OptionalInt.empty() : OptionalInt.of(channel));
            return r;
        }
    }

    record Release(int pick, boolean wrongTenant) implements Op {
    }

    record Compact(int advance) implements Op {
    }

    @Provide
    Arbitrary<List<Op>> ops() {
        Arbitrary<Double> floors = Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.just(0.0)),
                Tuple.of(8, Arbitraries.doubles().between(0.6, 0.95)),
                Tuple.of(1, Arbitraries.just(1.0)));
        Arbitrary<Integer> channels = Arbitraries.frequencyOf(
                Tuple.of(8, Arbitraries.just(-1)),
                Tuple.of(3, Arbitraries.integers().between(0, 3)));
        Arbitrary<Integer> shares = Arbitraries.frequencyOf(
                Tuple.of(2, Arbitraries.just(-1)),
                Tuple.of(3, Arbitraries.integers().between(0, 3)));
        Arbitrary<Op> reserve = Combinators.combine(Arbitraries.integers().between(0, 3), shares,
                        Arbitraries.of(true, false), Arbitraries.integers().between(1, 150), floors, channels,
                        Arbitraries.integers().between(0, 400))
                .as(Reserve::new);
        Arbitrary<Op> release = Combinators.combine(Arbitraries.integers().between(0, 1000),
                        Arbitraries.frequencyOf(Tuple.of(5, Arbitraries.just(false)), Tuple.of(1, Arbitraries.just(true))))
                .as(Release::new);
        Arbitrary<Op> compact = Arbitraries.integers().between(0, 300).map(Compact::new);
        return Arbitraries.frequencyOf(Tuple.of(7, reserve), Tuple.of(2, release), Tuple.of(1, compact))
                .list().ofMinSize(1).ofMaxSize(45);
    }

    /** Runs the ops, checking each outcome against the slot-by-slot oracle; returns a transcript of outcomes. */
    static List<String> run(PhiAllocatorTestContext ctx, List<Op> ops) {
        List<String> transcript = new ArrayList<>();
        int serial = 0;
        for (Op op : ops) {
            PhiAllocator before = ctx.state();
            PhiOutcome<?> outcome;
            if (op instanceof Reserve r) {
                EnvelopeRequest request = r.request(serial++);
                long from = before.watermark() + r.fromDelta();
                Optional<PhiError> invalid = before.check(request, from, CONTRACTS);
                // the form the orchestrator asks every node answers like feasible, also for another container of the shape
                Optional<Placement> memoised = before.feasibleOrEmpty(request, from, CONTRACTS);
                EnvelopeRequest sameShape = new EnvelopeRequest(request.tenant(), request.containerId() + "-again",
                        request.lengthSlots(), request.stabilityFloor(), request.shareWithTenant(),
                        request.allowSelfOverlap(), request.channel());
                assertThat(before.feasibleOrEmpty(sameShape, from, CONTRACTS)).isEqualTo(memoised);
                outcome = ctx.reserve(request, from);
                if (invalid.isPresent()) {
                    assertThat(ctx.rejected(outcome)).isEqualTo(invalid.get());
                    assertThat(memoised).isEmpty();
                } else {
                    assertThat(memoised).isEqualTo(before.feasible(request, from, CONTRACTS));
                    Optional<Placement> expected = NaivePhi.place(before, request, from,
                            from + CONFIG.searchHorizonSlots(), CONTRACTS);
                    assertThat(before.feasible(request, from, CONTRACTS)).isEqualTo(expected);
                    if (expected.isEmpty()) {
                        assertThat(ctx.rejected(outcome).reason()).isEqualTo(PhiError.Reason.NO_WINDOW);
                    } else {
                        Envelope e = (Envelope) ((PhiOutcome.Accepted<?>) outcome).value();
                        assertThat(e.channel()).isEqualTo(expected.get().channel());
                        assertThat(e.startSlot()).isEqualTo(expected.get().startSlot());
                        assertThat(e.tenant()).isEqualTo(request.tenant());
                    }
                }
            } else if (op instanceof Release rel) {
                List<Envelope> held = before.envelopes();
                if (held.isEmpty()) {
                    outcome = ctx.release("t0", new EnvelopeId(NODE, 0, before.watermark(), 12_345));
                    assertThat(ctx.rejected(outcome).reason()).isEqualTo(PhiError.Reason.ENVELOPE_NOT_HELD);
                } else {
                    Envelope e = held.get(rel.pick() % held.size());
                    String tenant = rel.wrongTenant() ? otherTenant(e.tenant()) : e.tenant();
                    outcome = ctx.release(tenant, e.id());
                    if (rel.wrongTenant()) {
                        assertThat(ctx.rejected(outcome).reason()).isEqualTo(PhiError.Reason.NOT_ENVELOPE_OWNER);
                    } else {
                        assertThat(ctx.state().envelopes()).doesNotContain(e).hasSize(held.size() - 1);
                    }
                }
            } else {
                Compact c = (Compact) op;
                outcome = ctx.compact(before.watermark() + c.advance());
            }
            transcript.add(describe(outcome));
        }
        return transcript;
    }

    static String otherTenant(String tenant) {
        for (String t : TENANTS) {
            if (!t.equals(tenant)) {
                return t;
            }
        }
        throw new IllegalStateException();
    }

    static String describe(PhiOutcome<?> o) {
        if (o instanceof PhiOutcome.Accepted<?> a) {
            return "ok " + a.value() + " " + a.events();
        }
        return "rejected " + ((PhiOutcome.Rejected<?>) o).error();
    }

    static PhiAllocatorTestContext fresh() {
        return new PhiAllocatorTestContext(CONFIG, NODE, CONTRACTS);
    }

    // ---------------------------------------------------------------------------------------------- properties

    @Property(tries = 60)
    void everyDecisionIsTheEarliestWindowTheRulesAllow(@ForAll("ops") List<Op> ops) {
        run(fresh(), ops);
    }

    @Property(tries = 60)
    void noCrossTenantOverlapWithoutAMutualContractNamedByBothEnvelopes(@ForAll("ops") List<Op> ops) {
        PhiAllocatorTestContext ctx = fresh();
        for (Op op : ops) {
            run(ctx, List.of(op));
            List<Envelope> all = ctx.state().envelopes();
            for (int i = 0; i < all.size(); i++) {
                for (int j = i + 1; j < all.size(); j++) {
                    Envelope a = all.get(i);
                    Envelope b = all.get(j);
                    if (NaivePhi.overlaps(a, b)) {
                        assertThat(NaivePhi.overlapAllowed(a, b, CONTRACTS))
                                .as("%s overlaps %s", a, b).isTrue();
                        if (!a.tenant().equals(b.tenant())) {
                            assertThat(CONTRACTS.mutual(a.tenant(), b.tenant())).isTrue();
                        }
                    }
                }
            }
        }
    }

    @Property(tries = 60)
    void forecastFloorIsRespectedOnEverySlotOfEveryEnvelope(@ForAll("ops") List<Op> ops) {
        PhiAllocatorTestContext ctx = fresh();
        run(ctx, ops);
        for (PhiEvent e : ctx.events()) {
            if (e instanceof PhiEvent.Reserved r) {
                Envelope env = r.envelope();
                StabilityForecast f = StabilityForecast.of(CONFIG, NODE, env.channel());
                for (long s = env.startSlot(); s < env.endSlot(); s++) {
                    assertThat(f.at(s)).as("slot %d of %s", s, env.id()).isGreaterThanOrEqualTo(env.stabilityFloor());
                }
            }
        }
    }

    @Property(tries = 40)
    void sameCallsGiveTheSameAnswersAlsoAfterRebuildingFromEvents(@ForAll("ops") List<Op> ops,
                                                                  @ForAll("ops") List<Op> more) {
        PhiAllocatorTestContext first = fresh();
        PhiAllocatorTestContext second = fresh();
        List<String> t1 = run(first, ops);
        List<String> t2 = run(second, ops);
        assertThat(t2).isEqualTo(t1);
        assertThat(second.state()).isEqualTo(first.state());
        assertThat(second.events()).isEqualTo(first.events());

        PhiAllocator rebuilt = first.replayed();
        assertThat(rebuilt).isEqualTo(first.state());
        assertThat(rebuilt.envelopes()).isEqualTo(first.state().envelopes());
        assertThat(rebuilt.nextSeq()).isEqualTo(first.state().nextSeq());
        assertThat(rebuilt.watermark()).isEqualTo(first.state().watermark());
        // and from a snapshot (watermark, next sequence number, live envelopes), as the orchestrator restores it
        PhiAllocator restored = PhiAllocator.restore(CONFIG, NODE, first.state().watermark(), first.state().nextSeq(),
                first.state().envelopes());
        assertThat(restored).isEqualTo(first.state());

        // continue both the live state and the restored one with the same calls: same answers
        List<String> liveMore = new ArrayList<>();
        List<String> rebuiltMore = new ArrayList<>();
        PhiAllocator a = first.state();
        PhiAllocator b = restored;
        int serial = 1000;
        for (Op op : more) {
            if (op instanceof Reserve r) {
                EnvelopeRequest req = r.request(serial++);
                long from = a.watermark() + r.fromDelta();
                PhiOutcome<Envelope> oa = a.reserve(req, from, CONTRACTS);
                PhiOutcome<Envelope> ob = b.reserve(req, from, CONTRACTS);
                liveMore.add(describe(oa));
                rebuiltMore.add(describe(ob));
                a = oa.state();
                b = ob.state();
            } else if (op instanceof Compact c) {
                PhiOutcome<List<Envelope>> oa = a.compact(a.watermark() + c.advance());
                PhiOutcome<List<Envelope>> ob = b.compact(b.watermark() + c.advance());
                liveMore.add(describe(oa));
                rebuiltMore.add(describe(ob));
                a = oa.state();
                b = ob.state();
            }
        }
        assertThat(rebuiltMore).isEqualTo(liveMore);
        assertThat(b).isEqualTo(a);
        assertThat(b.view(b.watermark(), 1500).channels()).isEqualTo(a.view(a.watermark(), 1500).channels());
    }

    @Property(tries = 50)
    void releasesRestoreCapacity(@ForAll("ops") List<Op> ops, @ForAll("ops") List<Op> probes) {
        PhiAllocatorTestContext ctx = fresh();
        run(ctx, ops);
        PhiAllocator before = ctx.state();
        long w = before.watermark();
        PhiView viewBefore = before.view(w, 2000);
        int serial = 5000;
        for (Op op : probes) {
            if (!(op instanceof Reserve r)) {
                continue;
            }
            EnvelopeRequest req = r.request(serial++);
            PhiOutcome<Envelope> reserved = before.reserve(req, w + r.fromDelta(), CONTRACTS);
            if (!reserved.accepted()) {
                continue;
            }
            Envelope e = ((PhiOutcome.Accepted<Envelope>) reserved).value();
            PhiOutcome<Envelope> released = reserved.state().release(req.tenant(), e.id());
            assertThat(released.accepted()).isTrue();
            PhiAllocator after = released.state();
            assertThat(after.envelopes()).isEqualTo(before.envelopes());
            assertThat(after.nextSeq()).isEqualTo(before.nextSeq() + 1);
            assertThat(after.view(w, 2000).channels()).isEqualTo(viewBefore.channels());
            for (Op other : probes) {
                if (other instanceof Reserve o) {
                    EnvelopeRequest q = o.request(0);
                    if (after.check(q, w, CONTRACTS).isEmpty()) {
                        assertThat(after.feasible(q, w, CONTRACTS)).isEqualTo(before.feasible(q, w, CONTRACTS));
                    }
                }
            }
        }
        // releasing everything gives back an empty channel set
        PhiAllocator s = before;
        for (Envelope e : before.envelopes()) {
            s = s.release(e.tenant(), e.id()).state();
        }
        assertThat(s.envelopes()).isEmpty();
        assertThat(s.view(w, 2000).totalFreeSlots()).isEqualTo(3 * 2000L);
    }

    @Property(tries = 100)
    void contractedTenantsMayOverlapOthersNever(@ForAll @IntRange(min = 1, max = 200) int holderLen,
                                                @ForAll @IntRange(min = 1, max = 200) int len,
                                                @ForAll @IntRange(max = 10_000) int from) {
        PhiConfig flat = new PhiConfig(1, 0.9, 0.1, 0.0, 0.0, 10, 4096, 0L);
        PhiAllocator a = PhiAllocator.empty(flat, NODE);
        PhiOutcome<Envelope> held = a.reserve(
                EnvelopeRequest.of("t1", "t1/h", holderLen, 0.5).sharingWith("t0"), from, CONTRACTS);
        PhiAllocator s = held.state();
        long end = from + holderLen;

        // t0 and t1 signed mutually and t1's envelope names t0: overlap allowed, earliest slot is `from`
        assertThat(s.feasible(EnvelopeRequest.of("t0", "t0/x", len, 0.5).sharingWith("t1"), from, CONTRACTS))
                .map(Placement::startSlot).contains((long) from);
        // t0 without naming t1: no overlap
        assertThat(s.feasible(EnvelopeRequest.of("t0", "t0/x", len, 0.5), from, CONTRACTS))
                .map(Placement::startSlot).contains(end);
        // t2 signed mutually with t1, but t1's envelope names t0, not t2: no overlap
        assertThat(s.feasible(EnvelopeRequest.of("t2", "t2/x", len, 0.5).sharingWith("t1"), from, CONTRACTS))
                .map(Placement::startSlot).contains(end);
        // t3 has no contract with t1 at all
        assertThat(s.feasible(EnvelopeRequest.of("t3", "t3/x", len, 0.5), from, CONTRACTS))
                .map(Placement::startSlot).contains(end);
        // same request from before the holder: ends before it or starts after it, never overlaps
        long early = Math.max(0, from - len / 2);
        Placement p = s.feasible(EnvelopeRequest.of("t3", "t3/y", len, 0.5), early, CONTRACTS).orElseThrow();
        assertThat(p.endSlot() <= from || p.startSlot() >= end).isTrue();
    }
}
