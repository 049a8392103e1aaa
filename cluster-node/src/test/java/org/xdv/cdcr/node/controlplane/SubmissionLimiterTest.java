package org.xdv.cdcr.node.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.Test;

class SubmissionLimiterTest {

    /** Runs queued starts on the calling thread, so the test sees every step in order. */
    private final SubmissionLimiter limiter = new SubmissionLimiter(2, 2, Runnable::run);
    private final List<String> started = new ArrayList<>();
    private final List<CompletableFuture<String>> running = new ArrayList<>();

    private CompletionStage<String> submit(String name) {
        return limiter.submit(() -> {
            started.add(name);
            CompletableFuture<String> f = new CompletableFuture<>();
            running.add(f);
            return f;
        });
    }

    @Test
    void atMostMaxInFlightRunTheRestWaitInArrivalOrderAndBeyondTheQueueIsUnavailable() throws Exception {
        CompletionStage<String> a = submit("a");
        submit("b");
        CompletionStage<String> c = submit("c");
        submit("d");
        CompletionStage<String> e = submit("e");
        assertThat(started).containsExactly("a", "b");
        assertThat(limiter.inFlight()).isEqualTo(2);
        assertThat(limiter.queued()).isEqualTo(2);
        assertThatThrownBy(() -> e.toCompletableFuture().get()).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(StatusRuntimeException.class)
                .satisfies(t -> assertThat(((StatusRuntimeException) t).getStatus().getCode())
                        .isEqualTo(Status.Code.UNAVAILABLE))
                .hasMessageContaining("working on 2 submissions with 2 more waiting");

        running.get(0).complete("A");
        assertThat(a.toCompletableFuture().get()).isEqualTo("A");
        assertThat(started).containsExactly("a", "b", "c");
        running.get(1).completeExceptionally(new IllegalStateException("refused"));
        assertThat(started).as("a failed submission frees its place too").containsExactly("a", "b", "c", "d");
        running.get(2).complete("C");
        running.get(3).complete("D");
        assertThat(c.toCompletableFuture().get()).isEqualTo("C");
        assertThat(limiter.inFlight()).isZero();
        assertThat(limiter.queued()).isZero();
    }

    @Test
    void aSubmissionThatThrowsBeforeItStartsFreesItsPlace() throws Exception {
        CompletionStage<String> bad = limiter.submit(() -> {
            throw new IllegalArgumentException("no");
        });
        assertThatThrownBy(() -> bad.toCompletableFuture().get()).hasCauseInstanceOf(IllegalArgumentException.class);
        assertThat(limiter.inFlight()).isZero();
    }

    @Test
    void limitsMustBePositive() {
        assertThatThrownBy(() -> new SubmissionLimiter(0, 10, Runnable::run))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
