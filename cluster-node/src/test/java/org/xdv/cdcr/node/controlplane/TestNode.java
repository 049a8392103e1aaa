package org.xdv.cdcr.node.controlplane;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import com.typesafe.config.ConfigFactory;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.grpc.GrpcClientSettings;
import org.apache.pekko.grpc.javadsl.SingleResponseRequestBuilder;
import org.apache.pekko.grpc.javadsl.StreamResponseRequestBuilder;
import org.apache.pekko.stream.javadsl.Sink;
import org.xdv.cdcr.node.NodeLauncher;
import org.xdv.cdcr.node.proto.ClusterServiceClient;
import org.xdv.cdcr.node.proto.ContainerServiceClient;
import org.xdv.cdcr.node.proto.TenantAdminServiceClient;

/**
 * One real node started by {@link NodeLauncher} with its gRPC control plane on an ephemeral loopback port and
 * the H2 journal in a temporary directory, plus generated gRPC clients on a separate client system. Every
 * wait is bounded; {@link #close} stops both systems.
 */
final class TestNode implements AutoCloseable {

    static final String OPERATOR = "operator-token-for-tests-0123456789abcdef";
    static final long WAIT_SECONDS = 60;

    final NodeLauncher.Running node;
    final ActorSystem<Void> clientSystem;
    final ContainerServiceClient containers;
    final TenantAdminServiceClient tenants;
    final ClusterServiceClient cluster;
    final int port;

    private TestNode(NodeLauncher.Running node) {
        this.node = node;
        this.port = node.controlPlane().orElseThrow().address().getPort();
        this.clientSystem = ActorSystem.create(Behaviors.empty(), "test-client", ConfigFactory.parseString(
                "pekko.actor.provider = local\npekko.loglevel = WARNING\npekko.log-dead-letters = off\n"
                        + "pekko.coordinated-shutdown.run-by-jvm-shutdown-hook = off")
                .withFallback(ConfigFactory.defaultReference()));
        GrpcClientSettings settings = GrpcClientSettings.connectToServiceAt("127.0.0.1", port, clientSystem)
                .withTls(false);
        this.containers = ContainerServiceClient.create(settings, clientSystem);
        this.tenants = TenantAdminServiceClient.create(settings, clientSystem);
        this.cluster = ClusterServiceClient.create(settings, clientSystem);
    }

    static TestNode start(Path data) throws Exception {
        return start(data, Map.of());
    }

    static TestNode start(Path data, Map<String, Object> extra) throws Exception {
        java.util.Objects.requireNonNull(data, "data directory (a null one would fall back to ./data)");
        Map<String, Object> o = new HashMap<>();
        o.put("cdcr.grpc.port", 0);
        o.put("cdcr.control-plane.operator-token", OPERATOR);
        o.put("pekko.remote.artery.canonical.port", 0);
        o.put("pekko.cluster.jmx.multi-mbeans-in-same-jvm", "on");
        o.put("pekko.coordinated-shutdown.run-by-jvm-shutdown-hook", "off");
        o.put("pekko.loglevel", "WARNING");
        o.putAll(extra);
        return new TestNode(NodeLauncher.start(NodeLauncher.config(Path.of("../conf/embedded.conf"), data, o), true));
    }

    String endpoint() {
        return "127.0.0.1:" + port;
    }

    /** A unary call with {@code token} (none when null); throws the call's StatusRuntimeException. */
    <Req, Res> Res call(SingleResponseRequestBuilder<Req, Res> rpc, String token, Req request) {
        SingleResponseRequestBuilder<Req, Res> b = token == null ? rpc
                : rpc.addHeader("authorization", "Bearer " + token);
        return await(b.invoke(request));
    }

    /** A server stream collected to its end. */
    <Req, Res> java.util.List<Res> stream(StreamResponseRequestBuilder<Req, Res> rpc, String token, Req request) {
        StreamResponseRequestBuilder<Req, Res> b = token == null ? rpc
                : rpc.addHeader("authorization", "Bearer " + token);
        return await(b.invoke(request).runWith(Sink.seq(), clientSystem));
    }

    static <T> T await(CompletionStage<T> s) {
        try {
            return s.toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof StatusRuntimeException sre) {
                throw sre;
            }
            throw new IllegalStateException(c);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The status code a call fails with ({@code OK} if it succeeds). */
    static Status.Code code(Runnable call) {
        try {
            call.run();
            return Status.Code.OK;
        } catch (StatusRuntimeException e) {
            return e.getStatus().getCode();
        }
    }

    /** The status a call fails with; fails the test if it succeeds. */
    static Status failure(Runnable call) {
        try {
            call.run();
        } catch (StatusRuntimeException e) {
            return e.getStatus();
        }
        throw new AssertionError("the call succeeded");
    }

    @Override
    public void close() {
        try {
            await(containers.close());
            await(tenants.close());
            await(cluster.close());
        } finally {
            clientSystem.terminate();
            try {
                clientSystem.getWhenTerminated().toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (Exception e) {
                // the node is closed below regardless
            }
            node.close();
        }
    }
}
