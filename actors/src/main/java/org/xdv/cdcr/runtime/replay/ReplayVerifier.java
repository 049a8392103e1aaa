package org.xdv.cdcr.runtime.replay;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.BiFunction;

import org.xdv.cdcr.runtime.core.dao.DaoDecision;
import org.xdv.cdcr.runtime.core.dao.DaoInput;
import org.xdv.cdcr.runtime.core.dao.DaoState;
import org.xdv.cdcr.runtime.core.dao.Decided;
import org.xdv.cdcr.runtime.core.dao.Orchestration;

/**
 * Re-derives every orchestration decision of a journal (spec §10): starting from the empty view, each recorded
 * input is decided again with the pure decision function and compared with the recorded decision; then the
 * recorded decision is folded into the view. The first record whose sequence number is not the next one (a
 * dropped or reordered event) or whose recomputed decision differs is the first divergence. Pure: the report
 * depends only on the records and the decision function.
 *
 * <p>A {@link Scope} narrows what is decided again: records before {@code fromSeq}, and with a tenant those that
 * do not concern it, are only folded into the view (the view still needs them). Every placement decided (also
 * those only folded) is kept by sequence number, so that {@link ContainerJournalCheck} can hold each container's
 * journal against the decision it names.
 */
public final class ReplayVerifier {

    /** Where replay and record part ways. */
    public record Divergence(long seq, String kind, DaoInput input, Optional<DaoDecision> recorded,
                             Optional<DaoDecision> recomputed, String explanation) {
    }

    /**
     * What a replay found: records read, decisions verified per input kind, the first divergence if any, and the
     * view folded from the recorded decisions (up to a gap; past a differing decision the record is still folded).
     */
    public record Report(long eventsRead, TreeMap<String, Long> verified, Optional<Divergence> divergence,
                         DaoState view) {
        public boolean ok() {
            return divergence.isEmpty();
        }
    }

    /**
     * What to decide again: records from {@code fromSeq} on, concerning {@code tenant} if given (its tenant and
     * credential records, its placements and releases, and the node removals that moved or stranded its
     * containers). Node admissions, drains and slot ticks concern every tenant.
     */
    public record Scope(long fromSeq, Optional<String> tenant) {
        public static final Scope ALL = new Scope(0, Optional.empty());

        public Scope {
            tenant = tenant == null ? Optional.empty() : tenant;
        }

        boolean covers(Decided e) {
            if (e.seq() < fromSeq) {
                return false;
            }
            if (tenant.isEmpty()) {
                return true;
            }
            String t = tenant.get();
            DaoInput in = e.input();
            if (in instanceof DaoInput.UpsertTenant u) {
                return t.equals(u.tenant().name());
            }
            if (in instanceof DaoInput.SetCredential c) {
                return t.equals(c.tenant());
            }
            if (in instanceof DaoInput.SetVhmContract v) {
                return t.equals(v.tenant());
            }
            if (in instanceof DaoInput.Place p) {
                return t.equals(p.demand().tenant());
            }
            if (in instanceof DaoInput.Release r) {
                return r.containerId().startsWith(t + "/");
            }
            if (in instanceof DaoInput.RemoveNode && e.decision() instanceof DaoDecision.NodeRemoved nr) {
                return nr.moved().stream().anyMatch(p -> p.tenant().equals(t))
                        || nr.stranded().stream().anyMatch(r -> r.subject().startsWith(t + "/"));
            }
            return true;
        }

        public boolean coversContainer(String containerId) {
            return tenant.isEmpty() || containerId.startsWith(tenant.get() + "/");
        }
    }

    private final BiFunction<DaoState, DaoInput, DaoDecision> decide;
    private final Scope scope;
    private final Map<Long, DaoDecision> placements = new HashMap<>();
    private long folded;
    private DaoState view = DaoState.EMPTY;
    private long read;
    private final TreeMap<String, Long> verified = new TreeMap<>();
    private Divergence divergence;

