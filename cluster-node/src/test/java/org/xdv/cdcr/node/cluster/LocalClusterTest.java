package org.xdv.cdcr.node.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xdv.cdcr.node.cassandra.CassandraLauncher;
import org.xdv.cdcr.node.cassandra.PidFile;
import org.xdv.cdcr.node.proto.ClusterStatus;
import org.xdv.cdcr.node.proto.Member;
import org.xdv.cdcr.node.proto.NodeStatus;

/** The local-cluster pieces that need no process: node specs, seeds, readiness, pid files, the CQL probe. */
class LocalClusterTest {

    static final LocalCluster.NodeSpec DEFAULTS = new LocalCluster.NodeSpec("d", 16, 32, 4, List.of());

    @Test
    void nodeSpecsOverrideTheDefaultsTheyName() {
        assertThat(LocalCluster.NodeSpec.parse("q1:k=8,q=64,phi=0,labels=quantum+fast", DEFAULTS))
                .isEqualTo(new LocalCluster.NodeSpec("q1", 8, 64, 0, List.of("quantum", "fast")));
        assertThat(LocalCluster.NodeSpec.parse("node-2", DEFAULTS))
                .isEqualTo(new LocalCluster.NodeSpec("node-2", 16, 32, 4, List.of()));
    }

    @Test
    void badNodeSpecsAreRefusedNamingTheProblem() {
        assertThatThrownBy(() -> LocalCluster.NodeSpec.parse("Q1", DEFAULTS)).hasMessageContaining("ID[:k=N");
        assertThatThrownBy(() -> LocalCluster.NodeSpec.parse("q1:k=x", DEFAULTS)).hasMessageContaining("k must be a number");
        assertThatThrownBy(() -> LocalCluster.NodeSpec.parse("q1:gpu=1", DEFAULTS)).hasMessageContaining("unknown key 'gpu'");
        assertThatThrownBy(() -> LocalCluster.NodeSpec.parse("q1:k=0", DEFAULTS)).hasMessageContaining("k >= 1");
    }

    @Test
    void everyNodeGetsEveryNodeAsSeedInIndexOrder(@TempDir Path dir) throws IOException {
        LocalCluster c = new LocalCluster(new LocalCluster.Settings(dir, dir.resolve("x.jar"), dir.resolve("c.conf"),
                dir.resolve("l.xml"), "127.0.0.1:9042", 25520, 8470, "256m", List.of()),
                List.of(DEFAULTS, new LocalCluster.NodeSpec("e", 1, 0, 0, List.of())));
        assertThat(c.seeds()).containsExactly("pekko://cdcr@127.0.0.1:25520", "pekko://cdcr@127.0.0.1:25521");
        assertThat(c.endpoint("e")).isEqualTo("127.0.0.1:8471");
        assertThat(Files.readString(dir.resolve("operator.token")).trim()).isEqualTo(c.token()).isNotEmpty();
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(dir.resolve("operator.token")))).isEqualTo("rw-------");
    }

    @Test
    void upMeansEveryNodeAnUpReachableMemberAdmittedAndTheOrchestratorAnswering() {
        ClusterStatus.Builder ok = ClusterStatus.newBuilder();
        for (String id : List.of("a", "b")) {
            ok.addMembers(Member.newBuilder().setNodeId(id).setStatus("Up").setAddress("pekko://cdcr@h:" + id));
            ok.addNodes(NodeStatus.newBuilder().setId(id).setMember("pekko://cdcr@h:" + id));
        }
        assertThat(LocalCluster.complete(ok.build(), List.of("a", "b"))).isTrue();
        assertThat(LocalCluster.complete(ok.build(), List.of("a", "b", "c"))).isFalse();
        assertThat(LocalCluster.complete(ok.clone().setOrchestratorError("moving").build(), List.of("a", "b"))).isFalse();
        assertThat(LocalCluster.complete(ok.clone().setMembers(1, ok.getMembers(1).toBuilder().setUnreachable(true))
                .build(), List.of("a", "b"))).isFalse();
        assertThat(LocalCluster.complete(ok.clone().setMembers(1, ok.getMembers(1).toBuilder().setStatus("Joining"))
                .build(), List.of("a", "b"))).isFalse();
    }

    @Test
    void aPidFileNeverNamesAProcessWithoutItsMarker(@TempDir Path dir) throws IOException {
        PidFile f = new PidFile(dir.resolve("x.pid"), "-Dcdcr.process=never-used-by-anything");
        f.write(ProcessHandle.current().pid()); // this JVM is alive but lacks the marker
        assertThat(f.process()).isEmpty();
        assertThat(f.stop(Duration.ofSeconds(1))).isFalse();
        assertThat(dir.resolve("x.pid")).doesNotExist();
    }

    @Test
    void anOpenPortThatIsNotCqlDoesNotCountAsCassandra() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            Thread t = new Thread(() -> {
                try (var c = s.accept()) {
                    c.getOutputStream().write("HTTP/1.1 400 Bad Request\r\n\r\n".getBytes());
                } catch (IOException ignored) {
                    // probe closed
                }
            });
            t.start();
            assertThat(CassandraLauncher.cqlAnswers("127.0.0.1", s.getLocalPort(), Duration.ofSeconds(2))).isFalse();
        }
    }
}
