package org.xdv.cdcr.runtime.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.xdv.cdcr.runtime.core.Lifecycle.Step.ACTIVATE;
import static org.xdv.cdcr.runtime.core.Lifecycle.Step.BIND_K;
import static org.xdv.cdcr.runtime.core.Lifecycle.Step.BIND_PHI;
import static org.xdv.cdcr.runtime.core.Lifecycle.Step.BIND_Q;
import static org.xdv.cdcr.runtime.core.Lifecycle.Step.CREATE;
import static org.xdv.cdcr.runtime.core.Lifecycle.Step.RELEASE;
import static org.xdv.cdcr.runtime.core.Lifecycle.Step.RESCHEDULE;
import static org.xdv.cdcr.runtime.core.Lifecycle.Step.RESUME;
import static org.xdv.cdcr.runtime.core.Lifecycle.Step.SCHEDULE;
import static org.xdv.cdcr.runtime.core.Lifecycle.Step.SUSPEND;
import static org.xdv.cdcr.runtime.core.Lifecycle.Step.TERMINATE;
import static org.xdv.cdcr.runtime.core.LifecycleState.ACTIVE;
import static org.xdv.cdcr.runtime.core.LifecycleState.BOUND;
import static org.xdv.cdcr.runtime.core.LifecycleState.CREATED;
import static org.xdv.cdcr.runtime.core.LifecycleState.NONE;
import static org.xdv.cdcr.runtime.core.LifecycleState.RELEASED;
import static org.xdv.cdcr.runtime.core.LifecycleState.SCHEDULED;
import static org.xdv.cdcr.runtime.core.LifecycleState.SUSPENDED;
import static org.xdv.cdcr.runtime.core.LifecycleState.TERMINATED;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.xdv.cdcr.runtime.core.Lifecycle.Bindings;
import org.xdv.cdcr.runtime.core.Lifecycle.Step;
import org.xdv.cdcr.runtime.core.Lifecycle.Verdict;

/**
 * The lifecycle table, checked against an independent copy of the spec's table (§3.3 and DESIGN §2): every row
 * is allowed with its target, every other (state, step) pair is refused with a reason naming the state, binding
 * order is K, then Q, then Φ.
 */
class LifecycleTest {

    /** The expected table, written out by hand, in state then step declaration order. */
    private static final Map<LifecycleState, Map<Step, LifecycleState>> EXPECTED = new EnumMap<>(LifecycleState.class);

    static {
        for (LifecycleState s : LifecycleState.values()) {
            EXPECTED.put(s, new LinkedHashMap<>());
        }
        EXPECTED.get(NONE).put(CREATE, CREATED);
        EXPECTED.get(CREATED).put(SCHEDULE, SCHEDULED);
        EXPECTED.get(CREATED).put(TERMINATE, TERMINATED);
        EXPECTED.get(SCHEDULED).put(BIND_K, SCHEDULED);
        EXPECTED.get(SCHEDULED).put(BIND_Q, SCHEDULED);
        EXPECTED.get(SCHEDULED).put(BIND_PHI, SCHEDULED);
        EXPECTED.get(SCHEDULED).put(TERMINATE, TERMINATED);
        EXPECTED.get(SCHEDULED).put(RESCHEDULE, SCHEDULED);
        EXPECTED.get(BOUND).put(ACTIVATE, ACTIVE);
        EXPECTED.get(BOUND).put(TERMINATE, TERMINATED);
        EXPECTED.get(BOUND).put(RESCHEDULE, SCHEDULED);
        EXPECTED.get(ACTIVE).put(SUSPEND, SUSPENDED);
        EXPECTED.get(ACTIVE).put(TERMINATE, TERMINATED);
        EXPECTED.get(ACTIVE).put(RESCHEDULE, SCHEDULED);
        EXPECTED.get(SUSPENDED).put(RESUME, ACTIVE);
        EXPECTED.get(SUSPENDED).put(TERMINATE, TERMINATED);
        EXPECTED.get(SUSPENDED).put(RESCHEDULE, SCHEDULED);
        EXPECTED.get(TERMINATED).put(RELEASE, RELEASED);
    }

    /** How each step reads in a rejection. */
    private static final Map<Step, String> PHRASE = new EnumMap<>(Map.ofEntries(
            Map.entry(CREATE, "create"), Map.entry(SCHEDULE, "schedule"), Map.entry(BIND_K, "bind k"),
            Map.entry(BIND_Q, "bind q"), Map.entry(BIND_PHI, "bind Φ"), Map.entry(ACTIVATE, "activate"),
            Map.entry(SUSPEND, "suspend"), Map.entry(RESUME, "resume"), Map.entry(TERMINATE, "terminate"),
            Map.entry(RELEASE, "release"), Map.entry(RESCHEDULE, "reschedule")));

