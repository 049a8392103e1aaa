package org.xdv.cdcr.node.controlplane.auth;

import java.util.concurrent.CompletionStage;

import org.apache.pekko.grpc.javadsl.Metadata;

/**
 * Establishes the {@link Principal} of a request from its metadata. The one place credentials are checked:
 * bearer tokens now ({@link BearerTokenAuthenticator}); mutual TLS with tenant certificates later, behind this
 * same interface. Asynchronous because a credential issued on another node may need a fresh view to be known.
 */
public interface Authenticator {

    /** The outcome: a principal, or why the caller is not authenticated (the message goes to the caller). */
    sealed interface Result {
    }

    record Authenticated(Principal principal) implements Result {
    }

    record Unauthenticated(String reason) implements Result {
    }

    CompletionStage<Result> authenticate(Metadata metadata);
}
