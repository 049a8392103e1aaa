package org.xdv.cdcr.runtime.core.dao;

import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * What one container asks of the cluster: its id and tenant, K slots, logical qubits, a Φ window (length in
 * slots, stability floor, optional tenant it shares with), placement affinity, node labels it needs and node
 * labels it avoids, and its declared capability set. Lists are kept sorted.
 */
public record Demand(String containerId, String tenant, int kSlots, int qubits, long phiSlots, double phiFloor,
                     Optional<String> phiShareWith, Affinity affinity, List<String> labels, List<String> avoidLabels,
                     List<String> capabilities) {

    public Demand {
        phiShareWith = phiShareWith == null ? Optional.empty() : phiShareWith;
        labels = List.copyOf(new TreeSet<>(labels));
        avoidLabels = List.copyOf(new TreeSet<>(avoidLabels));
        capabilities = List.copyOf(new TreeSet<>(capabilities));
    }

    public boolean needsQ() {
        return qubits > 0;
    }

    public boolean needsPhi() {
        return phiSlots > 0;
    }
}