    /** A hybrid (K+Q+Φ) container with nothing bound yet. */
    private static final Bindings HYBRID = Bindings.none(true, true);

    @Test
    void rowsListTheWholeTableInOrder() {
        assertThat(Lifecycle.rows()).containsExactly(
                "None --CREATE--> Created",
                "Created --SCHEDULE--> Scheduled",
                "Created --TERMINATE--> Terminated",
                "Scheduled --BIND_K--> Scheduled",
                "Scheduled --BIND_Q--> Scheduled",
                "Scheduled --BIND_PHI--> Scheduled",
                "Scheduled --TERMINATE--> Terminated",
                "Scheduled --RESCHEDULE--> Scheduled",
                "Bound --ACTIVATE--> Active",
                "Bound --TERMINATE--> Terminated",
                "Bound --RESCHEDULE--> Scheduled",
                "Active --SUSPEND--> Suspended",
                "Active --TERMINATE--> Terminated",
                "Active --RESCHEDULE--> Scheduled",
                "Suspended --RESUME--> Active",
                "Suspended --TERMINATE--> Terminated",
                "Suspended --RESCHEDULE--> Scheduled",
                "Terminated --RELEASE--> Released");
    }

    @ParameterizedTest
    @EnumSource(LifecycleState.class)
    void allowedStepsMatchTheTable(LifecycleState state) {
        assertThat(Lifecycle.allowed(state)).containsExactlyElementsOf(EXPECTED.get(state).keySet());
    }

    static Stream<Arguments> rows() {
        List<Arguments> out = new ArrayList<>();
        for (Map.Entry<LifecycleState, Map<Step, LifecycleState>> e : EXPECTED.entrySet()) {
            for (Map.Entry<Step, LifecycleState> t : e.getValue().entrySet()) {
                out.add(Arguments.of(e.getKey(), t.getKey(), t.getValue()));
            }
        }
        return out.stream();
    }

    /**
     * Every row is allowed and leads to its target. Bindings are in order for the binding steps. Φ always binds
     * last, so binding it completes the container: the row {@code Scheduled --BIND_PHI--> Scheduled} lands in
     * {@code Bound} (K and Q bind without completing a hybrid container, so they stay {@code Scheduled}).
     */
    @ParameterizedTest(name = "{0} --{1}--> {2}")
    @MethodSource("rows")
    void everyRowIsAllowed(LifecycleState from, Step step, LifecycleState to) {
        Bindings b = switch (step) {
            case BIND_K -> HYBRID;
            case BIND_Q -> new Bindings(true, true, true, false, false);
            case BIND_PHI -> new Bindings(true, true, true, true, false);
            default -> new Bindings(true, true, true, true, true);
        };
        Verdict v = Lifecycle.check(from, b, step);
        assertThat(v.rejection()).isNull();
        assertThat(v.allowed()).isTrue();
        assertThat(v.next()).isEqualTo(step == BIND_PHI ? BOUND : to);
    }

    static Stream<Arguments> notInTable() {
        List<Arguments> out = new ArrayList<>();
        for (LifecycleState s : LifecycleState.values()) {
            for (Step step : Step.values()) {
                if (!EXPECTED.get(s).containsKey(step)) {
                    out.add(Arguments.of(s, step));
                }
            }
        }
        return out.stream();
    }

    @Test
    void theTableHasEighteenRowsAndSixtyOneRefusedPairs() {
        assertThat(rows().count()).isEqualTo(18);
        assertThat(notInTable().count()).isEqualTo(8L * 11 - 18);
    }

    @ParameterizedTest(name = "{0} refuses {1}")
    @MethodSource("notInTable")
    void everyPairOutsideTheTableIsRefusedNamingTheState(LifecycleState state, Step step) {
        for (Bindings b : List.of(HYBRID, new Bindings(true, true, true, true, false), Bindings.none(false, false))) {
            Verdict v = Lifecycle.check(state, b, step);
            assertThat(v.allowed()).isFalse();
            assertThat(v.next()).isEqualTo(state);
            assertThat(v.bindings()).isEqualTo(b);
            assertThat(v.rejection()).isEqualTo("cannot " + PHRASE.get(step) + " a container that is "
                    + state.display() + " (allowed: " + allowedText(state) + ")");
        }
    }

