package org.xdv.cdcr.phi.execution;

import java.util.Objects;
import org.xdv.cdcr.phi.EnvelopeId;

/**
 * A Φ coherence instability (spec §9): during execution, the observed stability of the envelope's channel fell
 * below the envelope's floor. It concerns this envelope, its tenant and its container only.
 *
 * @param envelopeId  the faulted envelope
 * @param tenant      its tenant (the fault is contained within this tenant's boundary)
 * @param containerId its container
 * @param slot        first slot at which the observed value was below the floor
 * @param observed    the observed stability at that slot
 * @param floor       the envelope's stability floor
 */
public record PhiInstabilityFault(EnvelopeId envelopeId, String tenant, String containerId, long slot,
                                  double observed, double floor) {

    public PhiInstabilityFault {
        Objects.requireNonNull(envelopeId, "envelopeId");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(containerId, "containerId");
    }
}
