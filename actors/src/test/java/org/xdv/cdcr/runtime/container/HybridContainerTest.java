package org.xdv.cdcr.runtime.container;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.xdv.cdcr.phi.PhiConfig;
import org.xdv.cdcr.runtime.core.Lifecycle;
import org.xdv.cdcr.runtime.core.LifecycleState;
import org.xdv.cdcr.runtime.core.container.ContainerEvent;
import org.xdv.cdcr.runtime.core.container.ContainerResult;
import org.xdv.cdcr.runtime.core.container.ContainerState;
import org.xdv.cdcr.runtime.core.container.FaultKind;
import org.xdv.cdcr.runtime.core.container.Termination;
import org.xdv.cdcr.runtime.core.dao.Attestation;
import org.xdv.cdcr.runtime.core.dao.DaoDecision;
import org.xdv.cdcr.runtime.core.dao.DaoInput;
import org.xdv.cdcr.runtime.core.dao.DaoState;
import org.xdv.cdcr.runtime.core.dao.Decided;
import org.xdv.cdcr.runtime.core.dao.Orchestration;
import org.xdv.cdcr.runtime.core.spec.ContainerSpec;
import org.xdv.cdcr.runtime.integration.RuntimeTestConfigs;
import org.xdv.cdcr.runtime.integration.Specs;
import org.xdv.cdcr.runtime.node.NodeAgent;
import org.xdv.cdcr.runtime.node.NodeConfig;
import org.xdv.cdcr.runtime.orchestrator.OrchestratorFront;

/**
 * The hybrid-container entity under {@link EventSourcedBehaviorTestKit} (in-memory journal, serialization of
 * commands, events, replies and state verified with equality), without sharding ({@link HybridContainer#create}).
 *
 * <p>Its placement is a real decision of the pure orchestrator ({@link Orchestration}); the orchestrator singleton
 * is a probe that answers the entity's release with {@code Freed}. The lifecycle tests put a probe at the node so
 * the container stays in the state each step needs; the binding flow runs on a real {@link NodeAgent} (real QPU,
 * real Φ channels). The testkit does not hand out the entity's address, so the node's outcome
 * ({@link NodeAgent.RunFinished}) reaches the entity the way sharding's forwarder delivers it: as
 * {@link HybridContainer.Finished}, sent by the test.
 */
class HybridContainerTest {

    private static final ActorTestKit testKit = ActorTestKit.create("HybridContainerTest", RuntimeTestConfigs.local());
    private static final EventSourcedBehaviorTestKit.SerializationSettings VERIFY_ALL =
            EventSourcedBehaviorTestKit.enabledSerializationSettings().withVerifyEquality(true);
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final AtomicInteger UNIQUE = new AtomicInteger();

    @AfterAll
    static void shutdown() {
        testKit.shutdownTestKit();
    }

    /** One container under test and everything around it; names are unique per test. */
    private static final class Fixture {
        final NodeConfig node;
        final TestProbe<NodeAgent.Command> agentProbe;
        final ActorRef<NodeAgent.Command> agent;
        final TestProbe<OrchestratorFront.Command> dao = testKit.createTestProbe();
        final TestProbe<NodeAgent.RunFinished> outcomes = testKit.createTestProbe();
        final ContainerSpec spec;
        final Decided placement;
        final EventSourcedBehaviorTestKit<HybridContainer.Command, ContainerEvent, ContainerState> kit;
        final NodeDirectory directory = new NodeDirectory();

        /** {@code realNode}: a real NodeAgent at the node; otherwise a probe stands there. */
        Fixture(ContainerSpec spec, boolean realNode) {
            int n = UNIQUE.incrementAndGet();
            this.node = new NodeConfig("n" + n, 4, 8, 2, PhiConfig.defaults(2), List.of(), 1, 7L);
            if (realNode) {
                this.agentProbe = null;
                this.agent = testKit.spawn(NodeAgent.create(node), NodeAgent.actorName(node.nodeId()));
            } else {
                this.agentProbe = testKit.createTestProbe();
                this.agent = agentProbe.ref();
            }
            directory.put(node.nodeId(), agent);
            this.spec = spec;
            this.placement = place(node, spec);
            this.kit = EventSourcedBehaviorTestKit.create(testKit.system(),
                    HybridContainer.create(spec.id(), new HybridContainer.Deps(dao.ref(), directory, outcomes.ref())),
                    VERIFY_ALL);
        }

