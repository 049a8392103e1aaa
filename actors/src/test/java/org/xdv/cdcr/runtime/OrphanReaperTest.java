package org.xdv.cdcr.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.xdv.cdcr.runtime.integration.EmbeddedNode.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.persistence.query.javadsl.CurrentEventsByPersistenceIdQuery;
import org.apache.pekko.stream.javadsl.Sink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xdv.cdcr.persistence.journal.EmbeddedJournal;
import org.xdv.cdcr.runtime.container.HybridContainer;
import org.xdv.cdcr.runtime.core.LifecycleState;
import org.xdv.cdcr.runtime.core.Quota;
import org.xdv.cdcr.runtime.core.container.ContainerEvent;
import org.xdv.cdcr.runtime.core.container.ContainerState;
import org.xdv.cdcr.runtime.core.dao.DaoDecision;
import org.xdv.cdcr.runtime.core.dao.DaoInput;
import org.xdv.cdcr.runtime.core.dao.Decided;
import org.xdv.cdcr.runtime.core.spec.ContainerSpec;
import org.xdv.cdcr.runtime.integration.EmbeddedNode;
import org.xdv.cdcr.runtime.integration.Specs;
import org.xdv.cdcr.runtime.replay.JournalReplay;
import org.xdv.cdcr.runtime.replay.ReplayVerifier;

/**
 * A placement whose container was never created (its submission lost between placement and creation) does not
 * hold its resources for ever: it is given up through its entity and released, and a late Create for it is refused.
 * A client that submits the same container again gets it placed afresh. The journals replay without divergence.
 */
class OrphanReaperTest {

    @Test
    void aPlacementNeverFollowedByItsContainerIsGivenUpAndReleased(@TempDir Path data) {
        try (EmbeddedNode node = acmeNode(data, "300ms")) {
            CdcrRuntime rt = node.runtime();
            ContainerSpec lost = Specs.kOnly("acme", "lost");
            Decided placed = await(rt.decide(new DaoInput.Place(lost.demand())));
            assertThat(placed.decision()).isInstanceOf(DaoDecision.Placed.class);
            // a real container beside it runs its whole lifecycle untouched
            ContainerSpec real = Specs.kOnly("acme", "real");
            assertThat(await(rt.submit(real))).isInstanceOf(CdcrRuntime.Accepted.class);
            node.awaitReleased(List.of(real.id()), Duration.ofSeconds(60));

            node.<Object>probe().awaitAssert(Duration.ofSeconds(20), () -> {
                assertThat(await(rt.view()).placements()).doesNotContainKey(lost.id());
                return null;
            });
            assertThat(await(rt.view()).tenants().get("acme").usage()).isEqualTo(Quota.ZERO);
            List<Decided> journal = node.orchestratorJournal();
            assertThat(journal.stream().filter(d -> d.input() instanceof DaoInput.Release r
                    && r.containerId().equals(lost.id())))
                    .singleElement()
                    .satisfies(d -> assertThat(d.decision()).isInstanceOf(DaoDecision.Freed.class));
            assertThat(events(node, lost.id())).singleElement().isInstanceOfSatisfying(ContainerEvent.Abandoned.class,
                    a -> assertThat(a.upToSeq()).isGreaterThanOrEqualTo(placed.seq()));
            assertThat(events(node, real.id())).noneMatch(ContainerEvent.Abandoned.class::isInstance);

            // the lost submission's Create, arriving late, is refused and creates nothing
            var late = await(rt.entity(lost.id()).<org.apache.pekko.pattern.StatusReply<ContainerState>>ask(
                    r -> new HybridContainer.Create(lost, (DaoDecision.Placed) placed.decision(), placed.seq(), r),
                    Duration.ofSeconds(10)));
            assertThat(late.isError()).isTrue();
            assertThat(await(rt.get(lost.id())).state()).isEqualTo(LifecycleState.NONE);

            // submitted again, it is placed afresh and runs
            assertThat(await(rt.submit(lost))).isInstanceOfSatisfying(CdcrRuntime.Accepted.class,
                    a -> assertThat(a.existed()).isFalse());
            node.awaitReleased(List.of(lost.id()), Duration.ofSeconds(60));
            assertThat(replay(node).ok()).as("%s", replay(node)).isTrue();
        }
    }

    @Test
    void aSubmissionFindingItsContainerPlacedButNeverCreatedPlacesItAfresh(@TempDir Path data) {
        try (EmbeddedNode node = acmeNode(data, "1h")) {
            CdcrRuntime rt = node.runtime();
            ContainerSpec spec = Specs.kOnly("acme", "retried");
            // the first attempt's node died between placement and creation; the client submits again
            Decided first = await(rt.decide(new DaoInput.Place(spec.demand())));
            assertThat(await(rt.submit(spec))).isInstanceOfSatisfying(CdcrRuntime.Accepted.class,
                    a -> assertThat(a.existed()).isFalse());

            ContainerState done = node.awaitReleased(List.of(spec.id()), Duration.ofSeconds(60)).get(0);
            assertThat(done.termination().orElseThrow().label()).isEqualTo("completed");
            assertThat(done.decisionSeq()).as("scheduled by the new placement").isGreaterThan(first.seq());
            List<ContainerEvent> events = events(node, spec.id());
            assertThat(events.get(0)).isInstanceOf(ContainerEvent.Abandoned.class);
            assertThat(events.get(1)).isInstanceOf(ContainerEvent.Created.class);
            assertThat(await(rt.view()).tenants().get("acme").usage()).isEqualTo(Quota.ZERO);
            JournalReplay.FullReport report = replay(node);
            assertThat(report.ok()).as("%s", report).isTrue();
            assertThat(report.containersChecked()).isEqualTo(1);
        }
    }

    /** A node checking for orphan placements every {@code interval}, with tenant acme. */
    private static EmbeddedNode acmeNode(Path data, String interval) {
        EmbeddedNode node = EmbeddedNode.start(data, Map.of(CdcrRuntime.ORPHAN_CHECK, interval));
        try {
            await(node.runtime().upsertTenant(Specs.tenant("acme", 10)));
            return node;
        } catch (RuntimeException | Error e) {
            node.close();
            throw e;
        }
    }

    private static List<ContainerEvent> events(EmbeddedNode node, String containerId) {
        CurrentEventsByPersistenceIdQuery q = PersistenceQuery.get(node.system())
                .getReadJournalFor(CurrentEventsByPersistenceIdQuery.class, EmbeddedJournal.READ_JOURNAL_PLUGIN_ID);
        List<ContainerEvent> out = new ArrayList<>();
        for (var env : await(q.currentEventsByPersistenceId(HybridContainer.persistenceId(containerId), 0,
                Long.MAX_VALUE).runWith(Sink.seq(), node.system()))) {
            out.add((ContainerEvent) env.event());
        }
        return out;
    }

    private static JournalReplay.FullReport replay(EmbeddedNode node) {
        return await(JournalReplay.runAll(node.system(), EmbeddedJournal.READ_JOURNAL_PLUGIN_ID, new ReplayVerifier(),
                n -> { }, n -> { }));
    }
}
