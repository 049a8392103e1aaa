package org.xdv.cdcr.runtime.container;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;
import org.xdv.cdcr.persistence.KryoSerializable;
import org.xdv.cdcr.runtime.core.Lifecycle;
import org.xdv.cdcr.runtime.core.LifecycleState;
import org.xdv.cdcr.runtime.core.container.ContainerEvent;
import org.xdv.cdcr.runtime.core.container.ContainerResult;
import org.xdv.cdcr.runtime.core.container.ContainerState;
import org.xdv.cdcr.runtime.core.container.FaultKind;
import org.xdv.cdcr.runtime.core.container.Termination;
import org.xdv.cdcr.runtime.core.dao.DaoDecision;
import org.xdv.cdcr.runtime.core.dao.DaoInput;
import org.xdv.cdcr.runtime.core.dao.Decided;
import org.xdv.cdcr.runtime.core.spec.ContainerSpec;
import org.xdv.cdcr.runtime.node.NodeAgent;
import org.xdv.cdcr.runtime.orchestrator.OrchestratorFront;

/**
 * A hybrid container (spec §3): a sharded, event-sourced entity whose id is {@code tenant/name}.
 *
 * <p>It owns the container's lifecycle {@code Created → Scheduled → Bound → Active ⇄ Suspended → Terminated →
 * Released}; every transition is an event, allowed only by {@link Lifecycle}. Placement comes from the
 * orchestrator ({@link Create} carries its decision); the entity then binds K, Q, Φ in that order on the chosen
 * node's agent (each its own event), activates the K part there, records how it ended, releases the node's
 * resources and the orchestrator's placement, and is Released.
 *
 * <p>What survives a rebalance or restart: everything in {@link ContainerState}. Bindings live on the node;
 * after a recovery the entity asks the node whether it still holds them and, if not (the node restarted), binds
 * again on the same node ({@link ContainerEvent.Rescheduled}). Idle entities are passivated by sharding, and a
 * Released one at once (it has nothing left to do; a later query starts it again from its journal); node outcomes
 * reach a passivated entity through sharding ({@link #forwarder}).
 */
