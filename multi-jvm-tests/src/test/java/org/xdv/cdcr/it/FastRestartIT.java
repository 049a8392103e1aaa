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
import org.xdv.cdcr.runtime.core.dao.Decided;

/**
 * A node killed ({@code kill -9}) and started again at once, under the same id and ports, while its containers run.
 * Its new incarnation joins while the old one is being removed, so the orchestrator may hear of the new node's
 * admission and of the old one's removal in either order. Either way: the node ends up an admitted, Up member; each
 * of its containers becomes Active again exactly once — re-bound on the restarted node, or moved by the removal —
 * and runs to completion; no two containers ever hold the same register; the journal replays without divergence.
 */
class FastRestartIT {

    @Test
    void aNodeRestartedAtOnceIsAdmittedAgainAndItsContainersRunToTheirEnd() throws Exception {
        String name = "fast-restart";
        List<LocalCluster.NodeSpec> nodes = List.of(
                new LocalCluster.NodeSpec("a", 32, 16, 4, List.of()),
                new LocalCluster.NodeSpec("b", 32, 16, 4, List.of()),
                new LocalCluster.NodeSpec("c", 32, 16, 4, List.of()));
        LocalCluster cluster = ClusterFixture.cluster(name, 6, nodes, SingletonFailoverIT.JVM);
        try (ControlPlaneClient client = new ControlPlaneClient(cluster.token())) {
            ClusterFixture.startAll(cluster, client);
            String a = cluster.endpoint("a");
            ClusterFixture.createTenant(client, a, "ta", List.of("k.exec", "q.alloc", "q.run", "q.measure",
                    "phi.envelope", "phi.sample"));
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 9; i++) {
                String n = String.format("job-%02d", i);
                ClusterFixture.submit(client, a, NodeLossIT.hybrid("ta", n, 150));
                ids.add("ta/" + n);
            }
            Map<String, Container> active = ClusterFixture.awaitContainers(client, a, ids,
                    c -> c.getState() == State.STATE_ACTIVE, "all Active", Duration.ofSeconds(60));
            List<String> onB = ids.stream().filter(id -> active.get(id).getNode().equals("b")).sorted().toList();
            assertThat(onB).as("containers running on b").isNotEmpty();

            long kill = System.nanoTime();
            cluster.kill("b");
            cluster.start("b");
            // asked through b: only the new incarnation can answer there (it serves once it has admitted itself)
            cluster.awaitUp(client, "b", List.of("a", "b", "c"), Duration.ofSeconds(120));
            double up = (System.nanoTime() - kill) / 1e9;
            Map<String, String> after = new TreeMap<>();
            ClusterFixture.awaitContainers(client, a, onB, c -> c.getState() == State.STATE_ACTIVE
                    || c.getState() == State.STATE_RELEASED, "b's containers Active or done again",
                    Duration.ofSeconds(120)).forEach((id, c) -> after.put(id, c.getNode()));
            System.out.printf("[it] kill -9 b and start it again: the new b answering, admitted and Up after %.1f s; "
                    + "its containers now on %s%n", up, after);

            Map<String, Container> ended = ClusterFixture.awaitContainers(client, a, ids,
                    c -> c.getState() == State.STATE_RELEASED, "every container ran to its end",
                    Duration.ofSeconds(180));
            List<String> registers = new ArrayList<>();
            for (Container c : ended.values()) {
                assertThat(c.getTermination().getKind()).as(c.getId() + " " + c.getTermination())
                        .isEqualTo("completed");
                registers.add(c.getRegister());
            }
            assertThat(registers).as("no two containers ever held the same register").doesNotHaveDuplicates();

            ClusterFixture.Journal journal = ClusterFixture.readJournal(name);
            assertThat(journal.replay().divergence()).isEmpty();
            List<Decided> decisions = journal.decisions();
            int lastRemoval = -1;
            int lastAdmission = -1;
            for (int i = 0; i < decisions.size(); i++) {
                if (decisions.get(i).decision() instanceof DaoDecision.NodeRemoved r && r.node().equals("b")) {
                    lastRemoval = i;
                }
                if (decisions.get(i).decision() instanceof DaoDecision.NodeAdmitted n && n.node().equals("b")) {
                    lastAdmission = i;
                }
            }
            assertThat(lastAdmission).as("b admitted after any removal of it").isGreaterThan(lastRemoval);
        } finally {
            ClusterFixture.teardown(cluster);
        }
    }
}
