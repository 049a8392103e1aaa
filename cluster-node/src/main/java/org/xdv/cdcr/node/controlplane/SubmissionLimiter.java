package org.xdv.cdcr.node.controlplane;

import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

import io.grpc.Status;

/**
 * Bounds the submissions a node works on at once, whatever the number of clients, calls and batches: at most
 * {@code maxInFlight} run, the next {@code maxQueued} wait in arrival order, and any beyond are refused at once as
 * UNAVAILABLE (retry later) before anything is recorded. Without a bound, a few thousand simultaneous submissions
 * start as many container entities, whose journal reads then queue past the journal's timeout, its circuit breaker
 * opens, and submissions fail after their placement was decided (measured: 64 clients × SubmitBatch of 64).
 */
final class SubmissionLimiter {

    private final int maxInFlight;
    private final int maxQueued;
    /** Where a queued submission starts (not on the thread that finished the previous one: no deep recursion). */
    private final Executor executor;
    private final ArrayDeque<Runnable> queue = new ArrayDeque<>();
    private int inFlight;

    SubmissionLimiter(int maxInFlight, int maxQueued, Executor executor) {
        if (maxInFlight < 1 || maxQueued < 0) {
            throw new IllegalArgumentException("submissions in flight must be at least 1 and queued at least 0, were "
                    + maxInFlight + " and " + maxQueued);
        }
        this.maxInFlight = maxInFlight;
        this.maxQueued = maxQueued;
        this.executor = executor;
    }

    /** Runs {@code submission} now or once a running one ends; fails at once with UNAVAILABLE if the queue is full. */
    <T> CompletionStage<T> submit(Supplier<CompletionStage<T>> submission) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Runnable start = () -> {
            CompletionStage<T> running;
            try {
                running = submission.get();
            } catch (RuntimeException e) {
                running = CompletableFuture.failedFuture(e);
            }
            running.whenComplete((value, error) -> {
                release();
                if (error != null) {
                    result.completeExceptionally(error);
                } else {
                    result.complete(value);
                }
            });
        };
        boolean now;
        synchronized (this) {
            if (inFlight < maxInFlight) {
                inFlight++;
                now = true;
            } else if (queue.size() < maxQueued) {
                queue.addLast(start);
                now = false;
            } else {
                return CompletableFuture.failedFuture(Errors.of(Status.Code.UNAVAILABLE, "this node is working on "
                        + inFlight + " submissions with " + queue.size() + " more waiting "
                        + "(cdcr.control-plane.max-submissions-in-flight and max-submissions-queued); retry later"));
            }
        }
        if (now) {
            start.run();
        }
        return result;
    }

    /** A submission ended: its slot passes to the longest-waiting one, if any. */
    private void release() {
        Runnable next;
        synchronized (this) {
            next = queue.pollFirst();
            if (next == null) {
                inFlight--;
            }
        }
        if (next != null) {
            executor.execute(next);
        }
    }

    synchronized int inFlight() {
        return inFlight;
    }

    synchronized int queued() {
        return queue.size();
    }
}
