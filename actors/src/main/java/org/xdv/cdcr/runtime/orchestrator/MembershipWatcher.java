package org.xdv.cdcr.runtime.orchestrator;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;

import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Subscribe;
import org.xdv.cdcr.runtime.core.dao.DaoDecision;
import org.xdv.cdcr.runtime.core.dao.DaoInput;
import org.xdv.cdcr.runtime.core.dao.DaoState;
import org.xdv.cdcr.runtime.core.dao.Decided;

/**
 * Feeds cluster membership to the orchestrator and carries out what it decides about lost nodes.
 *
 * <p>Membership timing is nondeterministic; the orchestrator's journal makes it an order. A member that starts to
 * leave gracefully ({@code MemberLeft}) becomes {@link DaoInput.DrainNode} (no new placements, spec §6.2); a member
 * removed from the cluster — after leaving, or after the Split Brain Resolver downed it — becomes
 * {@link DaoInput.RemoveNode}. The orchestrator re-places the node's containers in container-id order, persists
 * that decision ({@link DaoDecision.NodeRemoved}) and then carries it out itself through its {@link Consequences}
 * (each moved container told to re-bind on its new node, each stranded one to end) — also again after it recovers,
 * so a removal is carried out even if the node that reported it dies right after the decision was written.
 *
 * <p>Every node runs one watcher, but only the oldest Up member other than the one concerned acts — the node
 * that hosts (or is about to host) the orchestrator singleton — so each membership change is reported once. A node
 * that is itself leaving reports nothing (a whole cluster going down is not a migration). If the singleton is
 * moving, the proxy buffers the request; an unanswered request is retried, and dropped once a member with the same
 * node id is Up again (the node came back and was admitted anew).
 *
 * <p>Reconciliation: the acting watcher also removes admitted nodes that have not been cluster members for a grace
 * period (lost while nobody could report it, or not back after a whole-cluster restart). The grace is long enough
 * for a restarting cluster's nodes to rejoin, so a restart recovers every placement where it was.
 */
public final class MembershipWatcher {

    /** Cluster role naming a member's CDCR node id ({@code cdcr-node:<id>}, set by the node launcher). */
    public static final String NODE_ROLE_PREFIX = "cdcr-node:";

    static final Duration ASK = Duration.ofSeconds(20);
    static final int ATTEMPTS = 6;

    /** The watcher's messages (internal: membership events and the orchestrator's answers). */
    public sealed interface Event {
    }

    private record Membership(ClusterEvent.MemberEvent event) implements Event {
    }

    private record Answer(DaoInput input, int attempt, Decided decided, Throwable error) implements Event {
    }

    private enum Reconcile implements Event { INSTANCE }

    private record ViewNodes(java.util.List<String> nodes) implements Event {
    }

    private MembershipWatcher() {
    }

    /**
     * @param absentGrace how long an admitted node may be missing from the cluster before it is removed (it was
     *                    lost while no watcher could report it, e.g. together with the singleton's node, or it
     *                    never came back after a whole-cluster restart); zero disables this reconciliation
     */
    public static Behavior<Event> create(ActorRef<OrchestratorFront.Command> orchestrator,
                                         Duration absentGrace) {
        return Behaviors.<Event>setup(ctx -> Behaviors.withTimers(timers -> {
            ActorRef<ClusterEvent.MemberEvent> adapter = ctx.messageAdapter(ClusterEvent.MemberEvent.class,
                    Membership::new);
            Cluster.get(ctx.getSystem()).subscriptions().tell(Subscribe.create(adapter, ClusterEvent.MemberEvent.class));
            java.util.Map<String, Long> absentSince = new java.util.TreeMap<>();
            if (!absentGrace.isZero()) {
                timers.startTimerWithFixedDelay(Reconcile.INSTANCE, Duration.ofSeconds(5));
            }
            return Behaviors.receive(Event.class)
                    .onMessageEquals(Reconcile.INSTANCE, () -> {
                        if (actsFor(ctx, null)) {
                            ctx.ask(DaoState.class, orchestrator, Duration.ofSeconds(5), OrchestratorFront.GetView::new,
                                    (v, err) -> new ViewNodes(v == null ? java.util.List.of()
                                            : java.util.List.copyOf(v.nodes().keySet())));
                        } else {
                            absentSince.clear();
                        }
                        return Behaviors.same();
                    })
                    .onMessage(ViewNodes.class, v -> {
                        reconcile(ctx, orchestrator, v.nodes(), absentSince, absentGrace);
                        return Behaviors.same();
                    })
                    .onMessage(Membership.class, m -> {
                        onMembership(ctx, orchestrator, m.event());
                        return Behaviors.same();
                    })
                    .onMessage(Answer.class, a -> {
                        onAnswer(ctx, orchestrator, a);
                        return Behaviors.same();
                    })
                    .build();
        }));
    }

