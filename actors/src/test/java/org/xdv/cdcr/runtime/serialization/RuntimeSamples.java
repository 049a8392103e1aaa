package org.xdv.cdcr.runtime.serialization;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import org.apache.pekko.actor.typed.ActorRef;
import org.xdv.cdcr.phi.Envelope;
import org.xdv.cdcr.phi.EnvelopeId;
import org.xdv.cdcr.phi.PhiConfig;
import org.xdv.cdcr.runtime.container.HybridContainer;
import org.xdv.cdcr.runtime.core.Capabilities;
import org.xdv.cdcr.runtime.core.Lifecycle;
import org.xdv.cdcr.runtime.core.LifecycleState;
import org.xdv.cdcr.runtime.core.Quota;
import org.xdv.cdcr.runtime.core.container.ContainerEvent;
import org.xdv.cdcr.runtime.core.container.ContainerResult;
import org.xdv.cdcr.runtime.core.container.ContainerState;
import org.xdv.cdcr.runtime.core.container.FaultKind;
import org.xdv.cdcr.runtime.core.container.Termination;
import org.xdv.cdcr.runtime.core.dao.Affinity;
import org.xdv.cdcr.runtime.core.dao.Attestation;
import org.xdv.cdcr.runtime.core.dao.DaoDecision;
import org.xdv.cdcr.runtime.core.dao.DaoInput;
import org.xdv.cdcr.runtime.core.dao.DaoSnapshot;
import org.xdv.cdcr.runtime.core.dao.DaoState;
import org.xdv.cdcr.runtime.core.dao.Decided;
import org.xdv.cdcr.runtime.core.dao.DecidedBatch;
import org.xdv.cdcr.runtime.core.dao.Demand;
import org.xdv.cdcr.runtime.core.dao.NodeSpec;
import org.xdv.cdcr.runtime.core.dao.Orchestration;
import org.xdv.cdcr.runtime.core.dao.TenantSpec;
import org.xdv.cdcr.runtime.core.dao.VhmContract;
import org.xdv.cdcr.runtime.core.spec.ContainerSpec;
import org.xdv.cdcr.runtime.node.NodeAgent;
import org.xdv.cdcr.runtime.node.NodeConfig;
import org.xdv.cdcr.runtime.orchestrator.Orchestrator;
import org.xdv.cdcr.runtime.orchestrator.OrchestratorFront;

/**
 * Fixed, deterministic sample values of every persisted and remote type of the runtime. Golden files are made from
 * these: never change a value behind an existing golden file (that is what the file guards); add new samples.
 */
final class RuntimeSamples {

    static final String ID = "acme/hybrid";
    static final String NODE = "node-1";
    static final String NODE_2 = "node-2";
    /** SHA-256 of the token "test" (a tenant credential is recorded as the hash of its token). */
    static final String TOKEN_SHA256 = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    static final String BELL = """
            OPENQASM 2.0;
            include "qelib1.inc";
            qreg q[2];
            creg c[2];
            h q[0];
            cx q[0], q[1];
            measure q -> c;
            """;

    private RuntimeSamples() {
    }

    static PhiConfig phiConfig() {
        return new PhiConfig(2, 0.9, 0.05, 0.02, 0.03, 5, 4096, 42L);
    }

    static ContainerSpec spec() {
        return new ContainerSpec("acme", "hybrid",
                new ContainerSpec.KSpec(ContainerSpec.KSpec.BUILTIN, 1, 10_000_000L, 16),
                Optional.of(new ContainerSpec.QSpec(2, BELL, 512, 100_000L, 2026L)),
                Optional.of(new ContainerSpec.PhiSpec(30, 0.5, Optional.of("globex"))),
                List.of(Capabilities.K_EXEC, Capabilities.Q_ALLOC, Capabilities.Q_RUN, Capabilities.Q_MEASURE,
                        Capabilities.PHI_ENVELOPE, Capabilities.PHI_SAMPLE),
                new ContainerSpec.PolicySpec(Affinity.PHI_COHERENT, List.of("zone-a"), List.of("spot"), 5,
                        ContainerSpec.Restart.RESCHEDULE));
    }

