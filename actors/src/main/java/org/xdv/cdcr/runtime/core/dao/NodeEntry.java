package org.xdv.cdcr.runtime.core.dao;

import org.xdv.cdcr.phi.PhiAllocator;

/** The orchestrator's view of one admitted node: spec, verdict, status, what is in use, its Φ allocator. */
public record NodeEntry(NodeSpec spec, Attestation attestation, boolean draining, int usedK, int usedQ,
                        int containers, PhiAllocator phi) {

    public int freeK() {
        return spec.kSlots() - usedK;
    }

    public int freeQ() {
        return spec.qubits() - usedQ;
    }

    NodeEntry add(DaoDecision.Placed p) {
        PhiAllocator nextPhi = p.envelope().isPresent()
                ? phi.apply(new org.xdv.cdcr.phi.PhiEvent.Reserved(spec.id(), p.envelope().get())) : phi;
        return new NodeEntry(spec, attestation, draining, usedK + p.kSlots(), usedQ + p.qubits(), containers + 1,
                nextPhi);
    }

    NodeEntry remove(DaoDecision.Placed p) {
        PhiAllocator nextPhi = p.envelope().isPresent()
                ? phi.apply(new org.xdv.cdcr.phi.PhiEvent.Released(spec.id(), p.envelope().get().id(), p.tenant()))
                : phi;
        return new NodeEntry(spec, attestation, draining, usedK - p.kSlots(), usedQ - p.qubits(), containers - 1,
                nextPhi);
    }

    NodeEntry drain() {
        return new NodeEntry(spec, attestation, true, usedK, usedQ, containers, phi);
    }

    NodeEntry compact(long slot) {
        return new NodeEntry(spec, attestation, draining, usedK, usedQ, containers, phi.apply(
                new org.xdv.cdcr.phi.PhiEvent.Compacted(spec.id(), slot)));
    }
}
