package org.xdv.cdcr.node.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.xdv.cdcr.node.cassandra.PidFile;
import org.xdv.cdcr.node.controlplane.auth.Tokens;
import org.xdv.cdcr.node.proto.ClusterStatus;
import org.xdv.cdcr.node.proto.Member;

/**
 * N node JVMs on 127.0.0.1 started from the shaded node jar with {@code conf/cluster.conf}, as {@code cdcr cluster
 * up} and the multi-JVM tests run them. Node {@code i} (0-based) listens on Artery port {@code arteryBase + i}
 * and gRPC port {@code grpcBase + i}; every node lists every node as a seed (in the same order), so the first one
 * forms the cluster and a restarted one rejoins. Each node has its directory {@code <dir>/<id>} with
 * {@code node.log} and {@code node.pid}; all share one operator token ({@code <dir>/operator.token}, mode 0600,
 * handed over in the environment, never on the command line).
 */
public final class LocalCluster {

    /** One node's id, capacity and labels. */
    public record NodeSpec(String id, int kSlots, int qubits, int phiChannels, List<String> labels) {
        private static final Pattern FORMAT = Pattern.compile("([a-z][a-z0-9-]*)(?::(.*))?");

        public NodeSpec {
            labels = List.copyOf(labels);
        }

        /**
         * Parses {@code ID[:k=N,q=N,phi=N,labels=a+b]}; unspecified capacities are {@code defaults}'s.
         *
         * @throws IllegalArgumentException naming what is wrong
         */
        public static NodeSpec parse(String text, NodeSpec defaults) {
            Matcher m = FORMAT.matcher(text.trim());
            if (!m.matches()) {
                throw new IllegalArgumentException("node '" + text + "': expected ID[:k=N,q=N,phi=N,labels=a+b] with an "
                        + "id of a-z, 0-9 and '-'");
            }
            int k = defaults.kSlots();
            int q = defaults.qubits();
            int phi = defaults.phiChannels();
            List<String> labels = defaults.labels();
            if (m.group(2) != null && !m.group(2).isBlank()) {
                for (String kv : m.group(2).split(",")) {
                    String[] p = kv.split("=", 2);
                    if (p.length != 2) {
                        throw new IllegalArgumentException("node '" + text + "': '" + kv + "' is not key=value");
                    }
                    try {
                        switch (p[0].trim()) {
                            case "k" -> k = Integer.parseInt(p[1].trim());
                            case "q" -> q = Integer.parseInt(p[1].trim());
                            case "phi" -> phi = Integer.parseInt(p[1].trim());
                            case "labels" -> labels = p[1].isBlank() ? List.of() : List.of(p[1].trim().split("\\+"));
                            default -> throw new IllegalArgumentException("node '" + text + "': unknown key '" + p[0]
                                    + "' (k, q, phi, labels)");
                        }
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("node '" + text + "': " + p[0] + " must be a number");
                    }
                }
            }
            if (k < 1 || q < 0 || phi < 0) {
                throw new IllegalArgumentException("node '" + text + "': k >= 1, q >= 0 and phi >= 0");
            }
            return new NodeSpec(m.group(1), k, q, phi, labels);
        }

        List<String> flags() {
            List<String> f = new ArrayList<>(List.of("--node-id", id, "--k-slots", Integer.toString(kSlots),
                    "--qubits", Integer.toString(qubits), "--phi-channels", Integer.toString(phiChannels)));
            if (!labels.isEmpty()) {
                f.add("--labels");
                f.add(String.join(",", labels));
            }
            return f;
        }
    }

    /** Where the nodes run and with what. {@code cassandra} is the CQL contact point HOST:PORT. */
    public record Settings(Path dir, Path jar, Path config, Path logback, String cassandra, int arteryBase,
                           int grpcBase, String heap, List<String> jvmArgs) {
        public Settings {
            dir = dir.toAbsolutePath().normalize();
            jvmArgs = List.copyOf(jvmArgs);
        }
    }

    /** A started node process. */
    public record NodeProcess(NodeSpec spec, int index, int arteryPort, int grpcPort, ProcessHandle process) {
        public String endpoint() {
            return "127.0.0.1:" + grpcPort;
        }

