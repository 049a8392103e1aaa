package org.xdv.cdcr.runtime.core.dao;

import static org.assertj.core.api.Assertions.assertThat;
import static org.xdv.cdcr.runtime.core.dao.DaoTestContext.demand;
import static org.xdv.cdcr.runtime.core.dao.DaoTestContext.kNode;
import static org.xdv.cdcr.runtime.core.dao.DaoTestContext.phiNode;
import static org.xdv.cdcr.runtime.core.dao.DaoTestContext.qNode;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.xdv.cdcr.phi.Envelope;
import org.xdv.cdcr.phi.EnvelopeId;
import org.xdv.cdcr.phi.PhiAllocator;
import org.xdv.cdcr.phi.SharingContracts;
import org.xdv.cdcr.runtime.core.Capabilities;
import org.xdv.cdcr.runtime.core.Quota;
import org.xdv.cdcr.runtime.core.dao.DaoDecision.Placed;
import org.xdv.cdcr.runtime.core.dao.DaoDecision.Reason;
import org.xdv.cdcr.runtime.core.dao.DaoDecision.Refused;

/**
 * The Domain-Aware Orchestrator's decisions, input by input, with exact outputs. After every test the journal is
 * folded again from the start and each input re-decided against the replayed view.
 */
class OrchestrationTest {

    private DaoTestContext ctx = new DaoTestContext();

    @AfterEach
    void replayReproducesEverything() {
        ctx.assertReplayReproducesTheView();
    }

    private static Placed placed(String id, String node, int k, int q) {
        return new Placed(id, id.substring(0, id.indexOf('/')), node, k, q, Optional.empty());
    }

    private static Placed placed(String id, String node, Envelope env) {
        return new Placed(id, env.tenant(), node, 1, 0, Optional.of(env));
    }

    private static Envelope env(String node, int channel, long start, long seq, long length, double floor,
                                String containerId) {
        return env(node, channel, start, seq, length, floor, containerId, Optional.empty());
    }

    private static Envelope env(String node, int channel, long start, long seq, long length, double floor,
                                String containerId, Optional<String> share) {
        return new Envelope(new EnvelopeId(node, channel, start, seq), length, floor,
                containerId.substring(0, containerId.indexOf('/')), containerId, share, false);
    }

    private static TenantSpec tenantSpec(String name, List<String> caps, Quota quota, String... shares) {
        return new TenantSpec(name, caps, quota, List.of(shares));
    }

    // ============================================================================================ tenants

    @Nested
    class Tenants {

        @Test
        void upsertCreatesATenantWithZeroUsage() {
            TenantSpec acme = tenantSpec("acme", List.of("k.exec", "q.run"), new Quota(5, 8, 100, 10));
            assertThat(ctx.decide(new DaoInput.UpsertTenant(acme))).isEqualTo(new DaoDecision.TenantSet("acme"));
            assertThat(ctx.view().tenants()).containsExactly(java.util.Map.entry("acme",
                    new TenantEntry(acme, Quota.ZERO)));
            assertThat(ctx.view().seq()).isEqualTo(1);
        }

        @Test
        void badTenantNameIsRefused() {
            String rule = "tenant name must be 1-63 characters of a-z, 0-9 and '-', starting with a letter";
            assertThat(ctx.refused(new DaoInput.UpsertTenant(tenantSpec("Acme", List.of(), Quota.UNLIMITED))))
                    .isEqualTo(new Refused("Acme", Reason.INVALID, rule));
            assertThat(ctx.refused(new DaoInput.UpsertTenant(tenantSpec(null, List.of(), Quota.UNLIMITED))))
                    .isEqualTo(new Refused("null", Reason.INVALID, rule));
            assertThat(ctx.refused(new DaoInput.UpsertTenant(tenantSpec("a".repeat(64), List.of(), Quota.UNLIMITED))))
                    .isEqualTo(new Refused("a".repeat(64), Reason.INVALID, rule));
        }

        @Test
        void unknownCapabilityIsRefused() {
            assertThat(ctx.refused(new DaoInput.UpsertTenant(tenantSpec("acme", List.of("k.exec", "q.teleport"),
                    Quota.UNLIMITED)))).isEqualTo(new Refused("acme", Reason.INVALID, "unknown capability "
                    + "'q.teleport' (known: k.exec, log.write, phi.envelope, phi.sample, q.alloc, q.measure, q.run)"));
        }

        @Test
        void sharingWithItselfOrAnInvalidNameIsRefused() {
            assertThat(ctx.refused(new DaoInput.UpsertTenant(tenantSpec("acme", List.of(), Quota.UNLIMITED,
                    "acme")))).isEqualTo(new Refused("acme", Reason.INVALID, "invalid Φ sharing partner 'acme'"));
            assertThat(ctx.refused(new DaoInput.UpsertTenant(tenantSpec("acme", List.of(), Quota.UNLIMITED,
                    "Globex")))).isEqualTo(new Refused("acme", Reason.INVALID, "invalid Φ sharing partner 'Globex'"));
        }

