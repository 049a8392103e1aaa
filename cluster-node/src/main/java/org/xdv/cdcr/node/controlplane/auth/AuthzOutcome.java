package org.xdv.cdcr.node.controlplane.auth;

import org.xdv.cdcr.persistence.KryoSerializable;

/** The verdict of {@link Authorization#decide}: allowed, or denied with the gRPC code to answer and why. */
public record AuthzOutcome(Verdict verdict, String reason) implements KryoSerializable {

    /** Persisted by ordinal: append only. */
    public enum Verdict { ALLOW, PERMISSION_DENIED }

    public static final AuthzOutcome ALLOW = new AuthzOutcome(Verdict.ALLOW, "");

    public static AuthzOutcome deny(String reason) {
        return new AuthzOutcome(Verdict.PERMISSION_DENIED, reason);
    }

    public boolean allowed() {
        return verdict == Verdict.ALLOW;
    }
}
