package org.xdv.cdcr.runtime.integration;

import java.util.List;

import org.xdv.cdcr.runtime.core.Capabilities;
import org.xdv.cdcr.runtime.core.Quota;
import org.xdv.cdcr.runtime.core.dao.TenantSpec;
import org.xdv.cdcr.runtime.core.spec.ContainerSpec;
import org.xdv.cdcr.runtime.core.spec.SpecException;
import org.xdv.cdcr.runtime.core.spec.SpecParser;

/**
 * Container specs of the tests, written as users write them (YAML) and read by the real {@link SpecParser}; they
 * follow the demo specs of {@code cluster-node/src/main/resources/demo}.
 */
public final class Specs {

    public static final String BELL_QASM = """
            OPENQASM 2.0;
            include "qelib1.inc";
            qreg q[2];
            creg c[2];
            h q[0];
            cx q[0], q[1];
            measure q -> c;
            """;

    private Specs() {
    }

    public static ContainerSpec parse(String yaml) {
        try {
            return SpecParser.parse(yaml);
        } catch (SpecException e) {
            throw new IllegalArgumentException("test spec does not parse: " + e.getMessage() + "\n" + yaml, e);
        }
    }

    /** The demo's tenants: acme may do everything (16 qubits at once), globex has no Q at all. */
    public static List<TenantSpec> demoTenants() {
        return List.of(
                new TenantSpec("acme", Capabilities.ALL, new Quota(10, 16, 1_000, 8), List.of()),
                new TenantSpec("globex", List.of(Capabilities.K_EXEC, Capabilities.PHI_ENVELOPE,
                        Capabilities.PHI_SAMPLE, Capabilities.LOG_WRITE), new Quota(5, 0, 500, 4), List.of()));
    }

    /** A tenant that may use every capability, with room for {@code containers} containers. */
    public static TenantSpec tenant(String name, int containers) {
        return new TenantSpec(name, Capabilities.ALL, new Quota(containers, 16, 1_000, containers), List.of());
    }

    /** A Bell pair: 2 qubits, H then CX, measured; counts may only be 00 and 11. */
    public static ContainerSpec bell(String tenant, String name, int shots, long seed) {
        return parse("""
                tenant: %s
                name: %s
                capabilities: [k.exec, q.alloc, q.run, q.measure]
                q:
                  qubits: 2
                  shots: %d
                  seed: %d
                  qasm: |
                %s""".formatted(tenant, name, shots, seed, indent(BELL_QASM, 4)));
    }

    /** K only: the built-in K program with nothing to run. */
    public static ContainerSpec kOnly(String tenant, String name) {
        return parse("""
                tenant: %s
                name: %s
                capabilities: [k.exec]
                k:
                  slots: 1
                """.formatted(tenant, name));
    }

    /** K+Φ: holds an envelope of {@code slots} slots at {@code floor} and reports the observed stability. */
    public static ContainerSpec phi(String tenant, String name, long slots, double floor) {
        return parse("""
                tenant: %s
                name: %s
                capabilities: [k.exec, phi.envelope, phi.sample]
                phi:
                  slots: %d
                  stabilityFloor: %s
                """.formatted(tenant, name, slots, floor));
    }

    /** K+Q+Φ: a Bell pair, then an envelope held for {@code slots} slots (the demo's hybrid container). */
    public static ContainerSpec hybrid(String tenant, String name, int shots, long seed, long slots, double floor) {
        return parse("""
                tenant: %s
                name: %s
                capabilities: [k.exec, q.alloc, q.run, q.measure, phi.envelope, phi.sample]
                q:
                  qubits: 2
                  shots: %d
                  seed: %d
                  qasm: |
                %s
                phi:
                  slots: %d
                  stabilityFloor: %s
                """.formatted(tenant, name, shots, seed, indent(BELL_QASM, 4), slots, floor));
    }

    /** {@code qubits} qubits in superposition: over the demo tenant acme's quota of 16 when {@code qubits > 16}. */
    public static ContainerSpec wide(String tenant, String name, int qubits) {
        return parse("""
                tenant: %s
                name: %s
                capabilities: [k.exec, q.alloc, q.run, q.measure]
                q:
                  qubits: %d
                  shots: 100
                  qasm: |
                    OPENQASM 2.0;
                    include "qelib1.inc";
                    qreg q[%d];
                    creg c[%d];
                    h q;
                    measure q -> c;
                """.formatted(tenant, name, qubits, qubits, qubits));
    }

    /** Asks for a Q domain with k.exec only: Q access is never implicit. */
    public static ContainerSpec implicitQ(String tenant, String name) {
        return parse("""
                tenant: %s
                name: %s
                capabilities: [k.exec]
                q:
                  qubits: 1
                  shots: 10
                  qasm: |
                    OPENQASM 2.0;
                    include "qelib1.inc";
                    qreg q[1];
                    creg c[1];
                    x q[0];
                    measure q[0] -> c[0];
                """.formatted(tenant, name));
    }

    /** A Bell pair with a decoherence budget below the circuit's cost (28 units on a 2-qubit register). */
    public static ContainerSpec decoheres(String tenant, String name, long budget) {
        return parse("""
                tenant: %s
                name: %s
                capabilities: [k.exec, q.alloc, q.run, q.measure]
                q:
                  qubits: 2
                  shots: 64
                  seed: 5
                  decoherenceBudget: %d
                  qasm: |
                %s""".formatted(tenant, name, budget, indent(BELL_QASM, 4)));
    }

    /** A Bell pair allowed to allocate and run but not to read its measurements (no q.measure). */
    public static ContainerSpec withoutMeasure(String tenant, String name) {
        return parse("""
                tenant: %s
                name: %s
                capabilities: [k.exec, q.alloc, q.run]
                q:
                  qubits: 2
                  shots: 64
                  seed: 6
                  qasm: |
                %s""".formatted(tenant, name, indent(BELL_QASM, 4)));
    }

    private static String indent(String text, int spaces) {
        String pad = " ".repeat(spaces);
        StringBuilder sb = new StringBuilder();
        for (String line : text.split("\n")) {
            sb.append(pad).append(line).append('\n');
        }
        return sb.toString();
    }
}