    /** A verifier using the runtime's own decision function. */
    public ReplayVerifier() {
        this(Orchestration::decide);
    }

    /** A verifier using {@code decide} (tests substitute a different one to show divergence is caught). */
    public ReplayVerifier(BiFunction<DaoState, DaoInput, DaoDecision> decide) {
        this(decide, Scope.ALL);
    }

    /** A verifier deciding again only the records in {@code scope}. */
    public ReplayVerifier(BiFunction<DaoState, DaoInput, DaoDecision> decide, Scope scope) {
        this.decide = decide;
        this.scope = scope;
    }

    /** Checks one record: {@link #fold} then {@link #check}, on this thread. */
    public void accept(Decided e) {
        acceptAll(List.of(e));
    }

    /** Checks records in order on this thread (the pipelined replay runs the two phases on two). */
    public void acceptAll(List<Decided> records) {
        check(fold(records));
    }

    // ------------------------------------------------------------------------------------- pipelined replay

    /**
     * Records with the view each is to be decided against ({@code null} past a gap, or for a record outside the
     * scope): what {@link #fold} hands to {@link #check}.
     */
    public record Folded(List<Decided> records, DaoState[] before) {
    }

    /**
     * Phase one of a pipelined replay, for one thread: checks the numbering, keeps the placements, and folds the
     * recorded decisions into the view, remembering the view before each record. Views are immutable, so
     * {@link #check} can decide them on another thread while the next batch is folded; together the two phases
     * report exactly what {@link #accept} does record by record.
     */
    public Folded fold(List<Decided> records) {
        DaoState[] before = new DaoState[records.size()];
        for (int i = 0; i < records.size(); i++) {
            Decided e = records.get(i);
            read++;
            if (gap != null) {
                continue;
            }
            if (e.seq() != view.seq()) {
                gap = new Divergence(e.seq(), e.input().getClass().getSimpleName(), e.input(),
                        Optional.of(e.decision()), Optional.empty(), "expected decision #" + view.seq()
                        + " next but the journal holds #" + e.seq()
                        + (e.seq() > view.seq() ? " (a record is missing)" : " (records are out of order)"));
                continue;
            }
            if (e.decision() instanceof DaoDecision.Placed || e.decision() instanceof DaoDecision.NodeRemoved) {
                placements.put(e.seq(), e.decision());
            }
            if (scope.covers(e)) {
                before[i] = view;
            } else {
                folded++;
            }
            view = view.apply(e);
        }
        return new Folded(records, before);
    }

    /** Phase two, for one other thread, in fold order: decides each covered record again and compares. */
    public void check(Folded f) {
        for (int i = 0; i < f.records().size() && divergence == null; i++) {
            DaoState v = f.before()[i];
            if (v != null) {
                verify(v, f.records().get(i));
            }
        }
    }

    private Divergence gap;

    private void verify(DaoState v, Decided e) {
        String kind = e.input().getClass().getSimpleName();
        DaoDecision again;
        try {
            again = decide.apply(v, e.input());
        } catch (RuntimeException ex) {
            divergence = new Divergence(e.seq(), kind, e.input(), Optional.of(e.decision()), Optional.empty(),
                    "deciding the input again failed: " + ex);
            return;
        }
        if (!again.equals(e.decision())) {
            divergence = new Divergence(e.seq(), kind, e.input(), Optional.of(e.decision()), Optional.of(again),
                    explain(v, e.decision(), again));
            return;
        }
        verified.merge(kind, 1L, Long::sum);
    }

    public Report report() {
        // a decision that differs comes before any gap: folding stops at a gap, so nothing after it is checked
        Divergence first = divergence != null ? divergence : gap;
        return new Report(read, new TreeMap<>(verified), Optional.ofNullable(first), view);
    }

    /** Records only folded into the view (outside the scope). */
    public long folded() {
        return folded;
    }

    public Scope scope() {
        return scope;
    }

