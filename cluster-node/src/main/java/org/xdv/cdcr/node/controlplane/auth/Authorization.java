package org.xdv.cdcr.node.controlplane.auth;

import java.util.List;
import java.util.Optional;

/**
 * Authorization of control-plane calls (XDV-043 §7 "deterministic authorization checks", §10 "replay SHALL
 * reproduce security authorization outcomes") as one pure function: no clock, no randomness, no I/O. Its inputs
 * are recorded with its outcome in the {@link AuthorizationLog}, so replaying the log re-derives every outcome.
 *
 * <p>Rules, in order (the first that applies decides):
 * <ol>
 *   <li>the operator may make every call;</li>
 *   <li>a tenant the orchestrator does not know ({@code tenantCapabilities} empty) may make none;</li>
 *   <li>a tenant may not make an operator-only call (tenant administration except describing itself, cluster
 *       status);</li>
 *   <li>a tenant may not touch another tenant's resource — whether that resource exists is never revealed, so
 *       this comes before any NOT_FOUND;</li>
 *   <li>a tenant may submit a container only with capabilities inside its capability namespace;</li>
 *   <li>anything else is allowed.</li>
 * </ol>
 * Example: tenant {@code acme} with namespace {@code [k.exec]} asking to {@code Get} {@code globex/x} is denied by
 * rule 4; submitting {@code acme/y} with {@code [k.exec, q.run]} is denied by rule 5 naming {@code q.run}.
 */
public final class Authorization {

    private Authorization() {
    }

    public static AuthzOutcome decide(Principal principal, Optional<List<String>> tenantCapabilities,
                                      AuthzRequest request) {
        if (principal instanceof Principal.Operator) {
            return AuthzOutcome.ALLOW;
        }
        Principal.Tenant tenant = (Principal.Tenant) principal;
        String verb = request.rpc().rpcName();
        if (tenantCapabilities.isEmpty()) {
            return AuthzOutcome.deny("tenant " + tenant.name() + " is not known to the orchestrator");
        }
        if (request.rpc().operatorOnly()) {
            return AuthzOutcome.deny(verb + " needs the operator credential");
        }
        if (!request.resourceTenant().equals(tenant.name())) {
            String what = request.resource().isEmpty() ? "resources" : "'" + request.resource() + "'";
            return AuthzOutcome.deny("tenant " + tenant.name() + " may not " + verb + " " + what
                    + ": it belongs to another tenant");
        }
        if (request.rpc() == Rpc.SUBMIT) {
            for (String c : request.capabilities()) {
                if (!tenantCapabilities.get().contains(c)) {
                    return AuthzOutcome.deny("capability '" + c + "' is outside tenant " + tenant.name()
                            + "'s namespace " + tenantCapabilities.get());
                }
            }
        }
        return AuthzOutcome.ALLOW;
    }
}
