package org.xdv.cdcr.runtime.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.xdv.cdcr.phi.PhiConfig;
import org.xdv.cdcr.runtime.core.Capabilities;
import org.xdv.cdcr.runtime.core.Quota;
import org.xdv.cdcr.runtime.core.dao.Affinity;
import org.xdv.cdcr.runtime.core.dao.Attestation;
import org.xdv.cdcr.runtime.core.dao.DaoDecision;
import org.xdv.cdcr.runtime.core.dao.DaoInput;
import org.xdv.cdcr.runtime.core.dao.DaoState;
import org.xdv.cdcr.runtime.core.dao.Decided;
import org.xdv.cdcr.runtime.core.dao.Demand;
import org.xdv.cdcr.runtime.core.dao.NodeSpec;
import org.xdv.cdcr.runtime.core.dao.Orchestration;
import org.xdv.cdcr.runtime.core.dao.TenantSpec;

/**
 * The Domain-Aware Orchestrator's pure placement decision, {@code decide(view, Place)} followed by
 * {@code view.apply(decided)} exactly as the live orchestrator does, over a view of 1,000 admitted nodes under
 * load. Target (XDV-043 issue): ≥ 200,000 decisions/s for the pure decide over a 1,000-node view.
 *
 * <p>The view: 10 tenants; 600 K nodes (64 K slots, zone and disk labels), 200 Q nodes (32 K slots, 24 logical
 * qubits), 200 Φ nodes (32 K slots, 4 channels, default forecast model); then about 60 % of the K capacity, 40 % of
 * the qubits and two Φ envelopes per channel are taken by earlier placements. Every benchmark decision is a
 * placement that succeeds against that view (checked at setup); the base view is kept, so each invocation
 * decides against the same state.
 *
 * <p>Run: {@code mvn -B -q -pl actors test-compile exec:exec@jmh} (see actors/pom.xml).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(1)
public class DecideBenchmark {

    static final int NODES = 1000;
    static final int TENANTS = 10;
    static final int DEMANDS = 1024;
    private static final Attestation TRUSTED = Attestation.operatorTrusted("sha256:bench");

    private DaoState view;
    private DaoInput[] balanced;
    private DaoInput[] qHeavy;
    private DaoInput[] phiCoherent;
    private DaoInput[] mixed;
    private int next;

    @Setup
    public void setUp() {
        view = loadedView();
        SplittableRandom rnd = new SplittableRandom(43);
        balanced = new DaoInput[DEMANDS];
        qHeavy = new DaoInput[DEMANDS];
        phiCoherent = new DaoInput[DEMANDS];
        mixed = new DaoInput[DEMANDS];
        for (int i = 0; i < DEMANDS; i++) {
            balanced[i] = new DaoInput.Place(kDemand("bench-k-" + i, rnd));
            qHeavy[i] = new DaoInput.Place(qDemand("bench-q-" + i, rnd));
            phiCoherent[i] = new DaoInput.Place(phiDemand("bench-phi-" + i, rnd));
            int kind = rnd.nextInt(10);
            mixed[i] = kind < 6 ? balanced[i] : kind < 8 ? qHeavy[i] : phiCoherent[i];
        }
        for (DaoInput[] set : List.of(balanced, qHeavy, phiCoherent)) {
            for (DaoInput in : set) {
                DaoDecision d = Orchestration.decide(view, in);
                if (!(d instanceof DaoDecision.Placed)) {
                    throw new IllegalStateException("benchmark demand not placeable: " + in + " → " + d);
                }
            }
        }
    }

    /** K-only, balanced: the least loaded of the nodes that fit (every node is a candidate). */
    @Benchmark
    public DaoState balancedK() {
        return decideAndApply(balanced);
    }

    /** Q-heavy: the most free qubits among the 200 Q nodes. */
    @Benchmark
    public DaoState qHeavy() {
        return decideAndApply(qHeavy);
    }

    /** Φ-coherent: a window search on every channel of the 200 Φ nodes, scored by its forecast minimum. */
    @Benchmark
    public DaoState phiCoherent() {
        return decideAndApply(phiCoherent);
    }

    /**
     * Φ-coherent on an evolving view, as the live orchestrator sees it: each operation places a container of one
     * of 64 job templates (tenant, window length, floor) on the current view and releases the one placed
     * {@link #LIVE} operations earlier (one placement and one release per operation), so every operation changes
     * up to two Φ nodes. Templates arrive in bursts of {@code burst} identical containers (an array job; 1 = the
     * 64 templates round robin, the unfavourable case: each template's ranking has ~128 changed nodes to search).
     */
    @Benchmark
    public DaoState phiCoherentStream(Stream stream) {
        return stream.step();
    }

    /**
     * The worst case: every Φ-coherent placement has a shape not seen before (a unique floor), so every Φ node is
     * searched.
     */
    @Benchmark
    public DaoDecision phiCoherentNovelShape() {
        Demand d = new Demand("tenant-2/novel", "tenant-2", 1, 0, 100, 0.5 + 1e-9 * (novel++ % 100_000_000),
                Optional.empty(), Affinity.PHI_COHERENT, List.of(), List.of(),
                List.of(Capabilities.K_EXEC, Capabilities.PHI_ENVELOPE));
        return Orchestration.decide(view, new DaoInput.Place(d));
    }

    private int novel;

    static final int LIVE = 1600;

    /** The evolving view of {@link #phiCoherentStream}. */
    @State(Scope.Thread)
    public static class Stream {
        DaoState state;
        Demand[] templates;
        String[] live = new String[LIVE];
        long n;
        @Param({"1", "32"})
        int burst;

        @Setup
        public void setUp() {
            state = loadedView();
            SplittableRandom rnd = new SplittableRandom(44);
            templates = new Demand[64];
            for (int i = 0; i < templates.length; i++) {
                templates[i] = phiDemand("template-" + i, rnd);
            }
        }

        DaoState step() {
            Demand t = templates[(int) ((n / burst) % templates.length)];
            String id = t.tenant() + "/stream-" + n;
            Demand d = new Demand(id, t.tenant(), t.kSlots(), t.qubits(), t.phiSlots(), t.phiFloor(), t.phiShareWith(),
                    t.affinity(), t.labels(), t.avoidLabels(), t.capabilities());
            state = decide(state, new DaoInput.Place(d));
            int slot = (int) (n % LIVE);
            if (live[slot] != null) {
                state = decide(state, new DaoInput.Release(live[slot]));
            }
            live[slot] = id;
            n++;
            return state;
        }

        private static DaoState decide(DaoState s, DaoInput in) {
            return s.apply(new Decided(s.seq(), in, Orchestration.decide(s, in)));
        }
    }

    /** 60 % balanced, 20 % Q-heavy, 20 % Φ-coherent. */
    @Benchmark
    public DaoState mixed() {
        return decideAndApply(mixed);
    }

    /** The mixed load without the apply, to separate the cost of deciding from the cost of folding. */
    @Benchmark
    public DaoDecision mixedDecideOnly() {
        DaoInput in = mixed[next++ & (DEMANDS - 1)];
        return Orchestration.decide(view, in);
    }

    private DaoState decideAndApply(DaoInput[] inputs) {
        DaoInput in = inputs[next++ & (DEMANDS - 1)];
        return view.apply(new Decided(view.seq(), in, Orchestration.decide(view, in)));
    }

    // ------------------------------------------------------------------------------------------- the view

    static DaoState loadedView() {
        List<DaoInput> inputs = new ArrayList<>();
        for (int t = 0; t < TENANTS; t++) {
            List<String> shares = t == 0 ? List.of("tenant-1") : t == 1 ? List.of("tenant-0") : List.of();
            inputs.add(new DaoInput.UpsertTenant(new TenantSpec("tenant-" + t, Capabilities.ALL, Quota.UNLIMITED,
                    shares)));
        }
        for (int i = 0; i < NODES; i++) {
            inputs.add(new DaoInput.AdmitNode(node(i), TRUSTED));
        }
        SplittableRandom rnd = new SplittableRandom(42);
        // load: ~60 % of K capacity, ~40 % of the qubits, ~2 envelopes per Φ channel
        for (int i = 0; i < 500; i++) {
            inputs.add(new DaoInput.Place(qDemand("load-q-" + i, rnd)));
        }
        for (int i = 0; i < 1600; i++) {
            inputs.add(new DaoInput.Place(phiDemand("load-phi-" + i, rnd)));
        }
        for (int i = 0; i < 12_000; i++) {
            inputs.add(new DaoInput.Place(kDemand("load-k-" + i, rnd)));
        }
        List<Decided> out = new ArrayList<>();
        DaoState s = Orchestration.run(DaoState.EMPTY, inputs, out);
        long refused = out.stream().filter(e -> e.decision() instanceof DaoDecision.Refused).count();
        if (refused > 0 || s.nodes().size() != NODES) {
            throw new IllegalStateException(refused + " load inputs refused, " + s.nodes().size() + " nodes");
        }
        return s;
    }

    static NodeSpec node(int i) {
        String id = String.format("node-%04d", i);
        String zone = "zone-" + (i % 4);
        int kind = i % 5;
        if (kind == 0) {
            return new NodeSpec(id, 32, 24, 0, PhiConfig.defaults(1), List.of(zone, "qpu"));
        }
        if (kind == 1) {
            return new NodeSpec(id, 32, 0, 4, PhiConfig.defaults(4), List.of(zone, "phi"));
        }
        return new NodeSpec(id, 64, 0, 0, PhiConfig.defaults(1), i % 3 == 0 ? List.of(zone, "ssd")
                : List.of(zone));
    }

    private static String tenant(SplittableRandom rnd) {
        return "tenant-" + rnd.nextInt(TENANTS);
    }

    static Demand kDemand(String name, SplittableRandom rnd) {
        String t = tenant(rnd);
        int shape = rnd.nextInt(10);
        List<String> labels = shape == 0 ? List.of("ssd") : shape == 1 ? List.of("zone-" + rnd.nextInt(4))
                : List.of();
        List<String> avoid = shape == 2 ? List.of("qpu") : List.of();
        return new Demand(t + "/" + name, t, 1 + rnd.nextInt(4), 0, 0, 0.0, Optional.empty(), Affinity.BALANCED,
                labels, avoid, List.of(Capabilities.K_EXEC));
    }

    static Demand qDemand(String name, SplittableRandom rnd) {
        String t = tenant(rnd);
        return new Demand(t + "/" + name, t, 1, 2 + rnd.nextInt(5), 0, 0.0, Optional.empty(), Affinity.Q_HEAVY,
                List.of(), List.of(), List.of(Capabilities.K_EXEC, Capabilities.Q_ALLOC, Capabilities.Q_RUN,
                Capabilities.Q_MEASURE));
    }

    static Demand phiDemand(String name, SplittableRandom rnd) {
        String t = tenant(rnd);
        Optional<String> share = (t.equals("tenant-0") || t.equals("tenant-1")) && rnd.nextBoolean()
                ? Optional.of(t.equals("tenant-0") ? "tenant-1" : "tenant-0") : Optional.empty();
        return new Demand(t + "/" + name, t, 1, 0, 20 + rnd.nextInt(180), 0.5 + 0.05 * rnd.nextInt(5), share,
                Affinity.PHI_COHERENT, List.of(), List.of(), List.of(Capabilities.K_EXEC, Capabilities.PHI_ENVELOPE));
    }
}
