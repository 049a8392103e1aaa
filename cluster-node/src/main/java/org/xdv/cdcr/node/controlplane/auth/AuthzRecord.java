package org.xdv.cdcr.node.controlplane.auth;

import java.util.List;
import java.util.Optional;

import org.xdv.cdcr.persistence.KryoSerializable;

/**
 * One authorization, as recorded: its number on this node's log, everything {@link Authorization#decide} was
 * given (the principal, the tenant's capability namespace as the node saw it — empty if the tenant was unknown —
 * and the request) and the outcome. Replaying a record re-runs {@code decide} on exactly these inputs.
 */
public record AuthzRecord(long seq, Principal principal, Optional<List<String>> tenantCapabilities,
                          AuthzRequest request, AuthzOutcome outcome) implements KryoSerializable {

    public AuthzRecord {
        tenantCapabilities = tenantCapabilities == null ? Optional.empty() : tenantCapabilities.map(List::copyOf);
    }
}
