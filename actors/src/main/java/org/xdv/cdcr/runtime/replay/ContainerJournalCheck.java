package org.xdv.cdcr.runtime.replay;

import java.util.List;
import java.util.Optional;
import java.util.function.LongFunction;

import org.xdv.cdcr.phi.Envelope;
import org.xdv.cdcr.runtime.core.Lifecycle;
import org.xdv.cdcr.runtime.core.container.ContainerEvent;
import org.xdv.cdcr.runtime.core.container.ContainerState;
import org.xdv.cdcr.runtime.core.LifecycleState;
import org.xdv.cdcr.runtime.core.dao.DaoDecision;

/**
 * Holds one container's journal against the lifecycle table and the orchestrator's decisions (spec §10: domain
 * binding order and resource allocation events replay identically):
 * <ul>
 *   <li>every event is a step the pure lifecycle table allows in the state folded so far — so bindings come in
 *       the order K, then Q, then Φ, each once, and only after a placement;</li>
 *   <li>{@code Scheduled} names an orchestrator decision that placed this container, on the same node with the
 *       same K slots, qubits and envelope; {@code Rescheduled} names a node removal that moved it there;</li>
 *   <li>each binding and the activation happen on the node of the current placement; the bound register holds
 *       the placed number of qubits, and the bound envelope is the placed one (id, channel, start, length);</li>
 *   <li>a placement given up before creation ({@code Abandoned}, only while the container does not exist) is
 *       never the one it is scheduled by.</li>
 * </ul>
 * Pure: the result depends only on the events and the decisions.
 */
public final class ContainerJournalCheck {

    /** The first event of a container journal that does not agree, with its sequence number (1-based). */
    public record ContainerDivergence(String containerId, long eventSeq, ContainerEvent event, String explanation) {
    }

    /** One stored event with its sequence number in the container's journal. */
    public record Recorded(long seqNr, ContainerEvent event) {
    }

    private ContainerJournalCheck() {
    }

    /**
     * Checks {@code events} (the container's journal in stored order; sequence numbers must run 1, 2, 3, …);
     * {@code decisions} answers the recorded placement or node-removal decision with a given sequence number.
     */
    public static Optional<ContainerDivergence> check(String containerId, List<Recorded> events,
                                                      LongFunction<Optional<DaoDecision>> decisions) {
        ContainerState s = ContainerState.empty(containerId);
        DaoDecision.Placed placed = null;
        long abandonedUpTo = -1;
        long seq = 0;
        for (Recorded rec : events) {
            seq++;
            ContainerEvent e = rec.event();
            String problem = null;
            if (rec.seqNr() != seq) {
                return Optional.of(new ContainerDivergence(containerId, seq, e, "expected event #" + seq
                        + " next but the journal holds #" + rec.seqNr()
                        + (rec.seqNr() > seq ? " (an event is missing)" : " (events are out of order)")));
            }
            if (!containerId.equals(e.containerId())) {
                problem = "event of container " + e.containerId() + " in the journal of " + containerId;
            }
            if (e instanceof ContainerEvent.Logged) {
                if (problem == null && s.state() != LifecycleState.ACTIVE && s.state() != LifecycleState.SUSPENDED) {
                    problem = "log lines recorded in state " + s.state() + ", where no K program runs";
                }
                if (problem != null) {
                    return Optional.of(new ContainerDivergence(containerId, seq, e, problem));
                }
                s = s.apply(e);
                continue;
            }
            if (e instanceof ContainerEvent.Abandoned a) {
                if (problem == null && s.state() != LifecycleState.NONE) {
                    problem = "placement given up in state " + s.state() + ", but only a container that was never "
                            + "created can give its placement up";
                }
                if (problem == null && a.upToSeq() < 0) {
                    problem = "placement given up up to decision #" + a.upToSeq() + ", which is no decision";
                }
                if (problem != null) {
                    return Optional.of(new ContainerDivergence(containerId, seq, e, problem));
                }
                abandonedUpTo = Math.max(abandonedUpTo, a.upToSeq());
                s = s.apply(e);
                continue;
            }
            Lifecycle.Step step = ContainerState.stepOf(e);
            Lifecycle.Bindings b = e instanceof ContainerEvent.Created c
                    ? Lifecycle.Bindings.none(c.spec().q().isPresent(), c.spec().phi().isPresent()) : s.bindings();
            Lifecycle.Verdict v = Lifecycle.check(s.state(), b, step);
            if (problem == null && !v.allowed()) {
                problem = "step " + step + " is not allowed in state " + s.state() + ": " + v.rejection();
            }
            if (problem == null && e instanceof ContainerEvent.Scheduled sc && sc.decisionSeq() <= abandonedUpTo) {
                problem = "scheduled by orchestrator decision #" + sc.decisionSeq() + ", a placement given up before "
                        + "(up to #" + abandonedUpTo + ")";
            }
            if (problem == null && e instanceof ContainerEvent.Scheduled sc) {
                Optional<DaoDecision> d = decisions.apply(sc.decisionSeq());
                if (d.isPresent() && d.get() instanceof DaoDecision.Placed p && p.containerId().equals(containerId)) {
                    placed = p;
                    problem = samePlacement(p, sc.node(), sc.kSlots(), sc.qubits(), sc.envelope());
                } else {
                    problem = "scheduled by orchestrator decision #" + sc.decisionSeq() + ", which is "
                            + d.map(String::valueOf).orElse("not a placement in the journal") + ", not a placement of "
                            + containerId;
                }
            }
            if (problem == null && e instanceof ContainerEvent.Rescheduled r) {
                Optional<DaoDecision> d = decisions.apply(r.decisionSeq());
                Optional<DaoDecision.Placed> moved = d.filter(DaoDecision.NodeRemoved.class::isInstance)
                        .map(DaoDecision.NodeRemoved.class::cast)
                        .flatMap(nr -> nr.moved().stream().filter(p -> p.containerId().equals(containerId))
                                .findFirst());
                if (moved.isPresent()) {
                    placed = moved.get();
                    problem = samePlacement(placed, r.node(), r.kSlots(), r.qubits(), r.envelope());
                } else {
                    problem = "rescheduled by orchestrator decision #" + r.decisionSeq() + ", which did not move "
                            + containerId;
                }
            }
            if (problem == null && placed != null) {
                problem = boundAsPlaced(e, placed);
            }
            if (problem != null) {
                return Optional.of(new ContainerDivergence(containerId, seq, e, problem));
            }
            s = s.apply(e);
        }
        return Optional.empty();
    }

