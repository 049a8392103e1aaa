package org.xdv.cdcr.q.qpu;

/**
 * One entry of a tenant's measurement log: which container ran how many shots with which seed on which
 * register, and a SHA-256 digest of the canonical outcome counts (so outcomes can be verified without the log
 * holding them).
 */
public record MeasurementRecord(long sequence, String tenant, String container, String register, long shotSeed,
                                int shots, String outcomesDigest) {
}
