package org.xdv.cdcr.runtime.core.dao;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.Tuple;
import org.xdv.cdcr.phi.Envelope;
import org.xdv.cdcr.phi.PhiConfig;
import org.xdv.cdcr.runtime.core.Capabilities;
import org.xdv.cdcr.runtime.core.Quota;

/**
 * Random journals of orchestrator inputs — tenants (with fixed Φ sharing contracts, varying capabilities and
 * quotas), nodes (with and without Q and Φ, labels, refused attestations, re-joins), placements of random demands,
 * releases, drains, node removals and slot ticks — checked for determinism, replay and the isolation invariants
 * after every step.
 */
class OrchestrationReplayProperties {

    private static final List<String> TENANTS = List.of("t-a", "t-b", "t-c");
    /** t-a and t-b sign a mutual contract; t-c names t-a, but t-a never names t-c back. */
    private static final Map<String, List<String>> SHARES = Map.of("t-a", List.of("t-b"), "t-b", List.of("t-a"),
            "t-c", List.of("t-a"));
    private static final List<String> NODES = List.of("n0", "n1", "n2", "n3", "n4", "n5");
    private static final List<String> LABELS = List.of("edge", "gpu", "ssd");

    // ============================================================================================ properties

    @Property(tries = 150, shrinking = ShrinkingMode.BOUNDED)
    void decisionsAreDeterministic(@ForAll("journals") List<DaoInput> inputs) {
        List<Decided> first = new ArrayList<>();
        DaoState a = Orchestration.run(DaoState.EMPTY, inputs, first);
        List<Decided> second = new ArrayList<>();
        DaoState b = Orchestration.run(DaoState.EMPTY, List.copyOf(inputs), second);
        assertThat(second).isEqualTo(first);
        assertThat(b).isEqualTo(a);
    }

    @Property(tries = 150, shrinking = ShrinkingMode.BOUNDED)
    void replayOfTheRecordedEventsReproducesViewAndDecisions(@ForAll("journals") List<DaoInput> inputs) {
        List<Decided> journal = new ArrayList<>();
        DaoState live = Orchestration.run(DaoState.EMPTY, inputs, journal);

        DaoState folded = DaoState.EMPTY;
        for (Decided e : journal) {
            folded = folded.apply(e);
        }
        assertThat(folded).isEqualTo(live);

        // a new orchestrator instance recovering from the journal decides every input exactly as recorded
        DaoState replayed = DaoState.EMPTY;
        for (Decided e : journal) {
            assertThat(e.seq()).isEqualTo(replayed.seq());
            assertThat(Orchestration.decide(replayed, e.input())).as("input #%d %s", e.seq(), e.input())
                    .isEqualTo(e.decision());
            replayed = replayed.apply(e);
        }
        assertThat(replayed).isEqualTo(live);

        // and an instance that recovered half-way carries on identically
        int half = journal.size() / 2;
        DaoState resumed = DaoState.EMPTY;
        for (Decided e : journal.subList(0, half)) {
            resumed = resumed.apply(e);
        }
        List<Decided> rest = new ArrayList<>();
        Orchestration.run(resumed, inputs.subList(half, inputs.size()), rest);
        assertThat(rest).isEqualTo(journal.subList(half, journal.size()));
    }

    @Property(tries = 200, shrinking = ShrinkingMode.BOUNDED)
    void invariantsHoldAfterEveryStep(@ForAll("journals") List<DaoInput> inputs) {
        DaoState s = DaoState.EMPTY;
        for (DaoInput in : inputs) {
            Decided e = new Decided(s.seq(), in, Orchestration.decide(s, in));
            DaoState next = s.apply(e);
            checkInvariants(s, e, next);
            s = next;
        }
    }

    /**
     * The node index is only a faster way to the same answer: after every step it equals the index rebuilt from
     * the nodes, and every placement lands on the node a full scan (every node in id order, the documented
     * score, strictly better wins) would choose.
     */
    @Property(tries = 200, shrinking = ShrinkingMode.BOUNDED)
    void indexedPlacementEqualsAFullScan(@ForAll("journals") List<DaoInput> inputs) {
        DaoState s = DaoState.EMPTY;
        for (DaoInput in : inputs) {
            DaoDecision d = Orchestration.decide(s, in);
            if (in instanceof DaoInput.Place p) {
                String expected = scan(s, p.demand());
                String actual = d instanceof DaoDecision.Placed placed ? placed.node() : null;
                if (!(d instanceof DaoDecision.Refused r) || r.reason() == DaoDecision.Reason.NO_CAPACITY) {
                    assertThat(actual).as("placement of %s", p.demand()).isEqualTo(expected);
                }
            }
            s = s.apply(new Decided(s.seq(), in, d));
            assertThat(s.index()).as("index after %s", in).isEqualTo(NodeIndex.of(s.nodes().values()));
        }
    }

