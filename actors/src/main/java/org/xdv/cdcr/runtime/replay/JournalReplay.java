package org.xdv.cdcr.runtime.replay;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.LongConsumer;

import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.persistence.query.javadsl.CurrentEventsByPersistenceIdQuery;
import org.apache.pekko.persistence.query.javadsl.CurrentPersistenceIdsQuery;
import org.apache.pekko.persistence.query.javadsl.ReadJournal;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.xdv.cdcr.runtime.container.HybridContainer;
import org.xdv.cdcr.runtime.core.container.ContainerEvent;
import org.xdv.cdcr.runtime.core.dao.DecidedBatch;
import org.xdv.cdcr.runtime.orchestrator.Orchestrator;

/**
 * Reads the orchestrator's journal ({@code cdcr-dao}) up to its current end through Pekko persistence query (no
 * SQL or CQL of its own) and feeds every recorded decision to a {@link ReplayVerifier}; then, with
 * {@link #runAll}, reads every container journal (persistence ids {@code HybridContainer|tenant/name}, in id
 * order) and holds each against those decisions with {@link ContainerJournalCheck}. The orchestrator's journal
 * is replayed in a pipeline: batches are read and deserialised, folded into views ({@link ReplayVerifier#fold})
 * and decided again ({@link ReplayVerifier#check}) in three stages that run at the same time, each in order.
 */
public final class JournalReplay {

    /** Containers whose journals are read at the same time. */
    static final int CONTAINER_READ_PARALLELISM = 8;

    /** The decisions' report, and what the container journals showed. */
    public record FullReport(ReplayVerifier.Report decisions, long containersChecked, long containerEvents,
                             Optional<ContainerJournalCheck.ContainerDivergence> containerDivergence) {
        public boolean ok() {
            return decisions.ok() && containerDivergence.isEmpty();
        }
    }

    private JournalReplay() {
    }

    /**
     * Replays the journal of {@code system}'s configured read journal {@code readJournalId}; {@code progress}
     * receives the number of decisions read so far after each journal event.
     */
    public static CompletionStage<ReplayVerifier.Report> run(ActorSystem<?> system, String readJournalId,
                                                             ReplayVerifier verifier, LongConsumer progress) {
        return run(system, readJournalId, verifier, (batches, decisions) -> progress.accept(decisions));
    }

    /** What has been read so far: journal entries (batches) and the decisions in them. */
    @FunctionalInterface
    public interface Progress {
        void read(long batches, long decisions);
    }

    /**
     * The number of entries (batches) in the orchestrator's journal now. Entries are numbered 1, 2, 3 … and never
     * deleted, so it is found with point queries of persistence query (doubling, then bisection): about
     * 2·log2(n) reads of one entry each, without reading the journal.
     */
    public static CompletionStage<Long> journalLength(ActorSystem<?> system, String readJournalId) {
        CurrentEventsByPersistenceIdQuery journal = (CurrentEventsByPersistenceIdQuery) PersistenceQuery.get(system)
                .getReadJournalFor(ReadJournal.class, readJournalId);
        java.util.function.LongFunction<CompletionStage<Boolean>> exists = k -> journal
                .currentEventsByPersistenceId(Orchestrator.PERSISTENCE_ID.id(), k, k)
                .runWith(Sink.headOption(), system).thenApply(java.util.Optional::isPresent);
        return exists.apply(1).thenCompose(any -> any ? grow(exists, 1) : CompletableFuture.completedFuture(0L));
    }

    /** {@code present} exists; find the last entry by doubling, then bisecting. */
    private static CompletionStage<Long> grow(java.util.function.LongFunction<CompletionStage<Boolean>> exists,
                                              long present) {
        long probe = present * 2;
        return exists.apply(probe).thenCompose(there -> there ? grow(exists, probe)
                : bisect(exists, present, probe));
    }

    /** {@code lo} exists, {@code hi} does not. */
    private static CompletionStage<Long> bisect(java.util.function.LongFunction<CompletionStage<Boolean>> exists,
                                                long lo, long hi) {
        if (hi - lo <= 1) {
            return CompletableFuture.completedFuture(lo);
        }
        long mid = lo + (hi - lo) / 2;
        return exists.apply(mid).thenCompose(there -> there ? bisect(exists, mid, hi) : bisect(exists, lo, mid));
    }

