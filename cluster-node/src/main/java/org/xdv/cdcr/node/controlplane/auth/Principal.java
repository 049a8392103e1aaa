package org.xdv.cdcr.node.controlplane.auth;

import org.xdv.cdcr.persistence.KryoSerializable;

/**
 * Who is calling, as established by an {@link Authenticator}: the operator (administers tenants and the
 * cluster) or one tenant (acts on its own containers only). Recorded in the authorization log.
 */
public sealed interface Principal extends KryoSerializable {

    /** Short form for logs and messages: {@code operator} or {@code tenant:acme}. */
    String label();

    /** The cluster operator. {@code id} names the credential ({@code operator} for the node's operator token). */
    record Operator(String id) implements Principal {
        public static final Operator DEFAULT = new Operator("operator");

        @Override
        public String label() {
            return id;
        }
    }

    /** A tenant, by name. */
    record Tenant(String name) implements Principal {
        @Override
        public String label() {
            return "tenant:" + name;
        }
    }
}
