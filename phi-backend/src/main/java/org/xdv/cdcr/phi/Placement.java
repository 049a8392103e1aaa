package org.xdv.cdcr.phi;

/**
 * Where a request would go: channel and window, plus the lowest forecast on that window (a stability score the
 * orchestrator can rank nodes by).
 */
public record Placement(int channel, long startSlot, long lengthSlots, double minForecast) {

    public long endSlot() {
        return startSlot + lengthSlots;
    }
}
