package org.xdv.cdcr.runtime.core.dao;

import java.util.List;
import java.util.Optional;

import org.xdv.cdcr.persistence.KryoSerializable;
import org.xdv.cdcr.phi.Envelope;

/** What the orchestrator decided for one input. */
public sealed interface DaoDecision extends KryoSerializable {

    /** Why an input was refused. */
    enum Reason { INVALID, UNKNOWN_TENANT, CAPABILITY, QUOTA, NO_CAPACITY, DUPLICATE, UNKNOWN_CONTAINER, UNKNOWN_NODE }

    record TenantSet(String tenant) implements DaoDecision {
    }

    record NodeAdmitted(String node) implements DaoDecision {
    }

    record Draining(String node) implements DaoDecision {
    }

    /** A container's home: node, K slots, qubits and (for Φ containers) the reserved envelope. */
    record Placed(String containerId, String tenant, String node, int kSlots, int qubits,
                  Optional<Envelope> envelope) implements DaoDecision {
        public Placed {
            envelope = envelope == null ? Optional.empty() : envelope;
        }
    }

    /** The input was refused; nothing changed. {@code subject} is the container, node or tenant concerned. */
    record Refused(String subject, Reason reason, String message) implements DaoDecision {
    }

    record Freed(String containerId, String node) implements DaoDecision {
    }

    /**
     * A node left: every container it hosted, in container-id order, was re-placed ({@code moved}) or could not
     * be ({@code stranded}: its resources are released and it is terminated).
     */
    record NodeRemoved(String node, List<Placed> moved, List<Refused> stranded) implements DaoDecision {
        public NodeRemoved {
            moved = List.copyOf(moved);
            stranded = List.copyOf(stranded);
        }
    }

    record Advanced(long slot) implements DaoDecision {
    }

    /** The tenant's credential was replaced (the hash is in the input). */
    record CredentialSet(String tenant) implements DaoDecision {
    }

    /** The tenant's VHM contract was replaced (the contract is in the input). */
    record VhmContractSet(String tenant) implements DaoDecision {
    }
}
