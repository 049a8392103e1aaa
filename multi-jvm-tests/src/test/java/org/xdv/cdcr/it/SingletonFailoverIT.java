package org.xdv.cdcr.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.xdv.cdcr.node.cluster.ControlPlaneClient;
import org.xdv.cdcr.node.cluster.LocalCluster;
import org.xdv.cdcr.node.proto.ClusterStatus;
import org.xdv.cdcr.node.proto.Container;
import org.xdv.cdcr.node.proto.Member;
import org.xdv.cdcr.node.proto.State;
import org.xdv.cdcr.runtime.core.dao.DaoDecision;
import org.xdv.cdcr.runtime.core.dao.DaoInput;
import org.xdv.cdcr.runtime.core.dao.Decided;

/**
 * Scenario 2: {@code kill -9} of the node hosting the orchestrator singleton while a client keeps submitting (and
 * retrying each container id until it is answered, as a client does after a timeout). The singleton restarts on
 * another node and recovers from Cassandra; the containers that ran on the killed node are re-placed in
 * container-id order and become Active on the survivors; no accepted submission is lost, none is placed twice at once,
 * and the decisions recorded before the kill are unchanged. Prints the failover breakdown.
 */
class SingletonFailoverIT {

    /** Φ slots last 100 ms here, so a 400-slot (40 s) container is still running when its node is killed. */
    static final List<String> JVM = List.of("-Dcdcr.node.phi-slot-millis=100");

