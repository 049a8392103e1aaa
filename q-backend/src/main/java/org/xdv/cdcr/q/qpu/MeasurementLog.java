package org.xdv.cdcr.q.qpu;

import java.util.ArrayList;
import java.util.List;

/**
 * Append-only measurement log of one tenant (spec §5.3: measurement logs are tenant-confined). The QPU keeps
 * one per tenant and hands out only the caller's own.
 */
public final class MeasurementLog {

    private final String tenant;
    private final List<MeasurementRecord> entries = new ArrayList<>();

    MeasurementLog(String tenant) {
        this.tenant = tenant;
    }

    public String tenant() {
        return tenant;
    }

    synchronized MeasurementRecord append(String container, String register, long seed, int shots, String digest) {
        MeasurementRecord r = new MeasurementRecord(entries.size(), tenant, container, register, seed, shots, digest);
        entries.add(r);
        return r;
    }

    /** A snapshot of the entries, oldest first. */
    public synchronized List<MeasurementRecord> entries() {
        return List.copyOf(entries);
    }

    public synchronized int size() {
        return entries.size();
    }
}
