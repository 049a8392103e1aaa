package org.xdv.cdcr.phi.execution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.xdv.cdcr.phi.Envelope;
import org.xdv.cdcr.phi.EnvelopeId;
import org.xdv.cdcr.phi.EnvelopeRequest;
import org.xdv.cdcr.phi.PhiAllocator;
import org.xdv.cdcr.phi.PhiConfig;
import org.xdv.cdcr.phi.PhiError;
import org.xdv.cdcr.phi.PhiException;
import org.xdv.cdcr.phi.PhiOutcome;
import org.xdv.cdcr.phi.PhiView;
import org.xdv.cdcr.phi.Placement;
import org.xdv.cdcr.phi.SharingContracts;
import org.xdv.cdcr.phi.StabilityForecast;

class InstabilityMonitorTest {

    static final String NODE = "node-3";
    /** Noisy enough that envelopes with floors close to the forecast fault now and then. */
    static final PhiConfig NOISY = new PhiConfig(2, 0.85, 0.1, 0.03, 0.04, 10, 8192, 5L);

    private static Envelope envelope(int channel, long start, long length, double floor, String tenant, long seq) {
        return new Envelope(new EnvelopeId(NODE, channel, start, seq), length, floor, tenant, tenant + "/c",
                Optional.empty(), false);
    }

    @Test
    void observedIsForecastPlusSeededNoiseAndReproducible() {
        ObservedStability a = new ObservedStability(NOISY, NODE, 42);
        ObservedStability again = new ObservedStability(NOISY, NODE, 42);
        ObservedStability other = new ObservedStability(NOISY, NODE, 43);
        StabilityForecast f = StabilityForecast.of(NOISY, NODE, 1);
        int differ = 0;
        double sumDev = 0;
        double sumSq = 0;
        int n = 20_000;
        for (long s = 0; s < n; s++) {
            double v = a.at(1, s);
            assertThat(v).isBetween(0.0, 1.0).isEqualTo(again.at(1, s));
            differ += v != other.at(1, s) ? 1 : 0;
            double dev = v - f.at(s);
            sumDev += dev;
            sumSq += dev * dev;
        }
        assertThat(differ).as("only slots clamped at 1.0 in both runs agree").isGreaterThan(n * 9 / 10);
        assertThat(sumDev / n).isBetween(-0.003, 0.003);
        assertThat(Math.sqrt(sumSq / n)).isBetween(0.035, 0.045);
        assertThat(a.forecast(1).at(77)).isEqualTo(f.at(77));
    }

