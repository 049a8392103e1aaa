package org.xdv.cdcr.q.qpu;

import java.util.Arrays;

/**
 * A tenant's register of logical qubits on one QPU: an opaque id plus who owns it. Holding a handle grants
 * nothing: every QPU operation checks that the caller's tenant is the owner.
 */
public record RegisterHandle(String id, String node, String tenant, String container, int[] qubits,
                             long decoherenceBudget) {

    public RegisterHandle {
        qubits = qubits.clone();
    }

    @Override
    public int[] qubits() {
        return qubits.clone();
    }

    public int size() {
        return qubits.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RegisterHandle h && id.equals(h.id) && node.equals(h.node) && tenant.equals(h.tenant)
                && container.equals(h.container) && Arrays.equals(qubits, h.qubits)
                && decoherenceBudget == h.decoherenceBudget;
    }

    @Override
    public int hashCode() {
        return id.hashCode();
    }

    @Override
    public String toString() {
        return "Register[" + id + " " + tenant + "/" + container + " " + Arrays.toString(qubits) + "]";
    }
}
