package org.xdv.cdcr.runtime.replay;

import java.util.List;
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
 */
public final class ReplayVerifier {

    /** Where replay and record part ways. */
    public record Divergence(long seq, String kind, DaoInput input, Optional<DaoDecision> recorded,
                             Optional<DaoDecision> recomputed, String explanation) {
    }

    /** What a replay found: records read, decisions verified per input kind, and the first divergence if any. */
    public record Report(long eventsRead, TreeMap<String, Long> verified, Optional<Divergence> divergence,
                         DaoState view) {
        public boolean ok() {
            return divergence.isEmpty();
        }
    }

    private final BiFunction<DaoState, DaoInput, DaoDecision> decide;
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
        this.decide = decide;
    }

    /** Checks one record; after the first divergence further records are only counted. */
    public void accept(Decided e) {
        read++;
        if (divergence != null) {
            return;
        }
        String kind = e.input().getClass().getSimpleName();
        if (e.seq() != view.seq()) {
            divergence = new Divergence(e.seq(), kind, e.input(), Optional.of(e.decision()), Optional.empty(),
                    "expected decision #" + view.seq() + " next but the journal holds #" + e.seq()
                            + (e.seq() > view.seq() ? " (a record is missing)" : " (records are out of order)"));
            return;
        }
        DaoDecision again;
        try {
            again = decide.apply(view, e.input());
        } catch (RuntimeException ex) {
            divergence = new Divergence(e.seq(), kind, e.input(), Optional.of(e.decision()), Optional.empty(),
                    "deciding the input again failed: " + ex);
            return;
        }
        if (!again.equals(e.decision())) {
            divergence = new Divergence(e.seq(), kind, e.input(), Optional.of(e.decision()), Optional.of(again),
                    explain(e.decision(), again));
            return;
        }
        verified.merge(kind, 1L, Long::sum);
        view = view.apply(e);
    }

    public void acceptAll(List<Decided> records) {
        for (Decided d : records) {
            accept(d);
        }
    }

    public Report report() {
        return new Report(read, new TreeMap<>(verified), Optional.ofNullable(divergence), view);
    }

    /** What the view says about the node(s) the two decisions disagree on. */
    private String explain(DaoDecision recorded, DaoDecision recomputed) {
        if (recorded instanceof DaoDecision.Placed a && recomputed instanceof DaoDecision.Placed b
                && !a.node().equals(b.node())) {
            return "recorded node " + a.node() + " " + describe(a.node()) + "; recomputed node " + b.node() + " "
                    + describe(b.node());
        }
        return "the decisions differ";
    }

    private String describe(String node) {
        var n = view.nodes().get(node);
        if (n == null) {
            return "(not admitted in the replayed view)";
        }
        return "(K " + n.usedK() + "/" + n.spec().kSlots() + ", qubits " + n.usedQ() + "/" + n.spec().qubits()
                + ", " + n.containers() + " containers" + (n.draining() ? ", draining" : "") + ")";
    }
}
