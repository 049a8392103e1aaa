package org.xdv.cdcr.phi.execution;

import org.xdv.cdcr.phi.PhiConfig;
import org.xdv.cdcr.phi.PhiError;
import org.xdv.cdcr.phi.PhiException;

/**
 * Maps logical slots to the wall clock of one node while envelopes execute: slot {@code s} runs during
 * {@code [origin + s·slotMillis, origin + (s+1)·slotMillis)}. Decisions never use this (they are in slots);
 * the node agent does, with its own clock reading passed in.
 *
 * @param originEpochMillis wall-clock time at which slot 0 began on this node
 * @param slotMillis        slot length ({@link PhiConfig#slotMillis()})
 */
public record SlotTiming(long originEpochMillis, long slotMillis) {

    public SlotTiming {
        if (slotMillis <= 0) {
            throw new PhiException(new PhiError(PhiError.Reason.INVALID_CONFIG, "slotMillis",
                    "must be > 0, was " + slotMillis));
        }
    }

    public static SlotTiming of(PhiConfig config, long originEpochMillis) {
        return new SlotTiming(originEpochMillis, config.slotMillis());
    }

    /** The slot running at {@code epochMillis} (negative before the origin). */
    public long slotAt(long epochMillis) {
        return Math.floorDiv(epochMillis - originEpochMillis, slotMillis);
    }

    /** Wall-clock start of {@code slot}. */
    public long startMillis(long slot) {
        return originEpochMillis + slot * slotMillis;
    }
}
