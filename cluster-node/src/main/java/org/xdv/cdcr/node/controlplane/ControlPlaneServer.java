package org.xdv.cdcr.node.controlplane;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import com.typesafe.config.Config;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.grpc.javadsl.ServerReflection;
import org.apache.pekko.grpc.javadsl.ServiceHandler;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.settings.ParserSettings;
import org.apache.pekko.http.javadsl.settings.ServerSettings;
import org.apache.pekko.japi.function.Function;
import org.xdv.cdcr.node.controlplane.auth.AuthorizationLog;
import org.xdv.cdcr.node.controlplane.auth.BearerTokenAuthenticator;
import org.xdv.cdcr.node.proto.ClusterService;
import org.xdv.cdcr.node.proto.ClusterServicePowerApiHandlerFactory;
import org.xdv.cdcr.node.proto.ContainerService;
import org.xdv.cdcr.node.proto.ContainerServicePowerApiHandlerFactory;
import org.xdv.cdcr.node.proto.TenantAdminService;
import org.xdv.cdcr.node.proto.TenantAdminServicePowerApiHandlerFactory;
import org.xdv.cdcr.persistence.config.CdcrConfig;
import org.xdv.cdcr.runtime.CdcrRuntime;

/**
 * The node's gRPC endpoint: {@code cdcr.v1.ContainerService}, {@code TenantAdminService}, {@code ClusterService}
 * and gRPC server reflection (so grpcurl and other generic tools can list and call them), on HTTP/2 without
 * TLS on a loopback address ({@code cdcr.grpc.interface}, {@code cdcr.grpc.port}; 0 = ephemeral). Requests larger
 * than {@code cdcr.control-plane.max-request-bytes} are refused before they are decoded ({@link RequestLimit};
 * the HTTP/2 parser's max-content-length is set to the same value).
 *
 * <p>Starting it loads the operator credential, spawns this node's {@link AuthorizationLog} and binds; the
 * binding is released by coordinated shutdown.
 */
public final class ControlPlaneServer {

    private final ServerBinding binding;
    private final OperatorToken.Loaded operator;
    private final TenantDirectory directory;
    private final ActorRef<AuthorizationLog.Command> log;

    private ControlPlaneServer(ServerBinding binding, OperatorToken.Loaded operator, TenantDirectory directory,
                               ActorRef<AuthorizationLog.Command> log) {
        this.binding = binding;
        this.operator = operator;
        this.directory = directory;
        this.log = log;
    }

    public static ControlPlaneServer start(ActorSystem<?> system, CdcrRuntime runtime, Config config) throws Exception {
        ControlPlaneSettings s = ControlPlaneSettings.from(config);
        OperatorToken.Loaded operator = OperatorToken.load(s.operatorToken(), CdcrConfig.dataDir(config));
        TenantDirectory directory = new TenantDirectory(runtime, s.viewMinRefresh());
        // not awaited: a node that does not host the orchestrator may not get the view yet (see TenantDirectory);
        // an unknown token triggers a refresh anyway
        directory.refresh().whenComplete((v, e) -> {
            if (e != null) {
                system.log().warn("control plane: no tenant view from the orchestrator yet: {}", e.toString());
            }
        });
        directory.startPeriodicRefresh(s.viewRefresh());
        ActorRef<AuthorizationLog.Command> log = system.systemActorOf(
                AuthorizationLog.create(runtime.node().nodeId()), "authorization-log", Props.empty());
        Gate gate = new Gate(new BearerTokenAuthenticator(operator.sha256(), directory::tenantForHash), directory,
                log, system, s.askTimeout());

        long max = s.maxRequestBytes();
        @SuppressWarnings("unchecked")
        Function<HttpRequest, CompletionStage<HttpResponse>> services = ServiceHandler.concatOrNotFound(
                ContainerServicePowerApiHandlerFactory.create(
                        new ContainerServiceImpl(runtime, gate, max, s.maxList(), s.maxBatch(),
                                new SubmissionLimiter(s.maxSubmissionsInFlight(), s.maxSubmissionsQueued(),
                                        system.executionContext())), system),
                TenantAdminServicePowerApiHandlerFactory.create(
                        new TenantAdminServiceImpl(runtime, gate, s.defaultQuota()), system),
                ClusterServicePowerApiHandlerFactory.create(new ClusterServiceImpl(runtime, gate), system),
                ServerReflection.create(List.of(ContainerService.description, TenantAdminService.description,
                        ClusterService.description), system));
        Function<HttpRequest, CompletionStage<HttpResponse>> handler = new RequestLimit(services, max, system);

        ServerSettings settings = ServerSettings.create(system.classicSystem())
                .withEnableHttp2(true)
                .withParserSettings(ParserSettings.create(system.classicSystem())
                        .withMaxContentLength(s.maxRequestBytes()));
        ServerBinding binding;
        try {
            binding = Http.get(system).newServerAt(s.host(), s.port()).withSettings(settings)
                    .bind(handler::apply).toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            directory.stop();
            log.tell(AuthorizationLog.Stop.INSTANCE);
            throw new IllegalStateException("cannot bind the gRPC endpoint on " + s.host() + ":" + s.port() + ": "
                    + Errors.unwrap(e).getMessage(), e);
        }
        binding.addToCoordinatedShutdown(Duration.ofSeconds(3), system);
        return new ControlPlaneServer(binding, operator, directory, log);
    }

    public InetSocketAddress address() {
        return binding.localAddress();
    }

    /** {@code host:port} as clients give it to {@code --endpoint}. */
    public String endpoint() {
        return address().getHostString() + ":" + address().getPort();
    }

    public OperatorToken.Loaded operator() {
        return operator;
    }

    public ActorRef<AuthorizationLog.Command> authorizationLog() {
        return log;
    }

    /** Stops accepting calls (the actor system's shutdown does the rest). */
    public void stop() {
        directory.stop();
        binding.unbind();
    }
}
