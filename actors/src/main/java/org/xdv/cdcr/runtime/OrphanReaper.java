package org.xdv.cdcr.runtime;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletionStage;

import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.xdv.cdcr.runtime.core.dao.DaoDecision;
import org.xdv.cdcr.runtime.node.NodeAgent;

/**
 * Gives back what placements on this node hold when their container was never created. A submission is placed
 * (a durable decision that reserves K slots, qubits, a Φ window and quota) and then created; if the submitting
 * node dies between the two, or its client gives up and never submits again, the placement would hold its
 * resources for ever.
 *
 * <p>Every {@code interval} this actor lists the placements on this node that the node holds no bindings for. One
 * that was in the same state at the previous look (so at least one interval old) is given up through its
 * container entity — which records it only if the container does not exist, so a late Create for that placement is
 * refused from then on ({@link CdcrRuntime#giveUpPlacement}) — and then released at the orchestrator, as an input
 * like any other. A container that exists (created, not yet bound; terminated, not yet released) is left alone.
 * Timing decides only when the question is asked, never a decision's outcome.
 */
final class OrphanReaper extends AbstractBehavior<Object> {

    private enum Tick { INSTANCE }

    /** One look: placements on this node without bindings here, and how many decisions were written by then. */
    private record Looked(List<DaoDecision.Placed> unheld, long decisions, Throwable error) {
    }

    private record GaveUp(DaoDecision.Placed placed, boolean released, Throwable error) {
    }

    private final CdcrRuntime rt;
    private final String self;
    /** What the previous look found unheld, by container id. */
    private final Map<String, DaoDecision.Placed> previous = new TreeMap<>();
    /** Containers whose placement is being given up now (not asked again meanwhile). */
    private final Set<String> inFlight = new TreeSet<>();
    private boolean looking;

    static Behavior<Object> create(CdcrRuntime rt, Duration interval) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
            timers.startTimerWithFixedDelay(Tick.INSTANCE, interval);
            return new OrphanReaper(ctx, rt);
        }));
    }

    private OrphanReaper(ActorContext<Object> ctx, CdcrRuntime rt) {
        super(ctx);
        this.rt = rt;
        this.self = rt.node().nodeId();
    }

    @Override
    public Receive<Object> createReceive() {
        return newReceiveBuilder()
                .onMessageEquals(Tick.INSTANCE, this::onTick)
                .onMessage(Looked.class, this::onLooked)
                .onMessage(GaveUp.class, this::onGaveUp)
                .build();
    }

    private Behavior<Object> onTick() {
        if (!looking && Cluster.get(getContext().getSystem()).selfMember().status() == MemberStatus.up()) {
            looking = true;
            getContext().pipeToSelf(look(rt), (l, error) -> l != null ? l : new Looked(List.of(), 0, error));
        }
        return this;
    }

    private Behavior<Object> onLooked(Looked l) {
        looking = false;
        if (l.error() != null) {
            // the singleton moving, a slow journal: the next look asks again
            getContext().getLog().debug("orphan check on node {} skipped: {}", self, l.error().toString());
            return this;
        }
        Map<String, DaoDecision.Placed> now = new TreeMap<>();
        for (DaoDecision.Placed p : l.unheld()) {
            now.put(p.containerId(), p);
            if (p.equals(previous.get(p.containerId())) && inFlight.add(p.containerId())) {
                getContext().pipeToSelf(rt.giveUpPlacement(p.containerId(), l.decisions() - 1),
                        (released, error) -> new GaveUp(p, released != null && released, error));
            }
        }
        previous.clear();
        previous.putAll(now);
        return this;
    }

    private Behavior<Object> onGaveUp(GaveUp g) {
        inFlight.remove(g.placed().containerId());
        if (g.error() != null) {
            getContext().getLog().warn("could not give up the placement of {} on node {} (the next check tries "
                    + "again): {}", g.placed().containerId(), self, g.error().toString());
        } else if (g.released()) {
            getContext().getLog().warn("the placement of {} on node {} ({} K slot(s), {} qubit(s){}) was never "
                            + "followed by its container (its submission was lost): given up and released",
                    g.placed().containerId(), self, g.placed().kSlots(), g.placed().qubits(),
                    g.placed().envelope().isPresent() ? ", a Φ window" : "");
        }
        return this;
    }

    /** Placements on this node it holds no bindings for; the decision count is read after them, so it covers them. */
    private static CompletionStage<Looked> look(CdcrRuntime rt) {
        return rt.placementsOn(rt.node().nodeId()).thenCompose(placements -> AskPattern
                .<NodeAgent.Command, NodeAgent.HeldIds>ask(rt.agent(), NodeAgent.HeldContainers::new,
                        CdcrRuntime.ASK, rt.system().scheduler())
                .thenCompose(held -> rt.decisionsWritten().thenApply(decisions -> {
                    Set<String> bound = Set.copyOf(held.containerIds());
                    List<DaoDecision.Placed> unheld = new ArrayList<>();
                    for (DaoDecision.Placed p : placements) {
                        if (!bound.contains(p.containerId())) {
                            unheld.add(p);
                        }
                    }
                    return new Looked(unheld, decisions, null);
                })));
    }
}
