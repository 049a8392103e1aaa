package org.xdv.cdcr.node.controlplane.auth;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;
import org.xdv.cdcr.persistence.KryoSerializable;
import org.xdv.cdcr.persistence.batching.WriteBatcher;

/**
 * This node's authorization log (persistence id {@code cdcr-authz-<nodeId>}): every authorization the control
 * plane makes, decided in arrival order by the pure {@link Authorization#decide} and recorded with its inputs
 * before the call proceeds. A caller gets its {@link AuthzRecord} only after the record is written.
 *
 * <p>Batching as in the orchestrator: the front ({@link #create}) keeps at most one journal write in flight and
 * queues what arrives meanwhile; when a write completes, the queue is decided and written as one
 * {@link AuthzBatch} (one journal write, up to {@value #MAX_BATCH} records). If a write is not confirmed within
 * {@link #WRITE_TIMEOUT} (journal restarting) the front moves on; the callers of that batch time out and their
 * calls fail as UNAVAILABLE — nothing was allowed without a record.
 *
 * <p>State: only the next sequence number (snapshotted every 100 batches); it survives restarts through the
 * journal. Deciding needs no other state: the tenant's namespace comes with each request.
 */
public final class AuthorizationLog {

    public static final int MAX_BATCH = 1000;
    static final Duration WRITE_TIMEOUT = Duration.ofSeconds(10);

    private AuthorizationLog() {
    }

    public static PersistenceId persistenceId(String nodeId) {
        return PersistenceId.ofUniqueId("cdcr-authz-" + nodeId);
    }

    /** The front's protocol. */
    public sealed interface Command extends KryoSerializable {
    }

    /** Decide and record one authorization; the reply is the written record. */
    public record Authorize(Principal principal, Optional<List<String>> tenantCapabilities, AuthzRequest request,
                            ActorRef<AuthzRecord> replyTo) implements Command {
        public Authorize {
            tenantCapabilities = tenantCapabilities == null ? Optional.empty() : tenantCapabilities.map(List::copyOf);
        }
    }

    /** Stop (coordinated shutdown of the node stops it with the system). */
    public enum Stop implements Command { INSTANCE }

    private record Written(BatchWritten written) implements Command {
    }

    private record WriteTimedOut(long generation) implements Command {
    }

    /** The journal's protocol. */
    public sealed interface JournalCommand extends KryoSerializable {
    }

    public record RecordBatch(List<Authorize> requests, ActorRef<BatchWritten> done) implements JournalCommand {
        public RecordBatch {
            requests = List.copyOf(requests);
        }
    }

    public record BatchWritten(int size, long lastSeq) implements KryoSerializable {
    }

    /** The journal's state: the number the next record gets. */
    public record LogState(long nextSeq) implements KryoSerializable {
    }

    public static Behavior<Command> create(String nodeId) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> new Front(ctx, timers, nodeId)));
    }

    /** The persistent part, usable alone in tests. */
    public static Behavior<JournalCommand> journal(String nodeId) {
        return new Journal(persistenceId(nodeId));
    }

    private static final class Front extends AbstractBehavior<Command> {
        private final TimerScheduler<Command> timers;
        private final ActorRef<JournalCommand> journal;
        private final ActorRef<BatchWritten> writtenAdapter;
        private final WriteBatcher<Authorize> batcher = new WriteBatcher<>(MAX_BATCH);

        Front(ActorContext<Command> ctx, TimerScheduler<Command> timers, String nodeId) {
            super(ctx);
            this.timers = timers;
            this.journal = ctx.spawn(journal(nodeId), "journal");
            this.writtenAdapter = ctx.messageAdapter(BatchWritten.class, Written::new);
        }

        @Override
        public Receive<Command> createReceive() {
            return newReceiveBuilder()
                    .onMessage(Authorize.class, a -> send(batcher.offer(a)))
                    .onMessage(Written.class, w -> {
                        timers.cancel("write");
                        return send(batcher.written());
                    })
                    .onMessage(WriteTimedOut.class, t -> {
                        if (t.generation() != batcher.generation() || !batcher.inFlight()) {
                            return this;
                        }
                        getContext().getLog().error("authorization log write #{} not confirmed within {}",
                                t.generation(), WRITE_TIMEOUT);
                        return send(batcher.written());
                    })
                    .onMessageEquals(Stop.INSTANCE, Behaviors::stopped)
                    .build();
        }

        /** Writes {@code batch} (if any) as one journal write, watched by a timeout. */
        private Behavior<Command> send(List<Authorize> batch) {
            if (batch != null) {
                timers.startSingleTimer("write", new WriteTimedOut(batcher.generation()), WRITE_TIMEOUT);
                journal.tell(new RecordBatch(batch, writtenAdapter));
            }
            return this;
        }
    }

    private static final class Journal
            extends EventSourcedBehaviorWithEnforcedReplies<JournalCommand, AuthzBatch, LogState> {

        Journal(PersistenceId id) {
            super(id, SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(5), 0.1));
        }

        @Override
        public LogState emptyState() {
            return new LogState(0);
        }

        @Override
        public RetentionCriteria retentionCriteria() {
            return RetentionCriteria.snapshotEvery(100, 2);
        }

        @Override
        public CommandHandlerWithReply<JournalCommand, AuthzBatch, LogState> commandHandler() {
            return newCommandHandlerWithReplyBuilder().forAnyState()
                    .onCommand(RecordBatch.class, this::onBatch)
                    .build();
        }

        private ReplyEffect<AuthzBatch, LogState> onBatch(LogState state, RecordBatch batch) {
            List<AuthzRecord> records = new ArrayList<>(batch.requests().size());
            long seq = state.nextSeq();
            for (Authorize a : batch.requests()) {
                records.add(new AuthzRecord(seq++, a.principal(), a.tenantCapabilities(), a.request(),
                        Authorization.decide(a.principal(), a.tenantCapabilities(), a.request())));
            }
            long last = seq - 1;
            return Effect().persist(new AuthzBatch(records))
                    .thenRun(s -> {
                        for (int i = 0; i < records.size(); i++) {
                            batch.requests().get(i).replyTo().tell(records.get(i));
                        }
                    })
                    .thenReply(batch.done(), s -> new BatchWritten(records.size(), last));
        }

        @Override
        public EventHandler<LogState, AuthzBatch> eventHandler() {
            return newEventHandlerBuilder().forAnyState()
                    .onAnyEvent((state, batch) -> new LogState(state.nextSeq() + batch.records().size()));
        }
    }
}
