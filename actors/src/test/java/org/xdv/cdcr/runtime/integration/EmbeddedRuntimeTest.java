package org.xdv.cdcr.runtime.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.xdv.cdcr.runtime.integration.EmbeddedNode.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xdv.cdcr.runtime.CdcrRuntime;
import org.xdv.cdcr.runtime.core.LifecycleState;
import org.xdv.cdcr.runtime.core.Quota;
import org.xdv.cdcr.runtime.core.container.ContainerResult;
import org.xdv.cdcr.runtime.core.container.ContainerState;
import org.xdv.cdcr.runtime.core.container.Termination;
import org.xdv.cdcr.runtime.core.dao.DaoDecision;
import org.xdv.cdcr.runtime.core.dao.DaoState;
import org.xdv.cdcr.runtime.core.dao.Decided;
import org.xdv.cdcr.runtime.core.dao.TenantSpec;
import org.xdv.cdcr.runtime.core.spec.ContainerSpec;

/**
 * The runtime through its public API ({@link CdcrRuntime}) on a real single-node cluster with the H2 file journal,
 * configured from {@code conf/embedded.conf}: the demo's tenants and containers run to Released with the right
 * results, refused submissions leave nothing behind, resubmission is idempotent, and a new actor system on the same
 * data directory recovers every container and the orchestrator's view.
 */
class EmbeddedRuntimeTest {

    private static final Duration RUN = Duration.ofSeconds(60);

    @Test
    void demoContainersRunToReleasedAndEverythingSurvivesARestartOnTheSameData(@TempDir Path data) {
        Map<String, ContainerSpec> accepted = new LinkedHashMap<>();
        for (ContainerSpec s : List.of(
                Specs.bell("acme", "bell", 1024, 2026),
                Specs.kOnly("globex", "k-only"),
                Specs.phi("globex", "phi-watch", 40, 0.6),
                Specs.hybrid("acme", "hybrid", 512, 7, 30, 0.5))) {
            accepted.put(s.id(), s);
        }
        List<String> ids = List.copyOf(accepted.keySet());
        ContainerSpec overQuota = Specs.wide("acme", "over-quota", 20);
        ContainerSpec implicitQ = Specs.implicitQ("globex", "implicit-q");

        Map<String, ContainerState> before = new LinkedHashMap<>();
        DaoState viewBefore;
        try (EmbeddedNode node = EmbeddedNode.start(data)) {
            CdcrRuntime rt = node.runtime();
            for (TenantSpec t : Specs.demoTenants()) {
                assertThat(await(rt.upsertTenant(t)).decision()).isEqualTo(new DaoDecision.TenantSet(t.name()));
            }
            for (ContainerSpec s : accepted.values()) {
                CdcrRuntime.Submission sub = await(rt.submit(s));
                assertThat(sub).isInstanceOfSatisfying(CdcrRuntime.Accepted.class, a -> {
                    assertThat(a.existed()).isFalse();
                    assertThat(a.state().state()).isEqualTo(LifecycleState.SCHEDULED);
                    assertThat(a.state().node()).contains(rt.node().nodeId());
                });
            }

            // refused by the orchestrator: no container, no entity events, nothing held
            assertRejected(await(rt.submit(overQuota)), DaoDecision.Reason.QUOTA, "over quota: qubits");
            assertRejected(await(rt.submit(implicitQ)), DaoDecision.Reason.CAPABILITY, "no implicit Q access");

            List<ContainerState> states = node.awaitReleased(ids, RUN);
            for (ContainerState s : states) {
                before.put(s.id(), s);
                assertThat(s.termination()).as(s.id()).contains(Termination.completed());
            }
            assertBellPair(before.get("acme/bell").result().orElseThrow(), 1024);
            assertThat(before.get("globex/k-only").result().orElseThrow().counts()).isEmpty();
            assertThat(before.get("globex/k-only").result().orElseThrow().detail()).isEqualTo("K program ran");
            assertPhiSummary(before.get("globex/phi-watch").result().orElseThrow(), 40, 0.6);
            ContainerResult hybrid = before.get("acme/hybrid").result().orElseThrow();
            assertBellPair(hybrid, 512);
            assertPhiSummary(hybrid, 30, 0.5);
            assertThat(before.get("acme/hybrid").register()).isPresent();
            assertThat(before.get("acme/hybrid").envelope()).isPresent();

            for (ContainerSpec refused : List.of(overQuota, implicitQ)) {
                assertThat(await(rt.get(refused.id())).state()).isEqualTo(LifecycleState.NONE);
            }
            assertThat(await(rt.containerIds())).containsExactlyElementsOf(ids.stream().sorted().toList());

            viewBefore = await(rt.view());
            assertNothingHeld(viewBefore);

            // resubmitting an existing id returns the existing container and decides nothing new
            CdcrRuntime.Submission again = await(rt.submit(accepted.get("acme/bell")));
            assertThat(again).isEqualTo(new CdcrRuntime.Accepted("acme/bell", before.get("acme/bell"), true));
            assertThat(await(rt.view())).isEqualTo(viewBefore);
            assertThat(await(rt.get("acme/bell"))).isEqualTo(before.get("acme/bell"));
        }

        // a new actor system on the same data directory
        try (EmbeddedNode node = EmbeddedNode.start(data)) {
            CdcrRuntime rt = node.runtime();
            for (String id : ids) {
                assertThat(await(rt.get(id))).as("%s after the restart", id).isEqualTo(before.get(id));
            }
            for (ContainerSpec refused : List.of(overQuota, implicitQ)) {
                assertThat(await(rt.get(refused.id())).state()).isEqualTo(LifecycleState.NONE);
            }
            assertThat(await(rt.containerIds())).containsExactlyElementsOf(ids.stream().sorted().toList());

            // the recovered view is the one before, plus this node's re-admission (the one input of the new start)
            List<Decided> journal = node.orchestratorJournal();
            Decided readmission = journal.get(journal.size() - 1);
            assertThat(readmission.seq()).isEqualTo(viewBefore.seq());
            assertThat(readmission.decision()).isEqualTo(new DaoDecision.NodeAdmitted(rt.node().nodeId()));
            assertThat(await(rt.view())).isEqualTo(viewBefore.apply(readmission));

            CdcrRuntime.Submission again = await(rt.submit(accepted.get("acme/hybrid")));
            assertThat(again).isEqualTo(new CdcrRuntime.Accepted("acme/hybrid", before.get("acme/hybrid"), true));
        }
    }