        String id() {
            return spec.id();
        }

        DaoDecision.Placed placed() {
            return (DaoDecision.Placed) placement.decision();
        }

        EventSourcedBehaviorTestKit.CommandResultWithReply<HybridContainer.Command, ContainerEvent, ContainerState,
                StatusReply<ContainerState>> create(ContainerSpec s) {
            return kit.runCommand(r -> new HybridContainer.Create(s, placed(), placement.seq(), r));
        }

        /** Creates the (K-only) container and answers its K binding at the probe node: it is Active, its run sent. */
        ContainerState createActive() {
            create(spec);
            agentProbe.expectMessageClass(NodeAgent.BindK.class, WAIT).replyTo()
                    .tell(StatusReply.success("vhm-" + spec.tenant()));
            agentProbe.expectMessageClass(NodeAgent.Run.class, WAIT);
            return kit.getState();
        }

        /** The same container's entity in another process, whose node directory is {@code directory}. */
        ActorRef<HybridContainer.Command> elsewhere(NodeDirectory directory) {
            return testKit.spawn(HybridContainer.create(id(), new HybridContainer.Deps(dao.ref(), directory,
                    outcomes.ref())));
        }

        EventSourcedBehaviorTestKit.CommandResultWithReply<HybridContainer.Command, ContainerEvent, ContainerState,
                StatusReply<ContainerState>> control(Lifecycle.Step step, String by) {
            return kit.runCommand(r -> switch (step) {
                case SUSPEND -> new HybridContainer.Suspend(by, r);
                case RESUME -> new HybridContainer.Resume(by, r);
                case TERMINATE -> new HybridContainer.Terminate(by, r);
                default -> throw new IllegalArgumentException(step.name());
            });
        }

        /** The orchestrator probe receives the release and answers it as the orchestrator would. */
        void answerRelease() {
            OrchestratorFront.Decide d = dao.expectMessageClass(OrchestratorFront.Decide.class, WAIT);
            assertThat(d.input()).isEqualTo(new DaoInput.Release(id()));
            d.replyTo().tell(new Decided(placement.seq() + 1, d.input(), new DaoDecision.Freed(id(), node.nodeId())));
        }

        ContainerState awaitState(LifecycleState expected) {
            return dao.awaitAssert(WAIT, () -> {
                ContainerState s = kit.getState();
                assertThat(s.state()).isEqualTo(expected);
                return s;
            });
        }

        /**
         * The next message the node receives of type {@code type}, skipping repeated {@link NodeAgent.Run}s: after
         * a recovery the entity re-sends Run to a node that still holds the container (idempotent on the node), and
         * that may cross the test's next command.
         */
        <T extends NodeAgent.Command> T atNode(Class<T> type) {
            List<NodeAgent.Command> got = agentProbe.fishForMessage(WAIT, "next " + type.getSimpleName(), m ->
                    type.isInstance(m) ? FishingOutcomes.complete()
                            : m instanceof NodeAgent.Run ? FishingOutcomes.continueAndIgnore()
                            : FishingOutcomes.fail("unexpected " + m));
            return type.cast(got.get(got.size() - 1));
        }

        List<ContainerEvent> journal() {
            List<ContainerEvent> out = new ArrayList<>();
            String persistenceId = HybridContainer.persistenceId(id());
            for (Object e : kit.persistenceTestKit().persistedInStorage(persistenceId)) {
                out.add((ContainerEvent) e);
            }
            return out;
        }
    }

    /** The orchestrator's decision for {@code spec} on a cluster of just {@code node}: a real, pure decision. */
    private static Decided place(NodeConfig node, ContainerSpec spec) {
        List<Decided> out = new ArrayList<>();
        Orchestration.run(DaoState.EMPTY, List.of(new DaoInput.UpsertTenant(Specs.tenant(spec.tenant(), 10)),
                new DaoInput.AdmitNode(node.spec(), Attestation.operatorTrusted("test")),
                new DaoInput.Place(spec.demand())), out);
        Decided d = out.get(2);
        assertThat(d.decision()).as("placement of %s", spec.id()).isInstanceOf(DaoDecision.Placed.class);
        return d;
    }

    /** The reason the lifecycle table gives for refusing {@code step} in the container's current state. */
    private static String tableReason(ContainerState s, Lifecycle.Step step) {
        Lifecycle.Verdict v = Lifecycle.check(s.state(), s.bindings(), step);
        assertThat(v.allowed()).as("%s is refused in %s", step, s.state()).isFalse();
        return v.rejection();
    }

