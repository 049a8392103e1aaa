package org.xdv.cdcr.phi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.xdv.cdcr.phi.PhiError.Reason;

class PhiAllocatorTest {

    /** Forecast constant at 0.9 (no volatility): placement depends on envelopes only. */
    static PhiConfig flat(int channels) {
        return new PhiConfig(channels, 0.9, 0.05, 0.0, 0.0, 10, 1024, 0L);
    }

    static final SharingContracts AB = SharingContracts.mutualPairs("a", "b");

    private static PhiAllocatorTestContext ctx(int channels, SharingContracts contracts) {
        return new PhiAllocatorTestContext(flat(channels), "n1", contracts);
    }

    @Test
    void workedExampleFromTheDocs() {
        PhiAllocatorTestContext c = ctx(1, AB);
        Envelope a = c.granted(EnvelopeRequest.of("a", "a/job", 10, 0.8), 0);
        assertThat(a.id().toString()).isEqualTo("n1/phi0/0#0");
        assertThat(a.endSlot()).isEqualTo(10);

        Envelope b = c.granted(EnvelopeRequest.of("b", "b/job", 5, 0.8), 0);
        assertThat(b.startSlot()).as("b may not overlap a without a contract").isEqualTo(10);

        Envelope a2 = c.granted(EnvelopeRequest.of("a", "a/shared", 10, 0.8).sharingWith("b"), 100);
        Envelope b2 = c.granted(EnvelopeRequest.of("b", "b/shared", 5, 0.8).sharingWith("a"), 100);
        assertThat(a2.startSlot()).isEqualTo(100);
        assertThat(b2.startSlot()).as("contracted tenants that name each other may overlap").isEqualTo(100);

        Envelope x = c.granted(EnvelopeRequest.of("x", "x/job", 5, 0.8), 100);
        assertThat(x.startSlot()).as("a third tenant never overlaps either").isEqualTo(110);
        assertThat(x.id().toString()).isEqualTo("n1/phi0/110#4");
    }

    @Test
    void tiesGoToTheEarliestStartThenTheLowestChannel() {
        PhiAllocatorTestContext c = ctx(3, SharingContracts.none());
        assertThat(c.granted(EnvelopeRequest.of("t0", "t0/c", 10, 0.5), 0).channel()).isEqualTo(0);
        assertThat(c.granted(EnvelopeRequest.of("t1", "t1/c", 10, 0.5), 0).channel()).isEqualTo(1);
        assertThat(c.granted(EnvelopeRequest.of("t2", "t2/c", 10, 0.5), 0).channel()).isEqualTo(2);
        Envelope fourth = c.granted(EnvelopeRequest.of("t3", "t3/c", 10, 0.5), 0);
        assertThat(fourth.channel()).isEqualTo(0);
        assertThat(fourth.startSlot()).isEqualTo(10);

        PhiAllocatorTestContext d = ctx(2, SharingContracts.none());
        d.granted(EnvelopeRequest.of("x", "x/c", 100, 0.5).onChannel(0), 0);
        Envelope y = d.granted(EnvelopeRequest.of("y", "y/c", 10, 0.5), 0);
        assertThat(y.channel()).as("an earlier start on a higher channel wins").isEqualTo(1);
        assertThat(y.startSlot()).isZero();
    }

    @Test
    void pinnedChannelIsHonoured() {
        PhiAllocatorTestContext c = ctx(3, SharingContracts.none());
        Envelope e = c.granted(EnvelopeRequest.of("t", "t/c", 10, 0.5).onChannel(2), 7);
        assertThat(e.channel()).isEqualTo(2);
        assertThat(e.startSlot()).isEqualTo(7);
    }

