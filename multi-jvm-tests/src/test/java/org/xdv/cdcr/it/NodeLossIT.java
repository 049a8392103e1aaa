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
import org.xdv.cdcr.phi.Envelope;
import org.xdv.cdcr.runtime.core.dao.DaoDecision;
import org.xdv.cdcr.runtime.core.dao.DaoState;
import org.xdv.cdcr.runtime.core.dao.Decided;

/**
 * Scenario 3: {@code kill -9} of a node (not the singleton's) hosting running K+Q+Φ containers of two tenants.
 * The orchestrator removes it and re-places its containers in container-id order on the survivors; each becomes
 * Active on exactly the node decided, with a new register of that node's QPU and the envelope decided; no two
 * containers ever hold the same register; and at every decision of the journal, Φ envelopes of different tenants
 * never overlap and no node holds more qubits or K slots than it has.
 */
class NodeLossIT {

    @Test
    void killedNodesContainersAreReplacedInIdOrderAndReBound() throws Exception {
        String name = "node-loss";
        List<LocalCluster.NodeSpec> nodes = List.of(
                new LocalCluster.NodeSpec("a", 32, 16, 4, List.of()),
                new LocalCluster.NodeSpec("b", 32, 16, 4, List.of()),
                new LocalCluster.NodeSpec("c", 32, 16, 4, List.of()));
        LocalCluster cluster = ClusterFixture.cluster(name, 2, nodes, SingletonFailoverIT.JVM);
        try (ControlPlaneClient client = new ControlPlaneClient(cluster.token())) {
            ClusterFixture.startAll(cluster, client);
            String a = cluster.endpoint("a");
            for (String t : List.of("ta", "tb")) {
                ClusterFixture.createTenant(client, a, t, List.of("k.exec", "q.alloc", "q.run", "q.measure",
                        "phi.envelope", "phi.sample"));
            }
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                String t = i % 2 == 0 ? "ta" : "tb";
                String n = String.format("run-%02d", i);
                ClusterFixture.submit(client, a, hybrid(t, n, 400));
                ids.add(t + "/" + n);
            }
            Map<String, String> nodeOf = new TreeMap<>();
            Map<String, String> registerBefore = new TreeMap<>();
            ClusterFixture.awaitContainers(client, a, ids, c -> c.getState() == State.STATE_ACTIVE, "all Active",
                    Duration.ofSeconds(60)).forEach((id, c) -> {
                        nodeOf.put(id, c.getNode());
                        registerBefore.put(id, c.getRegister());
                    });
            assertThat(client.status(a, ClusterFixture.CALL).getSingletonNode()).isEqualTo("a");
            List<String> onB = ids.stream().filter(id -> nodeOf.get(id).equals("b")).sorted().toList();
            assertThat(onB).as("containers running on b").hasSizeGreaterThanOrEqualTo(2);
            assertThat(onB.stream().map(id -> id.substring(0, 2)).distinct()).as("tenants on b").hasSize(2);

            long kill = System.nanoTime();
            cluster.kill("b");
            DaoDecision.NodeRemoved[] removal = new DaoDecision.NodeRemoved[1];
            ClusterFixture.awaitContainers(client, a, onB, c -> !c.getNode().equals("b")
                    && c.getState() == State.STATE_ACTIVE, "b's containers Active on a or c", Duration.ofSeconds(90));
            System.out.printf("[it] kill -9 b: its %d containers Active on survivors after %.1f s%n", onB.size(),
                    (System.nanoTime() - kill) / 1e9);

            ClusterFixture.Journal journal = ClusterFixture.readJournal(name);
            assertThat(journal.replay().divergence()).isEmpty();
            DaoState view = DaoState.EMPTY;
            for (Decided d : journal.decisions()) {
                view = view.apply(d);
                if (d.decision() instanceof DaoDecision.NodeRemoved r && r.node().equals("b")) {
                    removal[0] = r;
                }
                assertIsolated(view, d);
            }
            assertThat(removal[0]).as("NodeRemoved(b)").isNotNull();
            assertThat(removal[0].stranded()).isEmpty();
            List<String> moved = removal[0].moved().stream().map(DaoDecision.Placed::containerId).toList();
            assertThat(moved).as("re-placed in container-id order").isEqualTo(onB);
            for (DaoDecision.Placed p : removal[0].moved()) {
                Container c = ClusterFixture.get(client, a, p.containerId());
                assertThat(c.getNode()).as(p.containerId() + " re-bound where decided").isEqualTo(p.node());
                assertThat(c.getPhiWindow().getChannel()).isEqualTo(p.envelope().orElseThrow().channel());
                assertThat(c.getPhiWindow().getStartSlot()).isEqualTo(p.envelope().orElseThrow().startSlot());
                // a new register of the new node's QPU, held by this container only
                assertThat(c.getRegister()).as(p.containerId() + " register").startsWith(p.node() + "/r");
                assertThat(c.getRegister()).isNotEqualTo(registerBefore.get(p.containerId()));
            }
            List<String> registers = new ArrayList<>();
            for (String id : ids) {
                registers.add(ClusterFixture.get(client, a, id).getRegister());
            }
            assertThat(registers).as("no two containers ever held the same register").doesNotHaveDuplicates();
        } finally {
            ClusterFixture.teardown(cluster);
        }
    }

    /**
     * K+Q+Φ: a Bell pair on a 2-qubit register, then the Φ envelope held for {@code slots} slots (10 ms each), so
     * the register stays bound while the container is Active.
     */
    static String hybrid(String tenant, String name, int slots) {
        return String.join("\n", "tenant: " + tenant, "name: " + name,
                "capabilities: [k.exec, q.alloc, q.run, q.measure, phi.envelope, phi.sample]",
                "q:", "  qubits: 2", "  shots: 100", "  qasm: |", "    OPENQASM 2.0;", "    include \"qelib1.inc\";",
                "    qreg q[2];", "    creg c[2];", "    h q[0];", "    cx q[0], q[1];", "    measure q -> c;",
                "phi:", "  slots: " + slots, "  stabilityFloor: 0.0", "policy:", "  affinity: balanced", "");
    }

    /** After decision {@code d}: envelopes of two tenants never overlap on a channel; no node over capacity. */
    static void assertIsolated(DaoState view, Decided d) {
        List<Envelope> envs = new ArrayList<>();
        for (DaoDecision.Placed p : view.placements().values()) {
            p.envelope().ifPresent(envs::add);
        }
        for (int i = 0; i < envs.size(); i++) {
            for (int j = i + 1; j < envs.size(); j++) {
                Envelope x = envs.get(i);
                Envelope y = envs.get(j);
                boolean overlap = x.id().nodeId().equals(y.id().nodeId()) && x.channel() == y.channel()
                        && x.startSlot() < y.endSlot() && y.startSlot() < x.endSlot();
                assertThat(overlap && !x.tenant().equals(y.tenant()))
                        .as("decision #" + d.seq() + ": envelopes " + x.id() + " (" + x.tenant() + ") and " + y.id()
                                + " (" + y.tenant() + ") overlap").isFalse();
            }
        }
        view.nodes().values().forEach(n -> assertThat(n.freeK() >= 0 && n.freeQ() >= 0)
                .as("decision #" + d.seq() + ": node " + n.spec().id() + " over capacity").isTrue());
    }
}
