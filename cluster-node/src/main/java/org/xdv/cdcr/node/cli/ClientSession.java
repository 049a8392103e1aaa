package org.xdv.cdcr.node.cli;

import java.io.IOException;
import java.net.ConnectException;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.typesafe.config.ConfigFactory;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.grpc.GrpcClientSettings;
import org.apache.pekko.grpc.javadsl.SingleResponseRequestBuilder;
import org.apache.pekko.grpc.javadsl.StreamResponseRequestBuilder;
import org.apache.pekko.stream.javadsl.Source;
import org.xdv.cdcr.node.proto.ClusterServiceClient;
import org.xdv.cdcr.node.proto.ContainerServiceClient;
import org.xdv.cdcr.node.proto.TenantAdminServiceClient;

/**
 * One command's connection to the control plane: a small local ActorSystem (no cluster, no node config), the
 * three generated gRPC clients on plain HTTP/2, and the caller's bearer token on every call. Failures become a
 * {@link Failure} carrying the command's exit code: 1 the server refused (its status and message), 2 a usage
 * error, 3 the endpoint could not be reached or did not answer in time.
 */
final class ClientSession implements AutoCloseable {

    static final int REJECTED = 1;
    static final int USAGE = 2;
    static final int UNREACHABLE = 3;

    /** Why a command stops, with its exit code and the message to print. */
    static final class Failure extends Exception {
        private static final long serialVersionUID = 1L;
        final int exitCode;

        Failure(int exitCode, String message) {
            super(message);
            this.exitCode = exitCode;
        }
    }

    private static final String SYSTEM_CONFIG = String.join("\n",
            "pekko.actor.provider = local",
            "pekko.loglevel = WARNING",
            "pekko.stdout-loglevel = OFF",
            "pekko.log-dead-letters = off",
            "pekko.log-dead-letters-during-shutdown = off",
            "pekko.coordinated-shutdown.run-by-jvm-shutdown-hook = off",
            "pekko.grpc.client.\"*\".connection-attempts = 2");

    final String endpoint;
    private final String authorization;
    private final long timeoutSeconds;
    private final ActorSystem<Void> system;
    final ContainerServiceClient containers;
    final TenantAdminServiceClient tenants;
    final ClusterServiceClient cluster;

    private ClientSession(String endpoint, String token, long timeoutSeconds, String host, int port) {
        this.endpoint = endpoint;
        this.authorization = token == null ? null : "Bearer " + token;
        this.timeoutSeconds = timeoutSeconds;
        this.system = ActorSystem.create(Behaviors.empty(), "cdcr-client",
                ConfigFactory.parseString(SYSTEM_CONFIG).withFallback(ConfigFactory.defaultReference()));
        GrpcClientSettings settings = GrpcClientSettings.connectToServiceAt(host, port, system).withTls(false);
        this.containers = ContainerServiceClient.create(settings, system);
        this.tenants = TenantAdminServiceClient.create(settings, system);
        this.cluster = ClusterServiceClient.create(settings, system);
    }

    /** Resolves endpoint and token (option, environment, config file) and connects lazily. */
    static ClientSession open(ClientOptions o) throws Failure {
        ClientConfig file;
        try {
            file = ClientConfig.read(ClientConfig.file(o.clientConfig));
        } catch (IOException e) {
            throw new Failure(USAGE, "cannot read the client config: " + e.getMessage());
        }
        String endpoint = first(o.endpoint, System.getenv("CDCR_ENDPOINT"), file.endpoint(),
                ClientConfig.DEFAULT_ENDPOINT);
        String token = first(o.token, System.getenv("CDCR_TOKEN"), file.token(), null);
        int colon = endpoint.lastIndexOf(':');
        int port;
        try {
            port = Integer.parseInt(endpoint.substring(colon + 1));
        } catch (NumberFormatException | IndexOutOfBoundsException e) {
            port = -1;
        }
        if (colon <= 0 || port < 1 || port > 65535) {
            throw new Failure(USAGE, "--endpoint must be HOST:PORT, was '" + endpoint + "'");
        }
        if (o.timeoutSeconds < 1) {
            throw new Failure(USAGE, "--timeout must be at least 1 second");
        }
        return new ClientSession(endpoint, token, o.timeoutSeconds, endpoint.substring(0, colon), port);
    }

    private static String first(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return v.trim();
            }
        }
        return null;
    }

    /** One unary call with the caller's credentials, waited for at most the timeout. */
    <Req, Res> Res call(SingleResponseRequestBuilder<Req, Res> rpc, Req request) throws Failure {
        SingleResponseRequestBuilder<Req, Res> b = authorization == null ? rpc : rpc.addHeader("authorization",
                authorization);
        CompletionStage<Res> answer = b.invoke(request);
        try {
            return answer.toCompletableFuture().get(timeoutSeconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failure(UNREACHABLE, "interrupted");
        } catch (TimeoutException e) {
            throw new Failure(UNREACHABLE, "no answer from " + endpoint + " within " + timeoutSeconds + " s");
        } catch (ExecutionException e) {
            throw failure(e.getCause());
        }
    }

    /** A server stream with the caller's credentials (no timeout: it ends when the server ends it). */
    <Req, Res> Source<Res, NotUsed> stream(StreamResponseRequestBuilder<Req, Res> rpc, Req request) {
        StreamResponseRequestBuilder<Req, Res> b = authorization == null ? rpc : rpc.addHeader("authorization",
                authorization);
        return b.invoke(request);
    }

    ActorSystem<Void> system() {
        return system;
    }

    /** The exit code and message for a failed call. */
    Failure failure(Throwable t) {
        Throwable c = t;
        while (c instanceof java.util.concurrent.CompletionException && c.getCause() != null) {
            c = c.getCause();
        }
        if (c instanceof StatusRuntimeException s) {
            Status st = s.getStatus();
            if ((st.getCode() == Status.Code.UNAVAILABLE && isTransport(st.getCause()))
                    || st.getCode() == Status.Code.DEADLINE_EXCEEDED) {
                return new Failure(UNREACHABLE, "cannot reach the control plane at " + endpoint + ": "
                        + describe(st));
            }
            return new Failure(REJECTED, st.getCode() + ": " + (st.getDescription() == null ? "" : st.getDescription()));
        }
        if (isTransport(c)) {
            return new Failure(UNREACHABLE, "cannot reach the control plane at " + endpoint + ": " + c);
        }
        return new Failure(REJECTED, String.valueOf(c));
    }

    private static boolean isTransport(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof ConnectException || c instanceof ClosedChannelException || c instanceof IOException) {
                return true;
            }
        }
        return false;
    }

    private static String describe(Status st) {
        String d = st.getDescription() != null ? st.getDescription() : st.getCode().toString();
        return st.getCause() != null && st.getCause().getMessage() != null ? d + " (" + st.getCause().getMessage() + ")"
                : d;
    }

    @Override
    public void close() {
        try {
            containers.close();
            tenants.close();
            cluster.close();
        } finally {
            system.terminate();
            try {
                system.getWhenTerminated().toCompletableFuture().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                // the JVM exits anyway
            }
        }
    }
}