        @Test
        void contractIsMutualOnlyOnceBothSigned() {
            ctx.tenant("acme", "globex");
            assertThat(ctx.view().contracts().mutual("acme", "globex")).isFalse();
            ctx.tenant("globex", "acme");
            assertThat(ctx.view().contracts()).isEqualTo(SharingContracts.mutualPairs("acme", "globex"));
            ctx.tenant("globex"); // globex withdraws
            assertThat(ctx.view().contracts()).isEqualTo(SharingContracts.none().sign("acme", "globex"));
        }

        @Test
        void upsertReplacesSpecButKeepsUsage() {
            ctx.tenant("acme").admit(kNode("a", 4));
            ctx.place(demand("acme/c1").k(2));
            TenantSpec smaller = tenantSpec("acme", List.of("k.exec"), new Quota(1, 0, 0, 1));
            ctx.tenant(smaller);
            assertThat(ctx.tenantEntry("acme")).isEqualTo(new TenantEntry(smaller, new Quota(1, 0, 0, 2)));
            // the lowered quota stops new work but does not evict
            assertThat(ctx.refused(demand("acme/c2"))).isEqualTo(new Refused("acme/c2", Reason.QUOTA,
                    "tenant acme over quota: containers 2 > quota 1"));
            assertThat(ctx.view().placements()).containsOnlyKeys("acme/c1");
        }
    }

    // ============================================================================================ nodes

    @Nested
    class Admission {

        @Test
        void attestedNodeIsAdmittedEmpty() {
            NodeSpec n = kNode("n1", 4, "ssd");
            assertThat(ctx.decide(new DaoInput.AdmitNode(n, DaoTestContext.TRUSTED)))
                    .isEqualTo(new DaoDecision.NodeAdmitted("n1"));
            assertThat(ctx.node("n1")).isEqualTo(new NodeEntry(n, DaoTestContext.TRUSTED, false, 0, 0, 0,
                    PhiAllocator.empty(n.phi(), "n1")));
        }

        @Test
        void refusedAttestationIsRefusedAndNodeGetsNoEntry() {
            Attestation bad = new Attestation(false, "sha256:bad", "measurement sha256:bad is not allowed");
            assertThat(ctx.refused(new DaoInput.AdmitNode(kNode("n1", 4), bad))).isEqualTo(new Refused("n1",
                    Reason.INVALID, "attestation refused: measurement sha256:bad is not allowed"));
            assertThat(ctx.view().nodes()).isEmpty();
        }

        @Test
        void nodeWithoutIdOrWithNegativeCapacityIsRefused() {
            String msg = "node needs an id and non-negative K slots and qubits";
            assertThat(ctx.refused(new DaoInput.AdmitNode(kNode(" ", 4), DaoTestContext.TRUSTED)))
                    .isEqualTo(new Refused(" ", Reason.INVALID, msg));
            assertThat(ctx.refused(new DaoInput.AdmitNode(kNode("n1", -1), DaoTestContext.TRUSTED)))
                    .isEqualTo(new Refused("n1", Reason.INVALID, msg));
            assertThat(ctx.refused(new DaoInput.AdmitNode(qNode("n1", 1, -2), DaoTestContext.TRUSTED)))
                    .isEqualTo(new Refused("n1", Reason.INVALID, msg));
        }

        @Test
        void rejoinKeepsUsageAndPlacementsAndEndsDraining() {
            ctx.tenant("acme").admit(kNode("n1", 4));
            Placed p = ctx.place(demand("acme/c1").k(2));
            ctx.decide(new DaoInput.DrainNode("n1"));
            NodeSpec bigger = kNode("n1", 8, "gpu");
            ctx.admit(bigger);
            NodeEntry n = ctx.node("n1");
            assertThat(n.spec()).isEqualTo(bigger);
            assertThat(n.draining()).isFalse();
            assertThat(n.usedK()).isEqualTo(2);
            assertThat(n.containers()).isEqualTo(1);
            assertThat(ctx.view().placements()).containsExactly(java.util.Map.entry("acme/c1", p));
        }

        @Test
        void rejoinWithLessCapacityThanInUseOrAnotherPhiModelIsRefused() {
            ctx.tenant("acme").admit(phiNode("p1", 4, 2, 0.9));
            ctx.place(demand("acme/c1").k(3).phi(5));
            String msg = "node p1 re-joined with less capacity than it has in use, or another Φ model";
            assertThat(ctx.refused(new DaoInput.AdmitNode(phiNode("p1", 2, 2, 0.9), DaoTestContext.TRUSTED)))
                    .isEqualTo(new Refused("p1", Reason.INVALID, msg));
            assertThat(ctx.refused(new DaoInput.AdmitNode(phiNode("p1", 4, 2, 0.8), DaoTestContext.TRUSTED)))
                    .isEqualTo(new Refused("p1", Reason.INVALID, msg));
            assertThat(ctx.refused(new DaoInput.AdmitNode(phiNode("p1", 4, 1, 0.9), DaoTestContext.TRUSTED)))
                    .isEqualTo(new Refused("p1", Reason.INVALID, msg));
            ctx.admit(phiNode("p1", 3, 2, 0.9)); // exactly what is in use is fine
            assertThat(ctx.node("p1").phi().envelopes()).hasSize(1);
        }
    }

    // ============================================================================================ filters

    @Nested
    class Filters {

