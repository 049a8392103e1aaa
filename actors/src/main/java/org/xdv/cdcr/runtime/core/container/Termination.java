package org.xdv.cdcr.runtime.core.container;

import java.util.Optional;

import org.xdv.cdcr.persistence.KryoSerializable;

/** Why a container terminated: it completed, failed, faulted (with the fault kind) or was killed. */
public record Termination(Kind kind, Optional<FaultKind> fault, String detail) implements KryoSerializable {

    public enum Kind { COMPLETED, FAILED, FAULT, KILLED }

    public Termination {
        fault = fault == null ? Optional.empty() : fault;
    }

    public static Termination completed() {
        return new Termination(Kind.COMPLETED, Optional.empty(), "completed");
    }

    public static Termination fault(FaultKind kind, String detail) {
        return new Termination(Kind.FAULT, Optional.of(kind), detail);
    }

    public static Termination killed(String by) {
        return new Termination(Kind.KILLED, Optional.empty(), "killed by " + by);
    }

    public static Termination failed(String detail) {
        return new Termination(Kind.FAILED, Optional.empty(), detail);
    }

    /** Short form for tables, e.g. {@code fault:PHI_INSTABILITY}. */
    public String label() {
        return kind == Kind.FAULT ? "fault:" + fault.map(Enum::name).orElse("?") : kind.name().toLowerCase();
    }
}
