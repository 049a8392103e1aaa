package org.xdv.cdcr.q.sim;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Splitting an index range over a fixed pool of daemon threads.
 *
 * <p>A range {@code [0, total)} is cut into contiguous chunks whose boundaries are multiples of {@code align};
 * the calling thread and up to {@code workers − 1} pool threads take chunks until none is left, and the call
 * returns when all are done. The kernels compute every element with the same arithmetic whichever chunk it
 * falls in, so results never depend on the number of threads or on which thread took which chunk.
 */
final class Parallel {

    /** Chunks per worker: enough to even out uneven progress, few enough to keep the hand-out cheap. */
    private static final int CHUNKS_PER_WORKER = 4;

    /** One worker per processor; the caller is worker 0, so a 2-worker job on 2 cores uses both. */
    private static final ForkJoinPool POOL = new ForkJoinPool(
            Math.max(1, Runtime.getRuntime().availableProcessors()),
            pool -> {
                ForkJoinWorkerThread t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
                t.setName("cdcr-sim-" + t.getPoolIndex());
                t.setDaemon(true);
                return t;
            },
            null, false);

    /** The work of one chunk: elements {@code [lo, hi)} of the range, done by worker {@code part}. */
    interface Body {
        void run(int part, int lo, int hi);
    }

    private Parallel() {
    }

    /**
     * Runs {@code body} over {@code [0, total)} with up to {@code workers} threads: the range is cut into about
     * {@value #CHUNKS_PER_WORKER} chunks per worker (boundaries multiples of {@code align}) and each worker takes
     * the next chunk until none is left, so a worker slowed by other load on its core does not hold up the rest.
     * {@code part} passed to the body is the worker's number.
     */
    static void forRange(int workers, int total, int align, Body body) {
        int units = (total + align - 1) / align;
        int w = Math.max(1, Math.min(workers, units));
        if (w == 1) {
            body.run(0, 0, total);
            return;
        }
        int chunks = Math.min(units, w * CHUNKS_PER_WORKER);
        AtomicInteger next = new AtomicInteger();
        ForkJoinTask<?>[] tasks = new ForkJoinTask<?>[w - 1];
        for (int i = 1; i < w; i++) {
            int worker = i;
            tasks[i - 1] = POOL.submit(() -> drain(worker, next, chunks, units, align, total, body));
        }
        Throwable failure = null;
        try {
            drain(0, next, chunks, units, align, total, body);
        } catch (RuntimeException | Error e) {
            failure = e;
            next.set(chunks);
        }
        for (ForkJoinTask<?> t : tasks) {
            try {
                t.join();
            } catch (RuntimeException | Error e) {
                if (failure == null) {
                    failure = e;
                }
            }
        }
        if (failure instanceof RuntimeException r) {
            throw r;
        }
        if (failure instanceof Error e) {
            throw e;
        }
    }

    private static void drain(int worker, AtomicInteger next, int chunks, int units, int align, int total,
                              Body body) {
        for (int c = next.getAndIncrement(); c < chunks; c = next.getAndIncrement()) {
            body.run(worker, bound(c, chunks, units, align, total), bound(c + 1, chunks, units, align, total));
        }
    }

    private static int bound(int i, int parts, int units, int align, int total) {
        long unit = (long) units * i / parts;
        return (int) Math.min(total, unit * align);
    }
}
