package org.xdv.cdcr.runtime.core.dao;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.xdv.cdcr.phi.Envelope;
import org.xdv.cdcr.phi.EnvelopeRequest;
import org.xdv.cdcr.phi.PhiOutcome;
import org.xdv.cdcr.phi.Placement;
import org.xdv.cdcr.runtime.core.Capabilities;

/**
 * The Domain-Aware Orchestrator's decisions (spec §4, §6) as one pure function {@link #decide}.
 *
 * <p>GOALS: place each container on a node that can hold it, honouring tenant policy, capability scope and
 * quota, preferring Q hardware for Q-heavy work, the most stable coherence window for Φ-coherent work and the
 * least loaded node otherwise. CONSTRAINTS: no clock, no randomness, no hash-ordered iteration, no thread
 * timing: the result depends only on the view and the input, so replaying the journal reproduces it.
 *
 * <p>ALGORITHM for {@link DaoInput.Place}: (1) admission — known tenant, every capability known and inside the
 * tenant's namespace, {@code q.alloc}+{@code q.run} for a Q demand and {@code phi.envelope} for a Φ demand
 * (no implicit Q or Φ access), usage plus the demand within quota; (2) filters, for each node in id order —
 * attested, not draining, has every required label and no avoided label, enough free K slots and qubits, and a
 * Φ window that fits from the current slot; (3) score — Q_HEAVY: free qubits; PHI_COHERENT: the window's
 * forecast minimum, then the earlier start; BALANCED: the lowest K load (used/capacity, compared exactly by
 * cross-multiplication); (4) the strictly best score wins, so ties go to the lowest node id. Balanced and Q-heavy
 * placements walk the {@link NodeIndex} orders best first; Φ-coherent ones walk the Φ nodes ranked by window
 * ({@link PhiRankings}, which searches again only the Φ nodes changed since the same request shape was ranked).
 *
 * <p>Example: nodes {@code a} (8 qubits, 2 used) and {@code b} (8 qubits, 0 used); a Q_HEAVY demand of 4 qubits
 * goes to {@code b} (8 free beats 6). Two empty K-only nodes tie on load: {@code a} wins on id.
 */
public final class Orchestration {

    private static final java.util.regex.Pattern SHA256_HEX = java.util.regex.Pattern.compile("[0-9a-f]{64}");

    private Orchestration() {
    }

    public static DaoDecision decide(DaoState view, DaoInput input) {
        if (input instanceof DaoInput.Place p) {
            return place(view, p.demand(), null);
        }
        if (input instanceof DaoInput.Release r) {
            DaoDecision.Placed p = view.placements().get(r.containerId());
            return p == null
                    ? new DaoDecision.Refused(r.containerId(), DaoDecision.Reason.UNKNOWN_CONTAINER,
                    "container " + r.containerId() + " holds no placement")
                    : new DaoDecision.Freed(r.containerId(), p.node());
        }
        if (input instanceof DaoInput.UpsertTenant t) {
            return tenant(t.tenant());
        }
        if (input instanceof DaoInput.AdmitNode a) {
            return admit(view, a);
        }
        if (input instanceof DaoInput.RemoveNode r) {
            return remove(view, r.node());
        }
        if (input instanceof DaoInput.DrainNode d) {
            return view.nodes().containsKey(d.node()) ? new DaoDecision.Draining(d.node())
                    : new DaoDecision.Refused(d.node(), DaoDecision.Reason.UNKNOWN_NODE, "no admitted node " + d.node());
        }
        if (input instanceof DaoInput.SetCredential c) {
            if (!view.tenants().containsKey(c.tenant())) {
                return new DaoDecision.Refused(String.valueOf(c.tenant()), DaoDecision.Reason.UNKNOWN_TENANT,
                        "unknown tenant '" + c.tenant() + "'");
            }
            return c.tokenSha256() != null && SHA256_HEX.matcher(c.tokenSha256()).matches()
                    ? new DaoDecision.CredentialSet(c.tenant())
                    : new DaoDecision.Refused(c.tenant(), DaoDecision.Reason.INVALID,
                    "a credential is the lowercase hex SHA-256 of the token (64 characters)");
        }
        if (input instanceof DaoInput.SetVhmContract v) {
            if (!view.tenants().containsKey(v.tenant())) {
                return new DaoDecision.Refused(String.valueOf(v.tenant()), DaoDecision.Reason.UNKNOWN_TENANT,
                        "unknown tenant '" + v.tenant() + "'");
            }
            String problem = v.contract() == null ? "a VHM contract is required" : v.contract().problem();
            return problem == null ? new DaoDecision.VhmContractSet(v.tenant())
                    : new DaoDecision.Refused(v.tenant(), DaoDecision.Reason.INVALID, problem);
        }
        if (input instanceof DaoInput.Tick t) {
            return t.slot() < view.slot()
                    ? new DaoDecision.Refused("slot", DaoDecision.Reason.INVALID,
                    "slot clock cannot go back from " + view.slot() + " to " + t.slot())
                    : new DaoDecision.Advanced(t.slot());
        }
        throw new IllegalArgumentException("unknown input " + input);
    }