    private static void assertRefused(Fixture f, Lifecycle.Step step, String expectedStart) {
        ContainerState before = f.kit.getState();
        var result = f.control(step, "operator:alice");
        assertThat(result.reply().isError()).as("%s in %s", step, before.state()).isTrue();
        assertThat(result.reply().getError().getMessage()).isEqualTo(tableReason(before, step))
                .startsWith(expectedStart);
        assertThat(result.hasNoEvents()).isTrue();
        assertThat(result.state()).isEqualTo(before);
    }

    @Test
    void createRecordsCreatedAndScheduledRepliesWithTheStateAndStartsBindingK() {
        Fixture f = new Fixture(Specs.kOnly("acme", "create"), false);

        var result = f.create(f.spec);

        DaoDecision.Placed p = f.placed();
        assertThat(result.events()).containsExactly(
                new ContainerEvent.Created(f.id(), f.spec),
                new ContainerEvent.Scheduled(f.id(), f.node.nodeId(), f.placement.seq(), 1, 0, Optional.empty()));
        assertThat(result.reply().isSuccess()).isTrue();
        ContainerState s = result.reply().getValue();
        assertThat(s).isEqualTo(result.state());
        assertThat(s.state()).isEqualTo(LifecycleState.SCHEDULED);
        assertThat(s.spec()).contains(f.spec);
        assertThat(s.node()).contains(p.node());
        assertThat(s.decisionSeq()).isEqualTo(f.placement.seq());
        assertThat(s.transitions()).isEqualTo(2);

        NodeAgent.BindK bind = f.agentProbe.expectMessageClass(NodeAgent.BindK.class, WAIT);
        assertThat(bind.containerId()).isEqualTo(f.id());
        assertThat(bind.tenant()).isEqualTo("acme");
        assertThat(bind.slots()).isEqualTo(1);
    }

    @Test
    void createIsIdempotentForTheSameSpecAndRefusedForADifferentOne() {
        Fixture f = new Fixture(Specs.kOnly("acme", "again"), false);
        ContainerState first = f.create(f.spec).reply().getValue();

        var same = f.create(Specs.kOnly("acme", "again"));
        assertThat(same.reply().isSuccess()).isTrue();
        assertThat(same.reply().getValue()).isEqualTo(first);
        assertThat(same.hasNoEvents()).isTrue();

        var other = f.create(Specs.bell("acme", "again", 100, 1));
        assertThat(other.reply().isError()).isTrue();
        assertThat(other.reply().getError().getMessage())
                .isEqualTo("container acme/again already exists (Scheduled) with a different spec");
        assertThat(other.hasNoEvents()).isTrue();
        assertThat(other.state()).isEqualTo(first);
    }

    @Test
    void aPlacementGivenUpBeforeCreationRefusesItsCreateButNotANewerPlacement() {
        Fixture f = new Fixture(Specs.kOnly("acme", "orphan"), false);
        long seq = f.placement.seq();

        var abandon = f.kit.<Boolean>runCommand(r -> new HybridContainer.Abandon(seq, r));
        assertThat(abandon.reply()).isTrue();
        assertThat(abandon.events()).containsExactly(new ContainerEvent.Abandoned(f.id(), seq));
        assertThat(abandon.state().state()).isEqualTo(LifecycleState.NONE);

        // the late Create of the given-up placement (and of an unnumbered one) is refused and records nothing
        var late = f.create(f.spec);
        assertThat(late.reply().isError()).isTrue();
        assertThat(late.reply().getError().getMessage()).isEqualTo("placement #" + seq + " of acme/orphan was given "
                + "up before the container was created (up to decision #" + seq + ")");
        assertThat(late.hasNoEvents()).isTrue();
        assertThat(f.kit.<StatusReply<ContainerState>>runCommand(
                r -> new HybridContainer.Create(f.spec, f.placed(), -1, r)).reply().isError()).isTrue();

        // a new submission's placement (a later decision) creates the container
        var fresh = f.kit.<StatusReply<ContainerState>>runCommand(
                r -> new HybridContainer.Create(f.spec, f.placed(), seq + 3, r));
        assertThat(fresh.reply().isSuccess()).isTrue();
        assertThat(fresh.state().state()).isEqualTo(LifecycleState.SCHEDULED);
        assertThat(fresh.state().decisionSeq()).isEqualTo(seq + 3);

        // once it exists, nothing of it can be given up
        var exists = f.kit.<Boolean>runCommand(r -> new HybridContainer.Abandon(seq + 10, r));
        assertThat(exists.reply()).isFalse();
        assertThat(exists.hasNoEvents()).isTrue();
        f.kit.restart();
        assertThat(f.kit.getState()).isEqualTo(fresh.state());
    }

