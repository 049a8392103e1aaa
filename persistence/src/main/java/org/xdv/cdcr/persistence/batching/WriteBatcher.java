package org.xdv.cdcr.persistence.batching;

import java.util.ArrayList;
import java.util.List;

/**
 * The queue in front of a journal that keeps at most one write in flight: requests that arrive while a write
 * is in flight wait, and when it completes they leave together, in arrival order, as the next write (at most
 * {@code maxBatch} per write). Each write has a generation number so a late timeout of an old write is ignored.
 *
 * <p>Plain state, no actor: the owning actor calls {@link #offer} for each request and {@link #written} when a
 * write completes (or its timeout fires for the current generation), and sends whatever batch they return.
 * Not thread-safe (an actor's state).
 */
public final class WriteBatcher<R> {

    private final int maxBatch;
    private List<R> queue = new ArrayList<>();
    private boolean inFlight;
    private long generation;

    public WriteBatcher(int maxBatch) {
        if (maxBatch < 1) {
            throw new IllegalArgumentException("maxBatch must be >= 1, was " + maxBatch);
        }
        this.maxBatch = maxBatch;
    }

    /** Queues {@code request}; returns the batch to write now, or null while a write is in flight. */
    public List<R> offer(R request) {
        queue.add(request);
        return inFlight ? null : next();
    }

    /** The write in flight completed (or was given up); returns the next batch to write, or null if none. */
    public List<R> written() {
        return next();
    }

    /** The number of the write in flight (or of the last one). */
    public long generation() {
        return generation;
    }

    public boolean inFlight() {
        return inFlight;
    }

    /** Requests waiting for the next write. */
    public int queued() {
        return queue.size();
    }

    private List<R> next() {
        if (queue.isEmpty()) {
            inFlight = false;
            return null;
        }
        List<R> batch;
        if (queue.size() <= maxBatch) {
            batch = queue;
            queue = new ArrayList<>();
        } else {
            batch = new ArrayList<>(queue.subList(0, maxBatch));
            queue = new ArrayList<>(queue.subList(maxBatch, queue.size()));
        }
        inFlight = true;
        generation++;
        return batch;
    }
}