    /**
     * The Φ rankings remembered per request shape serve views of other branches and older views too: deciding
     * every placement of the journal again against earlier views (newest first, so remembered rankings are always
     * of another view) gives the full scan's node each time.
     */
    @Property(tries = 100, shrinking = ShrinkingMode.BOUNDED)
    void rememberedPhiRankingsAnswerLikeAFullScanOnEveryView(@ForAll("journals") List<DaoInput> inputs) {
        List<DaoState> views = new ArrayList<>();
        DaoState s = DaoState.EMPTY;
        for (DaoInput in : inputs) {
            views.add(s);
            s = s.apply(new Decided(s.seq(), in, Orchestration.decide(s, in)));
        }
        List<DaoInput.Place> places = inputs.stream().filter(DaoInput.Place.class::isInstance)
                .map(DaoInput.Place.class::cast).toList();
        for (int v = views.size() - 1; v >= 0; v -= 3) {
            DaoState view = views.get(v);
            for (DaoInput.Place p : places) {
                DaoDecision d = Orchestration.decide(view, p);
                if (!(d instanceof DaoDecision.Refused r) || r.reason() == DaoDecision.Reason.NO_CAPACITY) {
                    assertThat(d instanceof DaoDecision.Placed placed ? placed.node() : null)
                            .as("placement of %s on view #%d", p.demand(), v).isEqualTo(scan(view, p.demand()));
                }
            }
        }
    }

    /**
     * A snapshot of the view, restored, equals the view and decides every later input as the live view does (the
     * orchestrator recovers from its latest snapshot plus the batches after it).
     */
    @Property(tries = 100, shrinking = ShrinkingMode.BOUNDED)
    void aRestoredSnapshotEqualsTheViewAndDecidesTheSame(@ForAll("journals") List<DaoInput> inputs) {
        DaoState s = DaoState.EMPTY;
        int cut = inputs.size() / 2;
        for (int i = 0; i < inputs.size(); i++) {
            if (i == cut) {
                DaoState restored = DaoSnapshot.of(s).toState();
                assertThat(restored).isEqualTo(s);
                DaoState live = s;
                for (DaoInput in : inputs.subList(cut, inputs.size())) {
                    Decided a = new Decided(live.seq(), in, Orchestration.decide(live, in));
                    Decided b = new Decided(restored.seq(), in, Orchestration.decide(restored, in));
                    assertThat(b).as("after a restore: %s", in).isEqualTo(a);
                    live = live.apply(a);
                    restored = restored.apply(b);
                }
                assertThat(restored).isEqualTo(live);
                return;
            }
            DaoInput in = inputs.get(i);
            s = s.apply(new Decided(s.seq(), in, Orchestration.decide(s, in)));
        }
    }

    /** Reference placement: the original full scan over every node in id order. */
    private static String scan(DaoState view, Demand d) {
        org.xdv.cdcr.phi.EnvelopeRequest req = d.needsPhi()
                ? new org.xdv.cdcr.phi.EnvelopeRequest(d.tenant(), d.containerId(), d.phiSlots(), d.phiFloor(),
                d.phiShareWith(), false, java.util.OptionalInt.empty()) : null;
        NodeEntry best = null;
        org.xdv.cdcr.phi.Placement bestW = null;
        for (NodeEntry n : view.nodes().values()) {
            if (n.draining() || !n.attestation().trusted() || n.freeK() < d.kSlots() || n.freeQ() < d.qubits()
                    || !n.spec().labels().containsAll(d.labels())
                    || d.avoidLabels().stream().anyMatch(n.spec().labels()::contains)) {
                continue;
            }
            org.xdv.cdcr.phi.Placement w = null;
            if (req != null) {
                if (n.spec().phiChannels() == 0 || n.phi().check(req, view.slot(), view.contracts()).isPresent()) {
                    continue;
                }
                java.util.Optional<org.xdv.cdcr.phi.Placement> f = n.phi().feasible(req, view.slot(), view.contracts());
                if (f.isEmpty()) {
                    continue;
                }
                w = f.get();
            }
            if (best == null || scanBetter(d.affinity(), n, w, best, bestW)) {
                best = n;
                bestW = w;
            }
        }
        return best == null ? null : best.spec().id();
    }

