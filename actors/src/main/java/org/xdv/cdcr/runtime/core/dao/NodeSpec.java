package org.xdv.cdcr.runtime.core.dao;

import java.util.List;
import java.util.TreeSet;

import org.xdv.cdcr.phi.PhiConfig;

/**
 * What a node brings when it asks to be admitted: K slots (concurrent K programs), logical qubits, its number
 * of Φ channels with the forecast model of its stability ({@code phi}; a node without Φ channels still carries a
 * one-channel model, unused), and labels. Labels are kept sorted.
 */
public record NodeSpec(String id, int kSlots, int qubits, int phiChannels, PhiConfig phi, List<String> labels) {

    public NodeSpec {
        labels = List.copyOf(new TreeSet<>(labels));
        if (phiChannels > 0 && phi.channels() != phiChannels) {
            throw new IllegalArgumentException("Φ model has " + phi.channels() + " channels, node declares "
                    + phiChannels);
        }
    }
}