    /** A K-only spec: no Q, no Φ, empty label lists. */
    static ContainerSpec kOnlySpec() {
        return new ContainerSpec("globex", "k-only",
                new ContainerSpec.KSpec(ContainerSpec.KSpec.BUILTIN, 1, 1_000L, 1), Optional.empty(),
                Optional.empty(), List.of(Capabilities.K_EXEC),
                new ContainerSpec.PolicySpec(Affinity.BALANCED, List.of(), List.of(), 0,
                        ContainerSpec.Restart.NEVER));
    }

    static Envelope envelope(String node) {
        return new Envelope(new EnvelopeId(node, 1, 64, 3), 30, 0.5, "acme", ID, Optional.of("globex"), false);
    }

    static TreeMap<String, Integer> counts() {
        TreeMap<String, Integer> counts = new TreeMap<>();
        counts.put("00", 260);
        counts.put("11", 252);
        return counts;
    }

    static ContainerResult result() {
        return new ContainerResult(counts(),
                Optional.of(new ContainerResult.PhiSummary(30, 0.8125, 0.90625, 0.5)), "512 shots, held Φ 30 slots");
    }

    static Termination faulted() {
        return Termination.fault(FaultKind.PHI_INSTABILITY,
                "observed stability 0.4375 below floor 0.5000 at slot 70 of envelope node-1/phi1/64#3");
    }

    static TenantSpec tenant() {
        return new TenantSpec("acme", Capabilities.ALL, new Quota(10, 16, 1_000, 8), List.of("globex"));
    }

    static NodeSpec nodeSpec() {
        return new NodeSpec(NODE, 16, 32, 2, phiConfig(), List.of("zone-a", "gpu"));
    }

    static NodeConfig nodeConfig() {
        return new NodeConfig(NODE, 16, 32, 2, phiConfig(), List.of("zone-a", "gpu"), 2, 1L);
    }

    static Attestation attestation() {
        return new Attestation(true, "sha3-256:5f1c0e6a", "trusted: started by the operator");
    }

    static Demand demand() {
        return spec().demand();
    }

    static DaoDecision.Placed placed() {
        return new DaoDecision.Placed(ID, "acme", NODE, 1, 2, Optional.of(envelope(NODE)));
    }

    // ------------------------------------------------------------------------------------- container events

    /** One sample per ContainerEvent subtype (two for Terminated), by golden file name, in lifecycle order. */
    static Map<String, ContainerEvent> containerEvents() {
        Map<String, ContainerEvent> m = new LinkedHashMap<>();
        m.put("container-event-created", new ContainerEvent.Created(ID, spec()));
        m.put("container-event-scheduled", new ContainerEvent.Scheduled(ID, NODE, 17, 1, 2,
                Optional.of(envelope(NODE))));
        m.put("container-event-kbound", new ContainerEvent.KBound(ID, NODE, "vhm-acme@node-1"));
        m.put("container-event-qbound", new ContainerEvent.QBound(ID, NODE, "node-1/r0", 2));
        m.put("container-event-phibound", new ContainerEvent.PhiBound(ID, NODE, "node-1/phi1/64#3", 1, 64, 30));
        m.put("container-event-activated", new ContainerEvent.Activated(ID, NODE));
        m.put("container-event-suspended", new ContainerEvent.Suspended(ID, "operator:alice"));
        m.put("container-event-resumed", new ContainerEvent.Resumed(ID, "operator:alice"));
        m.put("container-event-terminated-completed", new ContainerEvent.Terminated(ID, Termination.completed(),
                Optional.of(result())));
        m.put("container-event-terminated-fault", new ContainerEvent.Terminated(ID, faulted(), Optional.empty()));
        m.put("container-event-rescheduled", new ContainerEvent.Rescheduled(ID, NODE, NODE_2, 23, 1, 2,
                Optional.of(envelope(NODE_2))));
        m.put("container-event-released", new ContainerEvent.Released(ID));
        return m;
    }

