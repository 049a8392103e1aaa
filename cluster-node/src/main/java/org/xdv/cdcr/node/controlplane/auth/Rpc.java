package org.xdv.cdcr.node.controlplane.auth;

/**
 * Every control-plane call, as the authorization log records it. Persisted by ordinal: append new constants at
 * the end, never reorder or remove one.
 */
public enum Rpc {
    CREATE_TENANT(true), LIST_TENANTS(true), DESCRIBE_TENANT(false), SET_QUOTA(true), SET_CAPABILITIES(true),
    ISSUE_TOKEN(true), SUBMIT(false), GET(false), LIST(false), WATCH(false), SUSPEND(false), RESUME(false),
    TERMINATE(false), RESULT(false), CLUSTER_STATUS(true),
    // appended: authorization records store the ordinal
    LOGS(false);

    private final boolean operatorOnly;

    Rpc(boolean operatorOnly) {
        this.operatorOnly = operatorOnly;
    }

    /** Whether only the operator credential may make this call. */
    public boolean operatorOnly() {
        return operatorOnly;
    }

    /** The RPC's name as the service defines it, e.g. {@code Submit}. */
    public String rpcName() {
        StringBuilder sb = new StringBuilder();
        for (String part : name().split("_")) {
            sb.append(part.charAt(0)).append(part.substring(1).toLowerCase());
        }
        return sb.toString();
    }
}
