package org.xdv.cdcr.node.controlplane.auth;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

import org.apache.pekko.grpc.javadsl.Metadata;

/**
 * {@code authorization: Bearer <token>}: the operator's token (its hash held in memory) or a tenant's token
 * (its hash recorded in the orchestrator journal by {@code CreateTenant}/{@code IssueToken}). Tokens are never
 * stored or logged; only their SHA-256 is compared.
 */
public final class BearerTokenAuthenticator implements Authenticator {

    /** Finds the tenant whose credential hash is {@code sha256}, asking for a fresh view when needed. */
    public interface CredentialLookup extends Function<String, CompletionStage<Optional<String>>> {
    }

    private static final String SCHEME = "bearer ";

    private final String operatorSha256;
    private final CredentialLookup tenants;

    public BearerTokenAuthenticator(String operatorSha256, CredentialLookup tenants) {
        this.operatorSha256 = operatorSha256;
        this.tenants = tenants;
    }

    @Override
    public CompletionStage<Result> authenticate(Metadata metadata) {
        Optional<String> header = metadata.getText("authorization");
        if (header.isEmpty()) {
            return done(new Unauthenticated("missing credentials: send the header 'authorization: Bearer <token>'"));
        }
        String h = header.get().trim();
        if (h.length() <= SCHEME.length() || !h.substring(0, SCHEME.length()).equalsIgnoreCase(SCHEME)) {
            return done(new Unauthenticated("the authorization header must be 'Bearer <token>'"));
        }
        String token = h.substring(SCHEME.length()).trim();
        if (token.isEmpty() || token.length() > 256) {
            return done(new Unauthenticated("malformed bearer token"));
        }
        String hash = Tokens.sha256(token);
        if (Tokens.sameHash(hash, operatorSha256)) {
            return done(new Authenticated(Principal.Operator.DEFAULT));
        }
        return tenants.apply(hash).thenApply(t -> t.<Result>map(name -> new Authenticated(new Principal.Tenant(name)))
                .orElseGet(() -> new Unauthenticated("unknown or revoked token")));
    }

    private static CompletionStage<Result> done(Result r) {
        return CompletableFuture.completedFuture(r);
    }
}