        @Test
        void kCapacity() {
            ctx.tenant("acme").admit(kNode("a", 1), kNode("b", 4));
            assertThat(ctx.place(demand("acme/c1").k(2))).isEqualTo(placed("acme/c1", "b", 2, 0));
            assertThat(ctx.refused(demand("acme/c2").k(3))).isEqualTo(new Refused("acme/c2", Reason.NO_CAPACITY,
                    "no node fits 3 K slot(s) (most free: 2 K slots, 0 qubits)"));
        }

        @Test
        void qubitCapacity() {
            ctx.tenant("acme").admit(qNode("qa", 4, 4), qNode("qb", 4, 8));
            assertThat(ctx.place(demand("acme/c1").q(6).affinity(Affinity.BALANCED)))
                    .isEqualTo(placed("acme/c1", "qb", 1, 6));
            assertThat(ctx.refused(demand("acme/c2").q(6))).isEqualTo(new Refused("acme/c2", Reason.NO_CAPACITY,
                    "no node fits 1 K slot(s), 6 qubits (most free: 4 K slots, 4 qubits)"));
        }

        @Test
        void requiredLabels() {
            ctx.tenant("acme").admit(kNode("a", 4, "ssd"), kNode("b", 4, "gpu", "ssd"));
            assertThat(ctx.place(demand("acme/c1").labels("gpu")).node()).isEqualTo("b");
            assertThat(ctx.place(demand("acme/c2").labels("ssd", "gpu")).node()).isEqualTo("b");
            assertThat(ctx.place(demand("acme/c3").labels("ssd")).node()).isEqualTo("a");
            assertThat(ctx.refused(demand("acme/c4").labels("nvme", "gpu"))).isEqualTo(new Refused("acme/c4",
                    Reason.NO_CAPACITY, "no node fits 1 K slot(s), labels [gpu, nvme] (most free: 3 K slots, "
                    + "0 qubits)"));
        }

        @Test
        void avoidedLabels() {
            ctx.tenant("acme").admit(kNode("a", 4, "edge"), kNode("b", 4, "gpu"));
            assertThat(ctx.place(demand("acme/c1").avoid("edge")).node()).isEqualTo("b");
            assertThat(ctx.place(demand("acme/c2").avoid("gpu")).node()).isEqualTo("a");
            assertThat(ctx.refused(demand("acme/c3").avoid("gpu", "edge"))).isEqualTo(new Refused("acme/c3",
                    Reason.NO_CAPACITY, "no node fits 1 K slot(s), avoiding labels [edge, gpu] (most free: 3 K "
                    + "slots, 0 qubits)"));
        }

        @Test
        void drainingNodeGetsNoNewWork() {
            ctx.tenant("acme").admit(kNode("a", 4), kNode("b", 4));
            assertThat(ctx.decide(new DaoInput.DrainNode("a"))).isEqualTo(new DaoDecision.Draining("a"));
            assertThat(ctx.node("a").draining()).isTrue();
            assertThat(ctx.place(demand("acme/c1")).node()).isEqualTo("b");
            ctx.decide(new DaoInput.DrainNode("b"));
            assertThat(ctx.refused(demand("acme/c2"))).isEqualTo(new Refused("acme/c2", Reason.NO_CAPACITY,
                    "no admitted node can take work"));
            assertThat(ctx.refused(new DaoInput.DrainNode("zz"))).isEqualTo(new Refused("zz", Reason.UNKNOWN_NODE,
                    "no admitted node zz"));
        }

        @Test
        void untrustedNodeGetsNoWork() {
            // decide never admits an untrusted node, but apply folds whatever the journal recorded: build such a
            // view from recorded facts to prove the placement filter holds anyway
            NodeSpec a = kNode("a", 4);
            NodeSpec b = kNode("b", 4);
            DaoState view = DaoState.EMPTY
                    .apply(new Decided(0, new DaoInput.UpsertTenant(tenantSpec("acme", Capabilities.ALL,
                            Quota.UNLIMITED)), new DaoDecision.TenantSet("acme")))
                    .apply(new Decided(1, new DaoInput.AdmitNode(a, new Attestation(false, "m", "unverified")),
                            new DaoDecision.NodeAdmitted("a")))
                    .apply(new Decided(2, new DaoInput.AdmitNode(b, DaoTestContext.TRUSTED),
                            new DaoDecision.NodeAdmitted("b")));
            assertThat(view.nodes().get("a").attestation().trusted()).isFalse();
            ctx = new DaoTestContext(view);
            assertThat(ctx.place(demand("acme/c1")).node()).isEqualTo("b");
            ctx.decide(new DaoInput.DrainNode("b"));
            assertThat(ctx.refused(demand("acme/c2"))).isEqualTo(new Refused("acme/c2", Reason.NO_CAPACITY,
                    "no admitted node can take work"));
        }

