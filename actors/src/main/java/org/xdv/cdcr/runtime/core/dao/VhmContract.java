package org.xdv.cdcr.runtime.core.dao;

import org.xdv.cdcr.persistence.KryoSerializable;
import org.xdv.cdcr.runtime.core.spec.SpecParser;

/**
 * A tenant's VHM contract: the most linear memory (64 KiB pages) and fuel any one of its containers' VHMs may
 * have. A submitted container's {@code k.memoryPages} and {@code k.fuel} are clamped to it (and the memory, at run
 * time, also to the module's own declared maximum), and the clamped values are what its journal records.
 */
public record VhmContract(int maxMemoryPages, long maxFuel) implements KryoSerializable {

    /** Until an operator sets one: the node's own cap on memory, unlimited fuel. */
    public static final VhmContract DEFAULT = new VhmContract(SpecParser.MAX_MEMORY_PAGES, Long.MAX_VALUE);

    /** Null when valid, else why not. */
    public String problem() {
        if (maxMemoryPages < 1 || maxMemoryPages > SpecParser.MAX_MEMORY_PAGES) {
            return "VHM memory must be 1-" + SpecParser.MAX_MEMORY_PAGES + " pages, was " + maxMemoryPages;
        }
        if (maxFuel < 1) {
            return "VHM fuel must be at least 1, was " + maxFuel;
        }
        return null;
    }
}