    /** Removes admitted nodes that have not been members for {@code grace}. */
    private static void reconcile(ActorContext<Event> ctx, ActorRef<OrchestratorFront.Command> orchestrator,
                                  java.util.List<String> admitted, java.util.Map<String, Long> absentSince,
                                  Duration grace) {
        java.util.Set<String> present = new java.util.TreeSet<>();
        for (Member m : Cluster.get(ctx.getSystem()).state().getMembers()) {
            nodeIdOf(m.getRoles()).ifPresent(present::add);
        }
        long now = System.nanoTime();
        absentSince.keySet().retainAll(admitted);
        for (String node : admitted) {
            if (present.contains(node)) {
                absentSince.remove(node);
                continue;
            }
            long since = absentSince.computeIfAbsent(node, n -> now);
            if (now - since >= grace.toNanos()) {
                absentSince.remove(node);
                DaoInput input = new DaoInput.RemoveNode(node, "not a cluster member for " + grace.toSeconds() + " s");
                ctx.getLog().info("node {}: {} -> orchestrator", node, input);
                send(ctx, orchestrator, input, ATTEMPTS); // one attempt: the next round asks again if needed
            }
        }
    }

    /** The node id a member's roles name, if any. */
    public static Optional<String> nodeIdOf(Set<String> roles) {
        return roles.stream().filter(r -> r.startsWith(NODE_ROLE_PREFIX)).sorted().findFirst()
                .map(r -> r.substring(NODE_ROLE_PREFIX.length()));
    }

    private static void onMembership(ActorContext<Event> ctx, ActorRef<OrchestratorFront.Command> orchestrator,
                                     ClusterEvent.MemberEvent e) {
        Member m = e.member();
        Optional<String> node = nodeIdOf(m.getRoles());
        if (node.isEmpty() || !actsFor(ctx, m)) {
            return;
        }
        DaoInput input;
        if (e instanceof ClusterEvent.MemberLeft) {
            input = new DaoInput.DrainNode(node.get());
        } else if (e instanceof ClusterEvent.MemberRemoved r) {
            input = new DaoInput.RemoveNode(node.get(), r.previousStatus() == MemberStatus.down()
                    ? "downed (" + m.address() + ")" : "left (" + m.address() + ")");
        } else {
            return;
        }
        ctx.getLog().info("node {}: {} -> orchestrator", node.get(), input);
        send(ctx, orchestrator, input, 1);
    }

    /** Whether this node is the oldest Up member other than {@code concerned}, and not leaving itself. */
    private static boolean actsFor(ActorContext<Event> ctx, Member concerned) {
        Cluster cluster = Cluster.get(ctx.getSystem());
        Member self = cluster.selfMember();
        if (self.status() != MemberStatus.up()) {
            return false;
        }
        Member oldest = null;
        for (Member m : cluster.state().getMembers()) {
            if (m.status() == MemberStatus.up()
                    && (concerned == null || !m.uniqueAddress().equals(concerned.uniqueAddress()))
                    && (oldest == null || m.isOlderThan(oldest))) {
                oldest = m;
            }
        }
        return oldest != null && oldest.uniqueAddress().equals(self.uniqueAddress());
    }

    private static void send(ActorContext<Event> ctx, ActorRef<OrchestratorFront.Command> orchestrator,
                             DaoInput input, int attempt) {
        ctx.ask(Decided.class, orchestrator, ASK, r -> new OrchestratorFront.Decide(input, r),
                (res, err) -> new Answer(input, attempt, res, err));
    }

    private static void onAnswer(ActorContext<Event> ctx, ActorRef<OrchestratorFront.Command> orchestrator,
                                 Answer a) {
        if (a.decided() == null) {
            String node = a.input() instanceof DaoInput.RemoveNode r ? r.node() : ((DaoInput.DrainNode) a.input()).node();
            boolean back = java.util.stream.StreamSupport.stream(
                            Cluster.get(ctx.getSystem()).state().getMembers().spliterator(), false)
                    .anyMatch(m -> m.status() == MemberStatus.up() && nodeIdOf(m.getRoles()).equals(Optional.of(node)));
            if (back || a.attempt() >= ATTEMPTS) {
                ctx.getLog().warn("node {}: {} not decided ({}); {}", node, a.input(), a.error(),
                        back ? "the node is back" : "giving up");
                return;
            }
            send(ctx, orchestrator, a.input(), a.attempt() + 1);
            return;
        }
        if (a.decided().decision() instanceof DaoDecision.NodeRemoved nr) {
            // the orchestrator carries the removal out (Consequences); this is the reporter's own record of it
            ctx.getLog().info("node {} removed (decision {}): {} container(s) re-placed, {} stranded", nr.node(),
                    a.decided().seq(), nr.moved().size(), nr.stranded().size());
        }
    }
}
