package org.xdv.cdcr.runtime.core.dao;

import java.util.ArrayList;
import java.util.List;

import org.pcollections.PSortedMap;
import org.pcollections.TreePMap;
import org.xdv.cdcr.persistence.KryoSerializable;
import org.xdv.cdcr.phi.Envelope;
import org.xdv.cdcr.phi.PhiAllocator;

/**
 * The orchestrator's view as a snapshot: only what cannot be derived — tenants with their usage, nodes with what
 * they hold and their Φ allocator's watermark, next envelope number and live envelopes, placements, credentials and
 * the demands placements were made for. The sharing contracts, the node index and the Φ rankings are rebuilt.
 * {@link #toState()} of {@link #of} equals the view it was taken of and decides every input identically.
 */
public record DaoSnapshot(long seq, long slot, List<TenantEntry> tenants, List<NodeSnapshot> nodes,
                          List<DaoDecision.Placed> placements, List<Credential> credentials, List<Demand> demands)
        implements KryoSerializable {

    public DaoSnapshot {
        tenants = List.copyOf(tenants);
        nodes = List.copyOf(nodes);
        placements = List.copyOf(placements);
        credentials = List.copyOf(credentials);
        demands = List.copyOf(demands);
    }

    /** One node: its entry without the allocator, plus the allocator's own state. */
    public record NodeSnapshot(NodeSpec spec, Attestation attestation, boolean draining, int usedK, int usedQ,
                               int containers, long phiWatermark, long phiNextSeq, List<Envelope> envelopes)
            implements KryoSerializable {
        public NodeSnapshot {
            envelopes = List.copyOf(envelopes);
        }
    }

    /** A tenant's API credential (the SHA-256 of its token). */
    public record Credential(String tenant, String tokenSha256) implements KryoSerializable {
    }

    public static DaoSnapshot of(DaoState s) {
        List<NodeSnapshot> nodes = new ArrayList<>();
        for (NodeEntry n : s.nodes().values()) {
            nodes.add(new NodeSnapshot(n.spec(), n.attestation(), n.draining(), n.usedK(), n.usedQ(), n.containers(),
                    n.phi().watermark(), n.phi().nextSeq(), n.phi().envelopes()));
        }
        List<Credential> credentials = new ArrayList<>();
        s.credentials().forEach((t, h) -> credentials.add(new Credential(t, h)));
        return new DaoSnapshot(s.seq(), s.slot(), new ArrayList<>(s.tenants().values()), nodes,
                new ArrayList<>(s.placements().values()), credentials, new ArrayList<>(s.demands().values()));
    }

    public DaoState toState() {
        PSortedMap<String, TenantEntry> ts = TreePMap.empty();
        for (TenantEntry t : tenants) {
            ts = ts.plus(t.spec().name(), t);
        }
        PSortedMap<String, NodeEntry> ns = TreePMap.empty();
        for (NodeSnapshot n : nodes) {
            PhiAllocator phi = PhiAllocator.restore(n.spec().phi(), n.spec().id(), n.phiWatermark(), n.phiNextSeq(),
                    n.envelopes());
            ns = ns.plus(n.spec().id(), new NodeEntry(n.spec(), n.attestation(), n.draining(), n.usedK(), n.usedQ(),
                    n.containers(), phi));
        }
        PSortedMap<String, DaoDecision.Placed> ps = TreePMap.empty();
        for (DaoDecision.Placed p : placements) {
            ps = ps.plus(p.containerId(), p);
        }
        PSortedMap<String, String> cs = TreePMap.empty();
        for (Credential c : credentials) {
            cs = cs.plus(c.tenant(), c.tokenSha256());
        }
        PSortedMap<String, Demand> ds = TreePMap.empty();
        for (Demand d : demands) {
            ds = ds.plus(d.containerId(), d);
        }
        return new DaoState(seq, slot, ts, ns, ps, DaoState.contractsOf(ts), cs, NodeIndex.of(ns.values()), ds);
    }
}
