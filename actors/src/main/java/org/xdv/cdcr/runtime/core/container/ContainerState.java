package org.xdv.cdcr.runtime.core.container;

import java.util.Optional;

import org.xdv.cdcr.persistence.KryoSerializable;
import org.xdv.cdcr.phi.Envelope;
import org.xdv.cdcr.runtime.core.Lifecycle;
import org.xdv.cdcr.runtime.core.LifecycleState;
import org.xdv.cdcr.runtime.core.spec.ContainerSpec;

/**
 * A hybrid container's state, folded from its events by {@link #apply}: lifecycle state, binding progress, the
 * node and resources it holds, and how it ended. Immutable; {@code apply} never fails on a recorded event.
 */
public record ContainerState(String id, LifecycleState state, Lifecycle.Bindings bindings,
                             Optional<ContainerSpec> spec, Optional<String> node, long decisionSeq,
                             Optional<String> register, Optional<Envelope> envelope,
                             Optional<Termination> termination, Optional<ContainerResult> result,
                             long transitions) implements KryoSerializable {

    public ContainerState {
        spec = spec == null ? Optional.empty() : spec;
        node = node == null ? Optional.empty() : node;
        register = register == null ? Optional.empty() : register;
        envelope = envelope == null ? Optional.empty() : envelope;
        termination = termination == null ? Optional.empty() : termination;
        result = result == null ? Optional.empty() : result;
    }

    public static ContainerState empty(String id) {
        return new ContainerState(id, LifecycleState.NONE, Lifecycle.Bindings.none(false, false), Optional.empty(),
                Optional.empty(), -1, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), 0);
    }

    /** The lifecycle step an event records; {@link ContainerEvent.Logged} and {@link ContainerEvent.Abandoned} none. */
    public static Lifecycle.Step stepOf(ContainerEvent e) {
        if (e instanceof ContainerEvent.Logged || e instanceof ContainerEvent.Abandoned) {
            throw new IllegalArgumentException(e.getClass().getSimpleName() + " is not a lifecycle step");
        } else if (e instanceof ContainerEvent.Created) {
            return Lifecycle.Step.CREATE;
        } else if (e instanceof ContainerEvent.Scheduled) {
            return Lifecycle.Step.SCHEDULE;
        } else if (e instanceof ContainerEvent.KBound) {
            return Lifecycle.Step.BIND_K;
        } else if (e instanceof ContainerEvent.QBound) {
            return Lifecycle.Step.BIND_Q;
        } else if (e instanceof ContainerEvent.PhiBound) {
            return Lifecycle.Step.BIND_PHI;
        } else if (e instanceof ContainerEvent.Activated) {
            return Lifecycle.Step.ACTIVATE;
        } else if (e instanceof ContainerEvent.Suspended) {
            return Lifecycle.Step.SUSPEND;
        } else if (e instanceof ContainerEvent.Resumed) {
            return Lifecycle.Step.RESUME;
        } else if (e instanceof ContainerEvent.Terminated) {
            return Lifecycle.Step.TERMINATE;
        } else if (e instanceof ContainerEvent.Rescheduled) {
            return Lifecycle.Step.RESCHEDULE;
        } else {
            return Lifecycle.Step.RELEASE;
        }
    }

    /** Whether {@code step} is allowed now; the verdict carries the next state or the reason it is refused. */
    public Lifecycle.Verdict check(Lifecycle.Step step) {
        return Lifecycle.check(state, bindings, step);
    }

    /**
     * Whether placements of this container up to orchestrator decision {@code decisionSeq} were given up before it
     * was created ({@link ContainerEvent.Abandoned}): a Create for such a placement must be refused.
     */
    public boolean abandonedPlacement(long decisionSeq) {
        return state == LifecycleState.NONE && this.decisionSeq >= 0 && decisionSeq <= this.decisionSeq;
    }

    public ContainerState apply(ContainerEvent e) {
        if (e instanceof ContainerEvent.Abandoned a) {
            // still no container; decisionSeq remembers the newest placement given up (recorded only in NONE)
            long seq = state == LifecycleState.NONE ? Math.max(decisionSeq, a.upToSeq()) : decisionSeq;
            return new ContainerState(id, state, bindings, spec, node, seq, register, envelope, termination, result,
                    transitions + 1);
        }
        if (e instanceof ContainerEvent.Logged) {
            return new ContainerState(id, state, bindings, spec, node, decisionSeq, register, envelope, termination,
                    result, transitions + 1); // counted (it is a journal entry), nothing else changes
        }
        Lifecycle.Step step = stepOf(e);
        Lifecycle.Bindings b = bindings;
        if (e instanceof ContainerEvent.Created c) {
            b = Lifecycle.Bindings.none(c.spec().q().isPresent(), c.spec().phi().isPresent());
        }
        Lifecycle.Verdict v = Lifecycle.check(state, b, step);
        // A recorded event is a fact: apply follows the table's target even if a later table would refuse it.
        LifecycleState next = v.allowed() ? v.next() : state;
        Lifecycle.Bindings nb = v.allowed() ? v.bindings() : b;
        ContainerState s = new ContainerState(id, next, nb, spec, node, decisionSeq, register, envelope, termination,
                result, transitions + 1);
        if (e instanceof ContainerEvent.Created c) {
            return s.with(Optional.of(c.spec()), node, decisionSeq, register, envelope);
        }
        if (e instanceof ContainerEvent.Scheduled sc) {
            return s.with(spec, Optional.of(sc.node()), sc.decisionSeq(), Optional.empty(), sc.envelope());
        }
        if (e instanceof ContainerEvent.Rescheduled r) {
            return s.with(spec, Optional.of(r.node()), r.decisionSeq(), Optional.empty(), r.envelope());
        }
        if (e instanceof ContainerEvent.QBound q) {
            return s.with(spec, node, decisionSeq, Optional.of(q.register()), envelope);
        }
        if (e instanceof ContainerEvent.Terminated t) {
            return new ContainerState(id, s.state, s.bindings, spec, node, decisionSeq, register, envelope,
                    Optional.of(t.reason()), t.result(), s.transitions);
        }
        return s;
    }

    private ContainerState with(Optional<ContainerSpec> sp, Optional<String> n, long seq, Optional<String> reg,
                                Optional<Envelope> env) {
        return new ContainerState(id, state, bindings, sp, n, seq, reg, env, termination, result, transitions);
    }
}