    private static DaoDecision tenant(TenantSpec t) {
        if (!validName(t.name())) {
            return new DaoDecision.Refused(String.valueOf(t.name()), DaoDecision.Reason.INVALID,
                    "tenant name must be 1-63 characters of a-z, 0-9 and '-', starting with a letter");
        }
        for (String c : t.capabilities()) {
            if (!Capabilities.known(c)) {
                return new DaoDecision.Refused(t.name(), DaoDecision.Reason.INVALID,
                        "unknown capability '" + c + "' (known: " + String.join(", ", Capabilities.ALL) + ")");
            }
        }
        for (String other : t.sharesPhiWith()) {
            if (other.equals(t.name()) || !validName(other)) {
                return new DaoDecision.Refused(t.name(), DaoDecision.Reason.INVALID,
                        "invalid Φ sharing partner '" + other + "'");
            }
        }
        return new DaoDecision.TenantSet(t.name());
    }

    private static DaoDecision admit(DaoState view, DaoInput.AdmitNode a) {
        NodeSpec n = a.node();
        if (n.id() == null || n.id().isBlank() || n.kSlots() < 0 || n.qubits() < 0) {
            return new DaoDecision.Refused(String.valueOf(n.id()), DaoDecision.Reason.INVALID,
                    "node needs an id and non-negative K slots and qubits");
        }
        NodeEntry old = view.nodes().get(n.id());
        if (old != null && (old.usedK() > n.kSlots() || old.usedQ() > n.qubits()
                || old.spec().phiChannels() != n.phiChannels() || !old.spec().phi().equals(n.phi()))) {
            return new DaoDecision.Refused(n.id(), DaoDecision.Reason.INVALID,
                    "node " + n.id() + " re-joined with less capacity than it has in use, or another Φ model");
        }
        if (!a.attestation().trusted()) {
            return new DaoDecision.Refused(n.id(), DaoDecision.Reason.INVALID,
                    "attestation refused: " + a.attestation().verdict());
        }
        return new DaoDecision.NodeAdmitted(n.id());
    }

    private static DaoDecision remove(DaoState view, String node) {
        if (!view.nodes().containsKey(node)) {
            return new DaoDecision.Refused(node, DaoDecision.Reason.UNKNOWN_NODE, "no admitted node " + node);
        }
        List<DaoDecision.Placed> hosted = view.placementsOn(node);
        // Free everything the node held first, then re-place in container-id order against that view.
        DaoState v = view;
        for (DaoDecision.Placed p : hosted) {
            v = v.apply(new Decided(v.seq(), new DaoInput.Release(p.containerId()),
                    new DaoDecision.Freed(p.containerId(), node)));
        }
        v = v.withoutNode(node);
        List<DaoDecision.Placed> moved = new ArrayList<>();
        List<DaoDecision.Refused> stranded = new ArrayList<>();
        for (DaoDecision.Placed p : hosted) {
            Demand d = view.demands().containsKey(p.containerId()) ? view.demands().get(p.containerId())
                    : demandOf(view, p);
            DaoDecision again = place(v, d, node);
            if (again instanceof DaoDecision.Placed np) {
                moved.add(np);
                v = v.apply(new Decided(v.seq(), new DaoInput.Place(d), np));
            } else {
                stranded.add((DaoDecision.Refused) again);
            }
        }
        return new DaoDecision.NodeRemoved(node, moved, stranded);
    }

