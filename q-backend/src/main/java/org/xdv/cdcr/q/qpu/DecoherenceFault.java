package org.xdv.cdcr.q.qpu;

/**
 * A register's decoherence budget would be exceeded: the register is marked decohered and refuses further
 * work, while every other register (of this or any tenant) is untouched.
 */
public final class DecoherenceFault extends QpuException {

    private static final long serialVersionUID = 1L;

    private final String register;
    private final long budget;
    private final long used;
    private final long requested;

    DecoherenceFault(String register, long budget, long used, long requested) {
        super("decoherence budget of register " + register + " exceeded: budget " + budget + ", used " + used
                + ", this run needs " + requested);
        this.register = register;
        this.budget = budget;
        this.used = used;
        this.requested = requested;
    }

    public String register() {
        return register;
    }

    public long budget() {
        return budget;
    }

    public long used() {
        return used;
    }

    public long requested() {
        return requested;
    }
}