    private static boolean scanBetter(Affinity a, NodeEntry n, org.xdv.cdcr.phi.Placement w, NodeEntry b,
                                      org.xdv.cdcr.phi.Placement bw) {
        if (a == Affinity.Q_HEAVY && n.freeQ() != b.freeQ()) {
            return n.freeQ() > b.freeQ();
        }
        if (a == Affinity.PHI_COHERENT && w != null && bw != null) {
            int c = Double.compare(w.minForecast(), bw.minForecast());
            if (c != 0) {
                return c > 0;
            }
            if (w.startSlot() != bw.startSlot()) {
                return w.startSlot() < bw.startSlot();
            }
        }
        return (long) n.usedK() * b.spec().kSlots() < (long) b.usedK() * n.spec().kSlots();
    }

    // ============================================================================================ invariants

    private static void checkInvariants(DaoState before, Decided e, DaoState after) {
        String step = "after #" + e.seq() + " " + e.input() + " → " + e.decision();
        assertThat(after.seq()).as(step).isEqualTo(before.seq() + 1);
        if (e.decision() instanceof DaoDecision.Refused) {
            DaoTestContext.assertUnchangedExceptSeq(before, after);
        }

        // nodes: never over capacity, usage equals what is placed there, only trusted nodes are admitted
        Map<String, int[]> perNode = new TreeMap<>();
        Map<String, long[]> perTenant = new TreeMap<>();
        for (DaoDecision.Placed p : after.placements().values()) {
            NodeEntry n = after.nodes().get(p.node());
            assertThat(n).as("%s: %s is on an admitted node", step, p.containerId()).isNotNull();
            assertThat(n.attestation().trusted()).as(step).isTrue();
            int[] u = perNode.computeIfAbsent(p.node(), k -> new int[3]);
            u[0] += p.kSlots();
            u[1] += p.qubits();
            u[2]++;
            long[] t = perTenant.computeIfAbsent(p.tenant(), k -> new long[4]);
            t[0]++;
            t[1] += p.qubits();
            t[2] += p.envelope().map(Envelope::lengthSlots).orElse(0L);
            t[3] += p.kSlots();
            if (p.envelope().isPresent()) {
                Envelope env = p.envelope().get();
                assertThat(env.nodeId()).as(step).isEqualTo(p.node());
                assertThat(env.tenant()).as(step).isEqualTo(p.tenant());
                assertThat(env.containerId()).as(step).isEqualTo(p.containerId());
                if (env.endSlot() > n.phi().watermark()) {
                    assertThat(n.phi().envelope(env.id())).as("%s: envelope of %s is held", step, p.containerId())
                            .contains(env);
                }
            }
        }
        for (NodeEntry n : after.nodes().values()) {
            String id = n.spec().id();
            int[] u = perNode.getOrDefault(id, new int[3]);
            assertThat(new int[] {n.usedK(), n.usedQ(), n.containers()}).as("%s: usage of %s", step, id)
                    .containsExactly(u);
            assertThat(n.usedK()).as(step).isBetween(0, n.spec().kSlots());
            assertThat(n.usedQ()).as(step).isBetween(0, n.spec().qubits());
            assertThat(n.attestation().trusted()).as(step).isTrue();
            // no leaked envelopes: each one the allocator holds belongs to a live placement
            for (Envelope env : n.phi().envelopes()) {
                DaoDecision.Placed owner = after.placements().get(env.containerId());
                assertThat(owner).as("%s: owner of %s", step, env.id()).isNotNull();
                assertThat(owner.envelope()).as(step).contains(env);
            }
            checkNoOverlap(step, after, n);
        }

        // tenants: usage is what they hold; a step never pushes a tenant further over its quota
        for (TenantEntry t : after.tenants().values()) {
            long[] u = perTenant.getOrDefault(t.spec().name(), new long[4]);
            Quota usage = t.usage();
            assertThat(new long[] {usage.containers(), usage.qubits(), usage.phiSlots(), usage.kSlots()})
                    .as("%s: usage of %s", step, t.spec().name()).containsExactly(u);
            TenantEntry old = before.tenants().get(t.spec().name());
            Quota was = old == null ? Quota.ZERO : old.usage();
            Quota q = t.spec().quota();
            assertThat(usage.containers() <= q.containers() || usage.containers() <= was.containers())
                    .as(step).isTrue();
            assertThat(usage.qubits() <= q.qubits() || usage.qubits() <= was.qubits()).as(step).isTrue();
            assertThat(usage.phiSlots() <= q.phiSlots() || usage.phiSlots() <= was.phiSlots()).as(step).isTrue();
            assertThat(usage.kSlots() <= q.kSlots() || usage.kSlots() <= was.kSlots()).as(step).isTrue();
        }

        // the decision itself respected the filters against the view it was taken on
        if (e.decision() instanceof DaoDecision.Placed p) {
            Demand d = ((DaoInput.Place) e.input()).demand();
            assertThat(List.of(p.containerId(), p.tenant(), p.kSlots(), p.qubits()))
                    .isEqualTo(List.of(d.containerId(), d.tenant(), d.kSlots(), d.qubits()));
            assertThat(p.envelope().isPresent()).as(step).isEqualTo(d.needsPhi());
            NodeEntry n = before.nodes().get(p.node());
            assertThat(n.draining()).as(step).isFalse();
            assertThat(n.spec().labels().containsAll(d.labels())).as(step).isTrue();
            assertThat(Collections.disjoint(n.spec().labels(), d.avoidLabels())).as(step).isTrue();
            TenantSpec t = before.tenants().get(d.tenant()).spec();
            assertThat(t.capabilities().containsAll(d.capabilities())).as(step).isTrue();
            if (d.needsQ()) {
                assertThat(d.capabilities()).as(step).contains(Capabilities.Q_ALLOC, Capabilities.Q_RUN);
            }
            if (d.needsPhi()) {
                assertThat(d.capabilities()).as(step).contains(Capabilities.PHI_ENVELOPE);
                Envelope env = p.envelope().get();
                assertThat(env.startSlot()).as(step).isGreaterThanOrEqualTo(before.slot());
                assertThat(env.lengthSlots()).as(step).isEqualTo(d.phiSlots());
                assertThat(env.stabilityFloor()).as(step).isEqualTo(d.phiFloor());
                assertThat(n.phi().forecast(env.channel()).min(env.startSlot(), env.endSlot())).as(step)
                        .isGreaterThanOrEqualTo(d.phiFloor());
            }
        }
        if (e.decision() instanceof DaoDecision.NodeRemoved r) {
            assertThat(after.nodes()).as(step).doesNotContainKey(r.node());
            List<String> order = new ArrayList<>();
            for (DaoDecision.Placed p : before.placementsOn(r.node())) {
                order.add(p.containerId());
            }
            List<String> decided = new ArrayList<>();
            for (DaoDecision.Placed m : r.moved()) {
                assertThat(before.nodes().get(m.node()).draining()).as(step).isFalse();
                decided.add(m.containerId());
            }
            for (DaoDecision.Refused x : r.stranded()) {
                decided.add(x.subject());
            }
            // every hosted container is accounted for exactly once; moved ones keep container-id order
            assertThat(decided).as(step).containsExactlyInAnyOrderElementsOf(order);
            assertThat(r.moved()).extracting(DaoDecision.Placed::containerId).as(step).isSorted();
        }
    }

