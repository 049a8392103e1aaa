package org.xdv.cdcr.runtime.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.xdv.cdcr.runtime.integration.EmbeddedNode.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xdv.cdcr.runtime.CdcrRuntime;
import org.xdv.cdcr.runtime.core.container.ContainerState;
import org.xdv.cdcr.runtime.core.dao.Decided;
import org.xdv.cdcr.runtime.core.dao.TenantSpec;
import org.xdv.cdcr.runtime.core.spec.ContainerSpec;
import org.xdv.cdcr.runtime.replay.JournalReplay;
import org.xdv.cdcr.runtime.replay.ReplayVerifier;

/**
 * Spec §10: Q randomness and Φ stability variations never alter orchestration decisions. The same submissions run
 * twice on fresh nodes — once with Q measurement seeds 1, 2, 3… and Φ noise seed 1, once with seeds 1001, 1002…
 * and Φ noise seed 77 — one container at a time, each to Released. The measurement counts and the observed
 * stability differ between the runs (and with them which Φ container faults on instability); the orchestrator's
 * journals are identical, and each replays without divergence.
 */
class SeedIndependenceTest {

    @Test
    void otherSeedsAndNoiseChangeResultsNotDecisions(@TempDir Path tmp) {
        Run a = run(tmp.resolve("a"), 0, 1);
        Run b = run(tmp.resolve("b"), 1000, 77);
        assertThat(b.journal()).isEqualTo(a.journal());
        assertThat(b.journal()).hasSizeGreaterThan(10);
        // the seeds did change what the containers observed
        assertThat(b.results()).isNotEqualTo(a.results());
    }

    private record Run(List<Decided> journal, List<String> results) {
    }

    private static Run run(Path data, long qSeedOffset, long phiRunSeed) {
        try (EmbeddedNode node = EmbeddedNode.start(data, Map.of("cdcr.node.phi-run-seed", phiRunSeed))) {
            CdcrRuntime rt = node.runtime();
            for (TenantSpec t : Specs.demoTenants()) {
                await(rt.upsertTenant(t));
            }
            List<ContainerSpec> specs = List.of(
                    Specs.bell("acme", "bell-1", 300, qSeedOffset + 1),
                    Specs.hybrid("acme", "hybrid-1", 200, qSeedOffset + 2, 12, 0.8),
                    Specs.phi("globex", "phi-1", 30, 0.85),
                    Specs.phi("globex", "phi-2", 30, 0.8),
                    Specs.bell("acme", "bell-2", 300, qSeedOffset + 3),
                    Specs.kOnly("globex", "k-1"),
                    Specs.hybrid("acme", "hybrid-2", 200, qSeedOffset + 4, 12, 0.8));
            List<String> results = new ArrayList<>();
            for (ContainerSpec s : specs) {
                await(rt.submit(s));
                ContainerState done = node.awaitReleased(List.of(s.id()), Duration.ofSeconds(60)).get(0);
                results.add(s.id() + " " + done.termination() + " " + done.result());
            }
            List<Decided> journal = node.orchestratorJournal();
            ReplayVerifier.Report replay = await(JournalReplay.run(node.system(), "jdbc-read-journal",
                    new ReplayVerifier(), n -> { }));
            assertThat(replay.divergence()).isEmpty();
            return new Run(journal, results);
        }
    }
}
