package org.xdv.cdcr.runtime.core.container;

import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

import org.xdv.cdcr.persistence.KryoSerializable;

/**
 * What a container produced: Q counts per classical bitstring (clbit 0 rightmost), a summary of the observed
 * Φ stability over its envelope, and a line of detail. Results never feed orchestration.
 */
public record ContainerResult(TreeMap<String, Integer> counts, Optional<PhiSummary> phi, String detail)
        implements KryoSerializable {

    public ContainerResult {
        counts = new TreeMap<>(counts);
        phi = phi == null ? Optional.empty() : phi;
    }

    public static ContainerResult of(SortedMap<String, Integer> counts, Optional<PhiSummary> phi, String detail) {
        return new ContainerResult(new TreeMap<>(counts), phi, detail);
    }

    /** Observed Φ stability over the slots the container held: how many, the minimum and the mean. */
    public record PhiSummary(long slots, double minObserved, double meanObserved, double floor)
            implements KryoSerializable {
    }
}
