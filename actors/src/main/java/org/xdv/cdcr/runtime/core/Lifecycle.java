package org.xdv.cdcr.runtime.core;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The container lifecycle as one static transition table (spec §3.3):
 * {@code Created → Scheduled → Bound → Active ⇄ Suspended → Terminated → Released}.
 *
 * <p>Binding happens inside {@code Scheduled}, one domain at a time in the fixed order K, then Q, then Φ
 * (each its own step and event); the step that binds the last required domain moves the container to
 * {@code Bound}. A node loss sends a placed container back to {@code Scheduled} with its bindings cleared.
 * {@link #check} is the only authority: any step not in the table, or out of binding order, is rejected
 * with a reason. Pure: no clock, no I/O.
 */
public final class Lifecycle {

    /** What can happen to a container. */
    public enum Step { CREATE, SCHEDULE, BIND_K, BIND_Q, BIND_PHI, ACTIVATE, SUSPEND, RESUME, TERMINATE, RELEASE, RESCHEDULE }

    /** Which domains a container needs and which are bound so far. */
    public record Bindings(boolean needsQ, boolean needsPhi, boolean k, boolean q, boolean phi) {

        public static Bindings none(boolean needsQ, boolean needsPhi) {
            return new Bindings(needsQ, needsPhi, false, false, false);
        }

        public boolean complete() {
            return k && (!needsQ || q) && (!needsPhi || phi);
        }

        Bindings with(Step s) {
            return switch (s) {
                case BIND_K -> new Bindings(needsQ, needsPhi, true, q, phi);
                case BIND_Q -> new Bindings(needsQ, needsPhi, k, true, phi);
                case BIND_PHI -> new Bindings(needsQ, needsPhi, k, q, true);
                case RESCHEDULE -> none(needsQ, needsPhi);
                default -> this;
            };
        }
    }

    /** The result of a check: the next state, or the reason the step is refused. */
    public record Verdict(LifecycleState next, Bindings bindings, String rejection) {
        public boolean allowed() {
            return rejection == null;
        }
    }

    private static final Map<LifecycleState, Map<Step, LifecycleState>> TABLE = new EnumMap<>(LifecycleState.class);

    static {
        for (LifecycleState s : LifecycleState.values()) {
            TABLE.put(s, new EnumMap<>(Step.class));
        }
        allow(LifecycleState.NONE, Step.CREATE, LifecycleState.CREATED);
        allow(LifecycleState.CREATED, Step.SCHEDULE, LifecycleState.SCHEDULED);
        allow(LifecycleState.SCHEDULED, Step.BIND_K, LifecycleState.SCHEDULED);
        allow(LifecycleState.SCHEDULED, Step.BIND_Q, LifecycleState.SCHEDULED);
        allow(LifecycleState.SCHEDULED, Step.BIND_PHI, LifecycleState.SCHEDULED);
        allow(LifecycleState.BOUND, Step.ACTIVATE, LifecycleState.ACTIVE);
        allow(LifecycleState.ACTIVE, Step.SUSPEND, LifecycleState.SUSPENDED);
        allow(LifecycleState.SUSPENDED, Step.RESUME, LifecycleState.ACTIVE);
        for (LifecycleState s : EnumSet.of(LifecycleState.CREATED, LifecycleState.SCHEDULED, LifecycleState.BOUND,
                LifecycleState.ACTIVE, LifecycleState.SUSPENDED)) {
            allow(s, Step.TERMINATE, LifecycleState.TERMINATED);
        }
        for (LifecycleState s : EnumSet.of(LifecycleState.SCHEDULED, LifecycleState.BOUND, LifecycleState.ACTIVE,
                LifecycleState.SUSPENDED)) {
            allow(s, Step.RESCHEDULE, LifecycleState.SCHEDULED);
        }
        allow(LifecycleState.TERMINATED, Step.RELEASE, LifecycleState.RELEASED);
    }

    private Lifecycle() {
    }

    private static void allow(LifecycleState from, Step step, LifecycleState to) {
        TABLE.get(from).put(step, to);
    }

    /** The steps the table allows from {@code state} (binding order aside), in declaration order. */
    public static Set<Step> allowed(LifecycleState state) {
        return Collections.unmodifiableSet(TABLE.get(state).keySet());
    }

    /** Every (from, step, to) row of the table, for documentation and tests. */
    public static List<String> rows() {
        List<String> out = new ArrayList<>();
        for (Map.Entry<LifecycleState, Map<Step, LifecycleState>> e : TABLE.entrySet()) {
            for (Map.Entry<Step, LifecycleState> t : e.getValue().entrySet()) {
                out.add(e.getKey().display() + " --" + t.getKey() + "--> " + t.getValue().display());
            }
        }
        return out;
    }

    /** Decides whether {@code step} may happen now and what follows. */
    public static Verdict check(LifecycleState state, Bindings bindings, Step step) {
        LifecycleState to = TABLE.get(state).get(step);
        if (to == null) {
            return new Verdict(state, bindings, "cannot " + describe(step) + " a container that is "
                    + state.display() + " (allowed: " + allowedText(state) + ")");
        }
        String order = bindingOrder(bindings, step);
        if (order != null) {
            return new Verdict(state, bindings, order);
        }
        Bindings after = bindings.with(step);
        if (state == LifecycleState.SCHEDULED && step != Step.TERMINATE && step != Step.RESCHEDULE
                && after.complete()) {
            to = LifecycleState.BOUND;
        }
        return new Verdict(to, after, null);
    }

    private static String bindingOrder(Bindings b, Step step) {
        return switch (step) {
            case BIND_K -> b.k() ? "K is already bound" : null;
            case BIND_Q -> !b.needsQ() ? "the container declares no Q domain"
                    : !b.k() ? "Q binds after K (binding order is K, Q, Φ)"
                    : b.q() ? "Q is already bound" : null;
            case BIND_PHI -> !b.needsPhi() ? "the container declares no Φ domain"
                    : !b.k() || (b.needsQ() && !b.q()) ? "Φ binds after K and Q (binding order is K, Q, Φ)"
                    : b.phi() ? "Φ is already bound" : null;
            default -> null;
        };
    }

    private static String allowedText(LifecycleState state) {
        Set<Step> steps = TABLE.get(state).keySet();
        if (steps.isEmpty()) {
            return "nothing";
        }
        List<String> names = new ArrayList<>();
        for (Step s : steps) {
            names.add(describe(s));
        }
        return String.join(", ", names);
    }

    static String describe(Step s) {
        return s.name().toLowerCase().replace("bind_phi", "bind Φ").replace('_', ' ');
    }
}
