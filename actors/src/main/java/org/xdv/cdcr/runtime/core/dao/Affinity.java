package org.xdv.cdcr.runtime.core.dao;

/** Placement preference (spec §4.3). */
public enum Affinity {
    /** Spread for balance: the least loaded node (K slots in use over K capacity). */
    BALANCED,
    /** Near Q hardware: the node with the most free logical qubits. */
    Q_HEAVY,
    /** On the most stable coherence envelope: the highest forecast minimum over the window, then earliest. */
    PHI_COHERENT
}
