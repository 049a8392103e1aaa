package org.xdv.cdcr.runtime.core;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The capability universe. A tenant's capability namespace is a subset of it; a container's capability set
 * must lie inside its tenant's namespace. Q and Φ are never implicit (spec §3.2): a container with a {@code q}
 * section must hold {@link #Q_ALLOC} and {@link #Q_RUN}, one with a {@code phi} section {@link #PHI_ENVELOPE}.
 */
public final class Capabilities {

    public static final String K_EXEC = "k.exec";
    public static final String Q_ALLOC = "q.alloc";
    public static final String Q_RUN = "q.run";
    public static final String Q_MEASURE = "q.measure";
    public static final String PHI_ENVELOPE = "phi.envelope";
    public static final String PHI_SAMPLE = "phi.sample";
    public static final String LOG_WRITE = "log.write";

    /** Every capability there is, sorted. */
    public static final List<String> ALL = List.copyOf(new TreeSet<>(Set.of(
            K_EXEC, Q_ALLOC, Q_RUN, Q_MEASURE, PHI_ENVELOPE, PHI_SAMPLE, LOG_WRITE)));

    private Capabilities() {
    }

    public static boolean known(String capability) {
        return ALL.contains(capability);
    }
}
