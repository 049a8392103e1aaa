package org.xdv.cdcr.node.controlplane;

import org.xdv.cdcr.node.proto.Container;
import org.xdv.cdcr.node.proto.PhiSummary;
import org.xdv.cdcr.node.proto.PhiWindow;
import org.xdv.cdcr.node.proto.Quota;
import org.xdv.cdcr.node.proto.ResultResponse;
import org.xdv.cdcr.node.proto.State;
import org.xdv.cdcr.node.proto.Tenant;
import org.xdv.cdcr.node.proto.Termination;
import org.xdv.cdcr.node.proto.Transition;
import org.xdv.cdcr.runtime.core.LifecycleState;
import org.xdv.cdcr.runtime.core.container.ContainerEvent;
import org.xdv.cdcr.runtime.core.container.ContainerResult;
import org.xdv.cdcr.runtime.core.container.ContainerState;
import org.xdv.cdcr.runtime.core.dao.DaoState;
import org.xdv.cdcr.runtime.core.dao.TenantEntry;

/** Internal records to the wire messages of {@code cdcr.v1} (internal events never go on the wire as they are). */
public final class ProtoMapping {

    private ProtoMapping() {
    }

    public static State state(LifecycleState s) {
        return switch (s) {
            case NONE -> State.STATE_UNSPECIFIED;
            case CREATED -> State.STATE_CREATED;
            case SCHEDULED -> State.STATE_SCHEDULED;
            case BOUND -> State.STATE_BOUND;
            case ACTIVE -> State.STATE_ACTIVE;
            case SUSPENDED -> State.STATE_SUSPENDED;
            case TERMINATED -> State.STATE_TERMINATED;
            case RELEASED -> State.STATE_RELEASED;
        };
    }

    public static LifecycleState state(State s) {
        return switch (s) {
            case STATE_CREATED -> LifecycleState.CREATED;
            case STATE_SCHEDULED -> LifecycleState.SCHEDULED;
            case STATE_BOUND -> LifecycleState.BOUND;
            case STATE_ACTIVE -> LifecycleState.ACTIVE;
            case STATE_SUSPENDED -> LifecycleState.SUSPENDED;
            case STATE_TERMINATED -> LifecycleState.TERMINATED;
            case STATE_RELEASED -> LifecycleState.RELEASED;
            default -> LifecycleState.NONE;
        };
    }

    /** {@code Active} for {@code STATE_ACTIVE}, as people read it. */
    public static String display(State s) {
        return state(s) == LifecycleState.NONE ? "-" : state(s).display();
    }

    public static Container container(ContainerState s) {
        int slash = s.id().indexOf('/');
        Container.Builder b = Container.newBuilder()
                .setId(s.id())
                .setTenant(slash > 0 ? s.id().substring(0, slash) : "")
                .setName(slash > 0 ? s.id().substring(slash + 1) : s.id())
                .setState(state(s.state()))
                .setNode(s.node().orElse(""))
                .setDecisionSeq(s.decisionSeq())
                .setRegister(s.register().orElse(""))
                .setTransitions(s.transitions());
        s.spec().ifPresent(sp -> {
            b.setQubits(sp.q().map(q -> q.qubits()).orElse(0));
            b.addAllCapabilities(sp.capabilities());
        });
        s.envelope().ifPresent(e -> b.setPhiWindow(PhiWindow.newBuilder().setChannel(e.channel())
                .setStartSlot(e.startSlot()).setEndSlot(e.endSlot()).setStabilityFloor(e.stabilityFloor())));
        s.termination().ifPresent(t -> b.setTermination(termination(t)));
        return b.build();
    }

    static Termination termination(org.xdv.cdcr.runtime.core.container.Termination t) {
        return Termination.newBuilder().setKind(t.kind().name().toLowerCase())
                .setFault(t.fault().map(Enum::name).orElse("")).setDetail(t.detail()).build();
    }

    public static ResultResponse result(ContainerState s) {
        ResultResponse.Builder b = ResultResponse.newBuilder().setId(s.id()).setState(state(s.state()));
        s.termination().ifPresent(t -> b.setTermination(termination(t)));
        s.result().ifPresent(r -> {
            b.putAllCounts(r.counts()).setDetail(r.detail());
            r.phi().ifPresent(p -> b.setPhi(phi(p)));
        });
        return b.build();
    }

