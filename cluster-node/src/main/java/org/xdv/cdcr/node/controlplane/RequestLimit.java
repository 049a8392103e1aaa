package org.xdv.cdcr.node.controlplane;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import io.grpc.Status;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.RequestEntity;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.japi.function.Function;
import org.apache.pekko.util.ByteString;

/**
 * The request size limit in front of every gRPC service. HTTP/2 request bodies are streamed, so the limit is
 * applied while the body is read: up to {@code maxBytes} are kept and handed to the service; beyond that
 * nothing more is kept, the rest is read and dropped, and the caller gets RESOURCE_EXHAUSTED naming the limit
 * — the request is never decoded or parsed. (Failing the stream instead would reset it, and gRPC clients then
 * report CANCELLED without the reason.) Memory per request stays bounded by the limit.
 */
final class RequestLimit implements Function<HttpRequest, CompletionStage<HttpResponse>> {

    private static final ContentType GRPC = ContentTypes.parse("application/grpc");

    private final Function<HttpRequest, CompletionStage<HttpResponse>> services;
    private final long maxBytes;
    private final ActorSystem<?> system;

    RequestLimit(Function<HttpRequest, CompletionStage<HttpResponse>> services, long maxBytes, ActorSystem<?> system) {
        this.services = services;
        this.maxBytes = maxBytes;
        this.system = system;
    }

    /** Bytes kept so far and bytes seen in all. */
    private record Read(ByteString kept, long seen) {
    }

    @Override
    public CompletionStage<HttpResponse> apply(HttpRequest req) throws Exception {
        if (req.getUri().path().startsWith("/grpc.reflection.")) {
            // reflection streams requests (a client waits for each answer before sending on): not buffered, bounded
            return services.apply(req.withEntity((RequestEntity) req.entity().withSizeLimit(maxBytes)));
        }
        // every cdcr.v1 RPC takes a single request message, so the whole body is one bounded read
        ContentType type = req.entity().getContentType();
        return req.entity().getDataBytes()
                .runFold(new Read(ByteString.emptyByteString(), 0), (acc, chunk) -> {
                    long seen = acc.seen() + chunk.size();
                    return seen <= maxBytes ? new Read(acc.kept().concat(chunk), seen) : new Read(null, seen);
                }, system)
                .thenCompose(read -> {
                    if (read.seen() > maxBytes) {
                        return CompletableFuture.completedFuture(tooLarge(read.seen()));
                    }
                    try {
                        return services.apply(req.withEntity(HttpEntities.create(type, read.kept())));
                    } catch (Exception e) {
                        return CompletableFuture.failedFuture(e);
                    }
                });
    }

    private HttpResponse tooLarge(long seen) {
        String message = "request of " + seen + " bytes is larger than the limit of " + maxBytes
                + " bytes (cdcr.control-plane.max-request-bytes): refused without decoding it";
        return HttpResponse.create()
                .withEntity(HttpEntities.create(GRPC, ByteString.emptyByteString()))
                .addHeader(RawHeader.create("grpc-status", String.valueOf(Status.Code.RESOURCE_EXHAUSTED.value())))
                .addHeader(RawHeader.create("grpc-message", message));
    }
}
