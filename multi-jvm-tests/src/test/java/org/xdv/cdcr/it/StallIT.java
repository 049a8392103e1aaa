package org.xdv.cdcr.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.xdv.cdcr.node.cluster.ControlPlaneClient;
import org.xdv.cdcr.node.cluster.LocalCluster;
import org.xdv.cdcr.node.proto.ClusterStatus;
import org.xdv.cdcr.runtime.core.dao.DaoInput;
import org.xdv.cdcr.runtime.core.dao.Decided;

/**
 * The failover settings stay safe: a healthy node that stalls for 7 seconds (SIGSTOP, as a long GC pause or an
 * overloaded host would) becomes unreachable but is not downed, and nobody else is either; the cluster heals and
 * the orchestrator records no drain or removal.
 */
class StallIT {

    @Test
    void aSevenSecondStallDownsNobody() throws Exception {
        String name = "stall";
        List<LocalCluster.NodeSpec> nodes = List.of(
                new LocalCluster.NodeSpec("a", 8, 0, 0, List.of()),
                new LocalCluster.NodeSpec("b", 8, 0, 0, List.of()),
                new LocalCluster.NodeSpec("c", 8, 0, 0, List.of()));
        LocalCluster cluster = ClusterFixture.cluster(name, 5, nodes, List.of());
        try (ControlPlaneClient client = new ControlPlaneClient(cluster.token())) {
            ClusterFixture.startAll(cluster, client);
            long pid = cluster.process("c").orElseThrow().process().pid();
            signal("STOP", pid);
            boolean[] sawUnreachable = {false};
            try {
                long until = System.nanoTime() + Duration.ofSeconds(7).toNanos();
                while (System.nanoTime() < until) {
                    try {
                        ClusterStatus st = client.status(cluster.endpoint("a"), Duration.ofSeconds(3));
                        sawUnreachable[0] |= st.getMembersList().stream()
                                .anyMatch(m -> m.getNodeId().equals("c") && m.getUnreachable());
                    } catch (Exception e) {
                        // polled again
                    }
                    Thread.sleep(200);
                }
            } finally {
                signal("CONT", pid);
            }
            assertThat(sawUnreachable[0]).as("c seen unreachable during its stall").isTrue();
            List<String> ids = List.of("a", "b", "c");
            for (String id : ids) {
                cluster.awaitUp(client, id, ids, Duration.ofSeconds(60));
            }
            Thread.sleep(10_000); // longer than stable-after: a late downing decision would show now
            for (String id : ids) {
                assertThat(LocalCluster.complete(client.status(cluster.endpoint(id), ClusterFixture.CALL), ids))
                        .as("all three Up and reachable, seen from " + id).isTrue();
                assertThat(cluster.process(id).orElseThrow().process().isAlive()).isTrue();
            }
            List<Decided> journal = ClusterFixture.readJournal(name).decisions();
            assertThat(journal.stream().filter(d -> d.input() instanceof DaoInput.RemoveNode
                    || d.input() instanceof DaoInput.DrainNode)).as("drains or removals recorded").isEmpty();
        } finally {
            ClusterFixture.teardown(cluster);
        }
    }

    static void signal(String sig, long pid) throws Exception {
        Process p = new ProcessBuilder("kill", "-" + sig, Long.toString(pid)).inheritIO().start();
        assertThat(p.waitFor()).as("kill -" + sig + " " + pid).isZero();
    }
}
