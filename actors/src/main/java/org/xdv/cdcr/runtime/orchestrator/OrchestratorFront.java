package org.xdv.cdcr.runtime.orchestrator;

import java.util.List;

import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.xdv.cdcr.persistence.batching.WriteBatcher;
import org.xdv.cdcr.persistence.KryoSerializable;
import org.xdv.cdcr.runtime.core.dao.DaoInput;
import org.xdv.cdcr.runtime.core.dao.DaoState;
import org.xdv.cdcr.runtime.core.dao.Decided;

/**
 * The orchestrator singleton as the cluster sees it: it owns the journal actor ({@link Orchestrator}) and
 * batches. While one write is in flight, every input that arrives is queued; when the write completes, the
 * queue goes to the journal as one batch (one write), in arrival order. There is never more than one write in
 * flight, so decisions are made and written in exactly the order they are answered.
 */
public final class OrchestratorFront extends AbstractBehavior<OrchestratorFront.Command> {

    /** Largest batch per write. */
    public static final int MAX_BATCH = 2000;

    public sealed interface Command extends KryoSerializable {
    }

    /** Decide {@code input}; the reply is the persisted {@link Decided}. */
    public record Decide(DaoInput input, ActorRef<Decided> replyTo) implements Command {
    }

    /** The current view (queries, status, reconciliation). */
    public record GetView(ActorRef<DaoState> replyTo) implements Command {
    }

    /** The live placements on one node (serializable: any node may ask). */
    public record PlacementsOn(String node, ActorRef<Orchestrator.Placements> replyTo) implements Command {
    }

    /** How many decisions the orchestrator has written (serializable: any node may ask). */
    /** A tenant's VHM contract, answered by the orchestrator from its view. */
    public record VhmContractOf(String tenant, ActorRef<org.xdv.cdcr.runtime.core.dao.VhmContract> replyTo)
            implements Command {
    }

    public record CurrentSeq(ActorRef<Orchestrator.Seq> replyTo) implements Command {
    }

    /** Stop message for the singleton manager. */
    public enum Stop implements Command { INSTANCE }

    private record Written(Orchestrator.BatchWritten batch) implements Command {
    }

    /** The batch sent as number {@code generation} was not confirmed in time (journal restarting). */
    private record WriteTimedOut(long generation) implements Command {
    }

    /** How long a write may take before the front stops waiting for it (its requesters' asks fail and retry). */
    static final java.time.Duration WRITE_TIMEOUT = java.time.Duration.ofSeconds(30);

    private final ActorRef<Orchestrator.Command> journal;
    private final ActorRef<Orchestrator.BatchWritten> writtenAdapter;
    private final TimerScheduler<Command> timers;
    private final WriteBatcher<Orchestrator.Request> batcher = new WriteBatcher<>(MAX_BATCH);

    public static Behavior<Command> create() {
        return create(Consequences.NONE);
    }

    /** A front whose orchestrator hands its persisted decisions and recoveries to {@code consequences}. */
    public static Behavior<Command> create(Consequences consequences) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> new OrchestratorFront(ctx, timers,
                consequences)));
    }

    private OrchestratorFront(ActorContext<Command> ctx, TimerScheduler<Command> timers, Consequences consequences) {
        super(ctx);
        this.timers = timers;
        this.journal = ctx.spawn(Orchestrator.create(consequences), "journal");
        ctx.watch(journal);
        this.writtenAdapter = ctx.messageAdapter(Orchestrator.BatchWritten.class, Written::new);
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(Decide.class, this::onDecide)
                .onMessage(Written.class, w -> {
                    timers.cancel("write");
                    return send(batcher.written());
                })
                .onMessage(WriteTimedOut.class, t -> {
                    if (t.generation() != batcher.generation() || !batcher.inFlight()) {
                        return this;
                    }
                    getContext().getLog().error("orchestrator write #{} not confirmed within {}; continuing",
                            t.generation(), WRITE_TIMEOUT);
                    return send(batcher.written());
                })
                .onMessage(PlacementsOn.class, q -> {
                    journal.tell(new Orchestrator.GetPlacementsOn(q.node(), q.replyTo()));
                    return this;
                })
                .onMessage(VhmContractOf.class, q -> {
                    journal.tell(new Orchestrator.GetVhmContract(q.tenant(), q.replyTo()));
                    return this;
                })
                .onMessage(CurrentSeq.class, q -> {
                    journal.tell(new Orchestrator.GetSeq(q.replyTo()));
                    return this;
                })
                .onMessage(GetView.class, g -> {
                    journal.tell(new Orchestrator.GetView(g.replyTo()));
                    return this;
                })
                .onMessageEquals(Stop.INSTANCE, Behaviors::stopped)
                .build();
    }

    private Behavior<Command> onDecide(Decide d) {
        List<Orchestrator.Request> batch = batcher.offer(new Orchestrator.Request(d.input(), d.replyTo()));
        if (batch == null && batcher.queued() == MAX_BATCH * 4) {
            getContext().getLog().warn("orchestrator queue at {} inputs: writes are slower than arrivals",
                    batcher.queued());
        }
        return send(batch);
    }

    /** Writes {@code batch} (if any) as one journal write, watched by a timeout. */
    private Behavior<Command> send(List<Orchestrator.Request> batch) {
        if (batch != null) {
            timers.startSingleTimer("write", new WriteTimedOut(batcher.generation()), WRITE_TIMEOUT);
            journal.tell(new Orchestrator.DecideBatch(batch, writtenAdapter));
        }
        return this;
    }
}
