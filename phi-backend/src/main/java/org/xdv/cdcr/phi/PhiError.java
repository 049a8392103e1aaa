package org.xdv.cdcr.phi;

import java.util.Objects;

/**
 * Why the Φ backend refused an input. Every refusal names the offending field; a refused call never changes
 * state (the returned state is the very instance the call was made on).
 *
 * @param reason  machine-readable cause
 * @param field   the input field that is wrong (e.g. {@code "lengthSlots"}, {@code "stabilityFloor"})
 * @param message human-readable explanation, deterministic for the same input
 */
public record PhiError(Reason reason, String field, String message) {

    /** Machine-readable causes of a refusal. */
    public enum Reason {
        /** A {@link PhiConfig} value is out of range. */
        INVALID_CONFIG,
        /** The request itself is missing. */
        INVALID_REQUEST,
        /** Node id missing or blank. */
        INVALID_NODE,
        /** Tenant missing or blank. */
        INVALID_TENANT,
        /** Container id missing or blank. */
        INVALID_CONTAINER,
        /** Length not positive, or longer than the search horizon. */
        INVALID_LENGTH,
        /** Stability floor NaN or outside [0, 1]. */
        INVALID_FLOOR,
        /** Channel number not in {@code [0, channels)} of this node. */
        UNKNOWN_CHANNEL,
        /** A slot or horizon argument is negative, zero where it must be positive, or overflows. */
        INVALID_SLOT,
        /** {@code fromSlot} lies before the compaction watermark (the past is gone). */
        SLOT_IN_PAST,
        /** Share-with tenant blank or equal to the requesting tenant. */
        INVALID_SHARE,
        /** The request names a share-with tenant but the two tenants have not both signed a contract. */
        NO_SHARING_CONTRACT,
        /** No window of the requested length and floor fits within the search horizon. */
        NO_WINDOW,
        /** No envelope with that id is held on this node (never reserved, released or compacted). */
        ENVELOPE_NOT_HELD,
        /** The envelope exists but belongs to another tenant. */
        NOT_ENVELOPE_OWNER
    }

    public PhiError {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(message, "message");
    }

    static PhiError of(Reason reason, String field, String message) {
        return new PhiError(reason, field, message);
    }

    @Override
    public String toString() {
        return reason + "(" + field + "): " + message;
    }
}
