package org.xdv.cdcr.runtime.core;

/** A tenant's limits: live containers, logical qubits, Φ slots and K slots held at once. */
public record Quota(int containers, int qubits, long phiSlots, int kSlots) {

    public static final Quota UNLIMITED = new Quota(Integer.MAX_VALUE, Integer.MAX_VALUE, Long.MAX_VALUE,
            Integer.MAX_VALUE);

    public Quota {
        if (containers < 0 || qubits < 0 || phiSlots < 0 || kSlots < 0) {
            throw new IllegalArgumentException("quota values must be >= 0");
        }
    }

    /** Usage after adding one container's demand. */
    public Quota plus(int q, long phi, int k) {
        return new Quota(containers + 1, qubits + q, phiSlots + phi, kSlots + k);
    }

    public Quota minus(int q, long phi, int k) {
        return new Quota(containers - 1, qubits - q, phiSlots - phi, kSlots - k);
    }

    /** The first limit {@code usage} exceeds, or null. */
    public String exceededBy(Quota usage) {
        if (usage.containers > containers) {
            return "containers " + usage.containers + " > quota " + containers;
        }
        if (usage.qubits > qubits) {
            return "qubits " + usage.qubits + " > quota " + qubits;
        }
        if (usage.phiSlots > phiSlots) {
            return "Φ slots " + usage.phiSlots + " > quota " + phiSlots;
        }
        if (usage.kSlots > kSlots) {
            return "K slots " + usage.kSlots + " > quota " + kSlots;
        }
        return null;
    }

    public static final Quota ZERO = new Quota(0, 0, 0, 0);
}
