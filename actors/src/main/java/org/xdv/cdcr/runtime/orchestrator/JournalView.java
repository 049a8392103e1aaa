package org.xdv.cdcr.runtime.orchestrator;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.persistence.query.javadsl.CurrentEventsByPersistenceIdQuery;
import org.apache.pekko.persistence.query.javadsl.ReadJournal;
import org.apache.pekko.stream.javadsl.Sink;
import org.xdv.cdcr.runtime.core.dao.DaoState;
import org.xdv.cdcr.runtime.core.dao.DecidedBatch;

/**
 * This node's copy of the orchestrator's view, folded from the orchestrator's journal ({@code cdcr-dao}) with the
 * same {@link DaoState#apply} the orchestrator uses — so any node can answer status and tenant queries, not only
 * the one hosting the singleton (the view itself never crosses the network).
 *
 * <p>{@link #atLeast} waits until the copy holds at least a given number of decisions, reading the journal from
 * where it stopped (one read at a time; concurrent callers share it). With the orchestrator's current count as
 * the target, a reader sees every decision answered before it asked.
 */
public final class JournalView {

    private final ActorSystem<?> system;
    private final String readJournalId;
    private DaoState view = DaoState.EMPTY;
    private long nextSequenceNr = 1;
    private CompletableFuture<DaoState> reading;

    public JournalView(ActorSystem<?> system, String readJournalId) {
        this.system = system;
        this.readJournalId = readJournalId;
    }

    public synchronized DaoState current() {
        return view;
    }

    /** The view once it holds at least {@code decisions} decisions; fails after {@code timeout}. */
    public CompletionStage<DaoState> atLeast(long decisions, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        return attempt(decisions, deadline);
    }

    private CompletionStage<DaoState> attempt(long decisions, long deadline) {
        DaoState now = current();
        if (now.seq() >= decisions) {
            return CompletableFuture.completedFuture(now);
        }
        return read().thenCompose(v -> {
            if (v.seq() >= decisions) {
                return CompletableFuture.completedFuture(v);
            }
            if (System.nanoTime() > deadline) {
                return CompletableFuture.failedFuture(new java.util.concurrent.TimeoutException(
                        "the orchestrator journal holds " + v.seq() + " decisions here, " + decisions + " expected"));
            }
            java.util.concurrent.Executor later = CompletableFuture.delayedExecutor(100, TimeUnit.MILLISECONDS);
            return CompletableFuture.supplyAsync(() -> 0, later).thenCompose(x -> attempt(decisions, deadline));
        });
    }

    /** Reads the journal from where the last read stopped to its current end. */
    private CompletionStage<DaoState> read() {
        CompletableFuture<DaoState> mine;
        long from;
        synchronized (this) {
            if (reading != null) {
                return reading;
            }
            mine = new CompletableFuture<>();
            reading = mine;
            from = nextSequenceNr;
        }
        CurrentEventsByPersistenceIdQuery journal = (CurrentEventsByPersistenceIdQuery) PersistenceQuery.get(system)
                .getReadJournalFor(ReadJournal.class, readJournalId);
        journal.currentEventsByPersistenceId(Orchestrator.PERSISTENCE_ID.id(), from, Long.MAX_VALUE)
                .runWith(Sink.foreach(env -> {
                    synchronized (this) {
                        if (env.sequenceNr() == nextSequenceNr) {
                            view = ((DecidedBatch) env.event()).applyTo(view);
                            nextSequenceNr = env.sequenceNr() + 1;
                        }
                    }
                }), system)
                .whenComplete((done, err) -> {
                    DaoState v;
                    synchronized (this) {
                        reading = null;
                        v = view;
                    }
                    if (err != null) {
                        mine.completeExceptionally(err);
                    } else {
                        mine.complete(v);
                    }
                });
        return mine;
    }
}