public final class HybridContainer
        extends EventSourcedBehaviorWithEnforcedReplies<HybridContainer.Command, ContainerEvent, ContainerState> {

    public static final EntityTypeKey<Command> ENTITY_KEY = EntityTypeKey.create(Command.class, "HybridContainer");

    /** The persistence id of container {@code containerId}'s journal ({@code HybridContainer|tenant/name}). */
    public static String persistenceId(String containerId) {
        return PersistenceId.of(ENTITY_KEY.name(), containerId).id();
    }

    static final Duration ASK = Duration.ofSeconds(10);
    /**
     * How soon a container whose node this process does not know yet looks again. After a whole-cluster restart an
     * entity can start on one node before that node's directory has the other nodes' agents (the receptionist's
     * listing arrives seconds after joining); a node that is gone for good is removed by the orchestrator, which
     * re-places or strands the container meanwhile.
     */
    static final Duration UNKNOWN_NODE_RECHECK = Duration.ofSeconds(1);
    /** Looks for an unknown node before a binding step gives up ("not reachable from here"); a live one waits on. */
    static final int UNKNOWN_NODE_LOOKS = 10;

    public sealed interface Command extends KryoSerializable {
    }

    /** Create the container with the orchestrator's placement (idempotent for the same spec). */
    public record Create(ContainerSpec spec, DaoDecision.Placed placed, long decisionSeq,
                         ActorRef<StatusReply<ContainerState>> replyTo) implements Command {
    }

    public record Get(ActorRef<ContainerState> replyTo) implements Command {
    }

    public record Suspend(String by, ActorRef<StatusReply<ContainerState>> replyTo) implements Command {
    }

    public record Resume(String by, ActorRef<StatusReply<ContainerState>> replyTo) implements Command {
    }

    public record Terminate(String by, ActorRef<StatusReply<ContainerState>> replyTo) implements Command {
    }

    /**
     * Its node was lost and the orchestrator re-placed it by decision {@code decisionSeq}. Idempotent: ignored
     * unless that decision is newer than the one the container carries out.
     */
    public record Reschedule(String fromNode, DaoDecision.Placed placed, long decisionSeq) implements Command {
    }

    /** Its node was lost and the orchestrator could not re-place it. Ignored unless the container is on that node. */
    public record Strand(String node, String reason) implements Command {
    }

    /**
     * Give up this container's placements up to orchestrator decision {@code upToSeq} if it was never created: the
     * reply is true once that is recorded ({@link ContainerEvent.Abandoned}; a later Create for such a placement is
     * refused), false if the container exists. The sender then releases the placement at the orchestrator.
     */
    public record Abandon(long upToSeq, ActorRef<Boolean> replyTo) implements Command {
    }

    /** Continue the lifecycle from wherever it stands (sent after recovery and after each step). */
    public enum Advance implements Command { INSTANCE }

    /** Its K program's run on {@code node} ended. Ignored unless the container is Active or Suspended there. */
    public record Finished(String node, Termination termination, Optional<ContainerResult> result, List<String> log,
                           int logDropped) implements Command {
        public Finished {
            log = List.copyOf(log);
        }

        public Finished(String node, Termination termination, Optional<ContainerResult> result) {
            this(node, termination, result, List.of(), 0);
        }
    }

    private record Bound(Lifecycle.Step step, String node, String detail) implements Command {
    }

    private record StepFailed(String reason) implements Command {
    }

    private record NodeHolds(boolean holds) implements Command {
    }

    private record ReleasedAtNode() implements Command {
    }

    private record ReleasedAtOrchestrator() implements Command {
    }

    /** Wiring shared by all entities of a node. */
    public record Deps(ActorRef<OrchestratorFront.Command> orchestrator, NodeDirectory nodes,
                       ActorRef<NodeAgent.RunFinished> forwarder) {
    }

    private final String id;
    private final ActorContext<Command> ctx;
    private final Deps deps;
    /** The shard hosting this entity (absent without sharding): a Released container asks it for passivation. */
    private final Optional<ActorRef<ClusterSharding.ShardCommand>> shard;
    /** A step (bind, run, release) is in flight: do not start another. Not state: reset by each outcome. */
    private boolean busy;
    /** A {@link RecheckNode} is scheduled (one at a time, however many Advances arrive meanwhile). */
    private boolean recheckPending;
    /** Looks in a row that found the node of a binding step unknown here. */
    private int unknownNodeLooks;

    public static void init(ActorSystem<?> system, Deps deps) {
        ClusterSharding.get(system).init(Entity.of(ENTITY_KEY,
                ec -> create(ec.getEntityId(), deps, Optional.of(ec.getShard()))));
    }

    /** An entity without sharding around it (behaviour tests): it is never passivated by itself. */
    public static Behavior<Command> create(String id, Deps deps) {
        return create(id, deps, Optional.empty());
    }

    /** An entity that asks {@code shard} to passivate it once it is Released: nothing is left for it to do. */
    static Behavior<Command> create(String id, Deps deps,
                                    Optional<ActorRef<ClusterSharding.ShardCommand>> shard) {
        return Behaviors.setup(ctx -> new HybridContainer(id, ctx, deps, shard));
    }

    /** Routes node outcomes to the (possibly passivated) entity through sharding. */
    public static Behavior<NodeAgent.RunFinished> forwarder(ClusterSharding sharding) {
        return Behaviors.receiveMessage(f -> {
            sharding.entityRefFor(ENTITY_KEY, f.containerId()).tell(new Finished(f.node(), f.termination(), f.result(),
                    f.log(), f.logDropped()));
            return Behaviors.same();
        });
    }

    private HybridContainer(String id, ActorContext<Command> ctx, Deps deps,
                            Optional<ActorRef<ClusterSharding.ShardCommand>> shard) {
        super(PersistenceId.ofUniqueId(persistenceId(id)),
                SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(5), 0.1));
        this.id = id;
        this.ctx = ctx;
        this.deps = deps;
        this.shard = shard;
    }

    @Override
    public ContainerState emptyState() {
        return ContainerState.empty(id);
    }

    @Override
    public RetentionCriteria retentionCriteria() {
        return RetentionCriteria.snapshotEvery(100, 3);
    }

    @Override
    public SignalHandler<ContainerState> signalHandler() {
        return newSignalHandlerBuilder()
                .onSignal(RecoveryCompleted.instance(), state -> {
                    if (state.state() != LifecycleState.NONE && state.state() != LifecycleState.RELEASED) {
                        ctx.getSelf().tell(Advance.INSTANCE);
                    }
                })
                .build();
    }

    @Override
    public EventHandler<ContainerState, ContainerEvent> eventHandler() {
        return newEventHandlerBuilder().forAnyState().onAnyEvent(ContainerState::apply);
    }

    @Override
    public CommandHandlerWithReply<Command, ContainerEvent, ContainerState> commandHandler() {
        return newCommandHandlerWithReplyBuilder().forAnyState()
                .onCommand(Create.class, this::onCreate)
                .onCommand(Get.class, (s, c) -> Effect().reply(c.replyTo(), s))
                .onCommand(Suspend.class, (s, c) -> onControl(s, Lifecycle.Step.SUSPEND,
                        new ContainerEvent.Suspended(id, c.by()), c.replyTo(), new NodeAgent.Suspend(id)))
                .onCommand(Resume.class, (s, c) -> onControl(s, Lifecycle.Step.RESUME,
                        new ContainerEvent.Resumed(id, c.by()), c.replyTo(), new NodeAgent.Resume(id)))
                .onCommand(Terminate.class, (s, c) -> onControl(s, Lifecycle.Step.TERMINATE,
                        new ContainerEvent.Terminated(id, Termination.killed(c.by()), Optional.empty()), c.replyTo(),
                        new NodeAgent.Kill(id)))
                .onCommand(Abandon.class, (s, c) -> s.state() != LifecycleState.NONE
                        ? Effect().reply(c.replyTo(), false)
                        : Effect().persist(new ContainerEvent.Abandoned(id, c.upToSeq()))
                                .thenReply(c.replyTo(), after -> true))
                .onCommand(Reschedule.class, this::onReschedule)
                .onCommand(Strand.class, (s, c) -> s.node().map(c.node()::equals).orElse(false)
                        ? terminate(s, Termination.fault(FaultKind.NODE_LOST, "node " + c.node() + " lost: "
                                + c.reason()))
                        : Effect().noReply()) // it has moved on since (a late or repeated tell)
                .onCommand(Advance.class, (s, c) -> advance(s))
                .onCommand(Bound.class, this::onBound)
                .onCommand(StepFailed.class, (s, c) -> {
                    busy = false;
                    return terminate(s, Termination.failed(c.reason()));
                })
                .onCommand(NodeHolds.class, this::onNodeHolds)
                .onCommand(Finished.class, (s, c) -> (s.state() == LifecycleState.ACTIVE
                        || s.state() == LifecycleState.SUSPENDED) && s.node().map(c.node()::equals).orElse(false)
                        ? onFinished(c) : Effect().noReply()) // else: late, or from a node it has left
                .onCommand(ReleasedAtNode.class, (s, c) -> releaseAtOrchestrator(s))
                .onCommand(StepFailedSilently.class, (s, c) -> Effect().noReply())
                .onCommand(RecheckNode.class, (s, c) -> {
                    recheckPending = false;
                    return advance(s);
                })
                .onCommand(ReleasedAtOrchestrator.class, (s, c) -> {
                    busy = false;
                    return s.state() == LifecycleState.TERMINATED
                            ? Effect().persist(new ContainerEvent.Released(id))
                                    .thenRun(after -> shard.ifPresent(sh -> sh.tell(
                                            new ClusterSharding.Passivate<>(ctx.getSelf()))))
                                    .thenNoReply()
                            : Effect().noReply();
                })
                .build();
    }

    private ReplyEffect<ContainerEvent, ContainerState> onCreate(ContainerState s, Create c) {
        if (s.state() != LifecycleState.NONE) {
            if (s.spec().isPresent() && s.spec().get().equals(c.spec())) {
                return Effect().reply(c.replyTo(), StatusReply.success(s)); // idempotent resubmission
            }
            return Effect().reply(c.replyTo(), StatusReply.error("container " + id + " already exists ("
                    + s.state().display() + ") with a different spec"));
        }
        if (s.abandonedPlacement(c.decisionSeq())) {
            return Effect().reply(c.replyTo(), StatusReply.error("placement #" + c.decisionSeq() + " of " + id
                    + " was given up before the container was created (up to decision #" + s.decisionSeq() + ")"));
        }
        if (!c.spec().id().equals(id) || !c.placed().containerId().equals(id)) {
            return Effect().reply(c.replyTo(), StatusReply.error("spec and placement are not for " + id));
        }
        DaoDecision.Placed p = c.placed();
        List<ContainerEvent> events = List.of(new ContainerEvent.Created(id, c.spec()),
                new ContainerEvent.Scheduled(id, p.node(), c.decisionSeq(), p.kSlots(), p.qubits(), p.envelope()));
        return Effect().persist(events)
                .thenRun(after -> ctx.getSelf().tell(Advance.INSTANCE))
                .thenReply(c.replyTo(), StatusReply::success);
    }

    private ReplyEffect<ContainerEvent, ContainerState> onControl(ContainerState s, Lifecycle.Step step,
                                                                  ContainerEvent event,
                                                                  ActorRef<StatusReply<ContainerState>> replyTo,
                                                                  NodeAgent.Command toNode) {
        Lifecycle.Verdict v = s.check(step);
        if (!v.allowed()) {
            return Effect().reply(replyTo, StatusReply.error(v.rejection()));
        }
        Optional<String> node = s.node();
        return Effect().persist(event)
                .thenRun(after -> {
                    node.flatMap(deps.nodes()::agent).ifPresent(a -> a.tell(toNode));
                    if (after.state() == LifecycleState.TERMINATED) {
                        busy = false;
                        ctx.getSelf().tell(Advance.INSTANCE);
                    }
                })
                .thenReply(replyTo, StatusReply::success);
    }

    private ReplyEffect<ContainerEvent, ContainerState> onReschedule(ContainerState s, Reschedule c) {
        if (!s.check(Lifecycle.Step.RESCHEDULE).allowed() || c.decisionSeq() <= s.decisionSeq()) {
            return Effect().noReply(); // not live, or this decision (or a newer one) is already carried out
        }
        busy = false;
        DaoDecision.Placed p = c.placed();
        Optional<String> left = s.node().filter(n -> !n.equals(p.node()));
        String tenant = s.spec().orElseThrow().tenant();
        return Effect().persist(new ContainerEvent.Rescheduled(id, c.fromNode(), p.node(), c.decisionSeq(),
                        p.kSlots(), p.qubits(), p.envelope()))
                .thenRun(after -> {
                    // Normally the node it leaves is gone. If that node is alive after all (it restarted under the
                    // same id while its removal was being decided), it must not go on running or holding this
                    // container: stop the run there and free its bindings; an end reported from there is ignored.
                    left.flatMap(deps.nodes()::agent).ifPresent(a -> {
                        a.tell(new NodeAgent.Kill(id));
                        a.tell(new NodeAgent.ReleaseAll(id, tenant, ctx.getSystem().ignoreRef()));
                    });
                    ctx.getSelf().tell(Advance.INSTANCE);
                })
                .thenNoReply();
    }

    private ReplyEffect<ContainerEvent, ContainerState> terminate(ContainerState s, Termination t) {
        if (!s.check(Lifecycle.Step.TERMINATE).allowed()) {
            return Effect().noReply();
        }
        Optional<String> node = s.node();
        return Effect().persist(new ContainerEvent.Terminated(id, t, Optional.empty()))
                .thenRun(after -> {
                    node.flatMap(deps.nodes()::agent).ifPresent(a -> a.tell(new NodeAgent.Kill(id)));
                    busy = false; // as in onControl: a step still in flight must not hold up the release
                    ctx.getSelf().tell(Advance.INSTANCE);
                })
                .thenNoReply();
    }

    /** The run's log lines (if any) and its end, in one write. */
    private ReplyEffect<ContainerEvent, ContainerState> onFinished(Finished c) {
        ContainerEvent end = new ContainerEvent.Terminated(id, c.termination(), c.result());
        return persistThenAdvance(c.log().isEmpty() && c.logDropped() == 0 ? List.of(end)
                : List.of(new ContainerEvent.Logged(id, c.log(), c.logDropped()), end));
    }

    private ReplyEffect<ContainerEvent, ContainerState> persistThenAdvance(ContainerEvent e) {
        return persistThenAdvance(List.of(e));
    }

    /** Persists {@code events} in one write, then takes the next lifecycle step. */
    private ReplyEffect<ContainerEvent, ContainerState> persistThenAdvance(List<ContainerEvent> events) {
        return Effect().persist(events).thenRun(after -> ctx.getSelf().tell(Advance.INSTANCE)).thenNoReply();
    }

    /** Starts the next step of the lifecycle, if one is due and none is in flight. */
    private ReplyEffect<ContainerEvent, ContainerState> advance(ContainerState s) {
        if (busy) {
            return Effect().noReply();
        }
        switch (s.state()) {
            case SCHEDULED -> bindNext(s);
            case BOUND -> {
                ContainerSpec spec = s.spec().orElseThrow();
                String node = s.node().orElseThrow();
                return Effect().persist(new ContainerEvent.Activated(id, node))
                        .thenRun(after -> run(after))
                        .thenNoReply();
            }
            case ACTIVE, SUSPENDED -> checkNodeStillHolds(s);
            case TERMINATED -> releaseAtNode(s);
            default -> {
                // NONE: nothing to do (an orphan placement is released by the orchestrator's reconciliation);
                // RELEASED: done.
            }
        }
        return Effect().noReply();
    }

    private void bindNext(ContainerState s) {
        ContainerSpec spec = s.spec().orElseThrow();
        String node = s.node().orElseThrow();
        Optional<ActorRef<NodeAgent.Command>> agent = deps.nodes().agent(node);
        if (agent.isEmpty()) {
            if (++unknownNodeLooks <= UNKNOWN_NODE_LOOKS) {
                recheckLater(); // e.g. just after a whole-cluster restart, before the node's agent is listed here
                return;
            }
            unknownNodeLooks = 0;
            ctx.getSelf().tell(new StepFailed("node " + node + " is not reachable from here"));
            busy = true;
            return;
        }
        unknownNodeLooks = 0;
        Lifecycle.Bindings b = s.bindings();
        busy = true;
        if (!b.k()) {
            ctx.askWithStatus(String.class, agent.get(), ASK,
                    r -> new NodeAgent.BindK(id, spec.tenant(), spec.k().slots(), r),
                    (res, err) -> res != null ? new Bound(Lifecycle.Step.BIND_K, node, res)
                            : new StepFailed("binding K on " + node + ": " + err.getMessage()));
        } else if (b.needsQ() && !b.q()) {
            ContainerSpec.QSpec q = spec.q().orElseThrow();
            ctx.askWithStatus(String.class, agent.get(), ASK,
                    r -> new NodeAgent.BindQ(id, spec.tenant(), q.qubits(), q.decoherenceBudget(), r),
                    (res, err) -> res != null ? new Bound(Lifecycle.Step.BIND_Q, node, res)
                            : new StepFailed("binding Q on " + node + ": " + err.getMessage()));
        } else if (b.needsPhi() && !b.phi()) {
            ctx.askWithStatus(String.class, agent.get(), ASK,
                    r -> new NodeAgent.BindPhi(id, spec.tenant(), s.envelope().orElseThrow(), r),
                    (res, err) -> res != null ? new Bound(Lifecycle.Step.BIND_PHI, node, res)
                            : new StepFailed("binding Φ on " + node + ": " + err.getMessage()));
        } else {
            busy = false;
        }
    }

    private ReplyEffect<ContainerEvent, ContainerState> onBound(ContainerState s, Bound b) {
        busy = false;
        if (!s.node().map(b.node()::equals).orElse(false) || !s.check(b.step()).allowed()) {
            return Effect().noReply(); // a late answer from before a reschedule
        }
        ContainerEvent e = switch (b.step()) {
            case BIND_K -> new ContainerEvent.KBound(id, b.node(), b.detail());
            case BIND_Q -> new ContainerEvent.QBound(id, b.node(), b.detail(),
                    s.spec().orElseThrow().q().orElseThrow().qubits());
            default -> {
                var env = s.envelope().orElseThrow();
                yield new ContainerEvent.PhiBound(id, b.node(), b.detail(), env.channel(), env.startSlot(),
                        env.lengthSlots());
            }
        };
        if (s.apply(e).state() != LifecycleState.BOUND) {
            return persistThenAdvance(e);
        }
        // The last binding: it and the activation that follows it go in one write (two events, in order), and the
        // K program starts once both are durable, exactly as if Activated had been its own write.
        return Effect().persist(List.of(e, new ContainerEvent.Activated(id, b.node())))
                .thenRun(this::run)
                .thenNoReply();
    }

    private void run(ContainerState s) {
        String node = s.node().orElseThrow();
        Optional<ActorRef<NodeAgent.Command>> agent = deps.nodes().agent(node);
        if (agent.isEmpty()) {
            ctx.getSelf().tell(new StepFailed("node " + node + " is not reachable from here"));
            return;
        }
        agent.get().tell(new NodeAgent.Run(s.spec().orElseThrow(), s.envelope(), deps.forwarder()));
    }

    private void checkNodeStillHolds(ContainerState s) {
        String node = s.node().orElseThrow();
        Optional<ActorRef<NodeAgent.Command>> agent = deps.nodes().agent(node);
        if (agent.isEmpty()) {
            // not known here (yet): look again; if the node is gone, its removal re-places or strands the container
            recheckLater();
            return;
        }
        busy = true;
        ctx.ask(Boolean.class, agent.get(), ASK, r -> new NodeAgent.Holds(id, r),
                (res, err) -> new NodeHolds(res != null && res));
    }

    private void recheckLater() {
        if (!recheckPending) {
            recheckPending = true;
            ctx.scheduleOnce(UNKNOWN_NODE_RECHECK, ctx.getSelf(), new RecheckNode());
        }
    }

    private ReplyEffect<ContainerEvent, ContainerState> onNodeHolds(ContainerState s, NodeHolds h) {
        busy = false;
        if (h.holds() || !(s.state() == LifecycleState.ACTIVE || s.state() == LifecycleState.SUSPENDED)) {
            if (h.holds() && s.state() == LifecycleState.ACTIVE) {
                run(s); // idempotent on the node: an outcome already under way is reported once
            } else if (s.state() == LifecycleState.TERMINATED) {
                // it ended while the question was open; the Advance of that step was skipped (busy): release now
                ctx.getSelf().tell(Advance.INSTANCE);
            }
            return Effect().noReply();
        }
        // The node restarted and lost the bindings: bind again on the same node, same orchestrator decision.
        String node = s.node().orElseThrow();
        return persistThenAdvance(new ContainerEvent.Rescheduled(id, node, node, s.decisionSeq(),
                s.spec().orElseThrow().k().slots(), s.spec().orElseThrow().q().map(ContainerSpec.QSpec::qubits).orElse(0),
                s.envelope()));
    }

    private void releaseAtNode(ContainerState s) {
        busy = true;
        Optional<ActorRef<NodeAgent.Command>> agent = s.node().flatMap(deps.nodes()::agent);
        if (agent.isEmpty()) {
            ctx.getSelf().tell(new ReleasedAtNode());
            return;
        }
        String tenant = s.spec().orElseThrow().tenant();
        ctx.askWithStatus(Done.class, agent.get(), ASK, r -> new NodeAgent.ReleaseAll(id, tenant, r),
                (res, err) -> new ReleasedAtNode());
    }

    private ReplyEffect<ContainerEvent, ContainerState> releaseAtOrchestrator(ContainerState s) {
        ctx.ask(Decided.class, deps.orchestrator(), ASK,
                r -> new OrchestratorFront.Decide(new DaoInput.Release(id), r),
                (res, err) -> {
                    if (res == null) {
                        // orchestrator moving: retry later; the release is idempotent (UNKNOWN_CONTAINER after)
                        ctx.scheduleOnce(Duration.ofSeconds(1), ctx.getSelf(), new ReleasedAtNode());
                        return new StepFailedSilently();
                    }
                    return new ReleasedAtOrchestrator();
                });
        return Effect().noReply();
    }

    private record StepFailedSilently() implements Command {
    }

    /** Look again for a node this process did not know ({@link #UNKNOWN_NODE_RECHECK}). */
    private record RecheckNode() implements Command {
    }
}
