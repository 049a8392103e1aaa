package org.xdv.cdcr.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.xdv.cdcr.runtime.integration.EmbeddedNode.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xdv.cdcr.runtime.core.dao.DaoDecision;
import org.xdv.cdcr.runtime.core.dao.DaoInput;
import org.xdv.cdcr.runtime.core.dao.Decided;
import org.xdv.cdcr.runtime.integration.EmbeddedNode;

/**
 * A node the orchestrator removed while it is in fact Up (its restarted incarnation admitted itself before the
 * removal reported for the old one was decided) asks for its admission again, through the journal like any input.
 */
class AdmissionKeeperTest {

    @Test
    void anUpNodeRemovedByTheOrchestratorIsAdmittedAgain(@TempDir Path data) {
        try (EmbeddedNode node = EmbeddedNode.start(data, Map.of(CdcrRuntime.ADMISSION_CHECK, "300ms"))) {
            CdcrRuntime rt = node.runtime();
            String self = rt.node().nodeId();
            assertThat(await(rt.decide(new DaoInput.RemoveNode(self, "downed (the old incarnation)"))).decision())
                    .isInstanceOf(DaoDecision.NodeRemoved.class);

            node.<Object>probe().awaitAssert(Duration.ofSeconds(15), () -> {
                assertThat(await(rt.view()).nodes()).containsKey(self);
                return null;
            });
            List<Decided> journal = node.orchestratorJournal();
            Decided last = journal.get(journal.size() - 1);
            assertThat(last.input()).isInstanceOf(DaoInput.AdmitNode.class);
            assertThat(last.decision()).isInstanceOf(DaoDecision.NodeAdmitted.class);
            // admitted once again, not over and over
            assertThat(journal.stream().filter(d -> d.decision() instanceof DaoDecision.NodeAdmitted)).hasSize(2);
        }
    }
}
