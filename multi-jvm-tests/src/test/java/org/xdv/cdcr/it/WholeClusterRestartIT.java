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
import org.xdv.cdcr.runtime.core.dao.DaoInput;
import org.xdv.cdcr.runtime.core.dao.Decided;

/**
 * Scenario 5: every node of the cluster is killed at once ({@code kill -9}) while containers run, and the cluster is
 * started again from the same Cassandra. The orchestrator recovers exactly — the journal before the crash is
 * unchanged and the only new decisions are the nodes' re-admissions — finished containers stay as they were, and
 * the running ones re-bind on the node the orchestrator had placed them on and complete there.
 */
class WholeClusterRestartIT {

    @Test
    void crashedClusterRecoversEveryContainerAndTheOrchestrator() throws Exception {
        String name = "restart";
        List<LocalCluster.NodeSpec> nodes = List.of(
                new LocalCluster.NodeSpec("a", 16, 16, 4, List.of()),
                new LocalCluster.NodeSpec("b", 16, 16, 4, List.of()),
                new LocalCluster.NodeSpec("c", 16, 16, 4, List.of()));
        LocalCluster cluster = ClusterFixture.cluster(name, 4, nodes, SingletonFailoverIT.JVM);
        try (ControlPlaneClient client = new ControlPlaneClient(cluster.token())) {
            ClusterFixture.startAll(cluster, client);
            String a = cluster.endpoint("a");
            ClusterFixture.createTenant(client, a, "rs",
                    List.of("k.exec", "q.alloc", "q.run", "q.measure", "phi.envelope", "phi.sample"));
            List<String> done = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                String n = String.format("q-%02d", i);
                ClusterFixture.submit(client, a, ClusterFixture.qHeavy("rs", n, i));
                done.add("rs/" + n);
            }
            List<String> running = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                String n = String.format("p-%02d", i);
                ClusterFixture.submit(client, a, ClusterFixture.phi("rs", n, 250)
                        .replace("affinity: phi-coherent", "affinity: balanced"));
                running.add("rs/" + n);
            }
            Map<String, Container> before = new TreeMap<>();
            ClusterFixture.await("Q containers released, Φ containers Active", Duration.ofSeconds(60), () -> {
                try {
                    for (String id : done) {
                        Container c = ClusterFixture.get(client, a, id);
                        if (c.getState() != State.STATE_RELEASED) {
                            return false;
                        }
                        before.put(id, c);
                    }
                    for (String id : running) {
                        Container c = ClusterFixture.get(client, a, id);
                        if (c.getState() != State.STATE_ACTIVE) {
                            return false;
                        }
                        before.put(id, c);
                    }
                    return true;
                } catch (Exception e) {
                    return false;
                }
            });
            List<Decided> journalBefore = ClusterFixture.readJournal(name).decisions();

            for (String id : List.of("a", "b", "c")) {
                cluster.process(id).orElseThrow().process().destroyForcibly();
            }
            for (String id : List.of("a", "b", "c")) {
                cluster.kill(id);
            }
            long restart = System.nanoTime();
            ClusterFixture.startAll(cluster, client);
            System.out.printf("[it] whole cluster restarted in %.1f s%n", (System.nanoTime() - restart) / 1e9);

            for (String id : done) {
                Container c = ClusterFixture.get(client, cluster.endpoint("b"), id);
                assertThat(c.getState()).isEqualTo(State.STATE_RELEASED);
                assertThat(c).as(id + " unchanged by the restart").isEqualTo(before.get(id));
            }
            ClusterFixture.await("Φ containers completed where they were placed", Duration.ofSeconds(120), () -> {
                try {
                    for (String id : running) {
                        Container c = ClusterFixture.get(client, a, id);
                        if (c.getState() != State.STATE_RELEASED) {
                            return false;
                        }
                    }
                    return true;
                } catch (Exception e) {
                    return false;
                }
            });
            for (String id : running) {
                Container c = ClusterFixture.get(client, a, id);
                assertThat(c.getNode()).as(id + " node").isEqualTo(before.get(id).getNode());
                assertThat(c.getDecisionSeq()).as(id + " placement decision").isEqualTo(before.get(id).getDecisionSeq());
                assertThat(c.getTermination().getKind()).as(id + " " + c.getTermination()).isEqualTo("completed");
            }

            ClusterFixture.Journal after = ClusterFixture.readJournal(name);
            assertThat(after.replay().divergence()).isEmpty();
            assertThat(after.decisions().subList(0, journalBefore.size())).isEqualTo(journalBefore);
            List<Decided> since = after.decisions().subList(journalBefore.size(), after.decisions().size());
            assertThat(since.stream().filter(d -> !(d.input() instanceof DaoInput.Release)).map(d -> d.input()
                    .getClass().getSimpleName() + ":" + ((d.input() instanceof DaoInput.AdmitNode n) ? n.node().id() : "")))
                    .as("new decisions other than the Φ containers' releases")
                    .containsExactlyInAnyOrder("AdmitNode:a", "AdmitNode:b", "AdmitNode:c");
        } finally {
            ClusterFixture.teardown(cluster);
        }
    }
}