        @Test
        void phiWindowMustClearTheFloor() {
            ctx.tenant("acme").admit(phiNode("pa", 4, 1, 0.6), phiNode("pb", 4, 1, 0.95));
            // balanced would prefer pa (equal load, lower id), but pa's forecast never reaches the floor
            assertThat(ctx.place(demand("acme/c1").phi(10).floor(0.8).affinity(Affinity.BALANCED)))
                    .isEqualTo(placed("acme/c1", "pb", env("pb", 0, 0, 0, 10, 0.8, "acme/c1")));
            assertThat(ctx.refused(demand("acme/c2").phi(10).floor(0.96))).isEqualTo(new Refused("acme/c2",
                    Reason.NO_CAPACITY, "no node fits 1 K slot(s), a Φ window of 10 slots at floor 0.96 (most free: "
                    + "4 K slots, 0 qubits)"));
        }

        @Test
        void phiWindowMustBeFreeWithinTheSearchHorizon() {
            NodeSpec pa = new NodeSpec("pa", 4, 0, 1, DaoTestContext.flat(1, 0.9).withSearchHorizonSlots(20),
                    List.of());
            NodeSpec pb = new NodeSpec("pb", 4, 0, 1, DaoTestContext.flat(1, 0.9).withSearchHorizonSlots(20),
                    List.of("busy"));
            ctx.tenant("acme").tenant("globex").admit(pa, pb);
            ctx.place(demand("acme/k1").labels("busy"));
            ctx.place(demand("acme/k2").labels("busy"));
            assertThat(ctx.place(demand("globex/g1").phi(20))).isEqualTo(placed("globex/g1", "pa",
                    env("pa", 0, 0, 0, 20, 0.5, "globex/g1")));
            // pa is less loaded (1/4 against 2/4) but globex holds all 20 slots of its horizon
            assertThat(ctx.place(demand("acme/c1").phi(5).affinity(Affinity.BALANCED)))
                    .isEqualTo(placed("acme/c1", "pb", env("pb", 0, 0, 0, 5, 0.5, "acme/c1")));
        }

        @Test
        void phiWindowLongerThanEveryHorizonIsNoCapacityNotAnError() {
            NodeSpec p = new NodeSpec("p", 4, 0, 1, DaoTestContext.flat(1, 0.9).withSearchHorizonSlots(20),
                    List.of());
            ctx.tenant("acme").admit(p);
            assertThat(ctx.refused(demand("acme/c1").phi(21))).isEqualTo(new Refused("acme/c1", Reason.NO_CAPACITY,
                    "no node fits 1 K slot(s), a Φ window of 21 slots at floor 0.5 (most free: 4 K slots, 0 qubits)"));
            assertThat(ctx.place(demand("acme/c2").phi(20)).node()).isEqualTo("p");
        }

        @Test
        void phiDemandNeedsANodeWithPhiChannels() {
            ctx.tenant("acme").admit(kNode("a", 4));
            assertThat(ctx.refused(demand("acme/c1").phi(10))).isEqualTo(new Refused("acme/c1", Reason.NO_CAPACITY,
                    "no node fits 1 K slot(s), a Φ window of 10 slots at floor 0.5 (most free: 4 K slots, 0 qubits)"));
            ctx.admit(phiNode("p", 4, 1, 0.9));
            assertThat(ctx.place(demand("acme/c1").phi(10).affinity(Affinity.BALANCED)).node()).isEqualTo("p");
        }
    }

    // ============================================================================================ scores

    @Nested
    class Scores {

        @Test
        void qHeavyPicksTheMostFreeQubitsThenTheLowestId() {
            ctx.tenant("acme").admit(qNode("a", 4, 8), qNode("b", 4, 8), qNode("c", 4, 4));
            assertThat(ctx.place(demand("acme/c1").q(2))).isEqualTo(placed("acme/c1", "a", 1, 2)); // 8 = 8: id
            assertThat(ctx.place(demand("acme/c2").q(2))).isEqualTo(placed("acme/c2", "b", 1, 2)); // 8 > 6
            assertThat(ctx.place(demand("acme/c3").q(2))).isEqualTo(placed("acme/c3", "a", 1, 2)); // 6 = 6: id
            assertThat(ctx.place(demand("acme/c4").q(2))).isEqualTo(placed("acme/c4", "b", 1, 2)); // 6 > 4
            // 4 = 4 = 4 free qubits: the least loaded (c, 0/4 against 2/4) wins
            assertThat(ctx.place(demand("acme/c5").q(2))).isEqualTo(placed("acme/c5", "c", 1, 2));
        }

        @Test
        void qHeavyTieOnQubitsGoesToTheLessLoadedNode() {
            ctx.tenant("acme").admit(qNode("a", 4, 8), qNode("b", 4, 8));
            assertThat(ctx.place(demand("acme/k1")).node()).isEqualTo("a");
            assertThat(ctx.place(demand("acme/q1").q(2))).isEqualTo(placed("acme/q1", "b", 1, 2));
        }