    @Test
    void rejectionTextExamples() {
        assertThat(Lifecycle.check(RELEASED, HYBRID, TERMINATE).rejection())
                .isEqualTo("cannot terminate a container that is Released (allowed: nothing)");
        assertThat(Lifecycle.check(CREATED, HYBRID, ACTIVATE).rejection())
                .isEqualTo("cannot activate a container that is Created (allowed: schedule, terminate)");
        assertThat(Lifecycle.check(ACTIVE, HYBRID, BIND_PHI).rejection())
                .isEqualTo("cannot bind Φ a container that is Active (allowed: suspend, terminate, reschedule)");
    }

    private static String allowedText(LifecycleState s) {
        List<String> names = new ArrayList<>();
        for (Step step : EXPECTED.get(s).keySet()) {
            names.add(PHRASE.get(step));
        }
        return names.isEmpty() ? "nothing" : String.join(", ", names);
    }

    // ------------------------------------------------------------------------------------------ binding order

    @Test
    void qBeforeKIsRefused() {
        Verdict v = Lifecycle.check(SCHEDULED, Bindings.none(true, false), BIND_Q);
        assertThat(v).isEqualTo(new Verdict(SCHEDULED, Bindings.none(true, false),
                "Q binds after K (binding order is K, Q, Φ)"));
    }

    @Test
    void phiBeforeQIsRefusedWhenQIsNeeded() {
        Bindings kOnly = new Bindings(true, true, true, false, false);
        assertThat(Lifecycle.check(SCHEDULED, kOnly, BIND_PHI)).isEqualTo(new Verdict(SCHEDULED, kOnly,
                "Φ binds after K and Q (binding order is K, Q, Φ)"));
    }

    @Test
    void phiBeforeKIsRefused() {
        Bindings phiOnly = Bindings.none(false, true);
        assertThat(Lifecycle.check(SCHEDULED, phiOnly, BIND_PHI)).isEqualTo(new Verdict(SCHEDULED, phiOnly,
                "Φ binds after K and Q (binding order is K, Q, Φ)"));
    }

    @Test
    void bindingAnUndeclaredDomainIsRefused() {
        Bindings k = new Bindings(false, false, true, false, false);
        assertThat(Lifecycle.check(SCHEDULED, k, BIND_Q).rejection()).isEqualTo("the container declares no Q domain");
        assertThat(Lifecycle.check(SCHEDULED, k, BIND_PHI).rejection())
                .isEqualTo("the container declares no Φ domain");
    }

    @Test
    void bindingTwiceIsRefused() {
        assertThat(Lifecycle.check(SCHEDULED, new Bindings(true, true, true, false, false), BIND_K).rejection())
                .isEqualTo("K is already bound");
        assertThat(Lifecycle.check(SCHEDULED, new Bindings(true, true, true, true, false), BIND_Q).rejection())
                .isEqualTo("Q is already bound");
        // a Scheduled container with every domain bound cannot exist (it is Bound), but the check still holds
        assertThat(Lifecycle.check(SCHEDULED, new Bindings(false, true, true, false, true), BIND_PHI).rejection())
                .isEqualTo("Φ is already bound");
    }

    @Test
    void kOnlyContainerIsBoundOnBindK() {
        Verdict v = Lifecycle.check(SCHEDULED, Bindings.none(false, false), BIND_K);
        assertThat(v).isEqualTo(new Verdict(BOUND, new Bindings(false, false, true, false, false), null));
        assertThat(v.bindings().complete()).isTrue();
    }

    @Test
    void hybridContainerIsBoundOnlyAfterPhi() {
        Verdict k = Lifecycle.check(SCHEDULED, HYBRID, BIND_K);
        assertThat(k).isEqualTo(new Verdict(SCHEDULED, new Bindings(true, true, true, false, false), null));
        Verdict q = Lifecycle.check(k.next(), k.bindings(), BIND_Q);
        assertThat(q).isEqualTo(new Verdict(SCHEDULED, new Bindings(true, true, true, true, false), null));
        Verdict phi = Lifecycle.check(q.next(), q.bindings(), BIND_PHI);
        assertThat(phi).isEqualTo(new Verdict(BOUND, new Bindings(true, true, true, true, true), null));
    }