    /**
     * A demand rebuilt from what a placement holds (affinity from its domains, no labels), for placements whose
     * original demand the view does not hold (views built without it, e.g. in tests).
     */
    private static Demand demandOf(DaoState view, DaoDecision.Placed p) {
        Optional<Envelope> env = p.envelope();
        TenantEntry t = view.tenants().get(p.tenant());
        List<String> caps = t == null ? List.of() : t.spec().capabilities();
        Affinity aff = env.isPresent() ? Affinity.PHI_COHERENT : p.qubits() > 0 ? Affinity.Q_HEAVY : Affinity.BALANCED;
        return new Demand(p.containerId(), p.tenant(), p.kSlots(), p.qubits(),
                env.map(Envelope::lengthSlots).orElse(0L), env.map(Envelope::stabilityFloor).orElse(0.0),
                env.flatMap(Envelope::shareWithTenant), aff, List.of(), List.of(), caps);
    }

    private static DaoDecision place(DaoState view, Demand d, String excludedNode) {
        String id = d.containerId();
        if (view.placements().containsKey(id)) {
            return refused(id, DaoDecision.Reason.DUPLICATE, "container " + id + " is already placed on "
                    + view.placements().get(id).node());
        }
        if (d.kSlots() < 1 || d.qubits() < 0 || d.phiSlots() < 0 || !(d.phiFloor() >= 0 && d.phiFloor() <= 1)) {
            return refused(id, DaoDecision.Reason.INVALID,
                    "demand needs K slots >= 1, qubits >= 0, Φ slots >= 0 and a Φ floor in [0,1]");
        }
        TenantEntry tenant = view.tenants().get(d.tenant());
        if (tenant == null) {
            return refused(id, DaoDecision.Reason.UNKNOWN_TENANT, "unknown tenant '" + d.tenant() + "'");
        }
        String capability = capabilityProblem(tenant.spec(), d);
        if (capability != null) {
            return refused(id, DaoDecision.Reason.CAPABILITY, capability);
        }
        String over = tenant.spec().quota().exceededBy(tenant.usage().plus(d.qubits(), d.phiSlots(), d.kSlots()));
        if (over != null) {
            return refused(id, DaoDecision.Reason.QUOTA, "tenant " + d.tenant() + " over quota: " + over);
        }
        if (d.needsPhi() && d.phiShareWith().isPresent()
                && !view.contracts().mutual(d.tenant(), d.phiShareWith().get())) {
            // the allocator would throw on this request; sharing without a mutual contract is an authorization refusal
            return refused(id, DaoDecision.Reason.CAPABILITY, "tenants " + d.tenant() + " and "
                    + d.phiShareWith().get() + " have not both signed a Φ sharing contract");
        }
        EnvelopeRequest phiRequest = d.needsPhi()
                ? new EnvelopeRequest(d.tenant(), id, d.phiSlots(), d.phiFloor(), d.phiShareWith(), false,
                java.util.OptionalInt.empty())
                : null;
        NodeEntry best = null;
        Placement bestWindow = null;
        boolean anyLabels = !d.labels().isEmpty() || !d.avoidLabels().isEmpty(); // most demands have none
        if (phiRequest != null && d.affinity() == Affinity.PHI_COHERENT) {
            // Scored by the window each Φ node offers: the ranking (best window first, then node id) is the order
            // a full scan would prefer; the first node passing the other filters has the best window among them,
            // and a node with an equally good window (the tie group that follows) wins only on a lower K load.
            PhiRankings rankings = view.index().phiRankings();
            List<PhiRankings.Ranked> ranked = rankings == null ? List.of() : rankings.rank(view, phiRequest);
            for (int i = 0; i < ranked.size() && best == null; i++) {
                NodeEntry n = ranked.get(i).entry();
                if (!admissible(n, d, anyLabels, excludedNode)) {
                    continue;
                }
                best = n;
                bestWindow = ranked.get(i).window();
                for (int j = i + 1; j < ranked.size() && sameScore(ranked.get(i).window(), ranked.get(j).window());
                     j++) {
                    NodeEntry m = ranked.get(j).entry();
                    if (admissible(m, d, anyLabels, excludedNode) && lessLoaded(m, best)) {
                        best = m;
                        bestWindow = ranked.get(j).window();
                    }
                }
            }
        } else if (d.affinity() == Affinity.Q_HEAVY) {
            // Most free qubits, then load, then id. The nodes with a free qubit come first, in the Q index's order;
            // every other node has none, and among those the load order decides — they can only take a demand
            // without qubits.
            for (NodeEntry n : view.index().byFreeQubits()) {
                if (n.freeQ() == 0) {
                    break;
                }
                Fit f = fit(view, n, d, phiRequest, anyLabels, excludedNode);
                if (f != null) {
                    best = n;
                    bestWindow = f.window();
                    break;
                }
            }
            if (best == null && d.qubits() == 0) {
                for (NodeEntry n : view.index().byLoad()) {
                    Fit f = n.freeQ() > 0 ? null : fit(view, n, d, phiRequest, anyLabels, excludedNode);
                    if (f != null) {
                        best = n;
                        bestWindow = f.window();
                        break;
                    }
                }
            }
        } else {
            // Scored by load: the index lists nodes least loaded first, ties by id, so the first node that passes
            // every filter is the one a full scan would pick.
            for (NodeEntry n : view.index().byLoad()) {
                Fit f = fit(view, n, d, phiRequest, anyLabels, excludedNode);
                if (f != null) {
                    best = n;
                    bestWindow = f.window();
                    break;
                }
            }
        }
        if (best == null) {
            int eligible = 0;
            int maxFreeQ = 0;
            int maxFreeK = 0;
            for (NodeEntry n : view.nodes().values()) {
                if (n.draining() || !n.attestation().trusted() || n.spec().id().equals(excludedNode)) {
                    continue;
                }
                eligible++;
                maxFreeQ = Math.max(maxFreeQ, n.freeQ());
                maxFreeK = Math.max(maxFreeK, n.freeK());
            }
            return refused(id, DaoDecision.Reason.NO_CAPACITY, noCapacity(d, eligible, maxFreeK, maxFreeQ));
        }
        Optional<Envelope> envelope = Optional.empty();
        if (phiRequest != null) {
            PhiOutcome<Envelope> out = best.phi().reserve(phiRequest, view.slot(), view.contracts());
            if (!(out instanceof PhiOutcome.Accepted<Envelope> ok)) {
                // feasible() and reserve() share one search; a disagreement is a bug, refuse rather than guess
                return refused(id, DaoDecision.Reason.NO_CAPACITY, "Φ window on " + best.spec().id() + " vanished");
            }
            envelope = Optional.of(ok.value());
        }
        return new DaoDecision.Placed(id, d.tenant(), best.spec().id(), d.kSlots(), d.qubits(), envelope);
    }