    @Test
    void createForAnotherContainerIdIsRefusedAndLeavesNothing() {
        Fixture f = new Fixture(Specs.kOnly("acme", "mine"), false);

        var result = f.create(Specs.kOnly("acme", "someone-else"));

        assertThat(result.reply().isError()).isTrue();
        assertThat(result.reply().getError().getMessage()).isEqualTo("spec and placement are not for acme/mine");
        assertThat(result.hasNoEvents()).isTrue();
        assertThat(result.state()).isEqualTo(ContainerState.empty("acme/mine"));
    }

    @Test
    void getRepliesWithTheCurrentStateAndChangesNothing() {
        Fixture f = new Fixture(Specs.kOnly("acme", "get"), false);
        var before = f.kit.<ContainerState>runCommand(HybridContainer.Get::new);
        assertThat(before.reply()).isEqualTo(ContainerState.empty("acme/get"));
        assertThat(before.hasNoEvents()).isTrue();

        ContainerState created = f.create(f.spec).reply().getValue();
        var after = f.kit.<ContainerState>runCommand(HybridContainer.Get::new);
        assertThat(after.reply()).isEqualTo(created);
        assertThat(after.hasNoEvents()).isTrue();
    }

    @Test
    void controlCommandsFollowTheLifecycleTableAndRefusalsCarryItsReason() {
        Fixture f = new Fixture(Specs.kOnly("acme", "table"), false);
        f.create(f.spec);
        NodeAgent.BindK bindK = f.agentProbe.expectMessageClass(NodeAgent.BindK.class, WAIT);

        // Scheduled: binding in progress, neither suspend nor resume
        assertRefused(f, Lifecycle.Step.SUSPEND, "cannot suspend a container that is Scheduled (allowed: ");
        assertRefused(f, Lifecycle.Step.RESUME, "cannot resume a container that is Scheduled (allowed: ");

        // the node binds K: a K-only container is then Bound, is activated and its K part is started on the node
        bindK.replyTo().tell(StatusReply.success("vhm-acme@" + f.node.nodeId()));
        NodeAgent.Run run = f.agentProbe.expectMessageClass(NodeAgent.Run.class, WAIT);
        assertThat(run.spec()).isEqualTo(f.spec);
        assertThat(run.envelope()).isEmpty();
        assertThat(run.replyTo()).isEqualTo(f.outcomes.ref());
        assertThat(f.kit.getState().state()).isEqualTo(LifecycleState.ACTIVE);

        assertRefused(f, Lifecycle.Step.RESUME, "cannot resume a container that is Active (allowed: ");

        var suspended = f.control(Lifecycle.Step.SUSPEND, "operator:alice");
        assertThat(suspended.events()).containsExactly(new ContainerEvent.Suspended(f.id(), "operator:alice"));
        assertThat(suspended.reply().getValue().state()).isEqualTo(LifecycleState.SUSPENDED);
        assertThat(f.agentProbe.expectMessageClass(NodeAgent.Suspend.class, WAIT))
                .isEqualTo(new NodeAgent.Suspend(f.id()));

        assertRefused(f, Lifecycle.Step.SUSPEND, "cannot suspend a container that is Suspended (allowed: ");

        // a restart recovers exactly this state from the journal; the node still holds the container
        ContainerState beforeRestart = f.kit.getState();
        assertThat(f.kit.restart().state()).isEqualTo(beforeRestart);
        NodeAgent.Holds holds = f.agentProbe.expectMessageClass(NodeAgent.Holds.class, WAIT);
        holds.replyTo().tell(true);

        var resumed = f.control(Lifecycle.Step.RESUME, "operator:bob");
        assertThat(resumed.events()).containsExactly(new ContainerEvent.Resumed(f.id(), "operator:bob"));
        assertThat(resumed.reply().getValue().state()).isEqualTo(LifecycleState.ACTIVE);
        assertThat(f.atNode(NodeAgent.Resume.class))
                .isEqualTo(new NodeAgent.Resume(f.id()));

        var terminated = f.control(Lifecycle.Step.TERMINATE, "operator:bob");
        assertThat(terminated.events()).containsExactly(new ContainerEvent.Terminated(f.id(),
                Termination.killed("operator:bob"), Optional.empty()));
        assertThat(terminated.reply().getValue().state()).isEqualTo(LifecycleState.TERMINATED);
        assertThat(f.atNode(NodeAgent.Kill.class)).isEqualTo(new NodeAgent.Kill(f.id()));
        NodeAgent.ReleaseAll release = f.atNode(NodeAgent.ReleaseAll.class);
        assertThat(release.containerId()).isEqualTo(f.id());
        assertThat(release.tenant()).isEqualTo("acme");

        // Terminated, releasing: only the release may follow
        assertRefused(f, Lifecycle.Step.SUSPEND, "cannot suspend a container that is Terminated (allowed: release)");
        assertRefused(f, Lifecycle.Step.TERMINATE,
                "cannot terminate a container that is Terminated (allowed: release)");

        release.replyTo().tell(StatusReply.ack());
        f.answerRelease();
        ContainerState released = f.awaitState(LifecycleState.RELEASED);
        assertRefused(f, Lifecycle.Step.TERMINATE, "cannot terminate a container that is Released (allowed: nothing)");
        assertRefused(f, Lifecycle.Step.RESUME, "cannot resume a container that is Released (allowed: nothing)");

        assertThat(f.journal()).extracting(e -> e.getClass().getSimpleName()).containsExactly("Created",
                "Scheduled", "KBound", "Activated", "Suspended", "Resumed", "Terminated", "Released");
        assertThat(f.kit.restart().state()).isEqualTo(released);
    }

