package org.xdv.cdcr.node.controlplane;

import io.grpc.Status;
import org.xdv.cdcr.node.controlplane.auth.Principal;

/**
 * Container ids as callers write them: {@code tenant/name}, or just {@code name} for a tenant's own container.
 * The part before the slash names the owner; authorization compares it with the caller.
 */
public final class ContainerIds {

    private static final String NAME = "[a-z][a-z0-9-]{0,62}";

    private ContainerIds() {
    }

    /** The full id, or INVALID_ARGUMENT. */
    public static String resolve(Principal caller, String text) {
        String id = text == null ? "" : text.trim();
        if (id.isEmpty()) {
            throw Errors.of(Status.Code.INVALID_ARGUMENT, "id: a container id is required (tenant/name)");
        }
        if (id.indexOf('/') < 0) {
            if (caller instanceof Principal.Tenant t) {
                id = t.name() + "/" + id;
            } else {
                throw Errors.of(Status.Code.INVALID_ARGUMENT, "id: '" + text + "' must be tenant/name");
            }
        }
        int slash = id.indexOf('/');
        if (!id.substring(0, slash).matches(NAME) || !id.substring(slash + 1).matches(NAME)) {
            throw Errors.of(Status.Code.INVALID_ARGUMENT, "id: '" + text + "' is not a container id: tenant/name, "
                    + "each 1-63 characters of a-z, 0-9 and '-', starting with a letter");
        }
        return id;
    }

    public static String tenantOf(String id) {
        return id.substring(0, id.indexOf('/'));
    }
}