    @Test
    void withoutNoiseTheObservedStreamIsTheForecastSoGrantedEnvelopesNeverFault() {
        PhiConfig quiet = NOISY.withNoiseSigma(0.0);
        PhiAllocator alloc = PhiAllocator.empty(quiet, NODE);
        InstabilityMonitor monitor = new InstabilityMonitor(new ObservedStability(quiet, NODE, 99));
        List<Envelope> granted = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            PhiOutcome<Envelope> o = alloc.reserve(EnvelopeRequest.of("t" + (i % 3), "c" + i, 20 + i * 7,
                    0.65 + (i % 5) * 0.04), i * 50L);
            alloc = o.state();
            if (o instanceof PhiOutcome.Accepted<Envelope> a) {
                granted.add(a.value());
            }
        }
        assertThat(granted).hasSizeGreaterThan(30);
        for (Envelope e : granted) {
            assertThat(monitor.firstFault(e)).as("%s", e.id()).isEmpty();
        }
        // the same envelopes under noisy physics: some fault (so the check above is not vacuous)
        InstabilityMonitor noisy = new InstabilityMonitor(new ObservedStability(NOISY, NODE, 99));
        assertThat(granted).anyMatch(e -> noisy.firstFault(e).isPresent());
    }

    @Test
    void theFirstSlotBelowTheFloorIsAFaultOfThatEnvelopeOnly() {
        ObservedStability observed = new ObservedStability(NOISY, NODE, 7);
        InstabilityMonitor monitor = new InstabilityMonitor(observed);
        // two envelopes on the same channel and slots (e.g. contracted tenants), with different floors
        Envelope strict = envelope(0, 1000, 2000, 0.85, "a", 1);
        Envelope lenient = envelope(0, 1000, 2000, 0.0, "b", 2);

        long expectedSlot = -1;
        for (long s = strict.startSlot(); s < strict.endSlot(); s++) {
            if (observed.at(0, s) < 0.85) {
                expectedSlot = s;
                break;
            }
        }
        assertThat(expectedSlot).as("the scenario must produce a fault").isGreaterThanOrEqualTo(1000);

        PhiInstabilityFault fault = monitor.firstFault(strict).orElseThrow();
        assertThat(fault).isEqualTo(new PhiInstabilityFault(strict.id(), "a", "a/c", expectedSlot,
                observed.at(0, expectedSlot), 0.85));
        assertThat(fault.observed()).isLessThan(fault.floor());
        assertThat(monitor.firstFault(lenient)).isEmpty();

        // incremental checks over elapsed slot ranges find the same first fault
        Optional<PhiInstabilityFault> incremental = Optional.empty();
        for (long s = strict.startSlot(); s < strict.endSlot() && incremental.isEmpty(); s += 37) {
            incremental = monitor.check(strict, s, Math.min(s + 37, strict.endSlot()));
        }
        assertThat(incremental).contains(fault);
        assertThat(monitor.check(strict, expectedSlot + 1, expectedSlot + 1)).isEmpty();
    }

    @Test
    void badMonitorInputIsTyped() {
        InstabilityMonitor monitor = new InstabilityMonitor(new ObservedStability(NOISY, NODE, 1));
        Envelope e = envelope(0, 100, 10, 0.5, "a", 0);
        assertThatThrownBy(() -> monitor.check(e, 99, 105)).isInstanceOfSatisfying(PhiException.class,
                ex -> assertThat(ex.error().reason()).isEqualTo(PhiError.Reason.INVALID_SLOT));
        assertThatThrownBy(() -> monitor.check(e, 100, 111)).isInstanceOf(PhiException.class);
        Envelope elsewhere = new Envelope(new EnvelopeId("node-4", 0, 100, 0), 10, 0.5, "a", "a/c",
                Optional.empty(), false);
        assertThatThrownBy(() -> monitor.firstFault(elsewhere)).isInstanceOf(PhiException.class);
        ObservedStability o = new ObservedStability(NOISY, NODE, 1);
        assertThatThrownBy(() -> o.at(2, 0)).isInstanceOfSatisfying(PhiException.class,
                ex -> assertThat(ex.error().reason()).isEqualTo(PhiError.Reason.UNKNOWN_CHANNEL));
        assertThatThrownBy(() -> o.at(0, -1)).isInstanceOf(PhiException.class);
        assertThatThrownBy(() -> new ObservedStability(NOISY, "", 1)).isInstanceOf(PhiException.class);
    }

    /**
     * Runs one scripted "day" of a node: reservations, and for each granted envelope the monitor's verdict, which
     * the driver reports but (like the orchestrator) never feeds back into the allocator. Returns decisions and
     * faults separately.
     */
    private static List<List<String>> day(long runSeed) {
        PhiAllocator alloc = PhiAllocator.empty(NOISY, NODE);
        SharingContracts contracts = SharingContracts.mutualPairs("a", "b");
        InstabilityMonitor monitor = new InstabilityMonitor(new ObservedStability(NOISY, NODE, runSeed));
        List<String> decisions = new ArrayList<>();
        List<String> faults = new ArrayList<>();
        String[] tenants = {"a", "b", "c"};
        for (int i = 0; i < 60; i++) {
            String t = tenants[i % 3];
            EnvelopeRequest r = EnvelopeRequest.of(t, t + "/" + i, 30 + (i * 13) % 200, 0.78 + (i % 4) * 0.03);
            if (t.equals("a")) {
                r = r.sharingWith("b");
            } else if (t.equals("b")) {
                r = r.sharingWith("a");
            }
            long from = i * 40L;
            Optional<Placement> fit = alloc.feasible(r, from, contracts);
            PhiView view = alloc.view(from, 2000);
            PhiOutcome<Envelope> o = alloc.reserve(r, from, contracts);
            decisions.add(fit + " " + view.channels() + " " + view.bestStability(50) + " "
                    + (o instanceof PhiOutcome.Accepted<Envelope> a ? a.value() : ((PhiOutcome.Rejected<?>) o).error()));
            alloc = o.state();
            if (o instanceof PhiOutcome.Accepted<Envelope> a) {
                faults.add(String.valueOf(monitor.firstFault(a.value())));
            }
            if (i % 10 == 9) {
                PhiOutcome<List<Envelope>> c = alloc.compact(from);
                decisions.add(String.valueOf(c));
                alloc = c.state();
            }
        }
        decisions.add(String.valueOf(alloc.envelopes()));
        return List.of(decisions, faults);
    }

    @Test
    void differentNoiseSeedsChangeObservationsButNeverDecisions() {
        List<List<String>> run1 = day(1);
        List<List<String>> run2 = day(2);
        assertThat(run2.get(0)).as("decisions").isEqualTo(run1.get(0));
        assertThat(run2.get(1)).as("observed faults differ, so the physics did differ").isNotEqualTo(run1.get(1));
        assertThat(run1.get(1)).anyMatch(f -> f.startsWith("Optional[")).anyMatch(f -> f.equals("Optional.empty"));
    }

    @Test
    void slotTimingMapsSlotsToTheWallClockOnly() {
        SlotTiming timing = SlotTiming.of(NOISY, 1_000_000L);
        assertThat(timing.slotAt(1_000_000L)).isZero();
        assertThat(timing.slotAt(1_000_009L)).isZero();
        assertThat(timing.slotAt(1_000_010L)).isEqualTo(1);
        assertThat(timing.slotAt(999_999L)).isEqualTo(-1);
        assertThat(timing.startMillis(5)).isEqualTo(1_000_050L);
        assertThatThrownBy(() -> new SlotTiming(0, 0)).isInstanceOf(PhiException.class);
    }
}
