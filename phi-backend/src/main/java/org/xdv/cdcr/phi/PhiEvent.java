package org.xdv.cdcr.phi;

import java.util.Objects;

/**
 * What changed the allocator state of one node. {@link PhiAllocator#apply(PhiEvent)} folds an event into the
 * state without any decision and never fails on an event the same node's allocator produced, so
 * {@link PhiAllocator#replay} rebuilds the exact state from the event sequence. Every event carries the node id.
 */
public sealed interface PhiEvent permits PhiEvent.Reserved, PhiEvent.Released, PhiEvent.Compacted {

    String nodeId();

    /** An envelope was granted (the envelope holds everything that was decided). */
    record Reserved(String nodeId, Envelope envelope) implements PhiEvent {
        public Reserved {
            Objects.requireNonNull(nodeId, "nodeId");
            Objects.requireNonNull(envelope, "envelope");
        }
    }

    /** {@code tenant} released its envelope {@code envelopeId}. */
    record Released(String nodeId, EnvelopeId envelopeId, String tenant) implements PhiEvent {
        public Released {
            Objects.requireNonNull(nodeId, "nodeId");
            Objects.requireNonNull(envelopeId, "envelopeId");
            Objects.requireNonNull(tenant, "tenant");
        }
    }

    /** Logical time reached {@code nowSlot}: envelopes ending at or before it are dropped, earlier slots closed. */
    record Compacted(String nodeId, long nowSlot) implements PhiEvent {
        public Compacted {
            Objects.requireNonNull(nodeId, "nodeId");
        }
    }
}
