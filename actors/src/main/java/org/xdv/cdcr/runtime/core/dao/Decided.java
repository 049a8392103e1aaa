package org.xdv.cdcr.runtime.core.dao;

import org.xdv.cdcr.persistence.KryoSerializable;

/** The orchestrator's one persisted event: input number {@code seq}, and the decision taken for it. */
public record Decided(long seq, DaoInput input, DaoDecision decision) implements KryoSerializable {
}