    /** A node that passes every filter, with the Φ window it offers (null when the demand has no Φ part). */
    private record Fit(Placement window) {
    }

    /** Null unless {@code n} passes every filter for {@code d}. */
    private static Fit fit(DaoState view, NodeEntry n, Demand d, EnvelopeRequest phiRequest, boolean anyLabels,
                           String excludedNode) {
        if (!admissible(n, d, anyLabels, excludedNode)) {
            return null;
        }
        if (phiRequest == null) {
            return new Fit(null);
        }
        // a request this node's allocator cannot take (e.g. longer than its search horizon) does not fit it
        if (n.spec().phiChannels() == 0) {
            return null;
        }
        Optional<Placement> window = n.phi().feasibleOrEmpty(phiRequest, view.slot(), view.contracts());
        return window.isPresent() ? new Fit(window.get()) : null;
    }

    /** Every filter but the Φ window: attested, not draining, not excluded, room for K and Q, labels. */
    private static boolean admissible(NodeEntry n, Demand d, boolean anyLabels, String excludedNode) {
        return !(n.draining() || !n.attestation().trusted()
                || (excludedNode != null && n.spec().id().equals(excludedNode))
                || n.freeK() < d.kSlots() || n.freeQ() < d.qubits()
                || (anyLabels && !labelsMatch(n.spec().labels(), d)));
    }