    @Test
    void terminateWhileBindingEndsTheContainerAndReleasesWhatTheNodeHeld() {
        Fixture f = new Fixture(Specs.bell("acme", "early", 100, 3), false);
        f.create(f.spec);
        f.agentProbe.expectMessageClass(NodeAgent.BindK.class, WAIT); // never answered: the node is slow

        var terminated = f.control(Lifecycle.Step.TERMINATE, "operator:alice");

        assertThat(terminated.events()).containsExactly(new ContainerEvent.Terminated(f.id(),
                Termination.killed("operator:alice"), Optional.empty()));
        assertThat(f.agentProbe.expectMessageClass(NodeAgent.Kill.class, WAIT)).isEqualTo(new NodeAgent.Kill(f.id()));
        f.agentProbe.expectMessageClass(NodeAgent.ReleaseAll.class, WAIT).replyTo().tell(StatusReply.ack());
        f.answerRelease();
        ContainerState released = f.awaitState(LifecycleState.RELEASED);
        assertThat(released.bindings().k()).isFalse();
        assertThat(released.termination()).contains(Termination.killed("operator:alice"));
        assertThat(f.journal()).extracting(e -> e.getClass().getSimpleName())
                .containsExactly("Created", "Scheduled", "Terminated", "Released");
    }

    @Test
    void afterARestartANodeThatNoLongerHoldsTheContainerBindsItAgain() {
        Fixture f = new Fixture(Specs.kOnly("acme", "lost"), false);
        ContainerState active = f.createActive();
        assertThat(active.state()).isEqualTo(LifecycleState.ACTIVE);

        assertThat(f.kit.restart().state()).isEqualTo(active);
        // the node restarted meanwhile and lost its bindings: same node, same decision, bound again from K
        f.agentProbe.expectMessageClass(NodeAgent.Holds.class, WAIT).replyTo().tell(false);
        NodeAgent.BindK again = f.agentProbe.expectMessageClass(NodeAgent.BindK.class, WAIT);
        assertThat(again.containerId()).isEqualTo(f.id());
        ContainerState rescheduled = f.kit.getState();
        assertThat(rescheduled.state()).isEqualTo(LifecycleState.SCHEDULED);
        assertThat(rescheduled.bindings().k()).isFalse();
        assertThat(f.journal().get(f.journal().size() - 1)).isEqualTo(new ContainerEvent.Rescheduled(f.id(),
                f.node.nodeId(), f.node.nodeId(), f.placement.seq(), 1, 0, Optional.empty()));
    }

