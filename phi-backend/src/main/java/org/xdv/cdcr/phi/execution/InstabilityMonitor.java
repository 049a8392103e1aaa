package org.xdv.cdcr.phi.execution;

import java.util.Objects;
import java.util.Optional;
import org.xdv.cdcr.phi.Envelope;
import org.xdv.cdcr.phi.PhiError;
import org.xdv.cdcr.phi.PhiException;

/**
 * Detects Φ-instability faults of running envelopes from the {@link ObservedStability} stream: the first slot of
 * an envelope's window at which the observed stability is below the envelope's floor. A fault concerns exactly one
 * envelope; other envelopes on the same channel, with other floors or windows, are judged on their own.
 *
 * <p>The node agent calls {@link #check(Envelope, long, long)} as slots elapse (slot ↔ wall clock via
 * {@link SlotTiming}); the monitor has no state, so it can be asked again after a restart with the same answer.
 */
public final class InstabilityMonitor {

    private final ObservedStability observed;

    public InstabilityMonitor(ObservedStability observed) {
        this.observed = Objects.requireNonNull(observed, "observed");
    }

    /** The first fault over the whole window of {@code envelope}, if any. */
    public Optional<PhiInstabilityFault> firstFault(Envelope envelope) {
        return check(envelope, envelope.startSlot(), envelope.endSlot());
    }

    /**
     * The first fault in slots {@code [fromSlot, toSlot)} of the envelope's window (the slots that elapsed since
     * the last check), if any. The range must lie within the window.
     */
    public Optional<PhiInstabilityFault> check(Envelope envelope, long fromSlot, long toSlot) {
        Objects.requireNonNull(envelope, "envelope");
        if (!envelope.nodeId().equals(observed.nodeId())) {
            throw new PhiException(new PhiError(PhiError.Reason.ENVELOPE_NOT_HELD, "envelope",
                    "envelope " + envelope.id() + " is not on node " + observed.nodeId()));
        }
        if (fromSlot < envelope.startSlot() || toSlot > envelope.endSlot() || fromSlot > toSlot) {
            throw new PhiException(new PhiError(PhiError.Reason.INVALID_SLOT, "fromSlot",
                    "[" + fromSlot + ", " + toSlot + ") is not within the window [" + envelope.startSlot() + ", "
                            + envelope.endSlot() + ") of " + envelope.id()));
        }
        for (long s = fromSlot; s < toSlot; s++) {
            double v = observed.at(envelope.channel(), s);
            if (v < envelope.stabilityFloor()) {
                return Optional.of(new PhiInstabilityFault(envelope.id(), envelope.tenant(), envelope.containerId(),
                        s, v, envelope.stabilityFloor()));
            }
        }
        return Optional.empty();
    }
}