    private static boolean sameScore(Placement a, Placement b) {
        return Double.compare(a.minForecast(), b.minForecast()) == 0 && a.startSlot() == b.startSlot();
    }

    /** K load usedK/kSlots compared exactly: a/b < c/d ⇔ a·d < c·b (capacities are positive here). */
    private static boolean lessLoaded(NodeEntry n, NodeEntry b) {
        long left = (long) n.usedK() * b.spec().kSlots();
        long right = (long) b.usedK() * n.spec().kSlots();
        return left < right;
    }

    private static boolean labelsMatch(List<String> nodeLabels, Demand d) {
        for (String l : d.labels()) {
            if (!nodeLabels.contains(l)) {
                return false;
            }
        }
        for (String l : d.avoidLabels()) {
            if (nodeLabels.contains(l)) {
                return false;
            }
        }
        return true;
    }

    /** Null when the demand's capability set is admissible for the tenant, else the reason. */
    static String capabilityProblem(TenantSpec t, Demand d) {
        for (String c : d.capabilities()) {
            if (!Capabilities.known(c)) {
                return "unknown capability '" + c + "'";
            }
            if (!t.capabilities().contains(c)) {
                return "capability '" + c + "' is outside tenant " + t.name() + "'s namespace "
                        + t.capabilities();
            }
        }
        if (d.needsQ() && !(d.capabilities().contains(Capabilities.Q_ALLOC)
                && d.capabilities().contains(Capabilities.Q_RUN))) {
            return "a Q domain needs capabilities q.alloc and q.run: no implicit Q access";
        }
        if (d.needsPhi() && !d.capabilities().contains(Capabilities.PHI_ENVELOPE)) {
            return "a Φ domain needs capability phi.envelope: no implicit Φ access";
        }
        return null;
    }

    private static String noCapacity(Demand d, int eligible, int maxFreeK, int maxFreeQ) {
        if (eligible == 0) {
            return "no admitted node can take work";
        }
        StringBuilder sb = new StringBuilder("no node fits ").append(d.kSlots()).append(" K slot(s)");
        if (d.needsQ()) {
            sb.append(", ").append(d.qubits()).append(" qubits");
        }
        if (d.needsPhi()) {
            sb.append(", a Φ window of ").append(d.phiSlots()).append(" slots at floor ").append(d.phiFloor());
        }
        if (!d.labels().isEmpty()) {
            sb.append(", labels ").append(d.labels());
        }
        if (!d.avoidLabels().isEmpty()) {
            sb.append(", avoiding labels ").append(d.avoidLabels());
        }
        return sb.append(" (most free: ").append(maxFreeK).append(" K slots, ").append(maxFreeQ).append(" qubits)")
                .toString();
    }

    private static DaoDecision.Refused refused(String id, DaoDecision.Reason r, String message) {
        return new DaoDecision.Refused(id, r, message);
    }

    static boolean validName(String s) {
        if (s == null || s.isEmpty() || s.length() > 63 || !(s.charAt(0) >= 'a' && s.charAt(0) <= 'z')) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
                return false;
            }
        }
        return true;
    }

    /** Helper for replay: folds {@code decide} and {@code apply} over inputs from a view. */
    public static DaoState run(DaoState from, List<DaoInput> inputs, List<Decided> out) {
        DaoState s = from;
        for (DaoInput in : inputs) {
            Decided e = new Decided(s.seq(), in, decide(s, in));
            out.add(e);
            s = s.apply(e);
        }
        return s;
    }

}