    @Test
    void aTenantsWindowsAreIndependentUnlessBothAllowSelfOverlap() {
        PhiAllocatorTestContext c = ctx(1, SharingContracts.none());
        c.granted(EnvelopeRequest.of("t", "t/1", 10, 0.5), 0);
        assertThat(c.granted(EnvelopeRequest.of("t", "t/2", 10, 0.5), 0).startSlot()).isEqualTo(10);
        // the new request allows it, the held envelope does not: still independent
        assertThat(c.granted(EnvelopeRequest.of("t", "t/3", 10, 0.5).allowingSelfOverlap(true), 0).startSlot())
                .isEqualTo(20);
        // both allow it
        assertThat(c.granted(EnvelopeRequest.of("t", "t/4", 5, 0.5).allowingSelfOverlap(true), 20).startSlot())
                .isEqualTo(20);
        // another tenant never benefits from t's self-overlap permission
        assertThat(c.granted(EnvelopeRequest.of("u", "u/1", 5, 0.5).allowingSelfOverlap(true), 20).startSlot())
                .isEqualTo(30);
    }

    @Test
    void sharingNeedsAMutualContractAndBothEnvelopesNamingEachOther() {
        SharingContracts oneSided = SharingContracts.none().sign("a", "b");
        PhiAllocatorTestContext c = ctx(1, oneSided);
        PhiError e = c.rejected(c.reserve(EnvelopeRequest.of("a", "a/1", 5, 0.5).sharingWith("b"), 0));
        assertThat(e.reason()).isEqualTo(Reason.NO_SHARING_CONTRACT);
        assertThat(e.field()).isEqualTo("shareWithTenant");

        PhiAllocatorTestContext d = ctx(1, AB);
        d.granted(EnvelopeRequest.of("a", "a/1", 10, 0.5), 0); // a does not name b on this envelope
        assertThat(d.granted(EnvelopeRequest.of("b", "b/1", 5, 0.5).sharingWith("a"), 0).startSlot())
                .as("a's envelope does not name b").isEqualTo(10);

        SharingContracts three = SharingContracts.mutualPairs("a", "b", "a", "d");
        PhiAllocatorTestContext f = ctx(1, three);
        f.granted(EnvelopeRequest.of("a", "a/1", 10, 0.5).sharingWith("b"), 0);
        assertThat(f.granted(EnvelopeRequest.of("b", "b/1", 4, 0.5).sharingWith("a"), 0).startSlot()).isZero();
        assertThat(f.granted(EnvelopeRequest.of("d", "d/1", 4, 0.5).sharingWith("a"), 0).startSlot())
                .as("a's envelope names b, not d").isEqualTo(10);
    }

