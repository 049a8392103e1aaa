package org.xdv.cdcr.runtime.orchestrator;

import java.util.ArrayList;
import java.util.List;

import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.SnapshotAdapter;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;
import org.xdv.cdcr.persistence.KryoSerializable;
import org.xdv.cdcr.runtime.core.dao.DaoInput;
import org.xdv.cdcr.runtime.core.dao.DaoSnapshot;
import org.xdv.cdcr.runtime.core.dao.DaoState;
import org.xdv.cdcr.runtime.core.dao.Decided;
import org.xdv.cdcr.runtime.core.dao.DecidedBatch;
import org.xdv.cdcr.runtime.core.dao.Orchestration;
import org.xdv.cdcr.runtime.core.dao.VhmContract;

/**
 * The Domain-Aware Orchestrator's journal (persistence id {@code cdcr-dao}): the single total order of every
 * resource-changing decision in the cluster.
 *
 * <p>It owns the {@link DaoState} view. It accepts only {@link DecideBatch}: a batch of inputs is decided in
 * order with the pure {@link Orchestration#decide}, each decision folded into the view before the next input
 * is decided, and the resulting {@link Decided} records are persisted as one {@link DecidedBatch} event — one
 * journal write however many decisions it holds; each requester is answered after that write. The batching itself is done by {@link OrchestratorFront}. Queries read the
 * view. After a move (the singleton restarted elsewhere) the view is recovered from the journal alone, so a
 * decision made before the move is never made differently after it.
 */
public final class Orchestrator
        extends EventSourcedBehaviorWithEnforcedReplies<Orchestrator.Command, DecidedBatch, DaoState> {

    public static final PersistenceId PERSISTENCE_ID = PersistenceId.ofUniqueId("cdcr-dao");

    public sealed interface Command extends KryoSerializable {
    }

    /** One input and who waits for its decision. */
    public record Request(DaoInput input, ActorRef<Decided> replyTo) implements KryoSerializable {
    }

    /** Decide these in order and persist them in one write; then tell {@code done} the batch is written. */
    public record DecideBatch(List<Request> requests, ActorRef<BatchWritten> done) implements Command {
        public DecideBatch {
            requests = List.copyOf(requests);
        }
    }

    public record BatchWritten(int size, long lastSeq) implements KryoSerializable {
    }

    /** Read the current view (for queries and the status table; never for deciding). Local only: not serializable. */
    public record GetView(ActorRef<DaoState> replyTo) implements Command {
    }

    /** The live placements on one node, in container-id order (serializable: any node may ask). */
    public record GetPlacementsOn(String node, ActorRef<Placements> replyTo) implements Command {
    }

    /** The VHM contract of a tenant ({@link VhmContract#DEFAULT} for an unknown one). */
    public record GetVhmContract(String tenant, ActorRef<VhmContract> replyTo) implements Command {
    }

    /** The number of decisions written so far (the view's {@code seq}). */
    public record GetSeq(ActorRef<Seq> replyTo) implements Command {
    }

    public record Seq(long decisions) implements KryoSerializable {
    }

    public record Placements(List<org.xdv.cdcr.runtime.core.dao.DaoDecision.Placed> placements)
            implements KryoSerializable {
        public Placements {
            placements = List.copyOf(placements);
        }
    }

    public static Behavior<Command> create() {
        return create(Consequences.NONE);
    }

    /** An orchestrator that hands each persisted decision, and each recovery, to {@code consequences}. */
    public static Behavior<Command> create(Consequences consequences) {
        return Behaviors.setup(ctx -> new Orchestrator(ctx, consequences));
    }

    private final ActorContext<Command> ctx;
    private final Consequences consequences;

    private Orchestrator(ActorContext<Command> ctx, Consequences consequences) {
        super(PERSISTENCE_ID, SupervisorStrategy.restartWithBackoff(
                java.time.Duration.ofMillis(200), java.time.Duration.ofSeconds(5), 0.1));
        this.ctx = ctx;
        this.consequences = consequences;
    }

    @Override
    public SignalHandler<DaoState> signalHandler() {
        return newSignalHandlerBuilder()
                .onSignal(RecoveryCompleted.instance(), state ->
                        consequences.recovered(lastSequenceNumber(ctx)))
                .build();
    }

    @Override
    public DaoState emptyState() {
        return DaoState.EMPTY;
    }

    /** Batches between snapshots; the two newest are kept. Events are never deleted: replay reads them all. */
    public static final int SNAPSHOT_EVERY = 100;

    @Override
    public RetentionCriteria retentionCriteria() {
        return RetentionCriteria.snapshotEvery(SNAPSHOT_EVERY, 2);
    }

    /** Snapshots hold only what the view cannot derive ({@link DaoSnapshot}); recovery rebuilds the rest. */
    @Override
    public SnapshotAdapter<DaoState> snapshotAdapter() {
        return new SnapshotAdapter<>() {
            @Override
            public Object toJournal(DaoState state) {
                return DaoSnapshot.of(state);
            }

            @Override
            public DaoState fromJournal(Object from) {
                return ((DaoSnapshot) from).toState();
            }
        };
    }

    @Override
    public CommandHandlerWithReply<Command, DecidedBatch, DaoState> commandHandler() {
        return newCommandHandlerWithReplyBuilder().forAnyState()
                .onCommand(DecideBatch.class, this::onBatch)
                .onCommand(GetView.class, (state, cmd) -> Effect().reply(cmd.replyTo(), state))
                .onCommand(GetVhmContract.class, (state, cmd) -> Effect().reply(cmd.replyTo(),
                        state.tenants().containsKey(cmd.tenant()) ? state.tenants().get(cmd.tenant()).vhm()
                                : VhmContract.DEFAULT))
                .onCommand(GetSeq.class, (state, cmd) -> Effect().reply(cmd.replyTo(), new Seq(state.seq())))
                .onCommand(GetPlacementsOn.class, (state, cmd) -> Effect().reply(cmd.replyTo(),
                        new Placements(state.placementsOn(cmd.node()))))
                .build();
    }

    private ReplyEffect<DecidedBatch, DaoState> onBatch(DaoState state, DecideBatch batch) {
        List<Decided> events = new ArrayList<>(batch.requests().size());
        DaoState view = state;
        for (Request r : batch.requests()) {
            Decided e = new Decided(view.seq(), r.input(), Orchestration.decide(view, r.input()));
            events.add(e);
            view = view.apply(e);
        }
        long last = view.seq() - 1;
        return Effect().persist(new DecidedBatch(events))
                .thenRun(s -> {
                    for (int i = 0; i < events.size(); i++) {
                        consequences.decided(events.get(i));
                        batch.requests().get(i).replyTo().tell(events.get(i));
                    }
                })
                .thenReply(batch.done(), s -> new BatchWritten(events.size(), last));
    }

    @Override
    public EventHandler<DaoState, DecidedBatch> eventHandler() {
        return newEventHandlerBuilder().forAnyState().onAnyEvent((state, batch) -> batch.applyTo(state));
    }
}
