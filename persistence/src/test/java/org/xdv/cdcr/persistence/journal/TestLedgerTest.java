package org.xdv.cdcr.persistence.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit.CommandResultWithReply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xdv.cdcr.persistence.journal.TestLedger.Add;
import org.xdv.cdcr.persistence.journal.TestLedger.AddAll;
import org.xdv.cdcr.persistence.journal.TestLedger.Command;
import org.xdv.cdcr.persistence.journal.TestLedger.Event;
import org.xdv.cdcr.persistence.journal.TestLedger.Get;
import org.xdv.cdcr.persistence.journal.TestLedger.ItemAdded;
import org.xdv.cdcr.persistence.journal.TestLedger.State;
import org.xdv.cdcr.persistence.testtypes.TestConfigs;

/**
 * The test entity under {@link EventSourcedBehaviorTestKit} with serialization verification on: every command
 * (with its {@code replyTo}), event and state goes through the Kryo serializer and must come back equal.
 */
class TestLedgerTest {

    private static final ActorTestKit testKit = ActorTestKit.create("TestLedgerTest", TestConfigs.local());

    private final EventSourcedBehaviorTestKit<Command, Event, State> ledger = EventSourcedBehaviorTestKit.create(
            testKit.system(), TestLedger.create("ledger-1"),
            EventSourcedBehaviorTestKit.enabledSerializationSettings().withVerifyEquality(true));

    @AfterAll
    static void shutdown() {
        testKit.shutdownTestKit();
    }

    @BeforeEach
    void clear() {
        ledger.clear();
    }

    @Test
    void addPersistsOneEvent() {
        CommandResultWithReply<Command, Event, State, StatusReply<State>> result =
                ledger.<StatusReply<State>>runCommand(replyTo -> new Add("a", replyTo));
        assertThat(result.event()).isEqualTo(new ItemAdded("ledger-1", "a"));
        assertThat(result.reply()).isEqualTo(StatusReply.success(new State(List.of("a"))));
    }

    @Test
    void addAllPersistsTheWholeListInOneEffect() {
        CommandResultWithReply<Command, Event, State, StatusReply<State>> result =
                ledger.<StatusReply<State>>runCommand(replyTo -> new AddAll(List.of("a", "b", "c"), replyTo));
        assertThat(result.events()).containsExactly(
                new ItemAdded("ledger-1", "a"), new ItemAdded("ledger-1", "b"), new ItemAdded("ledger-1", "c"));
        assertThat(result.state()).isEqualTo(new State(List.of("a", "b", "c")));
    }

    @Test
    void emptyAddAllIsRejectedWithoutEvents() {
        CommandResultWithReply<Command, Event, State, StatusReply<State>> result =
                ledger.<StatusReply<State>>runCommand(replyTo -> new AddAll(List.of(), replyTo));
        assertThat(result.hasNoEvents()).isTrue();
        assertThat(result.reply().isError()).isTrue();
        assertThat(result.reply().getError()).hasMessageContaining("at least one item");
    }

    @Test
    void restartRecoversFromTheSerializedEvents() {
        ledger.<StatusReply<State>>runCommand(replyTo -> new Add("x", replyTo));
        ledger.<StatusReply<State>>runCommand(replyTo -> new AddAll(List.of("y", "z"), replyTo));
        assertThat(ledger.restart().state()).isEqualTo(new State(List.of("x", "y", "z")));
        CommandResultWithReply<Command, Event, State, State> get = ledger.<State>runCommand(Get::new);
        assertThat(get.reply()).isEqualTo(new State(List.of("x", "y", "z")));
    }
}
