package org.xdv.cdcr.runtime.core.container;

/**
 * Faults that end a container (spec §9). Each is contained within the container's tenant. Persisted by ordinal:
 * append new kinds at the end only.
 */
public enum FaultKind {
    Q_DECOHERENCE, Q_MEASUREMENT, PHI_INSTABILITY, CAPABILITY_VIOLATION, K_TRAP, FUEL_EXHAUSTED, NODE_LOST,
    DOMAIN_PANIC,
    /** The VHM's {@code memory.grow} went past the container's memory-page limit. */
    MEMORY_EXHAUSTED
}