        @Test
        void phiCoherentPicksTheHighestWindowMinimumThenTheLowestId() {
            ctx.tenant("acme").admit(phiNode("p1", 4, 1, 0.8), phiNode("p2", 4, 1, 0.95),
                    phiNode("p3", 4, 1, 0.95));
            assertThat(ctx.place(demand("acme/c1").phi(10)))
                    .isEqualTo(placed("acme/c1", "p2", env("p2", 0, 0, 0, 10, 0.5, "acme/c1")));
            // p2's channel is now busy until slot 10: p3 offers the same minimum from slot 0
            assertThat(ctx.place(demand("acme/c2").phi(10)))
                    .isEqualTo(placed("acme/c2", "p3", env("p3", 0, 0, 0, 10, 0.5, "acme/c2")));
            // a later window at 0.95 still beats an immediate one at 0.8; p2 and p3 tie: lowest id
            assertThat(ctx.place(demand("acme/c3").phi(10)))
                    .isEqualTo(placed("acme/c3", "p2", env("p2", 0, 10, 1, 10, 0.5, "acme/c3")));
        }

        @Test
        void phiCoherentPrefersTheEarlierStartOverALowerLoad() {
            ctx.tenant("acme").tenant("globex").admit(phiNode("q1", 4, 1, 0.9), phiNode("q2", 4, 1, 0.9, "busy"));
            ctx.place(demand("acme/k1").labels("busy"));
            ctx.place(demand("acme/k2").labels("busy"));
            assertThat(ctx.place(demand("globex/g1").phi(10)))
                    .isEqualTo(placed("globex/g1", "q1", env("q1", 0, 0, 0, 10, 0.5, "globex/g1")));
            // q1: load 1/4, window from slot 10; q2: load 2/4, window from slot 0 → q2
            assertThat(ctx.place(demand("acme/c1").phi(5)))
                    .isEqualTo(placed("acme/c1", "q2", env("q2", 0, 0, 0, 5, 0.5, "acme/c1")));
        }

        @Test
        void phiCoherentUsesAnotherChannelOfTheSameNode() {
            ctx.tenant("acme").admit(phiNode("p", 4, 2, 0.9));
            assertThat(ctx.place(demand("acme/c1").phi(10)).envelope())
                    .contains(env("p", 0, 0, 0, 10, 0.5, "acme/c1"));
            assertThat(ctx.place(demand("acme/c2").phi(10)).envelope())
                    .contains(env("p", 1, 0, 1, 10, 0.5, "acme/c2"));
            assertThat(ctx.place(demand("acme/c3").phi(10)).envelope())
                    .contains(env("p", 0, 10, 2, 10, 0.5, "acme/c3"));
        }

        @Test
        void balancedPicksTheLowestLoadWithExactTiesToTheLowestId() {
            ctx.tenant("acme").admit(kNode("a", 4, "la"), kNode("b", 10, "lb"), kNode("c", 2, "lc"));
            for (int i = 0; i < 2; i++) {
                ctx.place(demand("acme/a" + i).labels("la"));
            }
            for (int i = 0; i < 4; i++) {
                ctx.place(demand("acme/b" + i).labels("lb"));
            }
            ctx.place(demand("acme/c0").labels("lc"));
            // loads: a 2/4, b 4/10, c 1/2 → b
            assertThat(ctx.place(demand("acme/x1"))).isEqualTo(placed("acme/x1", "b", 1, 0));
            // loads: a 2/4, b 5/10, c 1/2: an exact three-way tie → a
            assertThat(ctx.place(demand("acme/x2"))).isEqualTo(placed("acme/x2", "a", 1, 0));
            // loads: a 3/4, b 5/10, c 1/2: b and c tie → b
            assertThat(ctx.place(demand("acme/x3"))).isEqualTo(placed("acme/x3", "b", 1, 0));
        }
    }

    // ============================================================================================ admission

    @Nested
    class AdmissionControl {

        @Test
        void quotaRefusalNamesTheLimit() {
            ctx.tenant(tenantSpec("acme", Capabilities.ALL, new Quota(2, 4, 20, 3))).admit(qNode("a", 8, 8),
                    phiNode("p", 8, 1, 0.9));
            ctx.place(demand("acme/c1").k(2));
            assertThat(ctx.refused(demand("acme/c2").k(2))).isEqualTo(new Refused("acme/c2", Reason.QUOTA,
                    "tenant acme over quota: K slots 4 > quota 3"));
            assertThat(ctx.refused(demand("acme/c2").q(5))).isEqualTo(new Refused("acme/c2", Reason.QUOTA,
                    "tenant acme over quota: qubits 5 > quota 4"));
            assertThat(ctx.refused(demand("acme/c2").phi(21))).isEqualTo(new Refused("acme/c2", Reason.QUOTA,
                    "tenant acme over quota: Φ slots 21 > quota 20"));
            ctx.place(demand("acme/c2").phi(20));
            assertThat(ctx.tenantEntry("acme").usage()).isEqualTo(new Quota(2, 0, 20, 3));
            assertThat(ctx.refused(demand("acme/c3").k(1))).isEqualTo(new Refused("acme/c3", Reason.QUOTA,
                    "tenant acme over quota: containers 3 > quota 2"));
        }