    @Test
    void kPlusQIsBoundOnBindQ() {
        Verdict k = Lifecycle.check(SCHEDULED, Bindings.none(true, false), BIND_K);
        assertThat(k.next()).isEqualTo(SCHEDULED);
        Verdict q = Lifecycle.check(k.next(), k.bindings(), BIND_Q);
        assertThat(q).isEqualTo(new Verdict(BOUND, new Bindings(true, false, true, true, false), null));
    }

    @Test
    void kPlusPhiIsBoundOnBindPhi() {
        Verdict k = Lifecycle.check(SCHEDULED, Bindings.none(false, true), BIND_K);
        assertThat(k.next()).isEqualTo(SCHEDULED);
        Verdict phi = Lifecycle.check(k.next(), k.bindings(), BIND_PHI);
        assertThat(phi).isEqualTo(new Verdict(BOUND, new Bindings(false, true, true, false, true), null));
    }

    // ------------------------------------------------------------------------------------------ reschedule

    @ParameterizedTest
    @EnumSource(value = LifecycleState.class, names = {"BOUND", "ACTIVE", "SUSPENDED"})
    void rescheduleClearsBindings(LifecycleState from) {
        Bindings all = new Bindings(true, true, true, true, true);
        assertThat(Lifecycle.check(from, all, RESCHEDULE))
                .isEqualTo(new Verdict(SCHEDULED, Bindings.none(true, true), null));
    }

    @Test
    void rescheduleWhileBindingClearsPartialBindings() {
        Bindings partial = new Bindings(true, false, true, true, false);
        assertThat(Lifecycle.check(SCHEDULED, partial, RESCHEDULE))
                .isEqualTo(new Verdict(SCHEDULED, Bindings.none(true, false), null));
    }

    @Test
    void rescheduleOfAnUnplacedOrEndedContainerIsRefused() {
        for (LifecycleState s : List.of(NONE, CREATED, TERMINATED, RELEASED)) {
            assertThat(Lifecycle.check(s, HYBRID, RESCHEDULE).allowed()).as(s.name()).isFalse();
        }
    }

    // ------------------------------------------------------------------------------------------ terminate

    @ParameterizedTest
    @EnumSource(value = LifecycleState.class, names = {"CREATED", "SCHEDULED", "BOUND", "ACTIVE", "SUSPENDED"})
    void terminateFromEveryLiveState(LifecycleState from) {
        Bindings b = new Bindings(true, true, true, false, false);
        assertThat(Lifecycle.check(from, b, TERMINATE)).isEqualTo(new Verdict(TERMINATED, b, null));
    }

    @Test
    void terminateFromScheduledWithCompleteBindingsStillTerminates() {
        Bindings all = new Bindings(false, false, true, false, false);
        assertThat(Lifecycle.check(SCHEDULED, all, TERMINATE).next()).isEqualTo(TERMINATED);
    }

    @Test
    void terminateIsRefusedBeforeCreationAndAfterTheEnd() {
        assertThat(Lifecycle.check(NONE, HYBRID, TERMINATE).rejection())
                .isEqualTo("cannot terminate a container that is None (allowed: create)");
        assertThat(Lifecycle.check(TERMINATED, HYBRID, TERMINATE).rejection())
                .isEqualTo("cannot terminate a container that is Terminated (allowed: release)");
    }

    @Test
    void terminalStatesAndDisplayNames() {
        for (LifecycleState s : LifecycleState.values()) {
            assertThat(s.isTerminal()).as(s.name()).isEqualTo(s == TERMINATED || s == RELEASED);
        }
        assertThat(SUSPENDED.display()).isEqualTo("Suspended");
        assertThat(NONE.display()).isEqualTo("None");
    }

    @Test
    void theWholeLifecycleOfAHybridContainer() {
        LifecycleState s = NONE;
        Bindings b = HYBRID;
        List<LifecycleState> seen = new ArrayList<>();
        for (Step step : List.of(CREATE, SCHEDULE, BIND_K, BIND_Q, BIND_PHI, ACTIVATE, SUSPEND, RESUME, TERMINATE,
                RELEASE)) {
            Verdict v = Lifecycle.check(s, b, step);
            assertThat(v.allowed()).as(step + ": " + v.rejection()).isTrue();
            s = v.next();
            b = v.bindings();
            seen.add(s);
        }
        assertThat(seen).containsExactly(CREATED, SCHEDULED, SCHEDULED, SCHEDULED, BOUND, ACTIVE, SUSPENDED, ACTIVE,
                TERMINATED, RELEASED);
    }
}
