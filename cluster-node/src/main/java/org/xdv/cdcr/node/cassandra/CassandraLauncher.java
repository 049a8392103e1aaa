package org.xdv.cdcr.node.cassandra;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs a real single-node Apache Cassandra ({@code org.apache.cassandra:cassandra-all} from Maven Central) as its
 * own JVM, for {@code cdcr cassandra start|stop|status}, {@code cdcr cluster up} and the multi-JVM tests.
 *
 * <p>Cassandra needs older logback, slf4j, netty and jackson than a node, so it never shares a class path with
 * one: its class path is resolved once with Maven ({@code mvn dependency:build-classpath} on a small pom written
 * into the cache directory, {@code $CDCR_CACHE} or {@code ~/.cache/cdcr}) and kept as a file of jar paths in the
 * local Maven repository. It runs on the JVM running this code (Cassandra 5.0 supports Java 11 and 17), with the
 * flags of Cassandra's own {@code jvm17-server.options}, a written {@code cassandra.yaml} (everything under
 * {@code <dir>}, bound to {@code host}) and its own log in {@code <dir>/logs}. Started means the CQL port
 * answered an OPTIONS request of the native protocol with SUPPORTED — not merely that the port is open.
 *
 * <p>Layout of {@code <dir>}: {@code conf/}, {@code data/}, {@code commitlog/}, {@code saved_caches/},
 * {@code hints/}, {@code cdc_raw/}, {@code logs/system.log}, {@code logs/stdout.log}, {@code cassandra.pid}.
 */
public final class CassandraLauncher {

    public static final String VERSION = "5.0.5";
    public static final String MAIN_CLASS = "org.apache.cassandra.service.CassandraDaemon";

    /** Where and how to run. Ports: CQL ({@code nativePort}) and inter-node ({@code storagePort}). */
    public record Settings(Path dir, String host, int nativePort, int storagePort, String heap, Duration startTimeout) {
        public static Settings defaults(Path dir) {
            return new Settings(dir, "127.0.0.1", 9042, 7000, "512M", Duration.ofSeconds(180));
        }

        public Settings withPorts(int nativePort, int storagePort) {
            return new Settings(dir, host, nativePort, storagePort, heap, startTimeout);
        }

        public String contactPoint() {
            return host + ":" + nativePort;
        }
    }

    /** A running Cassandra: its process and where CQL answers. */
    public record Running(ProcessHandle process, String contactPoint, boolean startedNow) {
    }

    private CassandraLauncher() {
    }

    /** First JVM argument of the Cassandra process: how a pid file recognises it (/proc truncates long command lines). */
    public static final String PROCESS_MARKER = "-Dcdcr.process=cassandra";

    public static PidFile pidFile(Path dir) {
        return new PidFile(dir.resolve("cassandra.pid"), PROCESS_MARKER);
    }

    /** The Cassandra recorded under {@code dir}, if it runs and answers CQL. */
    public static Optional<Running> status(Settings s) {
        return pidFile(s.dir()).process()
                .filter(p -> cqlAnswers(s.host(), s.nativePort(), Duration.ofSeconds(2)))
                .map(p -> new Running(p, s.contactPoint(), false));
    }

