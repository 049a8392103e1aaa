package org.xdv.cdcr.runtime.core.dao;

import java.util.List;

import org.xdv.cdcr.persistence.KryoSerializable;

/**
 * The orchestrator's journal event: the decisions of one batch, in the order they were decided (consecutive
 * {@code seq}). One batch is one journal write; the decisions inside are the unit of replay.
 */
public record DecidedBatch(List<Decided> decisions) implements KryoSerializable {

    public DecidedBatch {
        decisions = List.copyOf(decisions);
    }

    /** Folds every decision of the batch into {@code state}. */
    public DaoState applyTo(DaoState state) {
        DaoState s = state;
        for (Decided d : decisions) {
            s = s.apply(d);
        }
        return s;
    }
}
