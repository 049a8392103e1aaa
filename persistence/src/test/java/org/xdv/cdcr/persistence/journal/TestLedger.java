package org.xdv.cdcr.persistence.journal;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.typed.DeleteEventsCompleted;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.SnapshotCompleted;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;
import org.xdv.cdcr.persistence.KryoSerializable;

/**
 * Test entity for the journal tests: an append-only list of items whose commands, events and state all go
 * through the Kryo serializer. With {@code snapshotEvery > 0} it snapshots every N events and deletes the
 * events the snapshot covers, so a recovery that gets all items back must have read the snapshot. It reports
 * {@code "snapshot:<seqNr>"} and {@code "deleted-events-to:<seqNr>"} to the optional observer.
 */
public final class TestLedger
        extends EventSourcedBehaviorWithEnforcedReplies<TestLedger.Command, TestLedger.Event, TestLedger.State> {

    /** Commands. */
    public sealed interface Command extends KryoSerializable permits Add, AddAll, Get {
    }

    /** Appends one item (one event). */
    public record Add(String item, ActorRef<StatusReply<State>> replyTo) implements Command {
    }

    /** Appends several items with one {@code persist(list)} (one atomic journal write). */
    public record AddAll(List<String> items, ActorRef<StatusReply<State>> replyTo) implements Command {
    }

    /** Reads the state. */
    public record Get(ActorRef<State> replyTo) implements Command {
    }

    /** Events. */
    public sealed interface Event extends KryoSerializable permits ItemAdded {
    }

    /** One item appended to ledger {@code ledgerId}. */
    public record ItemAdded(String ledgerId, String item) implements Event {
    }

    /** All items, in order. */
    public record State(List<String> items) implements KryoSerializable {
        public State {
            items = List.copyOf(items);
        }

        State add(String item) {
            List<String> next = new ArrayList<>(items);
            next.add(item);
            return new State(next);
        }
    }

    private final String ledgerId;
    private final int snapshotEvery;
    private final Optional<ActorRef<String>> observer;

    private TestLedger(String ledgerId, int snapshotEvery, Optional<ActorRef<String>> observer) {
        super(PersistenceId.of("TestLedger", ledgerId));
        this.ledgerId = ledgerId;
        this.snapshotEvery = snapshotEvery;
        this.observer = observer;
    }

    /** A ledger without snapshots. */
    public static Behavior<Command> create(String ledgerId) {
        return new TestLedger(ledgerId, 0, Optional.empty());
    }

    /** A ledger that snapshots every {@code snapshotEvery} events and reports to {@code observer}. */
    public static Behavior<Command> create(String ledgerId, int snapshotEvery, ActorRef<String> observer) {
        return new TestLedger(ledgerId, snapshotEvery, Optional.of(observer));
    }

    @Override
    public State emptyState() {
        return new State(List.of());
    }

    @Override
    public CommandHandlerWithReply<Command, Event, State> commandHandler() {
        return newCommandHandlerWithReplyBuilder()
                .forAnyState()
                .onCommand(Add.class, this::onAdd)
                .onCommand(AddAll.class, this::onAddAll)
                .onCommand(Get.class, (state, get) -> Effect().reply(get.replyTo(), state))
                .build();
    }

    private ReplyEffect<Event, State> onAdd(State state, Add add) {
        return Effect().persist((Event) new ItemAdded(ledgerId, add.item()))
                .thenReply(add.replyTo(), StatusReply::success);
    }

    private ReplyEffect<Event, State> onAddAll(State state, AddAll addAll) {
        if (addAll.items().isEmpty()) {
            return Effect().reply(addAll.replyTo(), StatusReply.error("AddAll needs at least one item"));
        }
        List<Event> events = new ArrayList<>();
        for (String item : addAll.items()) {
            events.add(new ItemAdded(ledgerId, item));
        }
        return Effect().persist(events).thenReply(addAll.replyTo(), StatusReply::success);
    }

    @Override
    public EventHandler<State, Event> eventHandler() {
        return newEventHandlerBuilder()
                .forAnyState()
                .onEvent(ItemAdded.class, (state, added) -> state.add(added.item()))
                .build();
    }

    @Override
    public RetentionCriteria retentionCriteria() {
        return snapshotEvery > 0
                ? RetentionCriteria.snapshotEvery(snapshotEvery, 1).withDeleteEventsOnSnapshot()
                : RetentionCriteria.disabled();
    }

    @Override
    public SignalHandler<State> signalHandler() {
        return newSignalHandlerBuilder()
                .onSignal(SnapshotCompleted.class,
                        (state, done) -> observer.ifPresent(o -> o.tell("snapshot:" + done.metadata().sequenceNr())))
                .onSignal(DeleteEventsCompleted.class,
                        (state, done) -> observer.ifPresent(o -> o.tell("deleted-events-to:" + done.toSequenceNr())))
                .build();
    }
}