    /**
     * After a whole-cluster restart an entity may start on a process whose directory does not list its node's agent
     * yet. It must look again until it does, not wait for ever (seen in WholeClusterRestartIT: two of six Active
     * containers were never re-bound).
     */
    @Test
    void anActiveContainerWhoseNodeIsNotKnownYetLooksAgainUntilItIs() {
        Fixture f = new Fixture(Specs.kOnly("acme", "early"), false);
        assertThat(f.createActive().state()).isEqualTo(LifecycleState.ACTIVE);

        // the same container started again elsewhere, in a process that does not know the node yet
        NodeDirectory empty = new NodeDirectory();
        ActorRef<HybridContainer.Command> elsewhere = f.elsewhere(empty);
        TestProbe<ContainerState> state = testKit.createTestProbe();
        elsewhere.tell(new HybridContainer.Get(state.ref()));
        assertThat(state.receiveMessage(WAIT).state()).as("recovered").isEqualTo(LifecycleState.ACTIVE);
        f.agentProbe.expectNoMessage(HybridContainer.UNKNOWN_NODE_RECHECK.multipliedBy(2));
        empty.put(f.node.nodeId(), f.agent);
        f.agentProbe.expectMessageClass(NodeAgent.Holds.class, WAIT.plus(HybridContainer.UNKNOWN_NODE_RECHECK))
                .replyTo().tell(false);
        assertThat(f.agentProbe.expectMessageClass(NodeAgent.BindK.class, WAIT).containerId()).isEqualTo(f.id());
    }

    /** The same for a container about to bind: it binds once its node is known, instead of failing at once. */
    @Test
    void aScheduledContainerWhoseNodeIsNotKnownYetBindsOnceItIs() {
        Fixture f = new Fixture(Specs.kOnly("acme", "early-bind"), false);
        NodeDirectory empty = new NodeDirectory();
        ActorRef<HybridContainer.Command> entity = f.elsewhere(empty);
        TestProbe<StatusReply<ContainerState>> created = testKit.createTestProbe();
        entity.tell(new HybridContainer.Create(f.spec, f.placed(), f.placement.seq(), created.ref()));
        assertThat(created.receiveMessage(WAIT).getValue().state()).isEqualTo(LifecycleState.SCHEDULED);
        f.agentProbe.expectNoMessage(HybridContainer.UNKNOWN_NODE_RECHECK.multipliedBy(2));
        empty.put(f.node.nodeId(), f.agent);
        assertThat(f.agentProbe.expectMessageClass(NodeAgent.BindK.class, WAIT).containerId()).isEqualTo(f.id());
    }

    /**
     * A re-placement is carried out once: told again (the orchestrator recovered and repeats its recent removals)
     * or told an older one late, the container does nothing; nor does a stranding by a node it is no longer on.
     */
    @Test
    void aRepeatedOrOlderReplacementAndAStaleStrandingAreIgnored() {
        Fixture f = new Fixture(Specs.kOnly("acme", "moved"), false);
        f.createActive();

        long moveSeq = f.placement.seq() + 7;
        var moved = f.kit.runCommand(new HybridContainer.Reschedule("gone", f.placed(), moveSeq));
        assertThat(moved.events()).containsExactly(new ContainerEvent.Rescheduled(f.id(), "gone", f.node.nodeId(),
                moveSeq, 1, 0, Optional.empty()));
        f.agentProbe.expectMessageClass(NodeAgent.BindK.class, WAIT).replyTo().tell(StatusReply.success("vhm-acme"));
        f.atNode(NodeAgent.Run.class);
        assertThat(f.awaitState(LifecycleState.ACTIVE).decisionSeq()).isEqualTo(moveSeq);

        assertThat(f.kit.runCommand(new HybridContainer.Reschedule("gone", f.placed(), moveSeq)).events()).isEmpty();
        assertThat(f.kit.runCommand(new HybridContainer.Reschedule("gone", f.placed(), moveSeq - 3)).events())
                .isEmpty();
        assertThat(f.kit.runCommand(new HybridContainer.Strand("gone", "downed")).events()).isEmpty();
        assertThat(f.kit.getState().state()).isEqualTo(LifecycleState.ACTIVE);
        assertThat(f.journal()).extracting(e -> e.getClass().getSimpleName())
                .containsExactly("Created", "Scheduled", "KBound", "Activated", "Rescheduled", "KBound", "Activated");
    }

