package org.xdv.cdcr.runtime.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.xdv.cdcr.runtime.integration.EmbeddedNode.await;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.persistence.query.javadsl.CurrentEventsByPersistenceIdQuery;
import org.apache.pekko.stream.javadsl.Sink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xdv.cdcr.persistence.journal.EmbeddedJournal;
import org.xdv.cdcr.phi.PhiConfig;
import org.xdv.cdcr.runtime.CdcrRuntime;
import org.xdv.cdcr.runtime.core.dao.Attestation;
import org.xdv.cdcr.runtime.core.dao.DaoDecision;
import org.xdv.cdcr.runtime.core.dao.DaoInput;
import org.xdv.cdcr.runtime.core.dao.Decided;
import org.xdv.cdcr.runtime.core.dao.NodeSpec;
import org.xdv.cdcr.runtime.integration.EmbeddedNode;
import org.xdv.cdcr.runtime.integration.Specs;
import org.xdv.cdcr.runtime.orchestrator.Orchestrator;

/**
 * A node removal, decided and persisted, is carried out in the decided order — the moved container told to re-bind
 * with the removal's sequence number, the stranded one told to end — and carried out again, from the real journal,
 * when the orchestrator reports a recovery.
 */
class NodeRemovalsTest {

    private record Told(String containerId, HybridContainer.Command command) {
    }

    @Test
    void aRemovalIsCarriedOutWhenDecidedAndAgainAfterARecovery(@TempDir Path data) {
        try (EmbeddedNode node = EmbeddedNode.start(data)) {
            CdcrRuntime rt = node.runtime();
            await(rt.upsertTenant(Specs.tenant("acme", 10)));
            // the node's own K slots are closed to new work, so both containers go to "ghost"; "spare" has room for one
            await(rt.decide(new DaoInput.DrainNode(rt.node().nodeId())));
            await(rt.decide(new DaoInput.AdmitNode(k("ghost", 4), Attestation.operatorTrusted("ghost"))));
            for (String name : List.of("a", "b")) {
                assertThat(await(rt.decide(new DaoInput.Place(Specs.kOnly("acme", name).demand()))).decision())
                        .isInstanceOfSatisfying(DaoDecision.Placed.class, p -> assertThat(p.node()).isEqualTo("ghost"));
            }
            await(rt.decide(new DaoInput.AdmitNode(k("spare", 1), Attestation.operatorTrusted("spare"))));
            Decided removal = await(rt.decide(new DaoInput.RemoveNode("ghost", "downed")));
            DaoDecision.NodeRemoved removed = (DaoDecision.NodeRemoved) removal.decision();
            DaoDecision.Placed movedA = removed.moved().get(0);
            assertThat(movedA.containerId()).isEqualTo("acme/a");
            assertThat(movedA.node()).isEqualTo("spare");
            assertThat(removed.stranded()).extracting(DaoDecision.Refused::subject).containsExactly("acme/b");

            List<Told> told = new CopyOnWriteArrayList<>();
            NodeRemovals removals = new NodeRemovals(node.system(), EmbeddedJournal.READ_JOURNAL_PLUGIN_ID,
                    (id, c) -> told.add(new Told(id, c)));
            List<Told> expected = List.of(
                    new Told("acme/a", new HybridContainer.Reschedule("ghost", movedA, removal.seq())),
                    new Told("acme/b", new HybridContainer.Strand("ghost", removed.stranded().get(0).message())));

            removals.decided(removal);
            removals.decided(new Decided(removal.seq() - 1, new DaoInput.Release("acme/x"),
                    new DaoDecision.Freed("acme/x", "ghost"))); // not a removal: nothing to carry out
            assertThat(told).isEqualTo(expected);

            told.clear();
            removals.recovered(batches(node));
            node.<Object>probe().awaitAssert(() -> {
                assertThat(told).isEqualTo(expected);
                return null;
            });
        }
    }

    private static NodeSpec k(String id, int kSlots) {
        return new NodeSpec(id, kSlots, 0, 0, PhiConfig.defaults(1), List.of());
    }

    /** The orchestrator journal's length in batches (its last sequence number). */
    private static long batches(EmbeddedNode node) {
        CurrentEventsByPersistenceIdQuery q = PersistenceQuery.get(node.system())
                .getReadJournalFor(CurrentEventsByPersistenceIdQuery.class, EmbeddedJournal.READ_JOURNAL_PLUGIN_ID);
        return await(q.currentEventsByPersistenceId(Orchestrator.PERSISTENCE_ID.id(), 0, Long.MAX_VALUE)
                .runWith(Sink.seq(), node.system())).size();
    }
}
