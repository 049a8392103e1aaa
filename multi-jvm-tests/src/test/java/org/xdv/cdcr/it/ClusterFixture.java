package org.xdv.cdcr.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;
import java.util.TreeMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.persistence.query.javadsl.CurrentEventsByPersistenceIdQuery;
import org.apache.pekko.persistence.query.javadsl.ReadJournal;
import org.apache.pekko.stream.javadsl.Sink;
import org.xdv.cdcr.node.cassandra.CassandraLauncher;
import org.xdv.cdcr.node.cluster.ControlPlaneClient;
import org.xdv.cdcr.node.cluster.LocalCluster;
import org.xdv.cdcr.node.controlplane.auth.AuthzReplay;
import org.xdv.cdcr.node.proto.Container;
import org.xdv.cdcr.node.proto.ContainerRef;
import org.xdv.cdcr.node.proto.CreateTenantRequest;
import org.xdv.cdcr.node.proto.ListRequest;
import org.xdv.cdcr.node.proto.Quota;
import org.xdv.cdcr.node.proto.SubmitRequest;
import org.xdv.cdcr.node.proto.SubmitResponse;
import org.xdv.cdcr.persistence.config.CdcrConfig;
import org.xdv.cdcr.runtime.core.dao.Decided;
import org.xdv.cdcr.runtime.core.dao.DecidedBatch;
import org.xdv.cdcr.runtime.orchestrator.Orchestrator;
import org.xdv.cdcr.runtime.replay.JournalReplay;
import org.xdv.cdcr.runtime.replay.ReplayVerifier;

/**
 * What the multi-JVM tests share: one real Cassandra for the whole test JVM (started at first use, stopped by a
 * shutdown hook), clusters of node processes started from the packaged jar — each test its own ports, directory
 * and Cassandra keyspaces, so tests never see each other's journal — and killed by a shutdown hook too if a test
 * does not get to stop them; gRPC helpers; and a reader of the orchestrator's journal.
 */
final class ClusterFixture {

    static final Path JAR = Path.of(System.getProperty("cdcr.node.jar", "../cluster-node/target/cdcr-node.jar"))
            .toAbsolutePath().normalize();
    static final Path CONF = Path.of(System.getProperty("cdcr.conf.dir", "../conf")).toAbsolutePath().normalize();
    static final Path DIR = Path.of(System.getProperty("cdcr.it.dir", "target/it")).toAbsolutePath().normalize();
    static final Duration CALL = Duration.ofSeconds(20);