        @Test
        void capabilityOutsideTheTenantNamespace() {
            ctx.tenant(tenantSpec("acme", List.of("k.exec", "q.alloc", "q.run"), Quota.UNLIMITED))
                    .admit(phiNode("p", 4, 1, 0.9));
            assertThat(ctx.refused(demand("acme/c1").phi(5))).isEqualTo(new Refused("acme/c1", Reason.CAPABILITY,
                    "capability 'phi.envelope' is outside tenant acme's namespace [k.exec, q.alloc, q.run]"));
            assertThat(ctx.refused(demand("acme/c1").caps("k.exec", "log.write"))).isEqualTo(new Refused("acme/c1",
                    Reason.CAPABILITY, "capability 'log.write' is outside tenant acme's namespace [k.exec, q.alloc, "
                    + "q.run]"));
            assertThat(ctx.refused(demand("acme/c1").caps("k.exec", "q.teleport"))).isEqualTo(
                    new Refused("acme/c1", Reason.CAPABILITY, "unknown capability 'q.teleport'"));
        }

        @Test
        void noImplicitQAccess() {
            ctx.tenant("acme").admit(qNode("a", 4, 8));
            String msg = "a Q domain needs capabilities q.alloc and q.run: no implicit Q access";
            assertThat(ctx.refused(demand("acme/c1").q(2).caps("k.exec"))).isEqualTo(
                    new Refused("acme/c1", Reason.CAPABILITY, msg));
            assertThat(ctx.refused(demand("acme/c1").q(2).caps("k.exec", "q.alloc"))).isEqualTo(
                    new Refused("acme/c1", Reason.CAPABILITY, msg));
            assertThat(ctx.refused(demand("acme/c1").q(2).caps("k.exec", "q.run", "q.measure"))).isEqualTo(
                    new Refused("acme/c1", Reason.CAPABILITY, msg));
            assertThat(ctx.place(demand("acme/c1").q(2).caps("k.exec", "q.alloc", "q.run")).node()).isEqualTo("a");
        }

        @Test
        void noImplicitPhiAccess() {
            ctx.tenant("acme").admit(phiNode("p", 4, 1, 0.9));
            assertThat(ctx.refused(demand("acme/c1").phi(5).caps("k.exec", "phi.sample"))).isEqualTo(
                    new Refused("acme/c1", Reason.CAPABILITY,
                            "a Φ domain needs capability phi.envelope: no implicit Φ access"));
        }

        @Test
        void unknownTenantAndInvalidDemands() {
            ctx.tenant("acme").admit(kNode("a", 4));
            assertThat(ctx.refused(demand("ghost/c1"))).isEqualTo(new Refused("ghost/c1", Reason.UNKNOWN_TENANT,
                    "unknown tenant 'ghost'"));
            String msg = "demand needs K slots >= 1, qubits >= 0, Φ slots >= 0 and a Φ floor in [0,1]";
            assertThat(ctx.refused(demand("acme/c1").k(0))).isEqualTo(new Refused("acme/c1", Reason.INVALID, msg));
            assertThat(ctx.refused(demand("acme/c1").q(-1))).isEqualTo(new Refused("acme/c1", Reason.INVALID, msg));
            assertThat(ctx.refused(demand("acme/c1").phi(5).floor(1.5))).isEqualTo(
                    new Refused("acme/c1", Reason.INVALID, msg));
            assertThat(ctx.refused(demand("acme/c1").phi(5).floor(Double.NaN))).isEqualTo(
                    new Refused("acme/c1", Reason.INVALID, msg));
        }

        @Test
        void duplicatePlacementIsRefused() {
            ctx.tenant("acme").admit(kNode("a", 4));
            ctx.place(demand("acme/c1"));
            assertThat(ctx.refused(demand("acme/c1").k(2))).isEqualTo(new Refused("acme/c1", Reason.DUPLICATE,
                    "container acme/c1 is already placed on a"));
            ctx.decide(new DaoInput.Release("acme/c1"));
            assertThat(ctx.place(demand("acme/c1").k(2))).isEqualTo(placed("acme/c1", "a", 2, 0));
        }

        @Test
        void phiSharingNeedsAMutualContract() {
            NodeSpec p = new NodeSpec("p", 4, 0, 1, DaoTestContext.flat(1, 0.9).withSearchHorizonSlots(20),
                    List.of());
            ctx.tenant("acme", "globex").tenant("globex").admit(p);
            // acme signed, globex did not
            assertThat(ctx.refused(demand("acme/c1").phi(5).shareWith("globex"))).isEqualTo(new Refused("acme/c1",
                    Reason.CAPABILITY, "tenants acme and globex have not both signed a Φ sharing contract"));
            ctx.tenant("globex", "acme");
            assertThat(ctx.place(demand("globex/g1").phi(20).shareWith("acme")))
                    .isEqualTo(placed("globex/g1", "p", env("p", 0, 0, 0, 20, 0.5, "globex/g1",
                            Optional.of("acme"))));
            // contracted: acme may overlap globex's envelope
            assertThat(ctx.place(demand("acme/c1").phi(5).shareWith("globex")))
                    .isEqualTo(placed("acme/c1", "p", env("p", 0, 0, 1, 5, 0.5, "acme/c1", Optional.of("globex"))));
            // without naming the contract in the request, no overlap: nothing left within the horizon
            assertThat(ctx.refused(demand("acme/c2").phi(5))).isEqualTo(new Refused("acme/c2", Reason.NO_CAPACITY,
                    "no node fits 1 K slot(s), a Φ window of 5 slots at floor 0.5 (most free: 2 K slots, 0 qubits)"));
        }
    }

