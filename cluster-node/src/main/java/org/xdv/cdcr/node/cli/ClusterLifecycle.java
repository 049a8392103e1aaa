package org.xdv.cdcr.node.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import org.xdv.cdcr.node.cassandra.CassandraLauncher;
import org.xdv.cdcr.node.cluster.ControlPlaneClient;
import org.xdv.cdcr.node.cluster.LocalCluster;
import org.xdv.cdcr.node.proto.ClusterStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code cdcr cluster up} and {@code cdcr cluster down}: a local cluster of node JVMs on one Cassandra. */
final class ClusterLifecycle {

    private ClusterLifecycle() {
    }

    static Path home() {
        String h = System.getenv("CDCR_HOME");
        return Path.of(h != null ? h : ".").toAbsolutePath().normalize();
    }

    @Command(name = "up", mixinStandardHelpOptions = true,
            description = "Starts Cassandra (unless --cassandra names one) and N node JVMs on 127.0.0.1, waits until all "
                    + "are Up and the orchestrator answers over gRPC, and prints the endpoints. Logs: DIR/<node>/node.log.")
    static final class Up implements Callable<Integer> {
        @Option(names = "--nodes", paramLabel = "N", description = "Number of nodes node-1..node-N with default capacity (default 3; ignored with --node).")
        int count = 3;

        @Option(names = "--node", paramLabel = "SPEC",
                description = "A node ID[:k=N,q=N,phi=N,labels=a+b], repeatable, e.g. --node q1:k=8,q=32,phi=0,labels=quantum.")
        List<String> nodeSpecs = new ArrayList<>();

        @Option(names = "--data", paramLabel = "DIR", description = "Cluster directory: nodes, Cassandra, token (default ./data/cluster).")
        Path data = Path.of("data", "cluster");

        @Option(names = "--cassandra", paramLabel = "HOST:PORT", description = "Use this Cassandra instead of starting one.")
        String cassandra;

        @Option(names = "--cassandra-port", paramLabel = "N", description = "CQL port of the started Cassandra (default 9042).")
        int cassandraPort = 9042;

        @Option(names = "--cassandra-storage-port", paramLabel = "N", description = "Its inter-node port (default 7000).")
        int cassandraStoragePort = 7000;

        @Option(names = "--artery-base", paramLabel = "N", description = "Cluster port of the first node; node i gets N+i (default 25520).")
        int arteryBase = 25520;

        @Option(names = "--grpc-base", paramLabel = "N", description = "gRPC port of the first node; node i gets N+i (default 8470).")
        int grpcBase = 8470;

        @Option(names = "--config", paramLabel = "FILE", description = "Node config (default conf/cluster.conf of the installation).")
        Path config;

