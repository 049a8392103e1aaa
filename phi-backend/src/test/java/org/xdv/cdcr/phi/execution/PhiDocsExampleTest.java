package org.xdv.cdcr.phi.execution;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.xdv.cdcr.phi.Envelope;
import org.xdv.cdcr.phi.EnvelopeRequest;
import org.xdv.cdcr.phi.PhiAllocator;
import org.xdv.cdcr.phi.PhiConfig;
import org.xdv.cdcr.phi.PhiOutcome;
import org.xdv.cdcr.phi.PhiView;
import org.xdv.cdcr.phi.SharingContracts;
import org.xdv.cdcr.phi.StabilityForecast;

/** The worked example of docs/phi.md, step by step, so the document cannot drift from the code. */
class PhiDocsExampleTest {

    static final PhiConfig CONFIG = new PhiConfig(2, 0.8, 0.5, 0.1, 0.05, 10, 1024, 2L);
    static final SharingContracts CONTRACTS = SharingContracts.mutualPairs("a", "b");

    private static String forecastRow(int channel) {
        StabilityForecast f = StabilityForecast.of(CONFIG, "n1", channel);
        StringBuilder sb = new StringBuilder();
        for (long s = 0; s < 12; s++) {
            sb.append(String.format(java.util.Locale.ROOT, "%.3f ", f.at(s)));
        }
        return sb.toString().trim();
    }

    private static Envelope granted(PhiOutcome<Envelope> o) {
        assertThat(o.accepted()).as("%s", o).isTrue();
        return ((PhiOutcome.Accepted<Envelope>) o).value();
    }

    @Test
    void theWorkedExample() {
        assertThat(forecastRow(0))
                .isEqualTo("0.858 0.686 0.578 0.802 0.820 0.779 0.892 0.985 0.805 0.726 0.854 0.828");
        assertThat(forecastRow(1))
                .isEqualTo("0.812 0.826 0.744 0.844 0.938 0.958 0.874 0.792 0.728 0.869 0.817 0.742");

        PhiAllocator s = PhiAllocator.empty(CONFIG, "n1");
        PhiOutcome<Envelope> o1 = s.reserve(EnvelopeRequest.of("a", "a/x", 3, 0.8), 0, CONTRACTS);
        Envelope ax = granted(o1);
        assertThat(ax.id()).hasToString("n1/phi1/3#0");

        PhiOutcome<Envelope> o2 = o1.state().reserve(EnvelopeRequest.of("c", "c/y", 3, 0.8), 0, CONTRACTS);
        assertThat(granted(o2).id()).hasToString("n1/phi0/6#1");

        PhiOutcome<Envelope> o3 = o2.state().reserve(
                EnvelopeRequest.of("b", "b/z", 2, 0.8).sharingWith("a"), 0, CONTRACTS);
        assertThat(granted(o3).id()).hasToString("n1/phi1/0#2");

        PhiOutcome<Envelope> o4 = o3.state().reserve(
                EnvelopeRequest.of("a", "a/w", 2, 0.8).sharingWith("b"), 0, CONTRACTS);
        assertThat(granted(o4).id()).hasToString("n1/phi1/0#3");

        PhiOutcome<Envelope> o5 = o4.state().reserve(
                EnvelopeRequest.of("b", "b/v", 2, 0.8).sharingWith("a"), 0, CONTRACTS);
        assertThat(granted(o5).id()).hasToString("n1/phi0/3#4");

        PhiAllocator end = o5.state();
        PhiView v = end.view(0, 12);
        assertThat(v.channels()).extracting(PhiView.ChannelView::freeSlots).containsExactly(7L, 7L);
        assertThat(v.channels()).extracting(PhiView.ChannelView::longestFreeRun).containsExactly(3L, 6L);
        assertThat(v.bestStability(3).getAsDouble()).isBetween(0.7417, 0.7418);

        InstabilityMonitor monitor = new InstabilityMonitor(new ObservedStability(CONFIG, "n1", 1));
        List<Envelope> all = end.envelopes();
        assertThat(all).extracting(e -> e.id().toString())
                .containsExactly("n1/phi0/3#4", "n1/phi0/6#1", "n1/phi1/0#2", "n1/phi1/0#3", "n1/phi1/3#0");
        assertThat(all).extracting(e -> monitor.firstFault(e).map(PhiInstabilityFault::slot))
                .containsExactly(Optional.of(4L), Optional.of(8L), Optional.empty(), Optional.empty(),
                        Optional.empty());

        PhiOutcome<Envelope> released = end.release("a", ax.id());
        assertThat(granted(released)).isEqualTo(ax);
        assertThat(released.state().feasible(EnvelopeRequest.of("c", "c/u", 3, 0.8), 0, CONTRACTS))
                .hasValueSatisfying(p -> {
                    assertThat(p.channel()).isEqualTo(1);
                    assertThat(p.startSlot()).isEqualTo(3);
                });
    }
}
