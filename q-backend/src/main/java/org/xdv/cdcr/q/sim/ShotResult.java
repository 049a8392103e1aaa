package org.xdv.cdcr.q.sim;

import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The outcome of running a circuit for {@code shots} shots with {@code seed}.
 *
 * <p>{@code counts} maps a classical bitstring to the number of shots that produced it. A key has one
 * character per classical bit of the circuit, all registers concatenated in declaration order: global clbit 0
 * (c[0] of the first creg) is the rightmost character, the highest clbit the leftmost, as Qiskit prints counts
 * (without Qiskit's spaces between registers). A circuit without classical bits gives the single key
 * {@code ""}. Keys iterate in lexicographic order, so the map, and anything derived from it, is the same on
 * every run.
 */
public record ShotResult(int shots, long seed, SortedMap<String, Integer> counts) {

    public ShotResult {
        counts = Collections.unmodifiableSortedMap(new TreeMap<>(counts));
        int total = 0;
        for (int v : counts.values()) {
            total += v;
        }
        if (total != shots) {
            throw new IllegalArgumentException("counts add up to " + total + ", not " + shots + " shots");
        }
    }

    /** Shots that gave {@code bits} (0 if none). */
    public int count(String bits) {
        return counts.getOrDefault(bits, 0);
    }

    /** Fraction of the shots that gave {@code bits}. */
    public double frequency(String bits) {
        return shots == 0 ? 0 : (double) count(bits) / shots;
    }
}