    // ============================================================================================ lifecycle

    @Nested
    class ReleaseAndRemoval {

        @Test
        void releaseFreesNodeAndTenantUsage() {
            ctx.tenant("acme").admit(new NodeSpec("h", 4, 8, 2, DaoTestContext.flat(2, 0.9), List.of()));
            ctx.place(demand("acme/k0").k(1));
            NodeEntry nodeBefore = ctx.node("h");
            TenantEntry tenantBefore = ctx.tenantEntry("acme");

            Placed p = ctx.place(demand("acme/c1").k(2).q(3).phi(7));
            assertThat(p).isEqualTo(new Placed("acme/c1", "acme", "h", 2, 3,
                    Optional.of(env("h", 0, 0, 0, 7, 0.5, "acme/c1"))));
            assertThat(ctx.node("h").usedK()).isEqualTo(3);
            assertThat(ctx.node("h").usedQ()).isEqualTo(3);
            assertThat(ctx.tenantEntry("acme").usage()).isEqualTo(new Quota(2, 3, 7, 3));

            assertThat(ctx.decide(new DaoInput.Release("acme/c1"))).isEqualTo(new DaoDecision.Freed("acme/c1", "h"));
            NodeEntry after = ctx.node("h");
            assertThat(List.of(after.usedK(), after.usedQ(), after.containers()))
                    .isEqualTo(List.of(nodeBefore.usedK(), nodeBefore.usedQ(), nodeBefore.containers()));
            assertThat(after.phi().envelopes()).isEmpty();
            assertThat(ctx.tenantEntry("acme")).isEqualTo(tenantBefore);
            assertThat(ctx.view().placements()).containsOnlyKeys("acme/k0");

            assertThat(ctx.refused(new DaoInput.Release("acme/c1"))).isEqualTo(new Refused("acme/c1",
                    Reason.UNKNOWN_CONTAINER, "container acme/c1 holds no placement"));
        }

        @Test
        void replacementAfterNodeLossKeepsTheOriginalPolicy() {
            ctx.tenant("acme").admit(kNode("a", 4, "gpu"), kNode("b", 4), kNode("c", 4, "gpu"));
            assertThat(ctx.place(demand("acme/g").labels("gpu")).node()).isEqualTo("a");
            assertThat(ctx.place(demand("acme/busy").labels("gpu").k(3)).node()).isEqualTo("c");
            // without its label requirement, g would now go to the emptier b
            DaoDecision d = ctx.decide(new DaoInput.RemoveNode("a", "downed"));
            assertThat(d).isInstanceOf(DaoDecision.NodeRemoved.class);
            DaoDecision.NodeRemoved r = (DaoDecision.NodeRemoved) d;
            assertThat(r.moved()).extracting(Placed::containerId, Placed::node)
                    .contains(org.assertj.core.groups.Tuple.tuple("acme/g", "c"));
            ctx.assertReplayReproducesTheView();
        }

        @Test
        void removedNodesContainersAreReplacedInIdOrderOrStranded() {
            ctx.tenant("acme").admit(qNode("a", 8, 4));
            for (String id : List.of("acme/c3", "acme/c1", "acme/c4", "acme/c2")) {
                ctx.place(demand(id));
            }
            ctx.place(demand("acme/c0").q(2));
            ctx.admit(kNode("b", 2), kNode("c", 1));
            ctx.admit(kNode("d", 8));
            ctx.decide(new DaoInput.DrainNode("d")); // draining survivors take nothing

            DaoDecision d = ctx.decide(new DaoInput.RemoveNode("a", "downed"));
            assertThat(d).isEqualTo(new DaoDecision.NodeRemoved("a",
                    List.of(placed("acme/c1", "b", 1, 0), placed("acme/c2", "c", 1, 0), placed("acme/c3", "b", 1, 0)),
                    List.of(new Refused("acme/c0", Reason.NO_CAPACITY,
                                    "no node fits 1 K slot(s), 2 qubits (most free: 2 K slots, 0 qubits)"),
                            new Refused("acme/c4", Reason.NO_CAPACITY,
                                    "no node fits 1 K slot(s) (most free: 0 K slots, 0 qubits)"))));
            assertThat(ctx.view().nodes()).containsOnlyKeys("b", "c", "d");
            assertThat(ctx.view().placements()).containsOnlyKeys("acme/c1", "acme/c2", "acme/c3");
            assertThat(ctx.view().placementsOn("b")).extracting(Placed::containerId)
                    .containsExactly("acme/c1", "acme/c3");
            assertThat(ctx.node("b").usedK()).isEqualTo(2);
            assertThat(ctx.node("c").usedK()).isEqualTo(1);
            assertThat(ctx.node("d").usedK()).isZero();
            assertThat(ctx.tenantEntry("acme").usage()).isEqualTo(new Quota(3, 0, 0, 3));
        }

