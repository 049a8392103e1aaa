package org.xdv.cdcr.node.controlplane;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.function.BiFunction;

import com.google.protobuf.Any;
import com.google.rpc.BadRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.apache.pekko.grpc.GrpcServiceException;
import org.apache.pekko.grpc.javadsl.Metadata;
import org.apache.pekko.grpc.javadsl.MetadataBuilder;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.util.ByteString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xdv.cdcr.runtime.core.dao.DaoDecision;
import org.xdv.cdcr.runtime.core.spec.SpecException;

/**
 * How control-plane outcomes become gRPC status codes (docs/control-plane.md has the table). Every failure a
 * service method returns goes through {@link #toGrpc}; the message always says what is wrong.
 */
public final class Errors {

    private static final Logger LOG = LoggerFactory.getLogger(Errors.class);

    private Errors() {
    }

    public static GrpcServiceException of(Status.Code code, String message) {
        return new GrpcServiceException(Status.fromCode(code).withDescription(message));
    }

    /**
     * INVALID_ARGUMENT for a spec, with every field error in the message and, as {@code google.rpc.BadRequest}
     * field violations, in the standard {@code grpc-status-details-bin} trailer.
     */
    public static GrpcServiceException invalidSpec(SpecException e) {
        BadRequest.Builder br = BadRequest.newBuilder();
        for (SpecException.FieldError f : e.errors()) {
            br.addFieldViolations(BadRequest.FieldViolation.newBuilder().setField(f.field())
                    .setDescription(f.message()));
        }
        com.google.rpc.Status details = com.google.rpc.Status.newBuilder()
                .setCode(Status.Code.INVALID_ARGUMENT.value()).setMessage(e.getMessage())
                .addDetails(Any.pack(br.build())).build();
        Metadata md = new MetadataBuilder()
                .addBinary("grpc-status-details-bin", ByteString.fromArrayUnsafe(details.toByteArray())).build();
        return new GrpcServiceException(Status.INVALID_ARGUMENT.withDescription(e.getMessage()), md);
    }

    /**
     * A refused orchestrator decision: QUOTA and NO_CAPACITY → RESOURCE_EXHAUSTED; CAPABILITY → PERMISSION_DENIED
     * (the tenant is not permitted that capability or Φ sharing — the request itself is well-formed; unknown
     * capability names are INVALID_ARGUMENT earlier, in the spec parser); UNKNOWN_TENANT, UNKNOWN_CONTAINER,
     * UNKNOWN_NODE → NOT_FOUND; DUPLICATE → ALREADY_EXISTS; INVALID → INVALID_ARGUMENT.
     */
    public static GrpcServiceException refused(DaoDecision.Reason reason, String message) {
        Status.Code code = switch (reason) {
            case QUOTA, NO_CAPACITY -> Status.Code.RESOURCE_EXHAUSTED;
            case CAPABILITY -> Status.Code.PERMISSION_DENIED;
            case UNKNOWN_TENANT, UNKNOWN_CONTAINER, UNKNOWN_NODE -> Status.Code.NOT_FOUND;
            case DUPLICATE -> Status.Code.ALREADY_EXISTS;
            case INVALID -> Status.Code.INVALID_ARGUMENT;
        };
        return of(code, reason + ": " + message);
    }

    /** Maps any failure to a status: gRPC errors as they are, timeouts UNAVAILABLE, lifecycle rejections FAILED_PRECONDITION. */
    public static StatusRuntimeException toGrpc(Throwable t, Duration askTimeout) {
        Throwable c = unwrap(t);
        if (c instanceof StatusRuntimeException s) {
            return s;
        }
        if (c instanceof TimeoutException) {
            return of(Status.Code.UNAVAILABLE, "the runtime did not answer within " + askTimeout.toSeconds()
                    + " s (the orchestrator may be moving to another node); retry");
        }
        if (c instanceof StatusReply.ErrorMessage e) {
            return of(Status.Code.FAILED_PRECONDITION, e.getMessage());
        }
        if (c instanceof IllegalArgumentException e) {
            return of(Status.Code.INVALID_ARGUMENT, e.getMessage());
        }
        LOG.error("control plane: unexpected failure", c);
        return of(Status.Code.INTERNAL, "internal error: " + c.getClass().getSimpleName()
                + (c.getMessage() == null ? "" : ": " + c.getMessage()));
    }

    static Throwable unwrap(Throwable t) {
        Throwable c = t;
        while ((c instanceof CompletionException || c instanceof ExecutionException) && c.getCause() != null) {
            c = c.getCause();
        }
        return c;
    }

    /** {@code stage.handle(Errors.mapped(timeout))} then {@code thenCompose(x -> x)}: fails with a gRPC status. */
    public static <T> CompletionStage<T> mapFailure(CompletionStage<T> stage, Duration askTimeout) {
        return stage.handle((BiFunction<T, Throwable, CompletionStage<T>>) (v, err) -> err == null
                ? CompletableFuture.completedFuture(v)
                : CompletableFuture.failedFuture(toGrpc(err, askTimeout))).thenCompose(x -> x);
    }
}
