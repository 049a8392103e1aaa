package org.xdv.cdcr.runtime.core.dao;

/**
 * The verdict on a node's attestation, recorded with its admission. Until the security issue adds signed
 * measurements, a node started by the operator's own command line is admitted with {@link #operatorTrusted};
 * the orchestrator gives no work to a node whose verdict is not {@code trusted}.
 */
public record Attestation(boolean trusted, String measurement, String verdict) {

    public static Attestation operatorTrusted(String measurement) {
        return new Attestation(true, measurement, "trusted: started by the operator (no hardware attestation yet)");
    }
}