    /**
     * Re-placed away from a node that is alive after all (it restarted under the same id while its removal was
     * decided): that node is told to stop the run and free the bindings, and the end it reports later is ignored.
     */
    @Test
    void aContainerMovedAwayFromALiveNodeIsStoppedThereAndItsEndFromThereIgnored() {
        Fixture f = new Fixture(Specs.kOnly("acme", "moved-away"), false);
        f.createActive();
        TestProbe<NodeAgent.Command> other = testKit.createTestProbe();
        f.directory.put("n-other", other.ref());

        DaoDecision.Placed there = new DaoDecision.Placed(f.id(), "acme", "n-other", 1, 0, Optional.empty());
        var moved = f.kit.runCommand(new HybridContainer.Reschedule(f.node.nodeId(), there, f.placement.seq() + 5));
        assertThat(moved.events()).hasSize(1).first().isInstanceOf(ContainerEvent.Rescheduled.class);
        assertThat(f.atNode(NodeAgent.Kill.class)).isEqualTo(new NodeAgent.Kill(f.id()));
        assertThat(f.atNode(NodeAgent.ReleaseAll.class).containerId()).isEqualTo(f.id());
        other.expectMessageClass(NodeAgent.BindK.class, WAIT).replyTo().tell(StatusReply.success("vhm-acme"));
        other.expectMessageClass(NodeAgent.Run.class, WAIT);
        assertThat(f.awaitState(LifecycleState.ACTIVE).node()).contains("n-other");

        // the killed run on the old node reports its end late: not this container's end any more
        var late = f.kit.runCommand(new HybridContainer.Finished(f.node.nodeId(), Termination.killed("operator"),
                Optional.empty()));
        assertThat(late.events()).isEmpty();
        assertThat(f.kit.getState().state()).isEqualTo(LifecycleState.ACTIVE);
    }

    /** Stranded (its node lost, no other node can take it) while a binding is open: a NODE_LOST fault, released. */
    @Test
    void aContainerStrandedWhileBindingFaultsWithNodeLostAndIsReleased() {
        Fixture f = new Fixture(Specs.kOnly("acme", "stranded"), false);
        f.create(f.spec);
        NodeAgent.BindK bind = f.agentProbe.expectMessageClass(NodeAgent.BindK.class, WAIT);

        var stranded = f.kit.runCommand(new HybridContainer.Strand(f.node.nodeId(), "downed"));
        assertThat(stranded.events()).containsExactly(new ContainerEvent.Terminated(f.id(),
                Termination.fault(FaultKind.NODE_LOST, "node " + f.node.nodeId() + " lost: downed"),
                Optional.empty()));
        bind.replyTo().tell(StatusReply.success("vhm-acme")); // the late answer of the binding in flight

        assertThat(f.atNode(NodeAgent.Kill.class)).isEqualTo(new NodeAgent.Kill(f.id()));
        f.atNode(NodeAgent.ReleaseAll.class).replyTo().tell(StatusReply.ack());
        f.answerRelease();
        ContainerState released = f.awaitState(LifecycleState.RELEASED);
        assertThat(released.bindings().k()).isFalse();
        assertThat(f.journal()).extracting(e -> e.getClass().getSimpleName())
                .containsExactly("Created", "Scheduled", "Terminated", "Released");
    }

    /** The lines its K program logged are persisted with its end, in the same write, before the Terminated. */
    @Test
    void theRunsLogLinesArePersistedWithItsEnd() {
        Fixture f = new Fixture(Specs.kOnly("acme", "chatty"), false);
        f.createActive();

        var finished = f.kit.runCommand(new HybridContainer.Finished(f.node.nodeId(), Termination.completed(),
                Optional.empty(), List.of("step 1", "step 2"), 3));
        assertThat(finished.events()).containsExactly(
                new ContainerEvent.Logged(f.id(), List.of("step 1", "step 2"), 3),
                new ContainerEvent.Terminated(f.id(), Termination.completed(), Optional.empty()));
        f.atNode(NodeAgent.ReleaseAll.class).replyTo().tell(StatusReply.ack());
        f.answerRelease();
        f.awaitState(LifecycleState.RELEASED);
        assertThat(f.journal()).extracting(e -> e.getClass().getSimpleName()).containsExactly("Created", "Scheduled",
                "KBound", "Activated", "Logged", "Terminated", "Released");
    }

