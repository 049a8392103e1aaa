package org.xdv.cdcr.runtime.core.dao;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.pcollections.PSortedMap;
import org.pcollections.TreePMap;
import org.xdv.cdcr.phi.PhiAllocator;
import org.xdv.cdcr.phi.SharingContracts;
import org.xdv.cdcr.runtime.core.Quota;

/**
 * The orchestrator's view, derived only from its journal: tenants with their usage, admitted nodes with what
 * they have in use, every live placement, the logical Φ slot, the number of inputs decided so far, and each
 * tenant's API credential (the SHA-256 of its bearer token, never the token), and the demand each live
 * placement was made for (so a re-placement after node loss honours the same policy: labels, affinity).
 *
 * <p>Immutable: persistent sorted maps (pcollections) make each {@link #apply} O(log n) and every iteration
 * ordered by key, never by hash. {@code apply} never fails on a recorded event.
 */
public record DaoState(long seq, long slot, PSortedMap<String, TenantEntry> tenants,
                       PSortedMap<String, NodeEntry> nodes, PSortedMap<String, DaoDecision.Placed> placements,
                       SharingContracts contracts, PSortedMap<String, String> credentials, NodeIndex index,
                       PSortedMap<String, Demand> demands) {

    public static final DaoState EMPTY = new DaoState(0, 0, TreePMap.empty(), TreePMap.empty(), TreePMap.empty(),
            SharingContracts.none(), TreePMap.empty(), NodeIndex.EMPTY, TreePMap.empty());

    /** A view whose node index is rebuilt from {@code nodes} (O(n log n): for tests and rare paths). */
    public DaoState(long seq, long slot, PSortedMap<String, TenantEntry> tenants, PSortedMap<String, NodeEntry> nodes,
                    PSortedMap<String, DaoDecision.Placed> placements, SharingContracts contracts,
                    PSortedMap<String, String> credentials) {
        this(seq, slot, tenants, nodes, placements, contracts, credentials, NodeIndex.of(nodes.values()),
                TreePMap.empty());
    }

    /** A view without credentials, index rebuilt (for tests and rare paths). */
    public DaoState(long seq, long slot, PSortedMap<String, TenantEntry> tenants, PSortedMap<String, NodeEntry> nodes,
                    PSortedMap<String, DaoDecision.Placed> placements, SharingContracts contracts) {
        this(seq, slot, tenants, nodes, placements, contracts, TreePMap.empty());
    }

    /** This view without node {@code id}. */
    DaoState withoutNode(String id) {
        NodeEntry old = nodes.get(id);
        return new DaoState(seq, slot, tenants, nodes.minus(id), placements, contracts, credentials,
                index.replace(old, null), demands);
    }

    private DaoState withNode(NodeEntry now) {
        NodeEntry old = nodes.get(now.spec().id());
        return new DaoState(seq, slot, tenants, nodes.plus(now.spec().id(), now), placements, contracts, credentials,
                index.replace(old, now), demands);
    }

    /** Folds one recorded decision into the view. */
    public DaoState apply(Decided e) {
        DaoState s = new DaoState(e.seq() + 1, slot, tenants, nodes, placements, contracts, credentials, index,
                demands);
        DaoDecision d = e.decision();
        if (d instanceof DaoDecision.TenantSet) {
            TenantSpec t = ((DaoInput.UpsertTenant) e.input()).tenant();
            TenantEntry old = tenants.get(t.name());
            return s.withTenants(tenants.plus(t.name(), old == null ? new TenantEntry(t, Quota.ZERO)
                    : new TenantEntry(t, old.usage(), old.vhm())));
        }
        if (d instanceof DaoDecision.NodeAdmitted) {
            DaoInput.AdmitNode a = (DaoInput.AdmitNode) e.input();
            NodeSpec n = a.node();
            NodeEntry old = nodes.get(n.id());
            NodeEntry entry = old != null
                    ? new NodeEntry(n, a.attestation(), false, old.usedK(), old.usedQ(), old.containers(), old.phi())
                    : new NodeEntry(n, a.attestation(), false, 0, 0, 0, PhiAllocator.empty(n.phi(), n.id()));
            return s.withNode(entry);
        }
        if (d instanceof DaoDecision.Draining dr) {
            return s.withNode(nodes.get(dr.node()).drain());
        }
        if (d instanceof DaoDecision.Placed p) {
            return s.place(p, e.input() instanceof DaoInput.Place in ? in.demand() : null);
        }
        if (d instanceof DaoDecision.Freed f) {
            return s.free(placements.get(f.containerId()));
        }
        if (d instanceof DaoDecision.NodeRemoved r) {
            DaoState t = s;
            for (DaoDecision.Placed p : t.placementsOn(r.node())) {
                t = t.free(p);
            }
            t = t.withoutNode(r.node());
            for (DaoDecision.Placed p : r.moved()) {
                t = t.place(p, demands.get(p.containerId())); // a moved container keeps the demand it was placed for
            }
            return t;
        }
        if (d instanceof DaoDecision.Advanced a) {
            DaoState t = new DaoState(s.seq, a.slot(), tenants, nodes, placements, contracts, credentials, index,
                    demands);
            for (Map.Entry<String, NodeEntry> n : nodes.entrySet()) {
                t = t.withNode(n.getValue().compact(a.slot()));
            }
            return t;
        }
        if (d instanceof DaoDecision.VhmContractSet v) {
            TenantEntry t = tenants.get(v.tenant());
            VhmContract contract = ((DaoInput.SetVhmContract) e.input()).contract();
            return new DaoState(s.seq, slot, tenants.plus(v.tenant(), new TenantEntry(t.spec(), t.usage(), contract)),
                    nodes, placements, contracts, credentials, index, demands);
        }
        if (d instanceof DaoDecision.CredentialSet c) {
            String hash = ((DaoInput.SetCredential) e.input()).tokenSha256();
            return new DaoState(s.seq, slot, tenants, nodes, placements, contracts, credentials.plus(c.tenant(), hash),
                    index, demands);
        }
        return s; // Refused: nothing changes but the sequence number
    }

    /** Live placements on {@code node}, in container-id order. */
    public List<DaoDecision.Placed> placementsOn(String node) {
        List<DaoDecision.Placed> out = new ArrayList<>();
        for (DaoDecision.Placed p : placements.values()) {
            if (p.node().equals(node)) {
                out.add(p);
            }
        }
        return out;
    }

    private DaoState place(DaoDecision.Placed p, Demand demand) {
        TenantEntry t = tenants.get(p.tenant());
        long phi = p.envelope().map(org.xdv.cdcr.phi.Envelope::lengthSlots).orElse(0L);
        NodeEntry old = nodes.get(p.node());
        NodeEntry now = old.add(p);
        return new DaoState(seq, slot,
                tenants.plus(p.tenant(), new TenantEntry(t.spec(), t.usage().plus(p.qubits(), phi, p.kSlots()), t.vhm())),
                nodes.plus(p.node(), now),
                placements.plus(p.containerId(), p), contracts, credentials, index.replace(old, now),
                demand == null ? demands : demands.plus(p.containerId(), demand));
    }

    private DaoState free(DaoDecision.Placed p) {
        TenantEntry t = tenants.get(p.tenant());
        long phi = p.envelope().map(org.xdv.cdcr.phi.Envelope::lengthSlots).orElse(0L);
        NodeEntry n = nodes.get(p.node());
        NodeEntry now = n == null ? null : n.remove(p);
        return new DaoState(seq, slot,
                tenants.plus(p.tenant(), new TenantEntry(t.spec(), t.usage().minus(p.qubits(), phi, p.kSlots()), t.vhm())),
                n == null ? nodes : nodes.plus(p.node(), now),
                placements.minus(p.containerId()), contracts, credentials, n == null ? index : index.replace(n, now),
                demands.minus(p.containerId()));
    }

    private DaoState withTenants(PSortedMap<String, TenantEntry> ts) {
        return new DaoState(seq, slot, ts, nodes, placements, contractsOf(ts), credentials, index, demands);
    }

    /** The Φ sharing contracts the tenants signed (each names the tenants it shares with). */
    static SharingContracts contractsOf(PSortedMap<String, TenantEntry> ts) {
        SharingContracts c = SharingContracts.none();
        for (TenantEntry t : ts.values()) {
            for (String other : t.spec().sharesPhiWith()) {
                c = c.sign(t.spec().name(), other);
            }
        }
        return c;
    }
}
