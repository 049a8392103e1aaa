package org.xdv.cdcr.runtime.replay;

import java.util.concurrent.CompletionStage;
import java.util.function.LongConsumer;

import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.persistence.query.javadsl.CurrentEventsByPersistenceIdQuery;
import org.apache.pekko.persistence.query.javadsl.ReadJournal;
import org.apache.pekko.stream.javadsl.Sink;
import org.xdv.cdcr.runtime.core.dao.DecidedBatch;
import org.xdv.cdcr.runtime.orchestrator.Orchestrator;

/**
 * Reads the orchestrator's journal ({@code cdcr-dao}) up to its current end through Pekko persistence query (no
 * SQL or CQL of its own) and feeds every recorded decision to a {@link ReplayVerifier}.
 */
public final class JournalReplay {

    private JournalReplay() {
    }

    /**
     * Replays the journal of {@code system}'s configured read journal {@code readJournalId}; {@code progress}
     * receives the number of decisions read so far after each journal event.
     */
    public static CompletionStage<ReplayVerifier.Report> run(ActorSystem<?> system, String readJournalId,
                                                             ReplayVerifier verifier, LongConsumer progress) {
        CurrentEventsByPersistenceIdQuery journal = (CurrentEventsByPersistenceIdQuery) PersistenceQuery.get(system)
                .getReadJournalFor(ReadJournal.class, readJournalId);
        long[] read = new long[1];
        return journal.currentEventsByPersistenceId(Orchestrator.PERSISTENCE_ID.id(), 0, Long.MAX_VALUE)
                .runWith(Sink.foreach(env -> {
                    DecidedBatch batch = (DecidedBatch) env.event();
                    verifier.acceptAll(batch.decisions());
                    read[0] += batch.decisions().size();
                    progress.accept(read[0]);
                }), system)
                .thenApply(done -> verifier.report());
    }
}
