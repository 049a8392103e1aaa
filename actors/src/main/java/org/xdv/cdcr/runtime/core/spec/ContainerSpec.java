package org.xdv.cdcr.runtime.core.spec;

import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

import org.xdv.cdcr.persistence.KryoSerializable;
import org.xdv.cdcr.runtime.core.dao.Affinity;
import org.xdv.cdcr.runtime.core.dao.Demand;

/**
 * A submitted hybrid container (spec §3.1): {@code HC = (Container_ID, VHM_Instance, Domain_Profile,
 * Capability_Set, Resource_Contracts, Policy_Profile)}. The container id is {@code tenant/name}.
 * Built only by {@link SpecParser}, which validates every field; lists are kept sorted.
 */
public record ContainerSpec(String tenant, String name, KSpec k, Optional<QSpec> q, Optional<PhiSpec> phi,
                            List<String> capabilities, PolicySpec policy) implements KryoSerializable {

    public ContainerSpec {
        q = q == null ? Optional.empty() : q;
        phi = phi == null ? Optional.empty() : phi;
        capabilities = List.copyOf(new TreeSet<>(capabilities));
    }

    public String id() {
        return tenant + "/" + name;
    }

    /** The K part: the built-in circuit runner, or a WebAssembly module (the VHM issue). */
    public record KSpec(String program, int slots, long fuel, int memoryPages) implements KryoSerializable {
        public static final String BUILTIN = "builtin:circuit-runner";
    }

    /** The Q domain: logical qubits, an OpenQASM 2.0 circuit, shots, decoherence budget, measurement seed. */
    public record QSpec(int qubits, String qasm, int shots, long decoherenceBudget, long seed)
            implements KryoSerializable {
    }

    /** The Φ domain: window length in slots, stability floor, the tenant it may share with. */
    public record PhiSpec(long slots, double stabilityFloor, Optional<String> shareWith) implements KryoSerializable {
        public PhiSpec {
            shareWith = shareWith == null ? Optional.empty() : shareWith;
        }
    }

    /** Placement and restart policy. */
    public record PolicySpec(Affinity affinity, List<String> labels, List<String> avoidLabels, int priority,
                             Restart restart) implements KryoSerializable {
        public PolicySpec {
            labels = List.copyOf(new TreeSet<>(labels));
            avoidLabels = List.copyOf(new TreeSet<>(avoidLabels));
        }
    }

    /** What happens when a container's node is lost: re-place it, or terminate it. */
    public enum Restart { RESCHEDULE, NEVER }

    /**
     * This spec with its VHM memory and fuel clamped to a tenant's contract ({@code this} if it is within it).
     * The clamped spec is what the container's journal records and its VHM runs with.
     */
    public ContainerSpec clampedTo(int maxMemoryPages, long maxFuel) {
        if (k.memoryPages() <= maxMemoryPages && k.fuel() <= maxFuel) {
            return this;
        }
        return new ContainerSpec(tenant, name, new KSpec(k.program(), k.slots(), Math.min(k.fuel(), maxFuel),
                Math.min(k.memoryPages(), maxMemoryPages)), q, phi, capabilities, policy);
    }

    /** Whether {@code submitted} is this container's spec as submitted (before its VHM limits were clamped). */
    public boolean isSubmissionOf(ContainerSpec submitted) {
        return equals(submitted.clampedTo(k.memoryPages(), k.fuel()));
    }

    /** What the orchestrator needs to know to place this container. */
    public Demand demand() {
        return new Demand(id(), tenant, k.slots(), q.map(QSpec::qubits).orElse(0),
                phi.map(PhiSpec::slots).orElse(0L), phi.map(PhiSpec::stabilityFloor).orElse(0.0),
                phi.flatMap(PhiSpec::shareWith), policy.affinity(), policy.labels(), policy.avoidLabels(),
                capabilities);
    }
}
