package org.xdv.cdcr.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.xdv.cdcr.it.ClusterFixture.CALL;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.xdv.cdcr.node.cluster.ControlPlaneClient;
import org.xdv.cdcr.node.cluster.LocalCluster;
import org.xdv.cdcr.node.proto.Container;
import org.xdv.cdcr.node.proto.State;
import org.xdv.cdcr.node.proto.SubmitResponse;
import org.xdv.cdcr.runtime.core.dao.DaoDecision;
import org.xdv.cdcr.runtime.core.dao.DaoInput;
import org.xdv.cdcr.runtime.core.dao.Decided;

/**
 * Scenario 1: three heterogeneous node processes (a Q node, a Φ node, a K-only node) on one Cassandra; 300
 * containers of three tenants submitted over gRPC through all three nodes. Q-heavy containers land on the Q node,
 * Φ containers on the Φ node, K-only ones spread; all complete and are released; and every placement is what the
 * pure decision function recomputes from the orchestrator's journal read back from Cassandra.
 */
class HeterogeneousPlacementIT {

    static final List<LocalCluster.NodeSpec> NODES = List.of(
            new LocalCluster.NodeSpec("q1", 48, 64, 0, List.of("quantum")),
            new LocalCluster.NodeSpec("phi1", 48, 0, 4, List.of("phi")),
            new LocalCluster.NodeSpec("k1", 48, 0, 0, List.of()));

    enum Kind { Q, PHI, K }

    static Kind kindOf(int i) {
        return i % 5 == 0 ? Kind.Q : i % 5 == 1 ? Kind.PHI : Kind.K;
    }

    @Test
    void heterogeneousNodesPlaceByDomainAndReplayExactly() throws Exception {
        String name = "placement";
        LocalCluster cluster = ClusterFixture.cluster(name, 0, NODES, List.of());
        try (ControlPlaneClient client = new ControlPlaneClient(cluster.token())) {
            ClusterFixture.startAll(cluster, client);
            List<String> endpoints = NODES.stream().map(n -> cluster.endpoint(n.id())).toList();
            List<String> tenants = List.of("t-a", "t-b", "t-c");
            for (String t : tenants) {
                ClusterFixture.createTenant(client, endpoints.get(0), t,
                        List.of("k.exec", "q.alloc", "q.run", "q.measure", "phi.envelope", "phi.sample"));
            }
            Map<String, Kind> kinds = new TreeMap<>();
            List<String> specs = new ArrayList<>();
            for (String t : tenants) {
                for (int i = 0; i < 100; i++) {
                    String n = String.format("c-%03d", i);
                    Kind k = kindOf(i);
                    kinds.put(t + "/" + n, k);
                    specs.add(switch (k) {
                        case Q -> ClusterFixture.qHeavy(t, n, i);
                        case PHI -> ClusterFixture.phi(t, n, 20);
                        case K -> ClusterFixture.kOnly(t, n);
                    });
                }
            }
            long t0 = System.nanoTime();
            ExecutorService pool = Executors.newFixedThreadPool(6);
            try {
                List<Future<SubmitResponse>> answers = new ArrayList<>();
                for (int i = 0; i < specs.size(); i++) {
                    String spec = specs.get(i);
                    String endpoint = endpoints.get(i % endpoints.size());
                    answers.add(pool.submit(() -> ClusterFixture.submit(client, endpoint, spec)));
                }
                for (Future<SubmitResponse> f : answers) {
                    assertThat(f.get(2, TimeUnit.MINUTES).getExisted()).isFalse();
                }
            } finally {
                pool.shutdownNow();
            }
            System.out.printf("[it] 300 submissions accepted in %.1f s%n", (System.nanoTime() - t0) / 1e9);

            List<Container>[] last = new List[1];
            ClusterFixture.await("all 300 containers released", Duration.ofMinutes(4), () -> {
                try {
                    last[0] = ClusterFixture.list(client, endpoints.get(2));
                    return last[0].size() == 300 && last[0].stream().allMatch(c -> c.getState() == State.STATE_RELEASED);
                } catch (Exception e) {
                    return false;
                }
            });
            Map<String, String> nodeOf = new TreeMap<>();
            TreeSet<String> kNodes = new TreeSet<>();
            for (Container c : last[0]) {
                assertThat(c.getTermination().getKind()).as(c.getId() + " " + c.getTermination()).isEqualTo("completed");
                nodeOf.put(c.getId(), c.getNode());
                switch (kinds.get(c.getId())) {
                    case Q -> assertThat(c.getNode()).as(c.getId()).isEqualTo("q1");
                    case PHI -> assertThat(c.getNode()).as(c.getId()).isEqualTo("phi1");
                    case K -> kNodes.add(c.getNode());
                }
            }
            assertThat(kNodes).as("nodes running K-only containers").hasSizeGreaterThanOrEqualTo(2);

            ClusterFixture.Journal journal = ClusterFixture.readJournal(name);
            assertThat(journal.replay().divergence()).as("first divergence of the replay").isEmpty();
            // cdcr replay on the Cassandra journal: every container journal and authorization log checks out too
            assertThat(journal.full().ok()).as("%s", journal.full()).isTrue();
            assertThat(journal.full().containersChecked()).isEqualTo(nodeOf.size());
            assertThat(journal.authorizations().ok()).as("%s", journal.authorizations()).isTrue();
            assertThat(journal.authorizations().recordsRead()).isGreaterThanOrEqualTo(nodeOf.size());
            Map<String, String> placedOn = new TreeMap<>();
            for (Decided d : journal.decisions()) {
                if (d.input() instanceof DaoInput.Place && d.decision() instanceof DaoDecision.Placed p) {
                    assertThat(placedOn.put(p.containerId(), p.node())).as("placed twice: " + p.containerId()).isNull();
                }
            }
            assertThat(placedOn).isEqualTo(nodeOf);
            System.out.printf("[it] placement: %d decisions, %d container journals (%d events) and %d authorizations"
                            + " replayed from Cassandra, no divergence; K-only on %s%n", journal.replay().eventsRead(),
                    journal.full().containersChecked(), journal.full().containerEvents(),
                    journal.authorizations().recordsRead(), kNodes);
        } finally {
            ClusterFixture.teardown(cluster);
        }
    }
}