    static PhiSummary phi(ContainerResult.PhiSummary p) {
        return PhiSummary.newBuilder().setSlots(p.slots()).setMinObserved(p.minObserved())
                .setMeanObserved(p.meanObserved()).setFloor(p.floor()).build();
    }

    public static Quota quota(org.xdv.cdcr.runtime.core.Quota q) {
        return Quota.newBuilder().setContainers(q.containers()).setQubits(q.qubits()).setPhiSlots(q.phiSlots())
                .setKSlots(q.kSlots()).build();
    }

    public static org.xdv.cdcr.runtime.core.Quota quota(Quota q) {
        return new org.xdv.cdcr.runtime.core.Quota(q.getContainers(), q.getQubits(), q.getPhiSlots(), q.getKSlots());
    }

    public static Tenant tenant(TenantEntry t, DaoState view) {
        return Tenant.newBuilder().setName(t.spec().name()).addAllCapabilities(t.spec().capabilities())
                .setQuota(quota(t.spec().quota())).setUsage(quota(t.usage()))
                .addAllSharesPhiWith(t.spec().sharesPhiWith())
                .setHasCredential(view.credentials().containsKey(t.spec().name()))
                .setVhmMemoryPages(t.vhm().maxMemoryPages()).setVhmFuel(t.vhm().maxFuel()).build();
    }

    /** One recorded event as a transition: {@code before} is the state folded up to the event before it. */
    public static Transition transition(long seq, ContainerEvent e, ContainerState before, ContainerState after) {
        return Transition.newBuilder().setSeq(seq).setContainerId(e.containerId())
                .setFromState(state(before.state())).setToState(state(after.state()))
                .setEvent(e.getClass().getSimpleName()).setNode(after.node().orElse(""))
                .setReason(reason(e, after)).build();
    }

    /** Why a transition happened, in words (the demo and {@code cdcr watch} print it). */
    public static String reason(ContainerEvent e, ContainerState s) {
        if (e instanceof ContainerEvent.Created c) {
            return "submitted by tenant " + c.spec().tenant();
        } else if (e instanceof ContainerEvent.Scheduled sc) {
            return "placed by the orchestrator (decision #" + sc.decisionSeq() + ")"
                    + (sc.qubits() > 0 ? ", " + sc.qubits() + " qubits" : "")
                    + sc.envelope().map(env -> ", Φ ch" + env.channel() + " slots [" + env.startSlot() + ","
                    + env.endSlot() + ")").orElse("");
        } else if (e instanceof ContainerEvent.KBound k) {
            return "K bound: " + k.pool();
        } else if (e instanceof ContainerEvent.QBound q) {
            return "Q bound: register " + q.register() + " (" + q.qubits() + " qubits)";
        } else if (e instanceof ContainerEvent.PhiBound p) {
            return "Φ bound: envelope " + p.envelope();
        } else if (e instanceof ContainerEvent.Activated) {
            return "K program running";
        } else if (e instanceof ContainerEvent.Suspended su) {
            return "suspended by " + su.by();
        } else if (e instanceof ContainerEvent.Resumed r) {
            return "resumed by " + r.by();
        } else if (e instanceof ContainerEvent.Terminated t) {
            return t.reason().label() + ": " + summary(s);
        } else if (e instanceof ContainerEvent.Rescheduled r) {
            return "re-placed from " + r.fromNode();
        } else if (e instanceof ContainerEvent.Released) {
            return "register, envelope and slots released";
        } else if (e instanceof ContainerEvent.Logged l) {
            return "logged " + l.lines().size() + " line(s)" + (l.dropped() > 0 ? ", " + l.dropped() + " dropped" : "")
                    + " (cdcr logs " + l.containerId() + ")";
        } else if (e instanceof ContainerEvent.Abandoned a) {
            return "an earlier placement (up to decision #" + a.upToSeq() + ") given up before creation";
        }
        return e.getClass().getSimpleName();
    }

    /** A short result: the most frequent counts, the Φ summary, or how it ended. */
    public static String summary(ContainerState s) {
        return org.xdv.cdcr.node.cli.Tables.result(s);
    }
}