    private static final int CQL_PORT = 19142;
    private static final int STORAGE_PORT = 17100;
    private static final List<LocalCluster> LIVE = new CopyOnWriteArrayList<>();
    private static String cassandra;

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            for (LocalCluster c : LIVE) {
                c.killAll();
            }
            try {
                CassandraLauncher.stop(DIR.resolve("cassandra"));
            } catch (IOException e) {
                // the JVM exits anyway
            }
        }, "cdcr-it-teardown"));
    }

    private ClusterFixture() {
    }

    /** The CQL contact point of the module's Cassandra, started at the first call. */
    static synchronized String cassandra() throws Exception {
        if (cassandra == null) {
            if (!Files.isRegularFile(JAR)) {
                throw new IllegalStateException(JAR + " is missing: the reactor packages cluster-node first");
            }
            long t0 = System.nanoTime();
            // every run starts from empty keyspaces: stop a Cassandra left behind by a killed test JVM, drop its data
            CassandraLauncher.stop(DIR.resolve("cassandra"));
            deleteTree(DIR.resolve("cassandra"));
            CassandraLauncher.Running r = CassandraLauncher.start(CassandraLauncher.Settings
                    .defaults(DIR.resolve("cassandra")).withPorts(CQL_PORT, STORAGE_PORT));
            cassandra = r.contactPoint();
            System.out.printf("[it] Cassandra started on %s (pid %d) in %.1f s%n", cassandra, r.process().pid(),
                    (System.nanoTime() - t0) / 1e9);
        }
        return cassandra;
    }

    /** A cluster of {@code nodes} for test {@code name}; ports from {@code slot}; not started yet. */
    static LocalCluster cluster(String name, int slot, List<LocalCluster.NodeSpec> nodes, List<String> jvmArgs)
            throws Exception {
        String contact = cassandra();
        Path dir = DIR.resolve(name);
        LocalCluster.down(dir, Duration.ofSeconds(5)); // leftovers of an earlier run whose JVM was killed
        deleteTree(dir);
        List<String> args = new ArrayList<>(List.of(
                "-Dpekko.persistence.cassandra.journal.keyspace=" + keyspace(name),
                "-Dpekko.persistence.cassandra.snapshot.keyspace=" + keyspace(name) + "_snapshot"));
        args.addAll(jvmArgs);
        LocalCluster c = new LocalCluster(new LocalCluster.Settings(dir, JAR, CONF.resolve("cluster.conf"),
                CONF.resolve("logback-node.xml"), contact, 25700 + 10 * slot, 18700 + 10 * slot, "384m", args), nodes);
        LIVE.add(c);
        return c;
    }

    static String keyspace(String name) {
        return "cdcr_it_" + name.replace('-', '_');
    }

    /** Starts the first node alone (it forms the cluster, creates the tables), then the others; waits until all Up. */
    static void startAll(LocalCluster c, ControlPlaneClient client) throws Exception {
        List<String> ids = c.nodes().stream().map(LocalCluster.NodeSpec::id).toList();
        c.start(ids.get(0));
        c.awaitUp(client, ids.get(0), List.of(ids.get(0)), Duration.ofSeconds(180));
        for (String id : ids.subList(1, ids.size())) {
            c.start(id);
        }
        for (String id : ids) {
            c.awaitUp(client, id, ids, Duration.ofSeconds(180));
        }
    }

    /** Stops a test's cluster: SIGTERM, SIGKILL after a grace; never throws. */
    static void teardown(LocalCluster c) {
        if (c == null) {
            return;
        }
        try {
            c.stopAll(Duration.ofSeconds(15));
        } finally {
            c.killAll();
            LIVE.remove(c);
        }
    }

    static void createTenant(ControlPlaneClient client, String endpoint, String name, List<String> capabilities)
            throws Exception {
        client.call(client.endpoint(endpoint).tenants().createTenant(), CreateTenantRequest.newBuilder()
                .setName(name).addAllCapabilities(capabilities)
                .setQuota(Quota.newBuilder().setContainers(1000).setQubits(1000).setPhiSlots(1_000_000)
                        .setKSlots(1000))
                .build(), CALL);
    }

    static SubmitResponse submit(ControlPlaneClient client, String endpoint, String yaml) throws Exception {
        return client.call(client.endpoint(endpoint).containers().submit(),
                SubmitRequest.newBuilder().setSpecText(yaml).build(), CALL);
    }

    static Container get(ControlPlaneClient client, String endpoint, String id) throws Exception {
        return client.call(client.endpoint(endpoint).containers().get(), ContainerRef.newBuilder().setId(id).build(),
                CALL);
    }

    static List<Container> list(ControlPlaneClient client, String endpoint) throws Exception {
        return client.call(client.endpoint(endpoint).containers().list(), ListRequest.getDefaultInstance(), CALL)
                .getContainersList();
    }

    /** Polls {@code condition} every 500 ms until it holds; fails with {@code what} after {@code timeout}. */
    static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for " + what);
            }
            Thread.sleep(500);
        }
    }

    /**
     * Waits until every container of {@code ids}, read through {@code endpoint}, satisfies {@code done} (a read that
     * fails counts as not yet); returns them as last read, by id.
     */
    static Map<String, Container> awaitContainers(ControlPlaneClient client, String endpoint, List<String> ids,
                                                  Predicate<Container> done, String what, Duration timeout)
            throws InterruptedException {
        Map<String, Container> last = new TreeMap<>();
        await(what, timeout, () -> {
            try {
                for (String id : ids) {
                    Container c = get(client, endpoint, id);
                    if (!done.test(c)) {
                        return false;
                    }
                    last.put(id, c);
                }
                return true;
            } catch (Exception e) {
                return false;
            }
        });
        return last;
    }

    // ---- container specs -------------------------------------------------------------------------------------

    static String qHeavy(String tenant, String name, int seed) {
        return String.join("\n", "tenant: " + tenant, "name: " + name,
                "capabilities: [k.exec, q.alloc, q.run, q.measure]",
                "q:", "  qubits: 3", "  shots: 200", "  seed: " + seed, "  qasm: |",
                "    OPENQASM 2.0;", "    include \"qelib1.inc\";", "    qreg q[3];", "    creg c[3];",
                "    h q[0];", "    cx q[0], q[1];", "    cx q[1], q[2];", "    measure q -> c;",
                "policy:", "  affinity: q-heavy", "");
    }

    static String phi(String tenant, String name, int slots) {
        return String.join("\n", "tenant: " + tenant, "name: " + name,
                "capabilities: [k.exec, phi.envelope, phi.sample]",
                "phi:", "  slots: " + slots, "  stabilityFloor: 0.0", "policy:", "  affinity: phi-coherent", "");
    }

    static String kOnly(String tenant, String name) {
        return String.join("\n", "tenant: " + tenant, "name: " + name, "capabilities: [k.exec]",
                "policy:", "  affinity: balanced", "");
    }

    // ---- the orchestrator's journal ----------------------------------------------------------------------------

    /**
     * Every decision of a test's orchestrator journal, read from Cassandra, and the replay verifier's report; then
     * the full replay as {@code cdcr replay --config conf/cluster.conf} runs it (container journals: binding order
     * and allocations; the authorization logs of every node).
     */
    record Journal(List<Decided> decisions, ReplayVerifier.Report replay, JournalReplay.FullReport full,
                   AuthzReplay.Report authorizations) {
    }

    static Journal readJournal(String name) throws Exception {
        Config config = ConfigFactory.parseMap(Map.of(
                        "pekko.actor.provider", "local",
                        "pekko.coordinated-shutdown.exit-jvm", "off",
                        "pekko.persistence.cassandra.journal.keyspace", keyspace(name),
                        "pekko.persistence.cassandra.snapshot.keyspace", keyspace(name) + "_snapshot",
                        "datastax-java-driver.basic.contact-points", List.of(cassandra()),
                        "pekko.loglevel", "WARNING"), "multi-jvm test reader")
                .withFallback(CdcrConfig.load(CONF.resolve("cluster.conf"), DIR.resolve(name).resolve("reader")))
                .resolve();
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "cdcr-it-reader", config);
        try {
            CurrentEventsByPersistenceIdQuery q = (CurrentEventsByPersistenceIdQuery) PersistenceQuery.get(system)
                    .getReadJournalFor(ReadJournal.class, config.getString("cdcr.read-journal"));
            List<Decided> all = new ArrayList<>();
            q.currentEventsByPersistenceId(Orchestrator.PERSISTENCE_ID.id(), 0, Long.MAX_VALUE)
                    .runWith(Sink.foreach(env -> all.addAll(((DecidedBatch) env.event()).decisions())), system)
                    .toCompletableFuture().get(60, TimeUnit.SECONDS);
            ReplayVerifier v = new ReplayVerifier();
            v.acceptAll(all);
            String readJournal = config.getString("cdcr.read-journal");
            JournalReplay.FullReport full = JournalReplay.runAll(system, readJournal, new ReplayVerifier(), n -> { },
                    n -> { }).toCompletableFuture().get(120, TimeUnit.SECONDS);
            AuthzReplay.Report authz = AuthzReplay.run(system, readJournal, java.util.Optional.empty())
                    .toCompletableFuture().get(60, TimeUnit.SECONDS);
            return new Journal(List.copyOf(all), v.report(), full, authz);
        } finally {
            system.terminate();
            system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }

    static final Set<org.xdv.cdcr.node.proto.State> TERMINAL = Set.of(org.xdv.cdcr.node.proto.State.STATE_RELEASED);

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
