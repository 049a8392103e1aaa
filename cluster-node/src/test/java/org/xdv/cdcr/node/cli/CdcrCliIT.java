package org.xdv.cdcr.node.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.xdv.cdcr.node.CdcrCommand;

/**
 * The {@code cdcr} client commands against a real node: the packaged {@code cdcr-node.jar} started as its own
 * process ({@code cdcr node --grpc-port N}), its endpoint read from the line it prints. The commands run in
 * process through the real picocli command line (output captured), and a few as real processes of the same jar
 * to check exit codes of the binary itself. The node process is always stopped.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CdcrCliIT {

    static final Path JAR = Path.of("target", "cdcr-node.jar");
    static final Path EXAMPLES = Path.of("..", "examples");
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    Process node;
    final List<String> nodeOut = new ArrayList<>();
    String endpoint;
    String operator;
    Path clientConfig;

    record Run(int exit, String out, String err) {
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    @BeforeAll
    void startNode() throws Exception {
        assertThat(JAR).as("the shaded jar (mvn -pl cluster-node package) exists").exists();
        int port = freePort();
        ProcessBuilder pb = new ProcessBuilder(java(), "-Xmx768m", "-Dpekko.remote.artery.canonical.port=0",
                "-Dlogback.configurationFile=" + Path.of("..", "conf", "logback.xml").toAbsolutePath(),
                "-jar", JAR.toString(), "node", "--config", Path.of("..", "conf", "embedded.conf").toString(),
                "--data", dir.resolve("data").toString(), "--grpc-port", String.valueOf(port));
        pb.redirectErrorStream(true);
        node = pb.start();
        CompletableFuture<String> bound = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(node.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    synchronized (nodeOut) {
                        nodeOut.add(line);
                    }
                    if (line.startsWith("grpc endpoint ")) {
                        bound.complete(line.substring("grpc endpoint ".length()).trim());
                    }
                }
            } catch (IOException e) {
                // the process ended
            }
            bound.completeExceptionally(new IllegalStateException("the node exited before binding: " + nodeOut));
        }, "node-output");
        reader.setDaemon(true);
        reader.start();
        endpoint = bound.get(120, TimeUnit.SECONDS);
        assertThat(endpoint).isEqualTo("127.0.0.1:" + port);
        operator = Files.readString(dir.resolve("data").resolve("operator.token"), StandardCharsets.US_ASCII).trim();
        clientConfig = dir.resolve("home").resolve(".cdcr").resolve("config");
    }

    @AfterAll
    void stopNode() throws Exception {
        if (node != null) {
            node.destroy();
            if (!node.waitFor(60, TimeUnit.SECONDS)) {
                node.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    /** The real command line, in process. */
    Run cdcr(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var cl = CdcrCommand.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    /** As the tenant whose token {@code tenants create --save} stored in the client config file. */
    Run asAcme(String... args) {
        List<String> a = new ArrayList<>(List.of(args));
        a.addAll(List.of("--endpoint", endpoint, "--client-config", clientConfig.toString()));
        return cdcr(a.toArray(String[]::new));
    }

    Run asOperator(String... args) {
        List<String> a = new ArrayList<>(List.of(args));
        a.addAll(List.of("--endpoint", endpoint, "--token", operator));
        return cdcr(a.toArray(String[]::new));
    }

    /** The packaged binary as its own process. */
    Run process(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(java(), "-Xmx256m",
                "-Dlogback.configurationFile=" + Path.of("..", "conf", "logback.xml").toAbsolutePath(),
                "-jar", JAR.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectOutput(dir.resolve("p.out").toFile())
                .redirectError(dir.resolve("p.err").toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            throw new AssertionError("cdcr " + String.join(" ", args) + " did not finish");
        }
        return new Run(p.exitValue(), Files.readString(dir.resolve("p.out")), Files.readString(dir.resolve("p.err")));
    }

    static Map<String, Object> json(String text) throws Exception {
        return JSON.readValue(text, new TypeReference<>() { });
    }

    @Test
    void theWholeClientAgainstARealNode() throws Exception {
        // tenants: create prints the one-time token as `token`; --save stores endpoint and token (0600)
        Run created = asOperator("tenants", "create", "acme", "-o", "json", "--save",
                "--client-config", clientConfig.toString());
        assertThat(created.exit()).as(created.err()).isZero();
        String token = (String) json(created.out()).get("token");
        assertThat(token).hasSize(43);
        assertThat(Files.readString(clientConfig)).contains("endpoint = " + endpoint).contains("token = " + token);
        assertThat(Files.getPosixFilePermissions(clientConfig)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        Run globex = asOperator("tenants", "create", "globex", "--capabilities", "k.exec", "--containers", "3",
                "-o", "json");
        assertThat(globex.exit()).as(globex.err()).isZero();
        String globexToken = (String) json(globex.out()).get("token");
        @SuppressWarnings("unchecked")
        Map<String, Object> globexQuota = (Map<String, Object>) ((Map<String, Object>) json(globex.out())
                .get("tenant")).get("quota");
        assertThat(globexQuota).containsEntry("containers", 3);

        // every example runs to Released; submit prints the id first, then one line per transition
        for (String example : List.of("bell", "ghz", "qasmbench-adder-n4", "phi", "hybrid")) {
            Run r = asAcme("submit", EXAMPLES.resolve(example + ".yaml").toString(), "--watch");
            assertThat(r.exit()).as(example + ": " + r.err()).isZero();
            String[] lines = r.out().split("\n");
            assertThat(lines[0]).startsWith("acme/");
            assertThat(lines[1]).contains("→ Created");
            assertThat(lines[lines.length - 1]).contains("Terminated → Released");
            assertThat(r.out()).contains("→ Active");
        }

        // a WebAssembly K program: submit reads k.module beside the spec and sends the bytes inline
        Run vqe = asAcme("submit", EXAMPLES.resolve("vhm").resolve("vqe.yaml").toString(), "--watch");
        assertThat(vqe.exit()).as(vqe.err()).isZero();
        assertThat(vqe.out()).contains("→ Active").contains("Terminated → Released");
        Run vqeResult = asAcme("result", "vqe", "-o", "json");
        assertThat(vqeResult.exit()).as(vqeResult.err()).isZero();
        assertThat((String) json(vqeResult.out()).get("detail")).contains("result: theta_mrad=").contains("energy_milli=");
        Run vqeLogs = asAcme("logs", "vqe", "-o", "json"); // the VQE example logs nothing: an empty list, not an error
        assertThat(vqeLogs.exit()).as(vqeLogs.err()).isZero();
        assertThat(json(vqeLogs.out())).containsEntry("id", "acme/vqe").containsEntry("lines", List.of())
                .containsEntry("dropped", 0);

        Run result = asAcme("result", "acme/qasmbench-adder-n4", "-o", "json");
        assertThat(result.exit()).as(result.err()).isZero();
        assertThat(json(result.out()).get("counts")).isEqualTo(Map.of("1001", 256));
        Run bellResult = asAcme("result", "bell");
        assertThat(bellResult.out()).contains("OUTCOME").contains("00").contains("11");
        Run hybrid = asAcme("result", "hybrid", "-o", "yaml");
        assertThat(hybrid.out()).contains("state: Released").contains("phi:").contains("minObserved:");

        Run get = asAcme("get", "acme/bell", "-o", "json");
        assertThat(json(get.out())).containsEntry("state", "Released").containsEntry("node", "node-1");
        Run ls = asAcme("ls", "--state", "released");
        assertThat(ls.exit()).isZero();
        assertThat(ls.out()).contains("CONTAINER").contains("acme/bell").contains("acme/hybrid");
        Run watch = asAcme("watch", "bell", "-o", "json");
        assertThat(watch.out().trim().split("\n")).hasSize(7);
        assertThat(json(watch.out().trim().split("\n")[6])).containsEntry("to", "Released");

        // rejected by the server: exit 1 with the status and message
        Run suspend = asAcme("suspend", "bell");
        assertThat(suspend.exit()).isEqualTo(1);
        assertThat(suspend.err()).contains("FAILED_PRECONDITION: cannot suspend a container that is Released");
        Run foreign = cdcr("get", "acme/bell", "--endpoint", endpoint, "--token", globexToken);
        assertThat(foreign.exit()).isEqualTo(1);
        assertThat(foreign.err()).contains("PERMISSION_DENIED");
        Run missing = asAcme("get", "nothing-here");
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.err()).contains("NOT_FOUND: no container acme/nothing-here");
        Run invalid = asAcme("submit", EXAMPLES.resolve("bell.yaml").toString().replace("bell.yaml", "../pom.xml"));
        assertThat(invalid.exit()).isEqualTo(1);
        assertThat(invalid.err()).contains("INVALID_ARGUMENT");

        // several files: one SubmitBatch call, a row per file; exit 1 if any was refused
        Path one = Files.writeString(dir.resolve("batch-one.yaml"),
                "tenant: acme\nname: batch-one\ncapabilities: [k.exec]\n");
        Path two = Files.writeString(dir.resolve("batch-two.yaml"),
                "tenant: acme\nname: batch-two\ncapabilities: [k.exec]\n");
        Path bad = Files.writeString(dir.resolve("batch-bad.yaml"), "tenant: acme\nname: batch-bad\ncolour: blue\n");
        Run mixed = asAcme("submit", one.toString(), bad.toString());
        assertThat(mixed.exit()).as(mixed.err()).isEqualTo(1);
        assertThat(mixed.out()).contains("FILE").contains("acme/batch-one")
                .contains("INVALID_ARGUMENT: invalid container spec: colour: unknown field");
        assertThat(mixed.err()).contains("1 of 2 submissions refused");
        Run both = asAcme("submit", one.toString(), two.toString(), "-o", "json");
        assertThat(both.exit()).as(both.err()).isZero();
        assertThat(both.out()).contains("\"id\" : \"acme/batch-two\"").contains("\"existed\" : true");
        assertThat(asAcme("submit", one.toString(), two.toString(), "--watch").exit()).isEqualTo(2);

        // operator views
        Run tenants = asOperator("tenants", "ls");
        assertThat(tenants.out()).contains("acme").contains("globex");
        Run quota = asOperator("tenants", "quota", "acme", "--qubits", "4", "-o", "json");
        assertThat(quota.exit()).as(quota.err()).isZero();
        assertThat(quota.out()).contains("\"qubits\" : 4");
        Run status = asOperator("cluster", "status");
        assertThat(status.exit()).as(status.err()).isZero();
        assertThat(status.out()).contains("orchestrator singleton on node-1").contains("NODE").contains("K SLOTS")
                .contains("orchestrator");
        Run watched = asOperator("cluster", "status", "--watch", "1", "--count", "2");
        assertThat(watched.exit()).as(watched.err()).isZero();
        assertThat(watched.out().split("orchestrator singleton on node-1", -1)).as("two refreshes").hasSize(3);
        assertThat(watched.out()).contains("(every 1 s)");

        // usage errors exit 2, an unreachable endpoint 3
        assertThat(cdcr("get").exit()).isEqualTo(2);
        assertThat(asAcme("ls", "--state", "sleeping").exit()).isEqualTo(2);
        assertThat(asAcme("submit", dir.resolve("no-such.yaml").toString()).exit()).isEqualTo(2);
        int closed = freePort();
        Run unreachable = cdcr("get", "acme/bell", "--endpoint", "127.0.0.1:" + closed, "--token", token);
        assertThat(unreachable.exit()).isEqualTo(3);
        assertThat(unreachable.err()).contains("cannot reach the control plane at 127.0.0.1:" + closed);

        // the binary itself: same commands and exit codes as a process
        Run p = process("get", "acme/bell", "-o", "json", "--client-config", clientConfig.toString());
        assertThat(p.exit()).as(p.err()).isZero();
        assertThat(json(p.out())).containsEntry("id", "acme/bell");
        Run pDenied = process("get", "acme/bell", "--endpoint", endpoint, "--token", globexToken);
        assertThat(pDenied.exit()).isEqualTo(1);
        Run pDown = process("get", "acme/bell", "--endpoint", "127.0.0.1:" + closed);
        assertThat(pDown.exit()).isEqualTo(3);
    }
}