    /** Φ envelopes on one channel overlap only between two tenants that signed mutually and both said so. */
    private static void checkNoOverlap(String step, DaoState view, NodeEntry n) {
        List<Envelope> envs = n.phi().envelopes();
        for (int i = 0; i < envs.size(); i++) {
            for (int j = i + 1; j < envs.size(); j++) {
                Envelope a = envs.get(i);
                Envelope b = envs.get(j);
                boolean overlap = a.channel() == b.channel() && a.startSlot() < b.endSlot()
                        && b.startSlot() < a.endSlot();
                if (!overlap) {
                    continue;
                }
                assertThat(a.tenant()).as("%s: %s overlaps %s of the same tenant", step, a.id(), b.id())
                        .isNotEqualTo(b.tenant());
                assertThat(view.contracts().mutual(a.tenant(), b.tenant()))
                        .as("%s: %s overlaps %s without a contract", step, a.id(), b.id()).isTrue();
                assertThat(a.shareWithTenant()).as(step).contains(b.tenant());
                assertThat(b.shareWithTenant()).as(step).contains(a.tenant());
            }
        }
    }

    // ============================================================================================ generators

    @Provide
    Arbitrary<List<DaoInput>> journals() {
        Arbitrary<DaoInput> any = Arbitraries.frequencyOf(
                Tuple.of(2, tenants()),
                Tuple.of(3, nodes()),
                Tuple.of(16, places()),
                Tuple.of(6, releases()),
                Tuple.of(1, drains()),
                Tuple.of(1, removals()),
                Tuple.of(2, ticks())).withoutEdgeCases(); // edge cases would swamp the mix with rare refusals
        // start with every tenant and some nodes so that most placements have somewhere to go
        return Combinators.combine(tenantFor("t-a").withoutEdgeCases(), tenantFor("t-b").withoutEdgeCases(),
                tenantFor("t-c").withoutEdgeCases(),
                nodes().withoutEdgeCases().list().ofMinSize(1).ofMaxSize(6), any.list().ofMinSize(10).ofMaxSize(80)
                        .withSizeDistribution(RandomDistribution.uniform()))
                .as((a, b, c, n, body) -> {
                    List<DaoInput> all = new ArrayList<>(List.of(a, b, c));
                    all.addAll(n);
                    all.addAll(body);
                    return all;
                });
    }

