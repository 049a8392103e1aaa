package org.xdv.cdcr.runtime.core.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.xdv.cdcr.phi.Envelope;
import org.xdv.cdcr.phi.EnvelopeId;
import org.xdv.cdcr.runtime.core.Lifecycle;
import org.xdv.cdcr.runtime.core.Lifecycle.Bindings;
import org.xdv.cdcr.runtime.core.LifecycleState;
import org.xdv.cdcr.runtime.core.dao.Affinity;
import org.xdv.cdcr.runtime.core.spec.ContainerSpec;

/** Folding a container's events with {@link ContainerState#apply}: the state after each event, exactly. */
class ContainerStateTest {

    private static final String ID = "acme/job";

    private static final ContainerSpec HYBRID = new ContainerSpec("acme", "job",
            new ContainerSpec.KSpec(ContainerSpec.KSpec.BUILTIN, 1, 10_000_000, 16),
            Optional.of(new ContainerSpec.QSpec(2, "OPENQASM 2.0;", 1024, 100_000, 7)),
            Optional.of(new ContainerSpec.PhiSpec(10, 0.5, Optional.empty())),
            List.of("q.run", "q.alloc", "phi.envelope", "k.exec", "q.measure"),
            new ContainerSpec.PolicySpec(Affinity.PHI_COHERENT, List.of(), List.of(), 0,
                    ContainerSpec.Restart.RESCHEDULE));

    private static final ContainerSpec K_ONLY = new ContainerSpec("acme", "job",
            new ContainerSpec.KSpec(ContainerSpec.KSpec.BUILTIN, 2, 1000, 16), Optional.empty(), Optional.empty(),
            List.of("k.exec"), new ContainerSpec.PolicySpec(Affinity.BALANCED, List.of(), List.of(), 0,
            ContainerSpec.Restart.NEVER));

    private static final Envelope ENV1 = new Envelope(new EnvelopeId("n1", 2, 40, 3), 10, 0.5, "acme", ID,
            Optional.empty(), false);
    private static final Envelope ENV2 = new Envelope(new EnvelopeId("n2", 0, 50, 0), 10, 0.5, "acme", ID,
            Optional.empty(), false);

    private static final ContainerResult RESULT = ContainerResult.of(new TreeMap<>(java.util.Map.of("00", 510,
            "11", 514)), Optional.empty(), "1024 shots");

    private static final List<ContainerEvent> HISTORY = List.of(
            new ContainerEvent.Created(ID, HYBRID),
            new ContainerEvent.Scheduled(ID, "n1", 7, 1, 2, Optional.of(ENV1)),
            new ContainerEvent.KBound(ID, "n1", "pool-acme"),
            new ContainerEvent.QBound(ID, "n1", "reg-acme-1", 2),
            new ContainerEvent.PhiBound(ID, "n1", ENV1.id().toString(), 2, 40, 10),
            new ContainerEvent.Activated(ID, "n1"),
            new ContainerEvent.Suspended(ID, "operator"),
            new ContainerEvent.Resumed(ID, "operator"),
            new ContainerEvent.Terminated(ID, Termination.completed(), Optional.of(RESULT)),
            new ContainerEvent.Released(ID));

    private static ContainerState state(LifecycleState s, Bindings b, Optional<String> node, long seq,
                                        Optional<String> register, Optional<Envelope> env,
                                        Optional<Termination> t, Optional<ContainerResult> r, long transitions) {
        return new ContainerState(ID, s, b, Optional.of(HYBRID), node, seq, register, env, t, r, transitions);
    }