    /**
     * The VHM issue's additions, golden too: a Created whose K part is a WebAssembly module (carried in
     * {@code KSpec.program}, the record unchanged) and a Terminated with the appended fault kind MEMORY_EXHAUSTED.
     */
    static Map<String, ContainerEvent> vhmEvents() {
        Map<String, ContainerEvent> m = new LinkedHashMap<>();
        byte[] spin = java.util.Base64.getDecoder().decode("AGFzbQEAAAABBQFgAAF/AwIBAAcHAQNydW4AAAoLAQkAA0AMAAtBAAs=");
        ContainerSpec wasm = new ContainerSpec("globex", "spin", new ContainerSpec.KSpec(
                new org.xdv.cdcr.runtime.core.spec.WasmProgram(spin, "run", List.of(7L, -1L)).encode(), 1, 5_000_000L,
                2), Optional.empty(), Optional.empty(), List.of(Capabilities.K_EXEC),
                new ContainerSpec.PolicySpec(Affinity.BALANCED, List.of(), List.of(), 0, ContainerSpec.Restart.NEVER));
        m.put("container-event-created-wasm", new ContainerEvent.Created("globex/spin", wasm));
        m.put("container-event-abandoned", new ContainerEvent.Abandoned("globex/spin", 41));
        m.put("container-event-logged", new ContainerEvent.Logged("globex/spin",
                List.of("iteration 1: angle 0.5000 energy -0.8776", "converged after 7 iterations", ""), 2));
        m.put("container-event-terminated-memory-exhausted", new ContainerEvent.Terminated("globex/spin",
                Termination.fault(FaultKind.MEMORY_EXHAUSTED, "memory.grow by 100 page(s) from 1 exceeds the "
                        + "container's limit of 2 pages"), Optional.empty()));
        return m;
    }

    /** A Terminated container with everything a state can hold: spec, node, register, envelope, end, result. */
    static ContainerState fullState() {
        ContainerState s = ContainerState.empty(ID);
        for (ContainerEvent e : containerEvents().values()) {
            if (e instanceof ContainerEvent.Rescheduled || e instanceof ContainerEvent.Released
                    || (e instanceof ContainerEvent.Terminated t && t.result().isEmpty())) {
                continue;
            }
            s = s.apply(e);
        }
        return s;
    }

    // -------------------------------------------------------------------------------- orchestrator journal

    /**
     * One Decided per decision kind and per refusal reason, by golden file name, as the orchestrator records them:
     * every DaoInput subtype, every DaoDecision subtype (Placed with an envelope; NodeRemoved with moved and
     * stranded containers) and every Refused reason occur at least once.
     */
    /**
     * The orchestrator's snapshot of a small view: two tenants (acme with a credential), two nodes (one draining),
     * a Q+Φ placement with its envelope and demand.
     */
    static DaoSnapshot daoSnapshot() {
        List<DaoInput> inputs = List.of(new DaoInput.UpsertTenant(tenant()),
                new DaoInput.AdmitNode(nodeSpec(), attestation()),
                new DaoInput.AdmitNode(new NodeSpec(NODE_2, 8, 0, 0, PhiConfig.defaults(1),
                        List.of("edge")), attestation()),
                new DaoInput.Place(demand()), new DaoInput.DrainNode(NODE_2),
                new DaoInput.SetCredential("acme", TOKEN_SHA256),
                new DaoInput.SetVhmContract("acme", new VhmContract(64, 5_000_000)));
        List<Decided> out = new ArrayList<>();
        DaoState s = Orchestration.run(
                DaoState.EMPTY, inputs, out);
        return DaoSnapshot.of(s);
    }