        @Test
        void phiContainerMovesWithANewEnvelope() {
            ctx.tenant("acme").admit(phiNode("p1", 4, 1, 0.9), phiNode("p2", 4, 1, 0.9));
            ctx.place(demand("acme/c1").phi(10).floor(0.7));
            assertThat(ctx.view().placements().get("acme/c1").node()).isEqualTo("p1");
            Envelope moved = env("p2", 0, 0, 0, 10, 0.7, "acme/c1");
            assertThat(ctx.decide(new DaoInput.RemoveNode("p1", "left"))).isEqualTo(new DaoDecision.NodeRemoved("p1",
                    List.of(placed("acme/c1", "p2", moved)), List.of()));
            assertThat(ctx.node("p2").phi().envelopes()).containsExactly(moved);
            assertThat(ctx.tenantEntry("acme").usage()).isEqualTo(new Quota(1, 0, 10, 1));
        }

        @Test
        void removingAnUnknownNodeIsRefused() {
            assertThat(ctx.refused(new DaoInput.RemoveNode("zz", "left"))).isEqualTo(new Refused("zz",
                    Reason.UNKNOWN_NODE, "no admitted node zz"));
        }

        @Test
        void removedNodeMayRejoinEmpty() {
            ctx.tenant("acme").admit(kNode("a", 2));
            ctx.place(demand("acme/c1"));
            ctx.decide(new DaoInput.RemoveNode("a", "downed"));
            assertThat(ctx.view().placements()).isEmpty();
            ctx.admit(kNode("a", 2));
            assertThat(ctx.node("a").usedK()).isZero();
            assertThat(ctx.tenantEntry("acme").usage()).isEqualTo(Quota.ZERO);
        }
    }

    // ============================================================================================ slot clock

    @Nested
    class Ticks {

        @Test
        void tickAdvancesTheSlotAndRefusesGoingBack() {
            ctx.tenant("acme").admit(phiNode("p", 4, 1, 0.9));
            assertThat(ctx.decide(new DaoInput.Tick(5))).isEqualTo(new DaoDecision.Advanced(5));
            assertThat(ctx.view().slot()).isEqualTo(5);
            assertThat(ctx.node("p").phi().watermark()).isEqualTo(5);
            assertThat(ctx.refused(new DaoInput.Tick(3))).isEqualTo(new Refused("slot", Reason.INVALID,
                    "slot clock cannot go back from 5 to 3"));
            assertThat(ctx.decide(new DaoInput.Tick(5))).isEqualTo(new DaoDecision.Advanced(5));
            assertThat(ctx.view().slot()).isEqualTo(5);
        }

        @Test
        void windowsStartAtTheCurrentSlotAndEndedOnesAreCompacted() {
            ctx.tenant("acme").admit(phiNode("p", 4, 1, 0.9));
            ctx.decide(new DaoInput.Tick(5));
            Placed p = ctx.place(demand("acme/c1").phi(10));
            assertThat(p.envelope()).contains(env("p", 0, 5, 0, 10, 0.5, "acme/c1"));
            ctx.decide(new DaoInput.Tick(15));
            assertThat(ctx.node("p").phi().envelopes()).isEmpty();
            // the placement stays until it is released
            assertThat(ctx.view().placements()).containsOnlyKeys("acme/c1");
            assertThat(ctx.tenantEntry("acme").usage()).isEqualTo(new Quota(1, 0, 10, 1));
            assertThat(ctx.decide(new DaoInput.Release("acme/c1"))).isEqualTo(new DaoDecision.Freed("acme/c1", "p"));
            assertThat(ctx.tenantEntry("acme").usage()).isEqualTo(Quota.ZERO);
            assertThat(ctx.node("p").usedK()).isZero();
        }

        @Test
        void nodeAdmittedAfterATickTakesWindowsFromTheCurrentSlot() {
            ctx.tenant("acme");
            ctx.decide(new DaoInput.Tick(100));
            ctx.admit(phiNode("p", 4, 1, 0.9));
            assertThat(ctx.place(demand("acme/c1").phi(10)).envelope())
                    .contains(env("p", 0, 100, 0, 10, 0.5, "acme/c1"));
        }
    }

    @Test
    void runFoldsDecideAndApply() {
        List<DaoInput> inputs = List.of(
                new DaoInput.UpsertTenant(tenantSpec("acme", Capabilities.ALL, Quota.UNLIMITED)),
                new DaoInput.AdmitNode(kNode("a", 2), DaoTestContext.TRUSTED),
                new DaoInput.Place(demand("acme/c1").build()),
                new DaoInput.Place(demand("acme/c1").build()),
                new DaoInput.Release("acme/c1"));
        List<Decided> out = new java.util.ArrayList<>();
        DaoState end = Orchestration.run(DaoState.EMPTY, inputs, out);
        assertThat(out).extracting(Decided::seq).containsExactly(0L, 1L, 2L, 3L, 4L);
        assertThat(out).extracting(Decided::decision).containsExactly(
                new DaoDecision.TenantSet("acme"), new DaoDecision.NodeAdmitted("a"), placed("acme/c1", "a", 1, 0),
                new Refused("acme/c1", Reason.DUPLICATE, "container acme/c1 is already placed on a"),
                new DaoDecision.Freed("acme/c1", "a"));
        assertThat(end.seq()).isEqualTo(5);
        assertThat(end.placements()).isEmpty();
        for (DaoInput in : inputs) {
            ctx.decide(in);
        }
        assertThat(ctx.journal()).isEqualTo(out);
    }
}
