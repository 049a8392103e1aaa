package org.xdv.cdcr.phi;

import java.util.Objects;
import java.util.Optional;

/**
 * A granted Φ coherence envelope: slots {@code [startSlot, startSlot + lengthSlots)} of one channel of one node,
 * bound to one tenant and container, whose forecast stays at or above {@code stabilityFloor} on every slot.
 *
 * @param id               stable identity (node, channel, start, sequence number)
 * @param lengthSlots      window length in slots, &gt; 0
 * @param stabilityFloor   the floor in [0, 1] the window was reserved for; observed stability below it at run
 *                         time is a Φ-instability fault of this envelope only
 * @param tenant           owning tenant
 * @param containerId      owning container
 * @param shareWithTenant  the tenant named in this envelope's sharing contract, if any; overlap with an envelope
 *                         of that tenant is allowed only if that one names this tenant back
 * @param allowSelfOverlap whether this envelope may overlap another envelope of the same tenant that also allows
 *                         it (otherwise a tenant's coherence windows are independent)
 */
public record Envelope(EnvelopeId id, long lengthSlots, double stabilityFloor, String tenant, String containerId,
                       Optional<String> shareWithTenant, boolean allowSelfOverlap) {

    public Envelope {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(containerId, "containerId");
        shareWithTenant = shareWithTenant == null ? Optional.empty() : shareWithTenant;
    }

    public String nodeId() {
        return id.nodeId();
    }

    public int channel() {
        return id.channel();
    }

    public long startSlot() {
        return id.startSlot();
    }

    /** First slot after the window. */
    public long endSlot() {
        return id.startSlot() + lengthSlots;
    }

    /** Whether the window contains {@code slot}. */
    public boolean covers(long slot) {
        return slot >= startSlot() && slot < endSlot();
    }

    /** Whether this envelope carries any permission to overlap (a sharing contract or self-overlap). */
    boolean mayOverlapAnything() {
        return allowSelfOverlap || shareWithTenant.isPresent();
    }
}