    static Stream<Arguments> badRequests() {
        EnvelopeRequest ok = EnvelopeRequest.of("a", "a/c", 10, 0.5);
        return Stream.of(
                Arguments.of("negative length", EnvelopeRequest.of("a", "a/c", -5, 0.5), 0L,
                        Reason.INVALID_LENGTH, "lengthSlots"),
                Arguments.of("zero length", EnvelopeRequest.of("a", "a/c", 0, 0.5), 0L,
                        Reason.INVALID_LENGTH, "lengthSlots"),
                Arguments.of("longer than the horizon", EnvelopeRequest.of("a", "a/c", 1025, 0.5), 0L,
                        Reason.INVALID_LENGTH, "lengthSlots"),
                Arguments.of("floor below 0", EnvelopeRequest.of("a", "a/c", 10, -0.01), 0L,
                        Reason.INVALID_FLOOR, "stabilityFloor"),
                Arguments.of("floor above 1", EnvelopeRequest.of("a", "a/c", 10, 1.01), 0L,
                        Reason.INVALID_FLOOR, "stabilityFloor"),
                Arguments.of("floor NaN", EnvelopeRequest.of("a", "a/c", 10, Double.NaN), 0L,
                        Reason.INVALID_FLOOR, "stabilityFloor"),
                Arguments.of("unknown channel", ok.onChannel(2), 0L,
                        Reason.UNKNOWN_CHANNEL, "channel"),
                Arguments.of("negative channel", ok.onChannel(-1), 0L, Reason.UNKNOWN_CHANNEL, "channel"),
                Arguments.of("null tenant", EnvelopeRequest.of(null, "a/c", 10, 0.5), 0L,
                        Reason.INVALID_TENANT, "tenant"),
                Arguments.of("blank tenant", EnvelopeRequest.of(" ", "a/c", 10, 0.5), 0L,
                        Reason.INVALID_TENANT, "tenant"),
                Arguments.of("blank container", EnvelopeRequest.of("a", "", 10, 0.5), 0L,
                        Reason.INVALID_CONTAINER, "containerId"),
                Arguments.of("share with self", ok.sharingWith("a"), 0L, Reason.INVALID_SHARE, "shareWithTenant"),
                Arguments.of("share with blank", ok.sharingWith(""), 0L, Reason.INVALID_SHARE, "shareWithTenant"),
                Arguments.of("share without contract", ok.sharingWith("c"), 0L,
                        Reason.NO_SHARING_CONTRACT, "shareWithTenant"),
                Arguments.of("negative fromSlot", ok, -1L, Reason.INVALID_SLOT, "fromSlot"),
                Arguments.of("fromSlot overflows", ok, Long.MAX_VALUE - 10, Reason.INVALID_SLOT, "fromSlot"),
                Arguments.of("fromSlot in the past", ok, 99L, Reason.SLOT_IN_PAST, "fromSlot"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRequests")
    void badRequestsGetATypedErrorAndChangeNothing(String name, EnvelopeRequest request, long from, Reason reason,
                                                  String field) {
        PhiAllocatorTestContext c = ctx(2, AB);
        c.granted(EnvelopeRequest.of("b", "b/c", 150, 0.5).sharingWith("a"), 0);
        c.compact(100);
        PhiAllocator before = c.state();
        List<PhiEvent> eventsBefore = c.events();

        PhiError error = c.rejected(c.reserve(request, from));
        assertThat(error.reason()).isEqualTo(reason);
        assertThat(error.field()).isEqualTo(field);
        assertThat(error.message()).isNotBlank();
        assertThat(c.state()).isSameAs(before);
        assertThat(c.events()).isEqualTo(eventsBefore);
        assertThat(before.check(request, from, AB)).contains(error);

        assertThatThrownBy(() -> before.feasible(request, from, AB))
                .isInstanceOfSatisfying(PhiException.class, ex -> assertThat(ex.error()).isEqualTo(error));
        if (!field.equals("fromSlot")) {
            assertThatThrownBy(() -> before.view(100, 500).fit(request, AB))
                    .isInstanceOfSatisfying(PhiException.class, ex -> assertThat(ex.error()).isEqualTo(error));
        }
    }

    @Test
    void badReleasesGetATypedErrorAndChangeNothing() {
        PhiAllocatorTestContext c = ctx(2, SharingContracts.none());
        Envelope a = c.granted(EnvelopeRequest.of("a", "a/c", 10, 0.5), 0);
        PhiAllocator before = c.state();

        assertRelease(c, "b", a.id(), Reason.NOT_ENVELOPE_OWNER, "tenant");
        assertRelease(c, "a", new EnvelopeId("n1", 0, 0, 99), Reason.ENVELOPE_NOT_HELD, "envelopeId");
        assertRelease(c, "a", new EnvelopeId("n2", 0, 0, 0), Reason.ENVELOPE_NOT_HELD, "envelopeId");
        assertRelease(c, "a", new EnvelopeId("n1", 5, 0, 0), Reason.UNKNOWN_CHANNEL, "channel");
        assertRelease(c, "a", null, Reason.ENVELOPE_NOT_HELD, "envelopeId");
        assertRelease(c, " ", a.id(), Reason.INVALID_TENANT, "tenant");
        assertThat(c.state()).isSameAs(before);

        assertThat(c.release("a", a.id()).accepted()).isTrue();
        assertRelease(c, "a", a.id(), Reason.ENVELOPE_NOT_HELD, "envelopeId");
    }

    private static void assertRelease(PhiAllocatorTestContext c, String tenant, EnvelopeId id, Reason reason,
                                      String field) {
        PhiError e = c.rejected(c.release(tenant, id));
        assertThat(e.reason()).isEqualTo(reason);
        assertThat(e.field()).isEqualTo(field);
    }

    @Test
    void releaseFreesTheWindowForOthers() {
        PhiAllocatorTestContext c = ctx(1, SharingContracts.none());
        Envelope a = c.granted(EnvelopeRequest.of("a", "a/c", 10, 0.5), 0);
        EnvelopeRequest b = EnvelopeRequest.of("b", "b/c", 10, 0.5);
        assertThat(c.state().feasible(b, 0)).map(Placement::startSlot).contains(10L);
        PhiOutcome<Envelope> released = c.release("a", a.id());
        assertThat(((PhiOutcome.Accepted<Envelope>) released).value()).isEqualTo(a);
        assertThat(c.state().feasible(b, 0)).map(Placement::startSlot).contains(0L);
        assertThat(c.state().envelopes()).isEmpty();
    }

    @Test
    void compactionDropsThePastAndClosesIt() {
        PhiAllocatorTestContext c = ctx(1, SharingContracts.none());
        Envelope done = c.granted(EnvelopeRequest.of("a", "a/1", 10, 0.5), 0);
        Envelope running = c.granted(EnvelopeRequest.of("a", "a/2", 10, 0.5), 0);
        Envelope future = c.granted(EnvelopeRequest.of("a", "a/3", 10, 0.5), 50);

        PhiOutcome<List<Envelope>> o = c.compact(15);
        assertThat(((PhiOutcome.Accepted<List<Envelope>>) o).value()).containsExactly(done);
        assertThat(c.state().envelopes()).containsExactly(running, future);
        assertThat(c.state().watermark()).isEqualTo(15);

        PhiOutcome<List<Envelope>> again = c.compact(10);
        assertThat(again.state()).isSameAs(o.state());
        assertThat(((PhiOutcome.Accepted<List<Envelope>>) again).events()).isEmpty();

        assertThat(c.rejected(c.compact(-1)).reason()).isEqualTo(Reason.INVALID_SLOT);
        assertThat(c.rejected(c.reserve(EnvelopeRequest.of("a", "a/4", 1, 0.5), 14)).reason())
                .isEqualTo(Reason.SLOT_IN_PAST);
        assertThat(c.rejected(c.release("a", done.id())).reason()).isEqualTo(Reason.ENVELOPE_NOT_HELD);
        assertThat(c.granted(EnvelopeRequest.of("b", "b/1", 5, 0.5), 15).startSlot()).isEqualTo(20);
    }

    @Test
    void noWindowWhenTheFloorIsNeverReachedOrTheHorizonIsTooShort() {
        PhiAllocatorTestContext c = ctx(1, SharingContracts.none());
        PhiError e = c.rejected(c.reserve(EnvelopeRequest.of("a", "a/c", 10, 0.95), 0));
        assertThat(e.reason()).isEqualTo(Reason.NO_WINDOW);
        assertThat(c.state().feasible(EnvelopeRequest.of("a", "a/c", 10, 0.95), 0)).isEmpty();
        assertThat(c.granted(EnvelopeRequest.of("a", "a/c", 10, 0.9), 0).startSlot())
                .as("floor equal to the forecast is enough").isZero();

        c.granted(EnvelopeRequest.of("x", "x/c", 990, 0.5), 0);
        assertThat(c.granted(EnvelopeRequest.of("b", "b/c", 24, 0.5), 0).endSlot())
                .as("a window may end exactly at fromSlot + searchHorizonSlots").isEqualTo(1024);
        assertThat(c.rejected(c.reserve(EnvelopeRequest.of("b", "b/d", 1, 0.5), 0)).reason())
                .isEqualTo(Reason.NO_WINDOW);
        assertThat(c.granted(EnvelopeRequest.of("b", "b/d", 1, 0.5), 1).startSlot()).isEqualTo(1024);
    }

    @Test
    void viewReportsFreeCapacityAndFitsLikeReserve() {
        PhiAllocatorTestContext c = ctx(2, SharingContracts.none());
        c.granted(EnvelopeRequest.of("a", "a/1", 10, 0.5).allowingSelfOverlap(true).onChannel(0), 10);
        c.granted(EnvelopeRequest.of("a", "a/2", 15, 0.5).allowingSelfOverlap(true).onChannel(0), 15);
        c.granted(EnvelopeRequest.of("b", "b/1", 20, 0.5).onChannel(1), 0);

        PhiView v = c.state().view(0, 100);
        assertThat(v.channels()).containsExactly(
                new PhiView.ChannelView(0, 2, 80, 70, 0.9, 0.9),
                new PhiView.ChannelView(1, 1, 80, 80, 0.9, 0.9));
        assertThat(v.totalFreeSlots()).isEqualTo(160);

        EnvelopeRequest r = EnvelopeRequest.of("c", "c/1", 10, 0.5);
        assertThat(v.fit(r)).contains(new Placement(0, 0, 10, 0.9));
        assertThat(v.fit(EnvelopeRequest.of("c", "c/1", 71, 0.5))).contains(new Placement(1, 20, 71, 0.9));
        assertThat(v.fit(EnvelopeRequest.of("c", "c/1", 81, 0.5))).as("would end past the view").isEmpty();
        assertThat(c.state().feasible(EnvelopeRequest.of("c", "c/1", 81, 0.5), 0))
                .contains(new Placement(1, 20, 81, 0.9));
        assertThat(v.bestStability(70)).hasValue(0.9);
        assertThat(v.bestStability(0, 71)).isEmpty();
        assertThat(v.bestStability(81)).isEmpty();
        assertThatThrownBy(() -> v.bestStability(2, 10)).isInstanceOfSatisfying(PhiException.class,
                ex -> assertThat(ex.error().reason()).isEqualTo(Reason.UNKNOWN_CHANNEL));
        assertThatThrownBy(() -> c.state().view(-1, 10)).isInstanceOf(PhiException.class);
        assertThatThrownBy(() -> c.state().view(0, 0)).isInstanceOf(PhiException.class);
    }

    @Test
    void bestStabilityIsTheBestWindowMinimumOverFreeSlots() {
        PhiConfig cfg = new PhiConfig(2, 0.8, 0.1, 0.05, 0.0, 10, 4096, 7L);
        PhiAllocatorTestContext c = new PhiAllocatorTestContext(cfg, "n1", SharingContracts.none());
        c.granted(EnvelopeRequest.of("a", "a/1", 300, 0.0).onChannel(0), 100);
        c.granted(EnvelopeRequest.of("a", "a/2", 50, 0.0).onChannel(1), 700);
        PhiView v = c.state().view(50, 1000);
        for (int len : new int[] {1, 7, 64, 200}) {
            double expected = Double.NEGATIVE_INFINITY;
            for (int ch = 0; ch < 2; ch++) {
                for (long s = 50; s + len <= 1050; s++) {
                    final long start = s;
                    boolean free = c.state().envelopes(ch).stream()
                            .noneMatch(e -> e.startSlot() < start + len && start < e.endSlot());
                    if (free) {
                        expected = Math.max(expected, c.state().forecast(ch).min(s, s + len));
                    }
                }
            }
            assertThat(v.bestStability(len)).as("len %d", len).hasValue(expected);
        }
    }

    @Test
    void replayRebuildsTheSameStateAndIdsRoundTrip() {
        PhiAllocatorTestContext c = ctx(2, AB);
        Envelope a = c.granted(EnvelopeRequest.of("a", "a/1", 10, 0.5).sharingWith("b"), 0);
        c.granted(EnvelopeRequest.of("b", "b/1", 10, 0.5).sharingWith("a"), 0);
        c.granted(EnvelopeRequest.of("c", "c/1", 30, 0.5), 5);
        c.release("a", a.id());
        c.compact(12);
        c.granted(EnvelopeRequest.of("c", "c/2", 3, 0.5), 12);
        assertThat(c.replayed()).isEqualTo(c.state());
        assertThat(c.replayed().hashCode()).isEqualTo(c.state().hashCode());
        assertThat(c.replayed().nextSeq()).isEqualTo(4);
        for (Envelope e : c.state().envelopes()) {
            assertThat(EnvelopeId.parse(e.id().toString())).isEqualTo(e.id());
            assertThat(c.state().envelope(e.id())).contains(e);
        }
        assertThat(EnvelopeId.parse("node/with/slashes/phi3/4096#17"))
                .isEqualTo(new EnvelopeId("node/with/slashes", 3, 4096, 17));
        for (String bad : new String[] {"", "n1/phi0/0", "n1/x0/0#1", "/phi0/0#1", "n1/phi0/0#x", "n1/phi+0/0#1"}) {
            assertThatThrownBy(() -> EnvelopeId.parse(bad)).isInstanceOf(PhiException.class);
        }
    }

    @Test
    void applyRefusesEventsOfAnotherNode() {
        PhiAllocator n1 = PhiAllocator.empty(flat(1), "n1");
        assertThatThrownBy(() -> n1.apply(new PhiEvent.Compacted("n2", 5)))
                .isInstanceOf(IllegalArgumentException.class);
        Envelope foreign = new Envelope(new EnvelopeId("n2", 0, 0, 0), 1, 0.5, "a", "a/c", Optional.empty(), false);
        assertThatThrownBy(() -> n1.apply(new PhiEvent.Reserved("n1", foreign)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PhiAllocator.empty(flat(1), " ")).isInstanceOfSatisfying(PhiException.class,
                ex -> assertThat(ex.error().reason()).isEqualTo(Reason.INVALID_NODE));
    }

    @Test
    void configRejectsOutOfRangeValuesNamingTheField() {
        PhiConfig d = PhiConfig.defaults(2);
        assertConfig(() -> d.withChannels(0), "channels");
        assertConfig(() -> d.withForecast(1.1, 0.05, 0.02), "mean");
        assertConfig(() -> d.withForecast(0.9, 0.0, 0.02), "reversion");
        assertConfig(() -> d.withForecast(0.9, 0.05, Double.NaN), "volatility");
        assertConfig(() -> d.withNoiseSigma(-1), "noiseSigma");
        assertConfig(() -> d.withSearchHorizonSlots(0), "searchHorizonSlots");
        assertConfig(() -> new PhiConfig(1, 0.9, 0.05, 0.02, 0.0, 0, 10, 0), "slotMillis");
        assertThat(d.withForecastSeed(3).forecastSeed()).isEqualTo(3);
    }

    private static void assertConfig(Runnable r, String field) {
        assertThatThrownBy(r::run).isInstanceOfSatisfying(PhiException.class, ex -> {
            assertThat(ex.error().reason()).isEqualTo(Reason.INVALID_CONFIG);
            assertThat(ex.error().field()).isEqualTo(field);
        });
    }

    @Test
    void aMissingRequestIsTyped() {
        PhiAllocatorTestContext c = ctx(1, SharingContracts.none());
        PhiError e = c.rejected(c.reserve(null, 0));
        assertThat(e.reason()).isEqualTo(Reason.INVALID_REQUEST);
        assertThat(e.field()).isEqualTo("request");
    }

    @Test
    void requestNormalisesNullOptionals() {
        EnvelopeRequest r = new EnvelopeRequest("a", "a/c", 1, 0.5, null, false, null);
        assertThat(r.shareWithTenant()).isEmpty();
        assertThat(r.channel()).isEqualTo(OptionalInt.empty());
    }

    @Test
    void sharingContractsAreValuesAndValidateNames() {
        SharingContracts c = SharingContracts.none().sign("b", "a").sign("a", "b");
        assertThat(c).isEqualTo(AB);
        assertThat(c.mutual("a", "b")).isTrue();
        assertThat(c.mutual("b", "a")).isTrue();
        assertThat(c.revoke("a", "b").mutual("a", "b")).isFalse();
        assertThat(c.sign("a", "b")).isSameAs(c);
        assertThat(c.signatures()).containsExactly(new SharingContracts.Signature("a", "b"),
                new SharingContracts.Signature("b", "a"));
        assertThatThrownBy(() -> c.sign("a", "a")).isInstanceOf(PhiException.class);
        assertThatThrownBy(() -> c.sign("", "a")).isInstanceOf(PhiException.class);
        assertThatThrownBy(() -> SharingContracts.mutualPairs("a")).isInstanceOf(PhiException.class);
    }
}
