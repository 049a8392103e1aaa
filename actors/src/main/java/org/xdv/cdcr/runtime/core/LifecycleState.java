package org.xdv.cdcr.runtime.core;

/** The lifecycle states of a hybrid container (spec §3.3), plus {@link #NONE} before it exists. */
public enum LifecycleState {
    NONE, CREATED, SCHEDULED, BOUND, ACTIVE, SUSPENDED, TERMINATED, RELEASED;

    public boolean isTerminal() {
        return this == TERMINATED || this == RELEASED;
    }

    /** Display name used in transitions and tables, e.g. {@code Scheduled}. */
    public String display() {
        String s = name().toLowerCase();
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