    static Map<String, Decided> decided() {
        Map<String, Decided> m = new LinkedHashMap<>();
        m.put("decided-upsert-tenant", new Decided(0, new DaoInput.UpsertTenant(tenant()),
                new DaoDecision.TenantSet("acme")));
        m.put("decided-admit-node", new Decided(1, new DaoInput.AdmitNode(nodeSpec(), attestation()),
                new DaoDecision.NodeAdmitted(NODE)));
        m.put("decided-place", new Decided(2, new DaoInput.Place(demand()), placed()));
        m.put("decided-release", new Decided(3, new DaoInput.Release(ID), new DaoDecision.Freed(ID, NODE)));
        m.put("decided-tick", new Decided(4, new DaoInput.Tick(128), new DaoDecision.Advanced(128)));
        m.put("decided-drain-node", new Decided(5, new DaoInput.DrainNode(NODE_2),
                new DaoDecision.Draining(NODE_2)));
        m.put("decided-remove-node", new Decided(6, new DaoInput.RemoveNode(NODE, "downed by split brain resolver"),
                new DaoDecision.NodeRemoved(NODE,
                        List.of(new DaoDecision.Placed(ID, "acme", NODE_2, 1, 2, Optional.of(envelope(NODE_2))),
                                new DaoDecision.Placed("acme/k-only", "acme", NODE_2, 1, 0, Optional.empty())),
                        List.of(new DaoDecision.Refused("acme/wide", DaoDecision.Reason.NO_CAPACITY,
                                "no node fits 1 K slot(s), 12 qubits (most free: 15 K slots, 30 qubits)")))));
        m.put("decided-refused-invalid", new Decided(7, new DaoInput.Tick(64), new DaoDecision.Refused("slot",
                DaoDecision.Reason.INVALID, "slot clock cannot go back from 128 to 64")));
        m.put("decided-refused-unknown-tenant", new Decided(8, new DaoInput.Place(new Demand("initech/job",
                "initech", 1, 0, 0, 0.0, Optional.empty(), Affinity.BALANCED, List.of(), List.of(),
                List.of(Capabilities.K_EXEC))), new DaoDecision.Refused("initech/job",
                DaoDecision.Reason.UNKNOWN_TENANT, "unknown tenant 'initech'")));
        m.put("decided-refused-capability", new Decided(9, new DaoInput.Place(new Demand("globex/implicit-q",
                "globex", 1, 1, 0, 0.0, Optional.empty(), Affinity.Q_HEAVY, List.of(), List.of(),
                List.of(Capabilities.K_EXEC))), new DaoDecision.Refused("globex/implicit-q",
                DaoDecision.Reason.CAPABILITY,
                "a Q domain needs capabilities q.alloc and q.run: no implicit Q access")));
        m.put("decided-refused-quota", new Decided(10, new DaoInput.Place(new Demand("acme/over-quota", "acme", 1,
                20, 0, 0.0, Optional.empty(), Affinity.Q_HEAVY, List.of(), List.of(),
                List.of(Capabilities.K_EXEC, Capabilities.Q_ALLOC, Capabilities.Q_RUN, Capabilities.Q_MEASURE))),
                new DaoDecision.Refused("acme/over-quota", DaoDecision.Reason.QUOTA,
                        "tenant acme over quota: qubits 20 > quota 16")));
        m.put("decided-refused-no-capacity", new Decided(11, new DaoInput.Place(new Demand("acme/labelled", "acme",
                1, 0, 0, 0.0, Optional.empty(), Affinity.BALANCED, List.of("fpga"), List.of(),
                List.of(Capabilities.K_EXEC))), new DaoDecision.Refused("acme/labelled",
                DaoDecision.Reason.NO_CAPACITY, "no node fits 1 K slot(s), labels [fpga] (most free: 16 K slots, "
                + "32 qubits)")));
        m.put("decided-refused-duplicate", new Decided(12, new DaoInput.Place(demand()), new DaoDecision.Refused(ID,
                DaoDecision.Reason.DUPLICATE, "container acme/hybrid is already placed on node-1")));
        m.put("decided-refused-unknown-container", new Decided(13, new DaoInput.Release("acme/ghost"),
                new DaoDecision.Refused("acme/ghost", DaoDecision.Reason.UNKNOWN_CONTAINER,
                        "container acme/ghost holds no placement")));
        m.put("decided-refused-unknown-node", new Decided(14, new DaoInput.DrainNode("node-9"),
                new DaoDecision.Refused("node-9", DaoDecision.Reason.UNKNOWN_NODE, "no admitted node node-9")));
        m.put("decided-set-credential", new Decided(15, new DaoInput.SetCredential("acme", TOKEN_SHA256),
                new DaoDecision.CredentialSet("acme")));
        m.put("decided-set-vhm-contract", new Decided(16, new DaoInput.SetVhmContract("acme",
                new VhmContract(64, 5_000_000)), new DaoDecision.VhmContractSet("acme")));
        return m;
    }

