package org.xdv.cdcr.phi;

import java.util.Objects;

/**
 * Stable, deterministic identity of an envelope: the node, the channel, the first slot and the allocator's
 * reservation sequence number (which makes two envelopes of one container at the same place distinct).
 * Its text form is {@code <node>/phi<channel>/<startSlot>#<seq>}, e.g. {@code node-1/phi2/4096#17}.
 */
public record EnvelopeId(String nodeId, int channel, long startSlot, long seq) implements Comparable<EnvelopeId> {

    public EnvelopeId {
        Objects.requireNonNull(nodeId, "nodeId");
    }

    /**
     * Parses the text form produced by {@link #toString()}; throws {@link PhiException} (reason
     * {@code ENVELOPE_NOT_HELD}, field {@code envelopeId}) when the text is not an envelope id.
     */
    public static EnvelopeId parse(String text) {
        if (text != null) {
            int hash = text.lastIndexOf('#');
            int slash = hash < 0 ? -1 : text.lastIndexOf('/', hash);
            int chSlash = slash < 0 ? -1 : text.lastIndexOf('/', slash - 1);
            if (chSlash > 0 && text.startsWith("phi", chSlash + 1)) {
                try {
                    int channel = Integer.parseInt(text.substring(chSlash + 4, slash));
                    long start = Long.parseLong(text.substring(slash + 1, hash));
                    long seq = Long.parseLong(text.substring(hash + 1));
                    EnvelopeId id = new EnvelopeId(text.substring(0, chSlash), channel, start, seq);
                    if (id.toString().equals(text)) {
                        return id;
                    }
                } catch (NumberFormatException e) {
                    // falls through to the typed error below
                }
            }
        }
        throw new PhiException(PhiError.of(PhiError.Reason.ENVELOPE_NOT_HELD, "envelopeId",
                "not an envelope id: " + text));
    }

    /** Orders by node, channel, start slot, then sequence number. */
    @Override
    public int compareTo(EnvelopeId o) {
        int c = nodeId.compareTo(o.nodeId);
        if (c != 0) {
            return c;
        }
        c = Integer.compare(channel, o.channel);
        if (c != 0) {
            return c;
        }
        c = Long.compare(startSlot, o.startSlot);
        return c != 0 ? c : Long.compare(seq, o.seq);
    }

    @Override
    public String toString() {
        return nodeId + "/phi" + channel + "/" + startSlot + "#" + seq;
    }
}