    /**
     * Starts Cassandra under {@code s.dir()} unless the one recorded there already runs; waits until CQL answers.
     *
     * @throws IOException if the class path cannot be resolved, the process exits, or CQL does not answer in time
     *                     (the process is then stopped; the message ends with the tail of its log)
     */
    public static Running start(Settings s) throws IOException, InterruptedException {
        Path dir = s.dir().toAbsolutePath().normalize();
        PidFile pid = pidFile(dir);
        Optional<ProcessHandle> existing = pid.process();
        if (existing.isPresent()) {
            if (!awaitCql(s, existing.get(), s.startTimeout())) {
                throw new IOException("Cassandra (pid " + existing.get().pid() + ") runs under " + dir
                        + " but CQL on " + s.contactPoint() + " does not answer");
            }
            return new Running(existing.get(), s.contactPoint(), false);
        }
        if (portOpen(s.host(), s.nativePort())) {
            throw new IOException("port " + s.contactPoint() + " is already in use by another process; "
                    + "stop it or choose another --port");
        }
        String classpath = classpath();
        for (String sub : List.of("conf", "data", "commitlog", "saved_caches", "hints", "cdc_raw", "logs", "triggers")) {
            Files.createDirectories(dir.resolve(sub));
        }
        Path yaml = dir.resolve("conf/cassandra.yaml");
        Files.writeString(yaml, resource("cassandra.yaml")
                .replace("@DIR@", dir.toString()).replace("@HOST@", s.host())
                .replace("@NATIVE_PORT@", Integer.toString(s.nativePort()))
                .replace("@STORAGE_PORT@", Integer.toString(s.storagePort()))
                .replace("@SSL_STORAGE_PORT@", Integer.toString(s.storagePort() + 1)));
        Path logback = dir.resolve("conf/logback.xml");
        Files.writeString(logback, resource("logback.xml").replace("@DIR@", dir.toString()));

        List<String> cmd = new ArrayList<>();
        cmd.add(javaExecutable());
        cmd.add(PROCESS_MARKER);
        cmd.addAll(List.of("-Xms" + s.heap(), "-Xmx" + s.heap(), "-Xss512k", "-XX:+UseG1GC",
                "-XX:ActiveProcessorCount=2", "-Djava.net.preferIPv4Stack=true",
                "-Djdk.attach.allowAttachSelf=true", "-Dio.netty.tryReflectionSetAccessible=true"));
        for (String e : List.of("java.base/jdk.internal.misc", "java.management.rmi/com.sun.jmx.remote.internal.rmi",
                "java.rmi/sun.rmi.registry", "java.rmi/sun.rmi.server", "java.sql/java.sql", "java.base/java.lang.ref",
                "jdk.unsupported/sun.misc", "jdk.compiler/com.sun.tools.javac.file", "jdk.attach/sun.tools.attach")) {
            cmd.add("--add-exports");
            cmd.add(e + "=ALL-UNNAMED");
        }
        for (String o : List.of("java.base/java.lang.module", "java.base/jdk.internal.loader",
                "java.base/jdk.internal.ref", "java.base/jdk.internal.reflect", "java.base/jdk.internal.math",
                "java.base/jdk.internal.module", "java.base/jdk.internal.util.jar", "java.base/sun.nio.ch",
                "java.base/java.io", "java.base/java.lang.reflect", "java.base/java.lang", "java.base/java.util",
                "jdk.management/com.sun.management.internal", "jdk.compiler/com.sun.tools.javac")) {
            cmd.add("--add-opens");
            cmd.add(o + "=ALL-UNNAMED");
        }
        cmd.addAll(List.of("-Dcassandra.config=" + yaml.toUri(), "-Dcassandra.storagedir=" + dir.resolve("data"),
                "-Dcassandra.logdir=" + dir.resolve("logs"), "-Dcassandra.triggers_dir=" + dir.resolve("triggers"),
                "-Dcassandra-foreground=yes", "-Dcassandra.skip_wait_for_gossip_to_settle=0",
                "-Dcassandra.ring_delay_ms=1000", "-Dlogback.configurationFile=" + logback,
                "-cp", classpath, MAIN_CLASS));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(dir.resolve("logs/stdout.log").toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process process = pb.start();
        pid.write(process.pid());
        if (!awaitCql(s, process.toHandle(), s.startTimeout())) {
            boolean alive = process.isAlive();
            PidFile.terminate(process.toHandle(), Duration.ofSeconds(10));
            Files.deleteIfExists(pid.file());
            throw new IOException("Cassandra " + (alive ? "did not answer CQL on " + s.contactPoint() + " within "
                    + s.startTimeout().toSeconds() + " s" : "exited with " + process.exitValue())
                    + "; last lines of " + dir.resolve("logs") + ":\n" + tail(dir.resolve("logs/stdout.log"), 15)
                    + tail(dir.resolve("logs/system.log"), 15));
        }
        return new Running(process.toHandle(), s.contactPoint(), true);
    }

    /** Stops the Cassandra recorded under {@code dir} (SIGTERM, SIGKILL after 60 s). */
    public static boolean stop(Path dir) throws IOException {
        return pidFile(dir.toAbsolutePath().normalize()).stop(Duration.ofSeconds(60));
    }

    private static boolean awaitCql(Settings s, ProcessHandle p, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                return false;
            }
            if (cqlAnswers(s.host(), s.nativePort(), Duration.ofSeconds(2))) {
                return true;
            }
            Thread.sleep(500);
        }
        return false;
    }

    /**
     * Whether a CQL server answers on {@code host:port}: sends a native-protocol v4 OPTIONS frame and expects a
     * SUPPORTED response frame.
     */
    public static boolean cqlAnswers(String host, int port, Duration timeout) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
            socket.setSoTimeout((int) timeout.toMillis());
            OutputStream out = socket.getOutputStream();
            // version 4 request, flags 0, stream 1, opcode OPTIONS (0x05), body length 0
            out.write(new byte[] {0x04, 0x00, 0x00, 0x01, 0x05, 0x00, 0x00, 0x00, 0x00});
            out.flush();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            byte[] header = new byte[9];
            in.readFully(header);
            return (header[0] & 0xff) == 0x84 && header[4] == 0x06; // response v4, SUPPORTED
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean portOpen(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The cache directory for resolved class paths: {@code $CDCR_CACHE}, else {@code ~/.cache/cdcr}. */
    public static Path cacheDir() {
        String env = System.getenv("CDCR_CACHE");
        return env != null && !env.isBlank() ? Path.of(env)
                : Path.of(System.getProperty("user.home"), ".cache", "cdcr");
    }

    /**
     * Cassandra's class path (jar paths in the local Maven repository), resolved with Maven at the first call and
     * cached in {@code <cache>/cassandra-<version>/classpath.txt}; resolved again if a listed jar is gone.
     */
    public static synchronized String classpath() throws IOException, InterruptedException {
        Path home = cacheDir().resolve("cassandra-" + VERSION);
        Path file = home.resolve("classpath.txt");
        if (Files.isRegularFile(file)) {
            String cp = Files.readString(file).trim();
            if (!cp.isEmpty() && java.util.Arrays.stream(cp.split(java.io.File.pathSeparator))
                    .allMatch(j -> Files.isRegularFile(Path.of(j)))) {
                return cp;
            }
        }
        Files.createDirectories(home);
        Path pom = home.resolve("pom.xml");
        Files.writeString(pom, resource("cassandra-classpath-pom.xml").replace("@CASSANDRA_VERSION@", VERSION));
        Path tmp = home.resolve("classpath.txt.tmp");
        Path log = home.resolve("resolve.log");
        String mvn = Optional.ofNullable(System.getenv("CDCR_MVN")).orElse("mvn");
        Process p = new ProcessBuilder(mvn, "-B", "-q", "-f", pom.toString(), "dependency:build-classpath",
                "-Dmdep.outputFile=" + tmp).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(log.toFile())).start();
        if (!p.waitFor(15, TimeUnit.MINUTES) || p.exitValue() != 0 || !Files.isRegularFile(tmp)) {
            p.destroyForcibly();
            throw new IOException("resolving org.apache.cassandra:cassandra-all:" + VERSION + " with Maven failed ("
                    + mvn + "; is Maven installed and Maven Central reachable?); see " + log + ":\n" + tail(log, 20));
        }
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return Files.readString(file).trim();
    }

    private static String javaExecutable() {
        return ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = CassandraLauncher.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("missing resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static String tail(Path file, int lines) {
        try {
            List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size())) + "\n";
        } catch (IOException e) {
            return "";
        }
    }
}