    /** {@link #run(ActorSystem, String, ReplayVerifier, LongConsumer)} reporting batches and decisions read. */
    public static CompletionStage<ReplayVerifier.Report> run(ActorSystem<?> system, String readJournalId,
                                                             ReplayVerifier verifier, Progress progress) {
        CurrentEventsByPersistenceIdQuery journal = (CurrentEventsByPersistenceIdQuery) PersistenceQuery.get(system)
                .getReadJournalFor(ReadJournal.class, readJournalId);
        long[] read = new long[2];
        return journal.currentEventsByPersistenceId(Orchestrator.PERSISTENCE_ID.id(), 0, Long.MAX_VALUE)
                .map(env -> (DecidedBatch) env.event())
                .async() // three stages at once: read and deserialise, fold the views, decide again
                .map(batch -> verifier.fold(batch.decisions()))
                .async()
                .runWith(Sink.foreach(folded -> {
                    verifier.check(folded);
                    read[0] += folded.records().size();
                    read[1]++;
                    progress.read(read[1], read[0]);
                }), system)
                .thenApply(done -> verifier.report());
    }

    /**
     * {@link #run}, then every container journal in the verifier's scope, in container-id order; stops at the
     * first container divergence. {@code containerProgress} receives the number of containers checked so far.
     */
    public static CompletionStage<FullReport> runAll(ActorSystem<?> system, String readJournalId,
                                                     ReplayVerifier verifier, LongConsumer progress,
                                                     LongConsumer containerProgress) {
        return runAll(system, readJournalId, verifier, (batches, decisions) -> progress.accept(decisions),
                (checked, of) -> containerProgress.accept(checked));
    }

    /** What container journals have been checked: so many of how many. */
    @FunctionalInterface
    public interface ContainerProgress {
        void checked(long containers, long of);
    }

    /** {@link #runAll(ActorSystem, String, ReplayVerifier, LongConsumer, LongConsumer)} with richer progress. */
    public static CompletionStage<FullReport> runAll(ActorSystem<?> system, String readJournalId,
                                                     ReplayVerifier verifier, Progress progress,
                                                     ContainerProgress containerProgress) {
        ReadJournal readJournal = PersistenceQuery.get(system).getReadJournalFor(ReadJournal.class, readJournalId);
        CurrentEventsByPersistenceIdQuery events = (CurrentEventsByPersistenceIdQuery) readJournal;
        CurrentPersistenceIdsQuery ids = (CurrentPersistenceIdsQuery) readJournal;
        String prefix = HybridContainer.ENTITY_KEY.name() + PersistenceId.DefaultSeparator();
        return run(system, readJournalId, verifier, progress).thenCompose(report ->
                ids.currentPersistenceIds().filter(id -> id.startsWith(prefix)).runWith(Sink.seq(), system)
                        .thenCompose(all -> {
                            TreeSet<String> sorted = new TreeSet<>(all);
                            sorted.removeIf(id -> !verifier.scope().coversContainer(id.substring(prefix.length())));
                            long[] checked = new long[2];
                            List<ContainerJournalCheck.ContainerDivergence> first = new ArrayList<>(1);
                            return Source.from(new ArrayList<>(sorted))
                                    .mapAsync(CONTAINER_READ_PARALLELISM, pid -> events
                                            .currentEventsByPersistenceId(pid, 0, Long.MAX_VALUE)
                                            .map(env -> new ContainerJournalCheck.Recorded(env.sequenceNr(),
                                                    (ContainerEvent) env.event()))
                                            .runWith(Sink.seq(), system)
                                            .thenApply(evs -> new Journal(pid.substring(prefix.length()), evs)))
                                    .takeWhile(j -> first.isEmpty())
                                    .runWith(Sink.foreach(j -> {
                                        checked[0]++;
                                        checked[1] += j.events().size();
                                        ContainerJournalCheck.check(j.containerId(), j.events(),
                                                verifier::placementDecision).ifPresent(first::add);
                                        containerProgress.checked(checked[0], sorted.size());
                                    }), system)
                                    .thenApply(done -> new FullReport(report, checked[0], checked[1],
                                            first.stream().findFirst()));
                        }));
    }

    private record Journal(String containerId, List<ContainerJournalCheck.Recorded> events) {
    }
}
