package org.xdv.cdcr.runtime.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.xdv.cdcr.runtime.integration.EmbeddedNode.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xdv.cdcr.runtime.CdcrRuntime;
import org.xdv.cdcr.runtime.core.Capabilities;
import org.xdv.cdcr.runtime.core.Quota;
import org.xdv.cdcr.runtime.core.dao.DaoDecision;
import org.xdv.cdcr.runtime.core.dao.DaoInput;
import org.xdv.cdcr.runtime.core.dao.DaoState;
import org.xdv.cdcr.runtime.core.dao.Decided;
import org.xdv.cdcr.runtime.core.dao.Orchestration;
import org.xdv.cdcr.runtime.core.dao.TenantSpec;
import org.xdv.cdcr.runtime.core.spec.ContainerSpec;

/**
 * Replay (spec §10): after a real run on an embedded node, every input in the orchestrator's journal
 * ({@code cdcr-dao}, read with the read journal) is decided again by the pure {@link Orchestration#decide} on the
 * view folded from {@link DaoState#EMPTY}; every recomputed decision equals the recorded one and the fold ends at
 * the live view. Q measurements and Φ samples happened during the run and cannot change any of it.
 */
class OrchestratorJournalReplayTest {

    @Test
    void everyRecordedDecisionIsDecidedAgainIdenticallyFromTheEmptyView(@TempDir Path data) {
        // the node removes itself at the end and must stay removed while the journal is compared (AdmissionKeeper);
        // no orphan check adds a release meanwhile (OrphanReaper)
        try (EmbeddedNode node = EmbeddedNode.start(data, java.util.Map.of(CdcrRuntime.ADMISSION_CHECK, "1h",
                CdcrRuntime.ORPHAN_CHECK, "1h"))) {
            CdcrRuntime rt = node.runtime();
            for (TenantSpec t : Specs.demoTenants()) {
                await(rt.upsertTenant(t));
            }
            await(rt.upsertTenant(new TenantSpec("Not_A_Name", List.of(Capabilities.K_EXEC), Quota.UNLIMITED,
                    List.of())));
            List<String> ids = new ArrayList<>();
            ContainerSpec longPhi = Specs.phi("globex", "long-phi", 400, 0.5);
            for (ContainerSpec s : List.of(longPhi, Specs.bell("acme", "bell", 256, 9), Specs.kOnly("globex", "k"),
                    Specs.hybrid("acme", "hybrid", 128, 4, 20, 0.5))) {
                CdcrRuntime.Submission sub = await(rt.submit(s));
                assertThat(sub).isInstanceOf(CdcrRuntime.Accepted.class);
                ids.add(sub.containerId());
            }
            // placed a moment ago and holding its envelope for 400 slots: placing it again is a duplicate
            assertThat(await(rt.decide(new DaoInput.Place(longPhi.demand()))).decision())
                    .isInstanceOfSatisfying(DaoDecision.Refused.class,
                            r -> assertThat(r.reason()).isEqualTo(DaoDecision.Reason.DUPLICATE));
            assertThat(await(rt.submit(Specs.wide("acme", "over-quota", 20))))
                    .isInstanceOf(CdcrRuntime.Rejected.class);
            assertThat(await(rt.submit(Specs.implicitQ("globex", "implicit-q"))))
                    .isInstanceOf(CdcrRuntime.Rejected.class);
            assertThat(await(rt.submit(Specs.kOnly("initech", "job")))).isInstanceOf(CdcrRuntime.Rejected.class);
            await(rt.decide(new DaoInput.SetCredential("acme",
                    "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08")));
            await(rt.decide(new DaoInput.SetCredential("globex", "not-a-hash")));
            await(rt.decide(new DaoInput.Release("acme/ghost")));
            await(rt.decide(new DaoInput.DrainNode("node-9")));
            await(rt.decide(new DaoInput.Tick(5)));
            await(rt.decide(new DaoInput.Tick(2)));
            node.awaitReleased(ids, Duration.ofSeconds(60));

            // after the slot clock moved: a Φ window from slot 5 on
            ContainerSpec later = Specs.phi("globex", "later", 10, 0.5);
            await(rt.submit(later));
            node.awaitReleased(List.of(later.id()), Duration.ofSeconds(60));
            // the node drains and leaves: nothing can be placed, then it is removed
            await(rt.decide(new DaoInput.DrainNode(rt.node().nodeId())));
            assertThat(await(rt.submit(Specs.kOnly("acme", "too-late")))).isInstanceOf(CdcrRuntime.Rejected.class);
            await(rt.decide(new DaoInput.RemoveNode(rt.node().nodeId(), "left the cluster")));
            DaoState live = await(rt.view());

            List<Decided> journal = node.orchestratorJournal();
            DaoState replayed = DaoState.EMPTY;
            for (Decided recorded : journal) {
                assertThat(recorded.seq()).isEqualTo(replayed.seq());
                DaoDecision again = Orchestration.decide(replayed, recorded.input());
                assertThat(again).as("decision #%d for %s", recorded.seq(), recorded.input())
                        .isEqualTo(recorded.decision());
                replayed = replayed.apply(recorded);
            }
            assertThat(replayed).isEqualTo(live);

            // the run exercised every kind of decision and refusal the replay had to reproduce
            Set<String> kinds = new TreeSet<>();
            EnumSet<DaoDecision.Reason> reasons = EnumSet.noneOf(DaoDecision.Reason.class);
            for (Decided d : journal) {
                kinds.add(d.decision().getClass().getSimpleName());
                if (d.decision() instanceof DaoDecision.Refused r) {
                    reasons.add(r.reason());
                }
            }
            assertThat(kinds).contains("TenantSet", "NodeAdmitted", "Placed", "Freed", "Refused", "Advanced",
                    "Draining", "NodeRemoved", "CredentialSet");
            assertThat(reasons).contains(DaoDecision.Reason.INVALID, DaoDecision.Reason.UNKNOWN_TENANT,
                    DaoDecision.Reason.CAPABILITY, DaoDecision.Reason.QUOTA, DaoDecision.Reason.NO_CAPACITY,
                    DaoDecision.Reason.DUPLICATE, DaoDecision.Reason.UNKNOWN_CONTAINER,
                    DaoDecision.Reason.UNKNOWN_NODE);
            assertThat(journal.stream().filter(d -> d.decision() instanceof DaoDecision.Placed p
                    && p.envelope().isPresent()).count()).as("Φ placements").isEqualTo(3);
        }
    }
}
