package org.xdv.cdcr.node.cluster;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import com.typesafe.config.ConfigFactory;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.grpc.GrpcClientSettings;
import org.apache.pekko.grpc.javadsl.SingleResponseRequestBuilder;
import org.xdv.cdcr.node.proto.ClusterServiceClient;
import org.xdv.cdcr.node.proto.ClusterStatus;
import org.xdv.cdcr.node.proto.ContainerServiceClient;
import org.xdv.cdcr.node.proto.StatusRequest;
import org.xdv.cdcr.node.proto.TenantAdminServiceClient;

/**
 * gRPC clients of several nodes' control planes with one bearer token: one small local ActorSystem (no cluster),
 * the generated clients per endpoint on plain HTTP/2 (loopback), created on first use. Used by
 * {@code cdcr cluster up} to wait for a cluster and by the multi-JVM tests to drive one.
 */
public final class ControlPlaneClient implements AutoCloseable {

    /** The generated clients of one endpoint. */
    public record Endpoint(String address, ContainerServiceClient containers, TenantAdminServiceClient tenants,
                           ClusterServiceClient cluster) {
    }

    private final ActorSystem<Void> system;
    private final String authorization;
    private final Map<String, Endpoint> endpoints = new ConcurrentHashMap<>();

    public ControlPlaneClient(String token) {
        this.authorization = "Bearer " + token;
        this.system = ActorSystem.create(Behaviors.empty(), "cdcr-client", ConfigFactory.parseString(String.join("\n",
                "pekko.actor.provider = local",
                "pekko.loglevel = WARNING",
                "pekko.stdout-loglevel = OFF",
                "pekko.log-dead-letters = off",
                "pekko.log-dead-letters-during-shutdown = off",
                "pekko.coordinated-shutdown.run-by-jvm-shutdown-hook = off",
                "pekko.grpc.client.\"*\".connection-attempts = 2"))
                .withFallback(ConfigFactory.defaultReference()));
    }

    public Endpoint endpoint(String address) {
        return endpoints.computeIfAbsent(address, a -> {
            int colon = a.lastIndexOf(':');
            GrpcClientSettings s = GrpcClientSettings.connectToServiceAt(a.substring(0, colon),
                    Integer.parseInt(a.substring(colon + 1)), system).withTls(false);
            return new Endpoint(a, ContainerServiceClient.create(s, system), TenantAdminServiceClient.create(s, system),
                    ClusterServiceClient.create(s, system));
        });
    }

    /** One unary call with the token, waited for at most {@code timeout}; failures are thrown as they come. */
    public <Q, R> R call(SingleResponseRequestBuilder<Q, R> rpc, Q request, Duration timeout) throws Exception {
        try {
            return rpc.addHeader("authorization", authorization).invoke(request).toCompletableFuture()
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof Exception ex ? ex : e;
        }
    }

    /** {@code cdcr.v1.ClusterService/Status} of one node. */
    public ClusterStatus status(String address, Duration timeout) throws Exception {
        return call(endpoint(address).cluster().status(), StatusRequest.getDefaultInstance(), timeout);
    }

    public ActorSystem<Void> system() {
        return system;
    }

    @Override
    public void close() {
        for (Endpoint e : endpoints.values()) {
            e.containers().close();
            e.tenants().close();
            e.cluster().close();
        }
        system.terminate();
        try {
            system.getWhenTerminated().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            // exiting anyway
        }
    }
}
