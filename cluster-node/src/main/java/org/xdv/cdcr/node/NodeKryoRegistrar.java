package org.xdv.cdcr.node;

import org.xdv.cdcr.node.controlplane.auth.AuthorizationLog;
import org.xdv.cdcr.node.controlplane.auth.AuthzBatch;
import org.xdv.cdcr.node.controlplane.auth.AuthzOutcome;
import org.xdv.cdcr.node.controlplane.auth.AuthzRecord;
import org.xdv.cdcr.node.controlplane.auth.AuthzRequest;
import org.xdv.cdcr.node.controlplane.auth.Principal;
import org.xdv.cdcr.node.controlplane.auth.Rpc;
import org.xdv.cdcr.persistence.serialization.KryoRegistrar;
import org.xdv.cdcr.persistence.serialization.KryoRegistry;

/**
 * The cluster-node module's registry file: ids 1000–1999 (see {@link KryoRegistry} for the ranges and the
 * evolution rules). Ids are the wire format of the authorization log: never reuse or move one.
 */
public final class NodeKryoRegistrar implements KryoRegistrar {

    @Override
    public void register(KryoRegistry r) {
        // 1000-1049 authorization log (persisted)
        r.register(1000, Principal.Operator.class);
        r.register(1001, Principal.Tenant.class);
        r.register(1002, Rpc.class);
        r.register(1003, AuthzRequest.class);
        r.register(1004, AuthzOutcome.class);
        r.register(1005, AuthzOutcome.Verdict.class);
        r.register(1006, AuthzRecord.class);
        r.register(1007, AuthzBatch.class);
        r.register(1008, AuthorizationLog.LogState.class);
        // 1050-1069 authorization log protocol (local; registered so nothing falls back to another serializer)
        r.register(1050, AuthorizationLog.Authorize.class);
        r.register(1051, AuthorizationLog.Stop.class);
        r.register(1052, AuthorizationLog.RecordBatch.class);
        r.register(1053, AuthorizationLog.BatchWritten.class);
    }
}
