package org.xdv.cdcr.runtime.core.dao;

import org.xdv.cdcr.persistence.KryoSerializable;

/**
 * Everything that can change the orchestrator's view. Each input is persisted together with the decision
 * taken for it ({@link Decided}); once written, the journal is the order.
 */
public sealed interface DaoInput extends KryoSerializable {

    /** Create a tenant or replace its capability namespace, quota and sharing contracts. */
    record UpsertTenant(TenantSpec tenant) implements DaoInput {
    }

    /** A node asks to join with its capacity and its attestation verdict. */
    record AdmitNode(NodeSpec node, Attestation attestation) implements DaoInput {
    }

    /** A node left gracefully or was downed: its containers are re-placed in container-id order. */
    record RemoveNode(String node, String cause) implements DaoInput {
    }

    /** A node is draining: it gets no new placements (spec §6.2). */
    record DrainNode(String node) implements DaoInput {
    }

    /** Place a container. */
    record Place(Demand demand) implements DaoInput {
    }

    /** A container released its resources. */
    record Release(String containerId) implements DaoInput {
    }

    /** The logical Φ slot clock advanced to {@code slot}: windows before it are compacted. */
    record Tick(long slot) implements DaoInput {
    }

    /**
     * Replace a tenant's API credential: {@code tokenSha256} is the lowercase hex SHA-256 of its bearer token (the
     * token itself is never recorded). Issued by the control plane; a later credential replaces an earlier one.
     */
    record SetCredential(String tenant, String tokenSha256) implements DaoInput {
    }

    /** Replace a tenant's VHM contract (memory and fuel limits of each of its containers' VHMs). */
    record SetVhmContract(String tenant, VhmContract contract) implements DaoInput {
    }
}
