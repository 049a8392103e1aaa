package org.xdv.cdcr.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.xdv.cdcr.node.cluster.ControlPlaneClient;
import org.xdv.cdcr.node.cluster.LocalCluster;
import org.xdv.cdcr.node.proto.Container;
import org.xdv.cdcr.node.proto.State;
import org.xdv.cdcr.runtime.core.dao.DaoDecision;
import org.xdv.cdcr.runtime.core.dao.DaoInput;
import org.xdv.cdcr.runtime.core.dao.Decided;

/**
 * Scenario 4: a fourth node joins a running cluster and new placements use it; then a node leaves gracefully
 * (SIGTERM: coordinated shutdown leaves the cluster). The orchestrator first marks it draining — no placement lands
 * on it after that decision — then removes it and re-places its containers in container-id order; they run to
 * completion elsewhere.
 */
class ScaleOutAndDrainIT {

    @Test
    void fourthNodeTakesWorkAndGracefulLeaveDrains() throws Exception {
        String name = "scale";
        List<LocalCluster.NodeSpec> nodes = List.of(
                new LocalCluster.NodeSpec("a", 16, 0, 4, List.of()),
                new LocalCluster.NodeSpec("b", 16, 0, 4, List.of()),
                new LocalCluster.NodeSpec("c", 16, 0, 4, List.of()),
                new LocalCluster.NodeSpec("d", 16, 0, 4, List.of()));
        LocalCluster cluster = ClusterFixture.cluster(name, 3, nodes, SingletonFailoverIT.JVM);
        try (ControlPlaneClient client = new ControlPlaneClient(cluster.token())) {
            cluster.start("a");
            cluster.awaitUp(client, "a", List.of("a"), Duration.ofSeconds(180));
            cluster.start("b");
            cluster.start("c");
            for (String id : List.of("a", "b", "c")) {
                cluster.awaitUp(client, id, List.of("a", "b", "c"), Duration.ofSeconds(180));
            }
            String a = cluster.endpoint("a");
            ClusterFixture.createTenant(client, a, "sc", List.of("k.exec", "phi.envelope", "phi.sample"));
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                ids.add(submitLong(client, a, String.format("x-%02d", i)));
            }
            cluster.start("d");
            for (String id : List.of("a", "d")) {
                cluster.awaitUp(client, id, List.of("a", "b", "c", "d"), Duration.ofSeconds(180));
            }
            List<String> later = new ArrayList<>();
            for (int i = 6; i < 9; i++) {
                later.add(submitLong(client, a, String.format("x-%02d", i)));
            }
            ids.addAll(later);
            Map<String, String> nodeOf = awaitActive(client, a, ids);
            assertThat(later.stream().map(nodeOf::get)).as("nodes of the placements after d joined").contains("d");

            List<String> onC = ids.stream().filter(id -> nodeOf.get(id).equals("c")).sorted().toList();
            assertThat(onC).as("containers running on c").isNotEmpty();
            long leave = System.nanoTime();
            cluster.stop("c", Duration.ofSeconds(60));
            Map<String, String> after = new TreeMap<>();
            ClusterFixture.await("c's containers Active elsewhere", Duration.ofSeconds(90), () -> {
                try {
                    for (String id : onC) {
                        Container x = ClusterFixture.get(client, a, id);
                        if (x.getNode().equals("c") || x.getState() != State.STATE_ACTIVE) {
                            return false;
                        }
                        after.put(id, x.getNode());
                    }
                    return true;
                } catch (Exception e) {
                    return false;
                }
            });
            System.out.printf("[it] graceful leave of c: its %d containers Active on %s after %.1f s%n", onC.size(),
                    new java.util.TreeSet<>(after.values()), (System.nanoTime() - leave) / 1e9);

            ClusterFixture.Journal journal = ClusterFixture.readJournal(name);
            assertThat(journal.replay().divergence()).isEmpty();
            long drainedAt = -1;
            DaoDecision.NodeRemoved removal = null;
            for (Decided d : journal.decisions()) {
                if (d.decision() instanceof DaoDecision.Draining dr && dr.node().equals("c")) {
                    drainedAt = d.seq();
                }
                if (drainedAt >= 0 && d.input() instanceof DaoInput.Place
                        && d.decision() instanceof DaoDecision.Placed p) {
                    assertThat(p.node()).as("placement #" + d.seq() + " after c started draining").isNotEqualTo("c");
                }
                if (d.decision() instanceof DaoDecision.NodeRemoved r && r.node().equals("c")) {
                    assertThat(drainedAt).as("c drained before it was removed").isBetween(0L, d.seq() - 1);
                    removal = r;
                }
            }
            assertThat(removal).as("NodeRemoved(c)").isNotNull();
            assertThat(removal.moved().stream().map(DaoDecision.Placed::containerId).toList())
                    .as("re-placed in container-id order").isEqualTo(onC);
            for (DaoDecision.Placed p : removal.moved()) {
                assertThat(after.get(p.containerId())).isEqualTo(p.node());
            }
        } finally {
            ClusterFixture.teardown(cluster);
        }
    }

    /** 600 Φ slots of 100 ms: the first six still run (and load a, b, c) when d has joined, however slowly. */
    static String submitLong(ControlPlaneClient client, String endpoint, String name) throws Exception {
        ClusterFixture.submit(client, endpoint, ClusterFixture.phi("sc", name, 600)
                .replace("affinity: phi-coherent", "affinity: balanced"));
        return "sc/" + name;
    }

    static Map<String, String> awaitActive(ControlPlaneClient client, String endpoint, List<String> ids)
            throws InterruptedException {
        Map<String, String> nodeOf = new TreeMap<>();
        ClusterFixture.awaitContainers(client, endpoint, ids, c -> c.getState() == State.STATE_ACTIVE, "all Active",
                Duration.ofSeconds(60)).forEach((id, c) -> nodeOf.put(id, c.getNode()));
        return nodeOf;
    }
}