    @Test
    void singletonNodeKilledWhileSubmitting() throws Exception {
        String name = "failover";
        List<LocalCluster.NodeSpec> nodes = List.of(
                new LocalCluster.NodeSpec("n1", 32, 16, 4, List.of()),
                new LocalCluster.NodeSpec("n2", 32, 16, 4, List.of()),
                new LocalCluster.NodeSpec("n3", 32, 16, 4, List.of()));
        LocalCluster cluster = ClusterFixture.cluster(name, 1, nodes, JVM);
        AtomicBoolean submitting = new AtomicBoolean(true);
        Thread submitter = null;
        try (ControlPlaneClient client = new ControlPlaneClient(cluster.token())) {
            ClusterFixture.startAll(cluster, client);
            String n2 = cluster.endpoint("n2");
            String n3 = cluster.endpoint("n3");
            ClusterStatus before = client.status(n2, ClusterFixture.CALL);
            String victim = before.getSingletonNode();
            assertThat(victim).isEqualTo("n1"); // the oldest member: started first
            ClusterFixture.createTenant(client, n2, "fo", List.of("k.exec", "phi.envelope", "phi.sample"));

            // long-running Φ containers, spread by load over the three nodes
            List<String> longIds = new ArrayList<>();
            for (int i = 0; i < 9; i++) {
                String n = String.format("long-%02d", i);
                ClusterFixture.submit(client, i % 2 == 0 ? n2 : n3, ClusterFixture.phi("fo", n, 400)
                        .replace("affinity: phi-coherent", "affinity: balanced"));
                longIds.add("fo/" + n);
            }
            Map<String, String> longNode = new TreeMap<>();
            ClusterFixture.awaitContainers(client, n2, longIds, c -> c.getState() == State.STATE_ACTIVE,
                    "long containers Active", Duration.ofSeconds(60)).forEach((id, c) -> longNode.put(id, c.getNode()));
            List<String> onVictim = longIds.stream().filter(id -> longNode.get(id).equals(victim)).toList();
            assertThat(onVictim).as("containers running on the singleton's node").isNotEmpty();

            // a client submitting short containers through the survivors, retrying each id until answered
            Map<String, Integer> attempts = new ConcurrentHashMap<>();
            AtomicInteger retriedButExisted = new AtomicInteger();
            List<String> accepted = java.util.Collections.synchronizedList(new ArrayList<>());
            submitter = new Thread(() -> {
                int i = 0;
                while (submitting.get()) {
                    String n = String.format("s-%04d", i);
                    String endpoint = i % 2 == 0 ? n2 : n3;
                    while (true) {
                        int attempt = attempts.merge("fo/" + n, 1, Integer::sum);
                        try {
                            var r = ClusterFixture.submit(client, endpoint, ClusterFixture.kOnly("fo", n));
                            if (r.getExisted() && attempt > 1) {
                                retriedButExisted.incrementAndGet();
                            }
                            accepted.add("fo/" + n);
                            break;
                        } catch (Exception e) {
                            if (!submitting.get() && attempt > 40) {
                                return;
                            }
                            sleep(250);
                        }
                    }
                    i++;
                    sleep(50);
                }
            }, "submitter");
            submitter.start();
            ClusterFixture.await("submissions flowing", Duration.ofSeconds(30), () -> accepted.size() >= 10);

            List<Decided> prefix = ClusterFixture.readJournal(name).decisions();

            long kill = System.nanoTime();
            cluster.kill(victim);
            // two survivors polled in parallel: a Status call waits up to 3 s for an absent orchestrator
            java.util.concurrent.atomic.AtomicLongArray at = new java.util.concurrent.atomic.AtomicLongArray(
                    new long[] {-1, -1, -1, -1});
            List<Thread> pollers = new ArrayList<>();
            for (String endpoint : List.of(n2, n3)) {
                Thread t = new Thread(() -> observe(client, endpoint, victim, kill, at), "poll-" + endpoint);
                t.start();
                pollers.add(t);
            }
            for (Thread t : pollers) {
                t.join(100_000);
            }
            long unreachable = at.get(0);
            long downed = at.get(1);
            long removed = at.get(2);
            long answering = at.get(3);
            assertThat(answering).as("singleton answering again within 90 s").isPositive();
            long[] active = {-1};
            ClusterFixture.await("containers of the killed node Active on survivors", Duration.ofSeconds(90), () -> {
                try {
                    for (String id : onVictim) {
                        Container c = ClusterFixture.get(client, n2, id);
                        if (c.getNode().equals(victim) || !(c.getState() == State.STATE_ACTIVE
                                || c.getState() == State.STATE_RELEASED)) {
                            return false;
                        }
                    }
                    active[0] = System.nanoTime();
                    return true;
                } catch (Exception e) {
                    return false;
                }
            });
            System.out.printf("[it] failover of the singleton's node (kill -9 %s): unreachable %.1f s, downed %.1f s, "
                            + "removed %.1f s, singleton answering %.1f s, its %d containers Active again %.1f s%n",
                    victim, secs(kill, unreachable), secs(kill, downed), secs(kill, removed), secs(kill, answering),
                    onVictim.size(), secs(kill, active[0]));
            // target 25 s (measured 19.5-21.5 s here); the bound leaves room for a loaded CI machine
            assertThat(secs(kill, answering)).as("seconds from kill -9 to the singleton answering").isLessThan(35);

            Thread.sleep(3000); // submissions continue on the new singleton
            submitting.set(false);
            submitter.join(120_000);
            List<String> all = new ArrayList<>(accepted);
            all.addAll(longIds);
            ClusterFixture.await("every accepted container released", Duration.ofMinutes(3), () -> {
                try {
                    for (String id : all) {
                        if (ClusterFixture.get(client, n3, id).getState() != State.STATE_RELEASED) {
                            return false;
                        }
                    }
                    return true;
                } catch (Exception e) {
                    return false;
                }
            });
            int listed = ClusterFixture.list(client, n3).size();
            assertThat(listed).as("containers the cluster knows").isEqualTo(all.size());

            ClusterFixture.Journal journal = ClusterFixture.readJournal(name);
            assertThat(journal.replay().divergence()).as("first divergence of the replay").isEmpty();
            assertThat(journal.decisions().subList(0, prefix.size())).as("decisions recorded before the kill")
                    .isEqualTo(prefix);
            // Never two placements of one container at once. A retry whose first placement was written but never
            // answered (the singleton died with the reply) finds it without a container, gives it up and releases
            // it, and is placed afresh: a second placement only after the first was freed.
            Map<String, Integer> placedBySubmission = new TreeMap<>();
            Map<String, Boolean> held = new TreeMap<>();
            int replaced = 0;
            DaoDecision.NodeRemoved removal = null;
            for (Decided d : journal.decisions()) {
                if (d.input() instanceof DaoInput.Place && d.decision() instanceof DaoDecision.Placed p) {
                    assertThat(held.getOrDefault(p.containerId(), false))
                            .as("%s placed (decision #%d) while an earlier placement still holds", p.containerId(),
                                    d.seq()).isFalse();
                    replaced += placedBySubmission.merge(p.containerId(), 1, Integer::sum) > 1 ? 1 : 0;
                    held.put(p.containerId(), true);
                }
                if (d.decision() instanceof DaoDecision.Freed f) {
                    held.put(f.containerId(), false);
                }
                if (d.decision() instanceof DaoDecision.NodeRemoved r && r.node().equals(victim)) {
                    assertThat(removal).as("one removal of " + victim).isNull();
                    removal = r;
                }
            }
            assertThat(placedBySubmission.keySet()).containsExactlyInAnyOrderElementsOf(all);
            assertThat(removal).as("NodeRemoved(" + victim + ") in the journal").isNotNull();
            List<String> moved = removal.moved().stream().map(DaoDecision.Placed::containerId).toList();
            assertThat(moved).isSorted().containsAll(onVictim);
            System.out.printf("[it] %d submissions accepted (%d retries answered 'existed', %d placed afresh after "
                            + "their unanswered placement was given up), %d decisions replayed%n",
                    accepted.size(), retriedButExisted.get(), replaced, journal.replay().eventsRead());
        } finally {
            submitting.set(false);
            if (submitter != null) {
                submitter.interrupt();
            }
            ClusterFixture.teardown(cluster);
        }
    }

    /**
     * Polls Status on {@code endpoint} until the orchestrator answers again from another node (or 90 s passed),
     * recording the first moment each step was seen: the victim unreachable, Down, removed, singleton answering.
     */
    static void observe(ControlPlaneClient client, String endpoint, String victim, long kill,
                        java.util.concurrent.atomic.AtomicLongArray at) {
        long deadline = kill + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline && at.get(3) < 0) {
            try {
                ClusterStatus st = client.status(endpoint, Duration.ofSeconds(5));
                long now = System.nanoTime();
                Optional<Member> m = st.getMembersList().stream().filter(x -> x.getNodeId().equals(victim))
                        .findFirst();
                if (m.isEmpty() || m.get().getUnreachable()) {
                    at.compareAndSet(0, -1, now);
                }
                if (m.isEmpty() || m.get().getStatus().equals("Down")) {
                    at.compareAndSet(1, -1, now);
                }
                if (m.isEmpty()) {
                    at.compareAndSet(2, -1, now);
                }
                if (m.isEmpty() && st.getOrchestratorError().isEmpty() && !st.getSingletonNode().equals(victim)) {
                    at.compareAndSet(3, -1, now);
                }
            } catch (Exception e) {
                // asked again below
            }
            sleep(100);
        }
    }

    static double secs(long from, long to) {
        return to < 0 ? Double.NaN : (to - from) / 1e9;
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
