package org.xdv.cdcr.q.qpu;

/**
 * Why a QPU operation was refused. Every subtype names the register, tenant or quantity at fault; a refused
 * operation changes nothing.
 */
public abstract sealed class QpuException extends Exception
        permits QpuException.CapacityExceeded, QpuException.NotOwner, QpuException.UnknownRegister,
        QpuException.RegisterTooSmall, QpuException.InvalidRequest, DecoherenceFault {

    private static final long serialVersionUID = 1L;

    QpuException(String message) {
        super(message);
    }

    /** Not enough free logical qubits on this QPU. */
    public static final class CapacityExceeded extends QpuException {
        private static final long serialVersionUID = 1L;

        CapacityExceeded(String node, int requested, int free) {
            super("QPU " + node + " has " + free + " free logical qubits, " + requested + " requested");
        }
    }

    /** The register belongs to another tenant (spec §5.3: logical qubits are tenant-scoped). */
    public static final class NotOwner extends QpuException {
        private static final long serialVersionUID = 1L;

        NotOwner(String register, String tenant) {
            super("register " + register + " does not belong to tenant " + tenant);
        }
    }

    /** No such live register (never allocated, or already released). */
    public static final class UnknownRegister extends QpuException {
        private static final long serialVersionUID = 1L;

        UnknownRegister(String register) {
            super("no live register " + register);
        }
    }

    /** The circuit needs more qubits than the register holds. */
    public static final class RegisterTooSmall extends QpuException {
        private static final long serialVersionUID = 1L;

        RegisterTooSmall(String register, int size, int needed) {
            super("circuit needs " + needed + " qubits but register " + register + " has " + size);
        }
    }

    /** A malformed request: bad size, shots, budget or names. */
    public static final class InvalidRequest extends QpuException {
        private static final long serialVersionUID = 1L;

        InvalidRequest(String message) {
            super(message);
        }
    }
}
