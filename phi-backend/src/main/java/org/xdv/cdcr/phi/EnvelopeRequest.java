package org.xdv.cdcr.phi;

import java.util.Optional;
import java.util.OptionalInt;

/**
 * What a container asks for. The record accepts any values; the allocator validates them and answers a bad
 * request with a typed {@link PhiError} naming the field.
 *
 * @param tenant           requesting tenant (non-blank)
 * @param containerId      requesting container (non-blank)
 * @param lengthSlots      window length in slots, &gt; 0 and ≤ the search horizon
 * @param stabilityFloor   in [0, 1]: the forecast must stay ≥ this on every slot of the window
 * @param shareWithTenant  tenant this envelope may overlap; needs a mutual contract in {@link SharingContracts}
 *                         and is honoured only against envelopes of that tenant that name this tenant back
 * @param allowSelfOverlap whether the window may overlap the requesting tenant's own envelopes that allow it too
 * @param channel          restrict the search to this channel; empty = any channel of the node
 */
public record EnvelopeRequest(String tenant, String containerId, long lengthSlots, double stabilityFloor,
                              Optional<String> shareWithTenant, boolean allowSelfOverlap, OptionalInt channel) {

    public EnvelopeRequest {
        shareWithTenant = shareWithTenant == null ? Optional.empty() : shareWithTenant;
        channel = channel == null ? OptionalInt.empty() : channel;
    }

    /** A request without sharing, without self-overlap, on any channel. */
    public static EnvelopeRequest of(String tenant, String containerId, long lengthSlots, double stabilityFloor) {
        return new EnvelopeRequest(tenant, containerId, lengthSlots, stabilityFloor, Optional.empty(), false,
                OptionalInt.empty());
    }

    public EnvelopeRequest sharingWith(String otherTenant) {
        return new EnvelopeRequest(tenant, containerId, lengthSlots, stabilityFloor, Optional.ofNullable(otherTenant),
                allowSelfOverlap, channel);
    }

    public EnvelopeRequest allowingSelfOverlap(boolean allow) {
        return new EnvelopeRequest(tenant, containerId, lengthSlots, stabilityFloor, shareWithTenant, allow, channel);
    }

    public EnvelopeRequest onChannel(int ch) {
        return new EnvelopeRequest(tenant, containerId, lengthSlots, stabilityFloor, shareWithTenant,
                allowSelfOverlap, OptionalInt.of(ch));
    }
}
