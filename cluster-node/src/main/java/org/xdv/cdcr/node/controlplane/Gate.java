package org.xdv.cdcr.node.controlplane;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

import io.grpc.Status;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.grpc.javadsl.Metadata;
import org.xdv.cdcr.node.controlplane.auth.Authenticator;
import org.xdv.cdcr.node.controlplane.auth.AuthorizationLog;
import org.xdv.cdcr.node.controlplane.auth.AuthzRecord;
import org.xdv.cdcr.node.controlplane.auth.AuthzRequest;
import org.xdv.cdcr.node.controlplane.auth.Principal;

/**
 * The way into every RPC: authenticate the caller (UNAUTHENTICATED otherwise), then have the authorization log
 * decide and record the request (PERMISSION_DENIED otherwise), then run the call. Failures of any step come out
 * as gRPC statuses ({@link Errors#toGrpc}).
 */
public final class Gate {

    private final Authenticator authenticator;
    private final TenantDirectory directory;
    private final ActorRef<AuthorizationLog.Command> log;
    private final ActorSystem<?> system;
    private final Duration timeout;

    public Gate(Authenticator authenticator, TenantDirectory directory, ActorRef<AuthorizationLog.Command> log,
                ActorSystem<?> system, Duration timeout) {
        this.authenticator = authenticator;
        this.directory = directory;
        this.log = log;
        this.system = system;
        this.timeout = timeout;
    }

    public Duration timeout() {
        return timeout;
    }

    public TenantDirectory directory() {
        return directory;
    }

    public CompletionStage<Principal> authenticate(Metadata metadata) {
        return authenticator.authenticate(metadata).thenApply(r -> {
            if (r instanceof Authenticator.Authenticated a) {
                return a.principal();
            }
            throw Errors.of(Status.Code.UNAUTHENTICATED, ((Authenticator.Unauthenticated) r).reason());
        });
    }

    /** Decides and records {@code request} for {@code caller}; fails with PERMISSION_DENIED when denied. */
    public CompletionStage<AuthzRecord> authorize(Principal caller, AuthzRequest request) {
        Optional<List<String>> caps = caller instanceof Principal.Tenant t
                ? directory.current().capabilities(t.name()) : Optional.empty();
        CompletionStage<AuthzRecord> recorded = AskPattern.ask(log,
                r -> new AuthorizationLog.Authorize(caller, caps, request, r), timeout, system.scheduler());
        return recorded.thenApply(rec -> {
            if (!rec.outcome().allowed()) {
                throw Errors.of(Status.Code.PERMISSION_DENIED, rec.outcome().reason());
            }
            return rec;
        });
    }

    /**
     * Authenticates, authorizes {@code request.apply(caller)} (which may itself reject a malformed argument), then
     * runs {@code action}; the result fails only with gRPC statuses.
     */
    public <T> CompletionStage<T> call(Metadata metadata, Function<Principal, AuthzRequest> request,
                                       Function<Principal, CompletionStage<T>> action) {
        CompletionStage<T> s = authenticate(metadata)
                .thenCompose(p -> authorize(p, request.apply(p)).thenCompose(rec -> action.apply(p)));
        return Errors.mapFailure(s, timeout);
    }

    static <T> CompletionStage<T> done(T value) {
        return CompletableFuture.completedFuture(value);
    }
}