    @Test
    void foldingTheFullHistoryGivesTheExpectedStateAtEachStep() {
        Optional<String> n1 = Optional.of("n1");
        Optional<String> reg = Optional.of("reg-acme-1");
        Optional<Envelope> env = Optional.of(ENV1);
        Bindings none = Bindings.none(true, true);
        Bindings k = new Bindings(true, true, true, false, false);
        Bindings kq = new Bindings(true, true, true, true, false);
        Bindings all = new Bindings(true, true, true, true, true);
        Optional<Termination> done = Optional.of(Termination.completed());
        List<ContainerState> expected = List.of(
                state(LifecycleState.CREATED, none, Optional.empty(), -1, Optional.empty(), Optional.empty(),
                        Optional.empty(), Optional.empty(), 1),
                state(LifecycleState.SCHEDULED, none, n1, 7, Optional.empty(), env, Optional.empty(),
                        Optional.empty(), 2),
                state(LifecycleState.SCHEDULED, k, n1, 7, Optional.empty(), env, Optional.empty(), Optional.empty(), 3),
                state(LifecycleState.SCHEDULED, kq, n1, 7, reg, env, Optional.empty(), Optional.empty(), 4),
                state(LifecycleState.BOUND, all, n1, 7, reg, env, Optional.empty(), Optional.empty(), 5),
                state(LifecycleState.ACTIVE, all, n1, 7, reg, env, Optional.empty(), Optional.empty(), 6),
                state(LifecycleState.SUSPENDED, all, n1, 7, reg, env, Optional.empty(), Optional.empty(), 7),
                state(LifecycleState.ACTIVE, all, n1, 7, reg, env, Optional.empty(), Optional.empty(), 8),
                state(LifecycleState.TERMINATED, all, n1, 7, reg, env, done, Optional.of(RESULT), 9),
                state(LifecycleState.RELEASED, all, n1, 7, reg, env, done, Optional.of(RESULT), 10));

        ContainerState s = ContainerState.empty(ID);
        assertThat(s).isEqualTo(new ContainerState(ID, LifecycleState.NONE, Bindings.none(false, false),
                Optional.empty(), Optional.empty(), -1, Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), 0));
        for (int i = 0; i < HISTORY.size(); i++) {
            ContainerEvent e = HISTORY.get(i);
            assertThat(s.check(ContainerState.stepOf(e)).allowed()).as("step %d %s", i, e).isTrue();
            s = s.apply(e);
            assertThat(s).as("after %s", e.getClass().getSimpleName()).isEqualTo(expected.get(i));
        }
    }

    @Test
    void eachEventRecordsItsStep() {
        List<Lifecycle.Step> steps = new ArrayList<>();
        for (ContainerEvent e : HISTORY) {
            steps.add(ContainerState.stepOf(e));
        }
        assertThat(steps).containsExactly(Lifecycle.Step.CREATE, Lifecycle.Step.SCHEDULE, Lifecycle.Step.BIND_K,
                Lifecycle.Step.BIND_Q, Lifecycle.Step.BIND_PHI, Lifecycle.Step.ACTIVATE, Lifecycle.Step.SUSPEND,
                Lifecycle.Step.RESUME, Lifecycle.Step.TERMINATE, Lifecycle.Step.RELEASE);
        assertThat(ContainerState.stepOf(new ContainerEvent.Rescheduled(ID, "n1", "n2", 9, 1, 2, Optional.empty())))
                .isEqualTo(Lifecycle.Step.RESCHEDULE);
    }

    @Test
    void rescheduledClearsTheRegisterAndMovesToTheNewNode() {
        ContainerState active = fold(HISTORY.subList(0, 6));
        assertThat(active.state()).isEqualTo(LifecycleState.ACTIVE);

        ContainerState moved = active.apply(new ContainerEvent.Rescheduled(ID, "n1", "n2", 9, 1, 2,
                Optional.of(ENV2)));
        assertThat(moved).isEqualTo(state(LifecycleState.SCHEDULED, Bindings.none(true, true), Optional.of("n2"), 9,
                Optional.empty(), Optional.of(ENV2), Optional.empty(), Optional.empty(), 7));

        // it binds again on the new node, in order, and becomes Bound only after Φ
        ContainerState k = moved.apply(new ContainerEvent.KBound(ID, "n2", "pool-acme"));
        assertThat(k.state()).isEqualTo(LifecycleState.SCHEDULED);
        assertThat(k.check(Lifecycle.Step.BIND_PHI).rejection())
                .isEqualTo("Φ binds after K and Q (binding order is K, Q, Φ)");
        ContainerState kq = k.apply(new ContainerEvent.QBound(ID, "n2", "reg-acme-2", 2));
        ContainerState bound = kq.apply(new ContainerEvent.PhiBound(ID, "n2", ENV2.id().toString(), 0, 50, 10));
        assertThat(bound).isEqualTo(state(LifecycleState.BOUND, new Bindings(true, true, true, true, true),
                Optional.of("n2"), 9, Optional.of("reg-acme-2"), Optional.of(ENV2), Optional.empty(),
                Optional.empty(), 10));
    }

    @Test
    void kOnlyContainerIsBoundByItsKBinding() {
        List<ContainerEvent> events = List.of(new ContainerEvent.Created(ID, K_ONLY),
                new ContainerEvent.Scheduled(ID, "n3", 4, 2, 0, Optional.empty()),
                new ContainerEvent.KBound(ID, "n3", "pool-acme"));
        ContainerState s = fold(events);
        assertThat(s).isEqualTo(new ContainerState(ID, LifecycleState.BOUND,
                new Bindings(false, false, true, false, false), Optional.of(K_ONLY), Optional.of("n3"), 4,
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), 3));
        assertThat(s.check(Lifecycle.Step.BIND_Q).rejection()).isEqualTo(
                "cannot bind q a container that is Bound (allowed: activate, terminate, reschedule)");
    }

    @Test
    void faultTerminationFromSchedulingIsRecorded() {
        Termination lost = Termination.fault(FaultKind.NODE_LOST, "node n1 left and nothing else fits");
        ContainerState s = fold(List.of(new ContainerEvent.Created(ID, HYBRID),
                new ContainerEvent.Scheduled(ID, "n1", 7, 1, 2, Optional.of(ENV1)),
                new ContainerEvent.Terminated(ID, lost, Optional.empty())));
        assertThat(s.state()).isEqualTo(LifecycleState.TERMINATED);
        assertThat(s.termination()).contains(lost);
        assertThat(s.result()).isEmpty();
        assertThat(lost.label()).isEqualTo("fault:NODE_LOST");
        assertThat(Termination.completed().label()).isEqualTo("completed");
        assertThat(Termination.killed("operator")).isEqualTo(new Termination(Termination.Kind.KILLED,
                Optional.empty(), "killed by operator"));
    }

    @Test
    void aGivenUpPlacementLeavesNoContainerAndMarksOlderPlacementsOnly() {
        ContainerState none = ContainerState.empty(ID);
        assertThat(none.abandonedPlacement(-1)).as("nothing given up: even an unnumbered Create may go").isFalse();
        assertThat(none.abandonedPlacement(3)).isFalse();

        ContainerState s = fold(List.of(new ContainerEvent.Abandoned(ID, 7), new ContainerEvent.Abandoned(ID, 5)));
        assertThat(s.state()).isEqualTo(LifecycleState.NONE);
        assertThat(s.decisionSeq()).as("the newest given up").isEqualTo(7);
        assertThat(s.transitions()).as("journal entries").isEqualTo(2);
        assertThat(s.abandonedPlacement(7)).isTrue();
        assertThat(s.abandonedPlacement(-1)).isTrue();
        assertThat(s.abandonedPlacement(8)).isFalse();
        assertThatThrownBy(() -> ContainerState.stepOf(new ContainerEvent.Abandoned(ID, 7)))
                .hasMessage("Abandoned is not a lifecycle step");

        // a newer placement creates it; from then on a recorded Abandoned changes nothing but the count
        ContainerState created = s.apply(new ContainerEvent.Created(ID, K_ONLY))
                .apply(new ContainerEvent.Scheduled(ID, "n3", 9, 2, 0, Optional.empty()));
        assertThat(created.state()).isEqualTo(LifecycleState.SCHEDULED);
        assertThat(created.decisionSeq()).isEqualTo(9);
        ContainerState after = created.apply(new ContainerEvent.Abandoned(ID, 20));
        assertThat(after.decisionSeq()).isEqualTo(9);
        assertThat(after.abandonedPlacement(9)).isFalse();
    }

    @Test
    void replayingTheSameEventsTwiceGivesEqualStates() {
        List<ContainerEvent> withMove = new ArrayList<>(HISTORY.subList(0, 6));
        withMove.add(new ContainerEvent.Rescheduled(ID, "n1", "n2", 9, 1, 2, Optional.of(ENV2)));
        withMove.add(new ContainerEvent.KBound(ID, "n2", "pool-acme"));
        withMove.add(new ContainerEvent.QBound(ID, "n2", "reg-acme-2", 2));
        withMove.add(new ContainerEvent.PhiBound(ID, "n2", ENV2.id().toString(), 0, 50, 10));
        withMove.addAll(HISTORY.subList(5, HISTORY.size()));
        for (List<ContainerEvent> events : List.of(HISTORY, withMove)) {
            ContainerState first = fold(events);
            ContainerState second = fold(List.copyOf(events));
            assertThat(second).isEqualTo(first);
            assertThat(second.hashCode()).isEqualTo(first.hashCode());
            assertThat(first.state()).isEqualTo(LifecycleState.RELEASED);
        }
        assertThat(fold(withMove).node()).contains("n2");
        assertThat(fold(withMove).transitions()).isEqualTo(15);
    }

    @Test
    void applyNeverFailsOnAnEventTheTableWouldRefuseNow() {
        ContainerState created = fold(HISTORY.subList(0, 1));
        ContainerState after = created.apply(new ContainerEvent.Activated(ID, "n1"));
        assertThat(after.state()).isEqualTo(LifecycleState.CREATED);
        assertThat(after.bindings()).isEqualTo(created.bindings());
        assertThat(after.node()).isEmpty();
    }

    private static ContainerState fold(List<ContainerEvent> events) {
        ContainerState s = ContainerState.empty(ID);
        for (ContainerEvent e : events) {
            s = s.apply(e);
        }
        return s;
    }
}
