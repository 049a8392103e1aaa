package org.xdv.cdcr.node.controlplane.auth;

import java.util.List;
import java.util.TreeSet;

import org.xdv.cdcr.persistence.KryoSerializable;

/**
 * What a call asks to do, as far as authorization is concerned: the RPC, the tenant that owns the resource
 * ({@code ""} for cluster-wide calls), the resource itself (a container id or tenant name, {@code ""} if none)
 * and, for {@code Submit}, the capabilities the container asks for (sorted).
 */
public record AuthzRequest(Rpc rpc, String resourceTenant, String resource, List<String> capabilities)
        implements KryoSerializable {

    public AuthzRequest {
        resourceTenant = resourceTenant == null ? "" : resourceTenant;
        resource = resource == null ? "" : resource;
        capabilities = List.copyOf(new TreeSet<>(capabilities));
    }

    public static AuthzRequest of(Rpc rpc, String resourceTenant, String resource) {
        return new AuthzRequest(rpc, resourceTenant, resource, List.of());
    }
}