        @Option(names = "--timeout", paramLabel = "SECONDS", description = "How long to wait for the cluster (default 240).")
        int timeoutSeconds = 240;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            Path dir = data.toAbsolutePath().normalize();
            LocalCluster.NodeSpec defaults = new LocalCluster.NodeSpec("default", 16, 32, 4, List.of());
            List<LocalCluster.NodeSpec> nodes = new ArrayList<>();
            try {
                if (nodeSpecs.isEmpty()) {
                    if (count < 1) {
                        throw new IllegalArgumentException("--nodes must be at least 1");
                    }
                    for (int i = 1; i <= count; i++) {
                        nodes.add(LocalCluster.NodeSpec.parse("node-" + i, defaults));
                    }
                } else {
                    for (String s : nodeSpecs) {
                        nodes.add(LocalCluster.NodeSpec.parse(s, defaults));
                    }
                }
            } catch (IllegalArgumentException e) {
                spec.commandLine().getErr().println("cdcr cluster up: " + e.getMessage());
                return 2;
            }
            Path conf = config != null ? config : home().resolve("conf/cluster.conf");
            Path jar = Path.of(LocalCluster.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (!Files.isRegularFile(conf) || !jar.toString().endsWith(".jar")) {
                spec.commandLine().getErr().println("cdcr cluster up: needs the node jar and " + conf
                        + " (run it through ./cdcr)");
                return 2;
            }
            String contact = cassandra;
            if (contact == null) {
                out.printf("starting Cassandra under %s (CQL 127.0.0.1:%d)…%n", dir.resolve("cassandra"), cassandraPort);
                out.flush();
                CassandraLauncher.Running c = CassandraLauncher.start(CassandraLauncher.Settings.defaults(
                        dir.resolve("cassandra")).withPorts(cassandraPort, cassandraStoragePort));
                contact = c.contactPoint();
                out.printf("cassandra %s pid %d, CQL %s%n", c.startedNow() ? "started:" : "already running:",
                        c.process().pid(), contact);
            }
            LocalCluster cluster = new LocalCluster(new LocalCluster.Settings(dir, jar, conf,
                    home().resolve("conf/logback-node.xml"), contact, arteryBase, grpcBase, "512m", List.of()), nodes);
            Duration timeout = Duration.ofSeconds(timeoutSeconds);
            List<String> ids = nodes.stream().map(LocalCluster.NodeSpec::id).toList();
            try (ControlPlaneClient client = new ControlPlaneClient(cluster.token())) {
                // The first node alone (it forms the cluster and creates the journal tables), then the rest together.
                String first = ids.get(0);
                cluster.start(first);
                cluster.awaitUp(client, first, List.of(first), timeout);
                for (String id : ids.subList(1, ids.size())) {
                    cluster.start(id);
                }
                ClusterStatus st = cluster.awaitUp(client, first, ids, timeout);
                for (String id : ids) {
                    cluster.awaitUp(client, id, ids, timeout);
                }
                out.printf("cluster up: %d nodes, orchestrator on %s, data %s%n", ids.size(), st.getSingletonNode(), dir);
                for (LocalCluster.NodeProcess p : cluster.running()) {
                    LocalCluster.NodeSpec n = p.spec();
                    out.printf("  %-10s grpc %s  cluster %s  pid %d  K %d, qubits %d, Φ channels %d, labels %s%n",
                            n.id(), p.endpoint(), p.address(), p.process().pid(), n.kSlots(), n.qubits(),
                            n.phiChannels(), n.labels());
                }
                out.printf("operator token: %s%nexample: ./cdcr cluster status --endpoint %s --token \"$(cat %s)\"%n",
                        dir.resolve("operator.token"), cluster.endpoint(first), dir.resolve("operator.token"));
                return 0;
            } catch (IllegalStateException e) {
                spec.commandLine().getErr().println("cdcr cluster up: " + e.getMessage()
                        + "\nstopping the nodes started; Cassandra keeps running (cdcr cluster down stops it)");
                cluster.stopAll(Duration.ofSeconds(20));
                LocalCluster.down(dir, Duration.ofSeconds(20));
                return 1;
            }
        }
    }

    @Command(name = "down", mixinStandardHelpOptions = true,
            description = "Stops the nodes recorded under DIR (graceful leave, SIGKILL after 30 s), then the Cassandra under DIR/cassandra.")
    static final class Down implements Callable<Integer> {
        @Option(names = "--data", paramLabel = "DIR", description = "Cluster directory (default ./data/cluster).")
        Path data = Path.of("data", "cluster");

        @Option(names = "--keep-cassandra", description = "Leave Cassandra running.")
        boolean keepCassandra;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            Path dir = data.toAbsolutePath().normalize();
            List<String> stopped = LocalCluster.down(dir, Duration.ofSeconds(30));
            out.println(stopped.isEmpty() ? "no node was running under " + dir : "stopped nodes " + stopped);
            if (!keepCassandra) {
                out.println(CassandraLauncher.stop(dir.resolve("cassandra")) ? "cassandra stopped"
                        : "no cassandra was running under " + dir.resolve("cassandra"));
            }
            return 0;
        }
    }
}