    private static Arbitrary<DaoInput> tenants() {
        return Arbitraries.frequencyOf(Tuple.of(12, Arbitraries.of(TENANTS)),
                Tuple.of(1, Arbitraries.just("Bad_Name"))).flatMap(OrchestrationReplayProperties::tenantFor);
    }

    /** Mostly every capability and a roomy or unlimited quota; sometimes a narrow namespace or a tight quota. */
    private static Arbitrary<DaoInput> tenantFor(String name) {
        Arbitrary<List<String>> caps = Arbitraries.frequencyOf(Tuple.of(5, Arbitraries.just(Capabilities.ALL)),
                Tuple.of(1, Arbitraries.subsetOf(Capabilities.ALL).map(List::copyOf)));
        Arbitrary<Quota> quota = Arbitraries.frequencyOf(Tuple.of(2, Arbitraries.just(Quota.UNLIMITED)),
                Tuple.of(2, Combinators.combine(Arbitraries.integers().between(2, 12),
                        Arbitraries.integers().between(4, 32), Arbitraries.longs().between(40, 400),
                        Arbitraries.integers().between(4, 16)).as(Quota::new)),
                Tuple.of(1, Combinators.combine(Arbitraries.integers().between(0, 3),
                        Arbitraries.integers().between(0, 4), Arbitraries.longs().between(0, 30),
                        Arbitraries.integers().between(0, 3)).as(Quota::new)));
        return Combinators.combine(caps, quota).as((c, q) -> new DaoInput.UpsertTenant(
                new TenantSpec(name, c, q, SHARES.getOrDefault(name, List.of()))));
    }

    /**
     * Each node id has a fixed kind (so that most re-joins are accepted): n0 K only, n1 Q, n2 Φ with 1 channel,
     * n3 Φ with 4 channels and a short horizon on a less stable forecast, n4 Q and Φ, n5 small K and Q. Capacity
     * and labels vary from one admission to the next; one in ten attestations is refused.
     */
    private static Arbitrary<DaoInput> nodes() {
        Arbitrary<Attestation> att = Arbitraries.frequencyOf(Tuple.of(9, Arbitraries.just(DaoTestContext.TRUSTED)),
                Tuple.of(1, Arbitraries.just(new Attestation(false, "sha256:unknown", "unknown measurement"))));
        return Combinators.combine(Arbitraries.of(NODES), Arbitraries.integers().between(0, 8),
                Arbitraries.integers().between(2, 16), Arbitraries.subsetOf(LABELS), att).as((id, k, q, labels, a) -> {
                    int channels = switch (id) {
                        case "n2" -> 1;
                        case "n3" -> 4;
                        case "n4" -> 2;
                        default -> 0;
                    };
                    PhiConfig model = PhiConfig.defaults(Math.max(1, channels))
                            .withSearchHorizonSlots(id.equals("n3") ? 64 : 256)
                            .withForecast(id.equals("n3") ? 0.7 : 0.9, 0.05, 0.02);
                    int qubits = id.equals("n1") || id.equals("n4") ? q : id.equals("n5") ? q / 4 : 0;
                    return new DaoInput.AdmitNode(new NodeSpec(id, k, qubits, channels, model, List.copyOf(labels)),
                            a);
                });
    }