    private static String samePlacement(DaoDecision.Placed p, String node, int kSlots, int qubits,
                                        Optional<Envelope> envelope) {
        if (!p.node().equals(node) || p.kSlots() != kSlots || p.qubits() != qubits || !p.envelope().equals(envelope)) {
            return "the journal says node " + node + ", " + kSlots + " K slot(s), " + qubits + " qubit(s), envelope "
                    + envelope.map(en -> en.id().toString()).orElse("none") + "; the orchestrator decided " + p;
        }
        return null;
    }

    private static String boundAsPlaced(ContainerEvent e, DaoDecision.Placed p) {
        if (e instanceof ContainerEvent.KBound k && !k.node().equals(p.node())) {
            return "K bound on node " + k.node() + " but placed on " + p.node();
        }
        if (e instanceof ContainerEvent.QBound q) {
            if (!q.node().equals(p.node())) {
                return "Q register bound on node " + q.node() + " but placed on " + p.node();
            }
            if (q.qubits() != p.qubits()) {
                return "Q register of " + q.qubits() + " qubits bound, " + p.qubits() + " placed";
            }
        }
        if (e instanceof ContainerEvent.PhiBound f) {
            if (!f.node().equals(p.node())) {
                return "Φ envelope bound on node " + f.node() + " but placed on " + p.node();
            }
            Envelope env = p.envelope().orElse(null);
            if (env == null || !env.id().toString().equals(f.envelope()) || env.channel() != f.channel()
                    || env.startSlot() != f.startSlot() || env.lengthSlots() != f.lengthSlots()) {
                return "Φ envelope " + f.envelope() + " (channel " + f.channel() + ", slots " + f.startSlot() + "+"
                        + f.lengthSlots() + ") bound, but the orchestrator reserved "
                        + (env == null ? "none" : env.id() + " (channel " + env.channel() + ", slots "
                        + env.startSlot() + "+" + env.lengthSlots() + ")");
            }
        }
        if (e instanceof ContainerEvent.Activated a && !a.node().equals(p.node())) {
            return "activated on node " + a.node() + " but placed on " + p.node();
        }
        return null;
    }
}
