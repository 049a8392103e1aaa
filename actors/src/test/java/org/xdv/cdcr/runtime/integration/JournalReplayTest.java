package org.xdv.cdcr.runtime.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.xdv.cdcr.runtime.integration.EmbeddedNode.await;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xdv.cdcr.phi.PhiConfig;
import org.xdv.cdcr.runtime.CdcrRuntime;
import org.xdv.cdcr.runtime.core.Capabilities;
import org.xdv.cdcr.runtime.core.Quota;
import org.xdv.cdcr.runtime.core.dao.Affinity;
import org.xdv.cdcr.runtime.core.dao.Attestation;
import org.xdv.cdcr.runtime.core.dao.DaoDecision;
import org.xdv.cdcr.runtime.core.dao.DaoInput;
import org.xdv.cdcr.runtime.core.dao.DaoState;
import org.xdv.cdcr.runtime.core.dao.Decided;
import org.xdv.cdcr.runtime.core.dao.Demand;
import org.xdv.cdcr.runtime.core.dao.NodeEntry;
import org.xdv.cdcr.runtime.core.dao.NodeSpec;
import org.xdv.cdcr.runtime.core.dao.Orchestration;
import org.xdv.cdcr.runtime.core.dao.TenantSpec;
import org.xdv.cdcr.runtime.replay.JournalReplay;
import org.xdv.cdcr.runtime.replay.ReplayVerifier;

/**
 * {@link JournalReplay} over a journal written by a real embedded node: no divergence with the runtime's own
 * decision function; a substituted tie-break, a dropped, a reordered or an edited record each gives a divergence
 * at the right sequence number.
 */
class JournalReplayTest {

    @Test
    void replayFindsNoDivergenceAndCatchesEveryTampering(@TempDir Path data) {
        try (EmbeddedNode node = EmbeddedNode.start(data)) {
            CdcrRuntime rt = node.runtime();
            await(rt.upsertTenant(new TenantSpec("acme", Capabilities.ALL, Quota.UNLIMITED, List.of())));
            for (String id : List.of("sim-a", "sim-b", "sim-c")) {
                await(rt.decide(new DaoInput.AdmitNode(new NodeSpec(id, 8, 0, 0, PhiConfig.defaults(1), List.of()),
                        Attestation.operatorTrusted("test"))));
            }
            for (int i = 0; i < 12; i++) {
                await(rt.decide(new DaoInput.Place(new Demand("acme/job-" + i, "acme", 1, 0, 0, 0, Optional.empty(),
                        Affinity.BALANCED, List.of(), List.of(), List.of(Capabilities.K_EXEC)))));
                if (i % 3 == 2) {
                    await(rt.decide(new DaoInput.Release("acme/job-" + (i - 1))));
                }
            }

            ReplayVerifier.Report ok = await(JournalReplay.run(node.system(), "jdbc-read-journal",
                    new ReplayVerifier(), n -> { }));
            assertThat(ok.ok()).as("%s", ok.divergence()).isTrue();
            assertThat(ok.verified().get("Place")).isEqualTo(12);
            assertThat(ok.verified().get("Release")).isEqualTo(4);
            assertThat(ok.view()).isEqualTo(await(rt.view()));
            List<Decided> journal = node.orchestratorJournal();
            assertThat(ok.eventsRead()).isEqualTo(journal.size());

            // a different tie-break (highest node id among equally loaded nodes) is caught at the first tie
            ReplayVerifier.Report tie = await(JournalReplay.run(node.system(), "jdbc-read-journal",
                    new ReplayVerifier(JournalReplayTest::highestIdTieBreak), n -> { }));
            Decided firstPlace = journal.stream().filter(d -> d.input() instanceof DaoInput.Place).findFirst()
                    .orElseThrow();
            assertThat(tie.divergence()).hasValueSatisfying(d -> {
                assertThat(d.seq()).isEqualTo(firstPlace.seq());
                assertThat(((DaoDecision.Placed) d.recorded().orElseThrow()).node()).isEqualTo("node-1");
                assertThat(((DaoDecision.Placed) d.recomputed().orElseThrow()).node()).isEqualTo("sim-c");
                assertThat(d.explanation()).contains("recorded node node-1").contains("recomputed node sim-c");
            });

            // a dropped record
            int k = journal.size() / 2;
            List<Decided> dropped = new ArrayList<>(journal);
            dropped.remove(k);
            assertThat(verify(dropped).divergence()).hasValueSatisfying(d -> {
                assertThat(d.seq()).isEqualTo(journal.get(k + 1).seq());
                assertThat(d.explanation()).contains("a record is missing");
            });
            // two records swapped
            List<Decided> swapped = new ArrayList<>(journal);
            Collections.swap(swapped, k, k + 1);
            assertThat(verify(swapped).divergence()).hasValueSatisfying(d ->
                    assertThat(d.seq()).isEqualTo(journal.get(k + 1).seq()));
            // one recorded decision edited: another node
            int p = journal.indexOf(journal.stream().filter(d -> d.decision() instanceof DaoDecision.Placed)
                    .skip(3).findFirst().orElseThrow());
            DaoDecision.Placed orig = (DaoDecision.Placed) journal.get(p).decision();
            String other = orig.node().equals("sim-a") ? "sim-b" : "sim-a";
            List<Decided> edited = new ArrayList<>(journal);
            edited.set(p, new Decided(journal.get(p).seq(), journal.get(p).input(), new DaoDecision.Placed(
                    orig.containerId(), orig.tenant(), other, orig.kSlots(), orig.qubits(), orig.envelope())));
            assertThat(verify(edited).divergence()).hasValueSatisfying(d -> {
                assertThat(d.seq()).isEqualTo(journal.get(p).seq());
                assertThat(d.recomputed()).contains(orig);
            });
        }
    }

    private static ReplayVerifier.Report verify(List<Decided> records) {
        ReplayVerifier v = new ReplayVerifier();
        v.acceptAll(records);
        return v.report();
    }

    /** The runtime's decision, except that among equally loaded fitting nodes the highest id wins. */
    private static DaoDecision highestIdTieBreak(DaoState view, DaoInput input) {
        DaoDecision d = Orchestration.decide(view, input);
        if (!(input instanceof DaoInput.Place place) || !(d instanceof DaoDecision.Placed p)) {
            return d;
        }
        NodeEntry chosen = view.nodes().get(p.node());
        String best = p.node();
        for (NodeEntry n : view.nodes().values()) {
            boolean sameLoad = (long) n.usedK() * chosen.spec().kSlots() == (long) chosen.usedK() * n.spec().kSlots();
            if (sameLoad && n.freeK() >= place.demand().kSlots() && !n.draining() && n.spec().id().compareTo(best) > 0) {
                best = n.spec().id();
            }
        }
        return new DaoDecision.Placed(p.containerId(), p.tenant(), best, p.kSlots(), p.qubits(), p.envelope());
    }
}