    private static Arbitrary<String> containerIds() {
        return Combinators.combine(Arbitraries.of(TENANTS), Arbitraries.integers().between(0, 5))
                .as((t, i) -> t + "/c" + i);
    }

    private enum Share { NONE, PARTNER, ANY }

    private static Arbitrary<DaoInput> places() {
        Arbitrary<Integer> k = Arbitraries.frequencyOf(Tuple.of(1, Arbitraries.just(0)),
                Tuple.of(20, Arbitraries.integers().between(1, 3)));
        Arbitrary<Integer> q = Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.just(0)),
                Tuple.of(2, Arbitraries.integers().between(1, 6)));
        Arbitrary<Long> phi = Arbitraries.frequencyOf(Tuple.of(1, Arbitraries.just(0L)),
                Tuple.of(1, Arbitraries.longs().between(1, 80)),
                Tuple.of(1, Arbitraries.of(10L, 40L))); // repeated shapes: remembered Φ rankings get reused
        Arbitrary<Double> floor = Arbitraries.of(0.0, 0.5, 0.7, 0.85, 0.95);
        Arbitrary<Share> share = Arbitraries.frequencyOf(Tuple.of(5, Arbitraries.just(Share.NONE)),
                Tuple.of(4, Arbitraries.just(Share.PARTNER)), Tuple.of(1, Arbitraries.just(Share.ANY)));
        Arbitrary<String> anyTenant = Arbitraries.of(TENANTS);
        Arbitrary<List<String>> labels = Arbitraries.frequencyOf(Tuple.of(4, Arbitraries.just(List.of())),
                Tuple.of(1, Arbitraries.subsetOf(LABELS).map(List::copyOf)));
        Arbitrary<Boolean> exactCaps = Arbitraries.frequencyOf(Tuple.of(8, Arbitraries.just(true)),
                Tuple.of(1, Arbitraries.just(false)));
        Arbitrary<List<String>> randomCaps = Arbitraries.subsetOf(Capabilities.ALL).map(List::copyOf);
        Arbitrary<Demand> demand = Combinators.combine(containerIds(), k, q, phi, floor,
                Arbitraries.of(Affinity.class), labels, labels).as((id, ks, qs, ps, f, a, l, avoid) -> new Demand(id,
                id.substring(0, id.indexOf('/')), ks, qs, ps, f, Optional.empty(), a, l, avoid, List.of()));
        return Combinators.combine(demand, share, anyTenant, exactCaps, randomCaps).as((d, sh, other, exact, rnd) -> {
            List<String> caps = new ArrayList<>(List.of(Capabilities.K_EXEC));
            if (d.needsQ()) {
                caps.add(Capabilities.Q_ALLOC);
                caps.add(Capabilities.Q_RUN);
            }
            if (d.needsPhi()) {
                caps.add(Capabilities.PHI_ENVELOPE);
            }
            Optional<String> with = switch (sh) {
                case NONE -> Optional.empty();
                case PARTNER -> Optional.of(SHARES.get(d.tenant()).get(0));
                case ANY -> Optional.of(other);
            };
            return new DaoInput.Place(new Demand(d.containerId(), d.tenant(), d.kSlots(), d.qubits(), d.phiSlots(),
                    d.phiFloor(), with, d.affinity(), d.labels(), d.avoidLabels(), exact ? caps : rnd));
        });
    }

    private static Arbitrary<DaoInput> releases() {
        return containerIds().map(DaoInput.Release::new);
    }

    private static Arbitrary<DaoInput> drains() {
        return Arbitraries.of(NODES).map(DaoInput.DrainNode::new);
    }

    private static Arbitrary<DaoInput> removals() {
        return Combinators.combine(Arbitraries.of(NODES), Arbitraries.of("left", "downed"))
                .as(DaoInput.RemoveNode::new);
    }

    private static Arbitrary<DaoInput> ticks() {
        return Arbitraries.longs().between(0, 300).map(DaoInput.Tick::new);
    }
}
