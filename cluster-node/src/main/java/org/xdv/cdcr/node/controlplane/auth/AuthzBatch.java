package org.xdv.cdcr.node.controlplane.auth;

import java.util.List;

import org.xdv.cdcr.persistence.KryoSerializable;

/** The authorization log's journal event: the records of one batch, consecutive and in decision order. */
public record AuthzBatch(List<AuthzRecord> records) implements KryoSerializable {

    public AuthzBatch {
        records = List.copyOf(records);
    }
}