    /**
     * After a recovery the entity asks the node whether it still holds the container; the K part may finish while
     * that question is open. The container must still be released (it once stayed Terminated, holding its
     * register, envelope and placement until the next recovery).
     */
    @Test
    void aRunThatFinishesWhileTheNodeIsAskedAfterARecoveryIsStillReleased() {
        Fixture f = new Fixture(Specs.kOnly("acme", "race"), false);
        f.createActive();
        f.kit.restart();
        NodeAgent.Holds holds = f.agentProbe.expectMessageClass(NodeAgent.Holds.class, WAIT);

        var finished = f.kit.runCommand(new HybridContainer.Finished(f.node.nodeId(), Termination.completed(),
                Optional.of(ContainerResult.of(new java.util.TreeMap<>(), Optional.empty(), "K program ran"))));
        assertThat(finished.events()).hasSize(1).first().isInstanceOf(ContainerEvent.Terminated.class);
        holds.replyTo().tell(true);

        f.atNode(NodeAgent.ReleaseAll.class).replyTo().tell(StatusReply.ack());
        f.answerRelease();
        assertThat(f.awaitState(LifecycleState.RELEASED).termination()).contains(Termination.completed());
    }

    @Test
    void aKQPhiContainerBindsKThenQThenPhiOnARealNodeRunsAndIsReleased() {
        ContainerSpec spec = Specs.hybrid("acme", "flow", 256, 2026, 12, 0.0);
        Fixture f = new Fixture(spec, true);
        DaoDecision.Placed p = f.placed();
        assertThat(p.envelope()).isPresent();

        var created = f.create(spec);
        assertThat(created.reply().isSuccess()).isTrue();
        assertThat(created.events()).startsWith(new ContainerEvent.Created(f.id(), spec),
                new ContainerEvent.Scheduled(f.id(), f.node.nodeId(), f.placement.seq(), 1, 2, p.envelope()));

        // the real node binds K, Q, Φ, runs the Bell pair, holds the envelope and reports the outcome
        NodeAgent.RunFinished outcome = f.outcomes.expectMessageClass(NodeAgent.RunFinished.class, WAIT);
        assertThat(outcome.containerId()).isEqualTo(f.id());
        assertThat(outcome.termination()).isEqualTo(Termination.completed());
        assertThat(f.kit.getState().state()).isEqualTo(LifecycleState.ACTIVE);

        var finished = f.kit.runCommand(new HybridContainer.Finished(f.node.nodeId(), outcome.termination(),
                outcome.result()));
        assertThat(finished.events()).first()
                .isEqualTo(new ContainerEvent.Terminated(f.id(), Termination.completed(), outcome.result()));
        f.answerRelease();
        ContainerState released = f.awaitState(LifecycleState.RELEASED);

        List<ContainerEvent> journal = f.journal();
        assertThat(journal).extracting(e -> e.getClass().getSimpleName()).containsExactly("Created", "Scheduled",
                "KBound", "QBound", "PhiBound", "Activated", "Terminated", "Released");
        ContainerEvent.QBound q = (ContainerEvent.QBound) journal.get(3);
        assertThat(q.node()).isEqualTo(f.node.nodeId());
        assertThat(q.qubits()).isEqualTo(2);
        ContainerEvent.PhiBound phi = (ContainerEvent.PhiBound) journal.get(4);
        assertThat(phi.envelope()).isEqualTo(p.envelope().orElseThrow().id().toString());
        assertThat(phi.lengthSlots()).isEqualTo(12);

        ContainerResult result = released.result().orElseThrow();
        assertThat(result.counts().keySet()).isSubsetOf("00", "11");
        assertThat(result.counts().values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(256);
        ContainerResult.PhiSummary summary = result.phi().orElseThrow();
        assertThat(summary.slots()).isEqualTo(12);
        assertThat(summary.minObserved()).isGreaterThanOrEqualTo(summary.floor());
        assertThat(released.termination()).contains(Termination.completed());
        assertThat(released.register()).contains(q.register());

        // the node gave everything back
        TestProbe<NodeAgent.Description> describe = testKit.createTestProbe();
        f.agent.tell(new NodeAgent.Describe(describe.ref()));
        NodeAgent.Description d = describe.expectMessageClass(NodeAgent.Description.class, WAIT);
        assertThat(d.freeQubits()).isEqualTo(f.node.qubits());
        assertThat(d.boundContainers()).isZero();

        assertThat(f.kit.restart().state()).isEqualTo(released);
    }
}