        public String address() {
            return "pekko://cdcr@127.0.0.1:" + arteryPort;
        }
    }

    /** Marker among the first JVM arguments of a node process (see {@link PidFile}). */
    public static final String PROCESS_MARKER = "-Dcdcr.process=node";

    private final Settings settings;
    private final List<NodeSpec> nodes;
    private final String token;
    private final Map<String, NodeProcess> running = new TreeMap<>();

    public LocalCluster(Settings settings, List<NodeSpec> nodes) throws IOException {
        this.settings = settings;
        this.nodes = List.copyOf(nodes);
        Files.createDirectories(settings.dir());
        this.token = operatorToken(settings.dir());
    }

    public Settings settings() {
        return settings;
    }

    public String token() {
        return token;
    }

    public List<NodeSpec> nodes() {
        return nodes;
    }

    /** The seed list every node gets: all nodes, in index order. */
    public List<String> seeds() {
        List<String> seeds = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            seeds.add("pekko://cdcr@127.0.0.1:" + (settings.arteryBase() + i));
        }
        return seeds;
    }

    public synchronized Optional<NodeProcess> process(String id) {
        return Optional.ofNullable(running.get(id));
    }

    public synchronized List<NodeProcess> running() {
        return running.values().stream().filter(p -> p.process().isAlive()).toList();
    }

    public String endpoint(String id) {
        return "127.0.0.1:" + (settings.grpcBase() + indexOf(id));
    }

    public int indexOf(String id) {
        for (int i = 0; i < nodes.size(); i++) {
            if (nodes.get(i).id().equals(id)) {
                return i;
            }
        }
        throw new IllegalArgumentException("no node " + id);
    }

    public static PidFile pidFile(Path nodeDir) {
        return new PidFile(nodeDir.resolve("node.pid"), PROCESS_MARKER);
    }

    /** Starts node {@code id} (its log appended to {@code <dir>/<id>/node.log}); returns at once. */
    public synchronized NodeProcess start(String id) throws IOException {
        int i = indexOf(id);
        NodeSpec spec = nodes.get(i);
        Path nodeDir = settings.dir().resolve(id);
        Files.createDirectories(nodeDir);
        PidFile pid = pidFile(nodeDir);
        if (pid.process().isPresent()) {
            throw new IOException("node " + id + " already runs (pid " + pid.process().get().pid() + ")");
        }
        int artery = settings.arteryBase() + i;
        int grpc = settings.grpcBase() + i;
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.add(PROCESS_MARKER + ":" + id);
        cmd.add("-Xmx" + settings.heap());
        cmd.add("-XX:+UseSerialGC");
        cmd.addAll(settings.jvmArgs());
        cmd.add("-Dlogback.configurationFile=" + settings.logback());
        cmd.addAll(List.of("-jar", settings.jar().toString(), "node", "--config", settings.config().toString(),
                "--data", nodeDir.toString(), "--artery-port", Integer.toString(artery),
                "--grpc-port", Integer.toString(grpc), "--seed-nodes", String.join(",", seeds())));
        cmd.addAll(spec.flags());
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(nodeDir.resolve("node.log").toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().put("CDCR_OPERATOR_TOKEN", token);
        pb.environment().put("CDCR_CASSANDRA", settings.cassandra());
        pb.environment().remove("CDCR_GRPC_PORT");
        pb.environment().remove("CDCR_ARTERY_PORT");
        pb.environment().remove("CDCR_DATA_DIR");
        Process p = pb.start();
        pid.write(p.pid());
        NodeProcess np = new NodeProcess(spec, i, artery, grpc, p.toHandle());
        running.put(id, np);
        return np;
    }

    /** {@code kill -9} of node {@code id}; returns when the process is gone. */
    public void kill(String id) throws Exception {
        NodeProcess p = process(id).orElseThrow(() -> new IllegalStateException("node " + id + " was not started"));
        p.process().destroyForcibly();
        p.process().onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);
    }

    /** SIGTERM to node {@code id} (graceful leave through coordinated shutdown); waits up to {@code grace}. */
    public void stop(String id, Duration grace) {
        process(id).ifPresent(p -> PidFile.terminate(p.process(), grace));
    }

    /** Stops every node this instance started (SIGTERM in parallel, SIGKILL after {@code grace}). */
    public void stopAll(Duration grace) {
        List<NodeProcess> all;
        synchronized (this) {
            all = new ArrayList<>(running.values());
        }
        for (NodeProcess p : all) {
            p.process().destroy();
        }
        for (NodeProcess p : all) {
            PidFile.terminate(p.process(), grace);
        }
    }

    /** Kills every node this instance started at once (for shutdown hooks and failed tests). */
    public void killAll() {
        List<NodeProcess> all;
        synchronized (this) {
            all = new ArrayList<>(running.values());
        }
        for (NodeProcess p : all) {
            p.process().destroyForcibly();
        }
    }

    /**
     * Waits until node {@code via} answers Status over gRPC with every node of {@code ids} an Up member and admitted
     * by the orchestrator, and no other member; returns that status.
     *
     * @throws IllegalStateException after {@code timeout}, with the last answer or error, or when a process of
     *                               {@code ids} exited
     */
    public ClusterStatus awaitUp(ControlPlaneClient client, String via, List<String> ids, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "no answer yet";
        while (System.nanoTime() < deadline) {
            for (String id : ids) {
                Optional<NodeProcess> p = process(id);
                if (p.isPresent() && !p.get().process().isAlive()) {
                    throw new IllegalStateException("node " + id + " exited; see " + settings.dir().resolve(id)
                            .resolve("node.log"));
                }
            }
            try {
                ClusterStatus st = client.status(endpoint(via), Duration.ofSeconds(5));
                if (complete(st, ids)) {
                    return st;
                }
                last = "members " + st.getMembersList().stream().map(m -> m.getNodeId() + "=" + m.getStatus()).toList()
                        + ", admitted " + st.getNodesList().stream().map(n -> n.getId()).toList();
            } catch (Exception e) {
                last = String.valueOf(e.getMessage());
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("cluster not up within " + timeout.toSeconds() + " s (asked " + via + "): "
                + last);
    }

    /** Every node of {@code ids} is an Up member with a member address in the orchestrator's view; no other member. */
    public static boolean complete(ClusterStatus st, List<String> ids) {
        if (!st.getOrchestratorError().isEmpty() || st.getMembersCount() != ids.size()) {
            return false;
        }
        for (Member m : st.getMembersList()) {
            if (!"Up".equals(m.getStatus()) || m.getUnreachable() || !ids.contains(m.getNodeId())) {
                return false;
            }
        }
        for (String id : ids) {
            if (st.getNodesList().stream().noneMatch(n -> n.getId().equals(id) && !n.getMember().isEmpty())) {
                return false;
            }
        }
        return true;
    }

    /** Stops every node recorded under {@code dir} (SIGTERM in parallel, SIGKILL after {@code grace}). */
    public static List<String> down(Path dir, Duration grace) throws IOException {
        List<String> stopped = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return stopped;
        }
        List<Path> nodeDirs;
        try (Stream<Path> s = Files.list(dir)) {
            nodeDirs = s.filter(d -> Files.isRegularFile(d.resolve("node.pid"))).sorted().toList();
        }
        List<ProcessHandle> procs = new ArrayList<>();
        for (Path d : nodeDirs) {
            pidFile(d).process().ifPresent(p -> {
                p.destroy();
                procs.add(p);
                stopped.add(d.getFileName().toString());
            });
        }
        for (ProcessHandle p : procs) {
            PidFile.terminate(p, grace);
        }
        for (Path d : nodeDirs) {
            Files.deleteIfExists(d.resolve("node.pid"));
        }
        return stopped;
    }

    /** The cluster's operator token in {@code <dir>/operator.token}, generated (mode 0600) when missing. */
    static String operatorToken(Path dir) throws IOException {
        Path f = dir.resolve("operator.token");
        if (!Files.exists(f)) {
            Files.createFile(f, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(f, Tokens.generate() + "\n", StandardCharsets.US_ASCII);
        }
        return Files.readString(f, StandardCharsets.US_ASCII).trim();
    }
}
