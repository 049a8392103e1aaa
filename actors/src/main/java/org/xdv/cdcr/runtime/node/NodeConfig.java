package org.xdv.cdcr.runtime.node;

import java.util.List;

import org.xdv.cdcr.phi.PhiConfig;
import org.xdv.cdcr.runtime.core.dao.NodeSpec;

/**
 * A node's resources and execution settings: K slots, logical qubits, Φ channels (with the forecast model),
 * labels; the size of each tenant's VHM pool on this node; the seed of the "physical" Φ noise of this run
 * (execution only: it changes results and faults, never decisions).
 */
public record NodeConfig(String nodeId, int kSlots, int qubits, int phiChannels, PhiConfig phi,
                         List<String> labels, int tenantPoolThreads, long phiRunSeed) {

    public NodeConfig {
        labels = List.copyOf(labels);
        if (tenantPoolThreads < 1) {
            throw new IllegalArgumentException("tenant pool needs at least one thread");
        }
    }

    public NodeSpec spec() {
        return new NodeSpec(nodeId, kSlots, qubits, phiChannels, phi, labels);
    }
}