    private static void assertRejected(CdcrRuntime.Submission s, DaoDecision.Reason reason, String why) {
        assertThat(s).isInstanceOfSatisfying(CdcrRuntime.Rejected.class, r -> {
            assertThat(r.reason()).isEqualTo(reason);
            assertThat(r.message()).contains(why);
        });
    }

    static void assertBellPair(ContainerResult r, int shots) {
        assertThat(r.counts().keySet()).as("a Bell pair measures 00 or 11 only").isSubsetOf("00", "11");
        assertThat(r.counts().values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(shots);
    }

    private static void assertPhiSummary(ContainerResult r, long slots, double floor) {
        ContainerResult.PhiSummary phi = r.phi().orElseThrow(() -> new AssertionError("no Φ summary in " + r));
        assertThat(phi.slots()).isEqualTo(slots);
        assertThat(phi.floor()).isEqualTo(floor);
        assertThat(phi.minObserved()).isGreaterThanOrEqualTo(floor);
        assertThat(phi.meanObserved()).isBetween(phi.minObserved(), 1.0);
    }

    /** No placement, and no tenant or node holds anything. */
    static void assertNothingHeld(DaoState view) {
        assertThat(view.placements()).isEmpty();
        view.tenants().values().forEach(t -> assertThat(t.usage()).as(t.spec().name()).isEqualTo(Quota.ZERO));
        view.nodes().values().forEach(n -> {
            assertThat(n.usedK()).isZero();
            assertThat(n.usedQ()).isZero();
            assertThat(n.containers()).isZero();
            assertThat(n.phi().envelopes()).isEmpty();
        });
    }
}