    /** The recorded placement or node-removal decision with sequence number {@code seq}, if any. */
    public Optional<DaoDecision> placementDecision(long seq) {
        return Optional.ofNullable(placements.get(seq));
    }

    /** What the view says about the node(s) the two decisions disagree on. */
    /**
     * What the replayed view says about the parts of it the two decisions disagree on: the nodes either names
     * (usage, drain, Φ envelopes held), the tenant's usage against its quota, and the fields that differ.
     */
    private static String explain(DaoState view, DaoDecision recorded, DaoDecision recomputed) {
        StringBuilder why = new StringBuilder();
        java.util.TreeSet<String> nodes = new java.util.TreeSet<>();
        String tenant = null;
        for (DaoDecision d : List.of(recorded, recomputed)) {
            if (d instanceof DaoDecision.Placed p) {
                nodes.add(p.node());
                tenant = p.tenant();
            } else if (d instanceof DaoDecision.Freed f) {
                nodes.add(f.node());
            } else if (d instanceof DaoDecision.NodeRemoved r) {
                nodes.add(r.node());
            }
        }
        if (recorded instanceof DaoDecision.Placed a && recomputed instanceof DaoDecision.Placed b) {
            if (!a.node().equals(b.node())) {
                why.append("recorded node ").append(a.node()).append(", recomputed node ").append(b.node());
            } else if (!a.envelope().equals(b.envelope())) {
                why.append("same node, other Φ window: recorded ")
                        .append(a.envelope().map(e -> e.id().toString()).orElse("none")).append(", recomputed ")
                        .append(b.envelope().map(e -> e.id().toString()).orElse("none"));
            } else {
                why.append("same node, other resources: recorded ").append(a.kSlots()).append(" K slot(s) and ")
                        .append(a.qubits()).append(" qubit(s), recomputed ").append(b.kSlots()).append(" and ")
                        .append(b.qubits());
            }
        } else if (recomputed instanceof DaoDecision.Refused r) {
            why.append("replay refuses it (").append(r.reason()).append(": ").append(r.message())
                    .append(") where the journal records ").append(recorded.getClass().getSimpleName());
        } else if (recorded instanceof DaoDecision.Refused r) {
            why.append("the journal records a refusal (").append(r.reason()).append(": ").append(r.message())
                    .append(") where replay decides ").append(recomputed.getClass().getSimpleName());
        } else {
            why.append("the decisions differ");
        }
        why.append(". View before it:");
        for (String n : nodes) {
            why.append(" node ").append(n).append(' ').append(describe(view, n)).append(';');
        }
        if (tenant != null && view.tenants().containsKey(tenant)) {
            var t = view.tenants().get(tenant);
            var u = t.usage();
            var q = t.spec().quota();
            why.append(" tenant ").append(tenant).append(" holds ").append(u.containers()).append('/')
                    .append(limit(q.containers())).append(" containers, ").append(u.qubits()).append('/')
                    .append(limit(q.qubits())).append(" qubits, ").append(u.phiSlots()).append('/')
                    .append(limit(q.phiSlots())).append(" Φ slots, ").append(u.kSlots()).append('/')
                    .append(limit(q.kSlots())).append(" K slots;");
        }
        return why.toString();
    }

    private static String limit(long quota) {
        return quota >= Integer.MAX_VALUE ? "unlimited" : Long.toString(quota);
    }

    private static String describe(DaoState view, String node) {
        var n = view.nodes().get(node);
        if (n == null) {
            return "(not admitted in the replayed view)";
        }
        return "(K " + n.usedK() + "/" + n.spec().kSlots() + ", qubits " + n.usedQ() + "/" + n.spec().qubits()
                + ", " + n.containers() + " containers, " + n.phi().envelopes().size() + " Φ envelopes"
                + (n.draining() ? ", draining" : "") + (n.attestation().trusted() ? "" : ", untrusted") + ")";
    }
}