    /** The orchestrator's journal event: one write of consecutive decisions (#0 to #3 of the samples above). */
    static DecidedBatch decidedBatch() {
        Map<String, Decided> d = decided();
        return new DecidedBatch(List.of(d.get("decided-upsert-tenant"), d.get("decided-admit-node"),
                d.get("decided-place"), d.get("decided-release")));
    }

    // --------------------------------------------------------------------------- every registered class

    /**
     * At least one value of every class registered by RuntimeKryoRegistrar (every constant of an enum), with
     * {@code ref} as every reply address. A class registered without a sample here fails the registration test.
     */
    static Map<Class<?>, List<Object>> everyRegisteredClass(ActorRef<Object> ref) {
        Map<Class<?>, List<Object>> m = new LinkedHashMap<>();
        ContainerSpec spec = spec();
        // container spec
        add(m, spec, kOnlySpec());
        add(m, spec.k(), spec.q().orElseThrow(), spec.phi().orElseThrow(), spec.policy(),
                new ContainerSpec.PhiSpec(10, 0.0, Optional.empty()));
        addAll(m, ContainerSpec.Restart.values());
        addAll(m, Affinity.values());
        // container events and state
        for (ContainerEvent e : containerEvents().values()) {
            add(m, e);
        }
        for (ContainerEvent e : vhmEvents().values()) {
            add(m, e);
        }
        add(m, new ContainerEvent.Scheduled("globex/k-only", NODE, 4, 1, 0, Optional.empty()));
        add(m, fullState(), ContainerState.empty(ID));
        addAll(m, LifecycleState.values());
        add(m, Lifecycle.Bindings.none(true, true), new Lifecycle.Bindings(true, false, true, true, false));
        add(m, Termination.completed(), faulted(), Termination.killed("operator:alice"),
                Termination.failed("binding K on node-1: timeout"));
        addAll(m, Termination.Kind.values());
        addAll(m, FaultKind.values());
        add(m, result(), ContainerResult.of(new TreeMap<>(), Optional.empty(), "K program ran"));
        add(m, result().phi().orElseThrow());
        // orchestrator journal
        for (Decided d : decided().values()) {
            add(m, d, d.input(), d.decision());
        }
        for (DaoDecision.Refused r : ((DaoDecision.NodeRemoved) decided().get("decided-remove-node").decision())
                .stranded()) {
            add(m, r);
        }
        addAll(m, DaoDecision.Reason.values());
        add(m, decidedBatch(), new DecidedBatch(List.of(decided().get("decided-place"))));
        add(m, demand(), nodeSpec(), attestation(), tenant(), Quota.ZERO, Quota.UNLIMITED);
        add(m, phiConfig(), envelope(NODE), envelope(NODE).id());
        // container entity commands
        add(m, new HybridContainer.Create(spec, placed(), 2, ref.unsafeUpcast()),
                new HybridContainer.Get(ref.unsafeUpcast()),
                new HybridContainer.Suspend("operator:alice", ref.unsafeUpcast()),
                new HybridContainer.Resume("operator:alice", ref.unsafeUpcast()),
                new HybridContainer.Terminate("operator:alice", ref.unsafeUpcast()),
                new HybridContainer.Reschedule(NODE, placed(), 9),
                new HybridContainer.Strand(NODE, "downed by split brain resolver"),
                HybridContainer.Advance.INSTANCE,
                new HybridContainer.Finished(NODE, Termination.completed(), Optional.of(result()),
                        List.of("a line"), 1),
                new HybridContainer.Finished(NODE, faulted(), Optional.empty()),
                new HybridContainer.Abandon(12, ref.unsafeUpcast()));
        // node agent protocol
        add(m, new NodeAgent.BindK(ID, "acme", 1, ref.unsafeUpcast()),
                new NodeAgent.BindQ(ID, "acme", 2, 100_000L, ref.unsafeUpcast()),
                new NodeAgent.BindPhi(ID, "acme", envelope(NODE), ref.unsafeUpcast()),
                new NodeAgent.Run(spec, Optional.of(envelope(NODE)), ref.unsafeUpcast()),
                new NodeAgent.RunFinished(ID, NODE, Termination.completed(), Optional.of(result()),
                        List.of("a line"), 2),
                new NodeAgent.Suspend(ID), new NodeAgent.Resume(ID), new NodeAgent.Kill(ID),
                new NodeAgent.ReleaseAll(ID, "acme", ref.unsafeUpcast()),
                new NodeAgent.Holds(ID, ref.unsafeUpcast()),
                new NodeAgent.HeldContainers(ref.unsafeUpcast()), new NodeAgent.HeldIds(List.of(ID, "globex/spin")),
                new NodeAgent.Describe(ref.unsafeUpcast()),
                new NodeAgent.Description(nodeConfig(), 30, 1), nodeConfig());
        // orchestrator protocol
        Orchestrator.Request request = new Orchestrator.Request(new DaoInput.Release(ID), ref.unsafeUpcast());
        add(m, new OrchestratorFront.Decide(new DaoInput.Place(demand()), ref.unsafeUpcast()),
                new OrchestratorFront.GetView(ref.unsafeUpcast()), OrchestratorFront.Stop.INSTANCE, request,
                new Orchestrator.DecideBatch(List.of(request,
                        new Orchestrator.Request(new DaoInput.Tick(3), ref.unsafeUpcast())), ref.unsafeUpcast()),
                new Orchestrator.BatchWritten(2, 18), new Orchestrator.GetView(ref.unsafeUpcast()),
                new Orchestrator.GetPlacementsOn("node-1", ref.unsafeUpcast()),
                new Orchestrator.Placements(List.of(placed())),
                new OrchestratorFront.PlacementsOn("node-1", ref.unsafeUpcast()));
        // cluster mode: journal-following views
        add(m, new OrchestratorFront.CurrentSeq(ref.unsafeUpcast()), new Orchestrator.GetSeq(ref.unsafeUpcast()),
                new Orchestrator.Seq(42));
        // tenant VHM contracts
        add(m, new VhmContract(64, 5_000_000), new Orchestrator.GetVhmContract("acme", ref.unsafeUpcast()),
                new OrchestratorFront.VhmContractOf("acme", ref.unsafeUpcast()));
        // orchestrator snapshot
        DaoSnapshot snapshot = daoSnapshot();
        add(m, snapshot, snapshot.nodes().get(0), snapshot.credentials().get(0), snapshot.tenants().get(0));
        return m;
    }

    private static void addAll(Map<Class<?>, List<Object>> m, Object[] values) {
        add(m, values);
    }

    private static void add(Map<Class<?>, List<Object>> m, Object... values) {
        for (Object v : values) {
            Class<?> c = v.getClass().isEnum() || v.getClass().getSuperclass() == null
                    || !v.getClass().getSuperclass().isEnum() ? v.getClass() : v.getClass().getSuperclass();
            m.computeIfAbsent(c, k -> new ArrayList<>()).add(v);
        }
    }
}
