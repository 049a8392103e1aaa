package org.xdv.cdcr.runtime.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.persistence.query.EventEnvelope;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.persistence.query.javadsl.CurrentEventsByPersistenceIdQuery;
import org.apache.pekko.persistence.testkit.JournalOperation;
import org.apache.pekko.persistence.testkit.ProcessingPolicy;
import org.apache.pekko.persistence.testkit.ProcessingResult;
import org.apache.pekko.persistence.testkit.ProcessingSuccess$;
import org.apache.pekko.persistence.testkit.WriteEvents;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.apache.pekko.stream.javadsl.Sink;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xdv.cdcr.persistence.journal.EmbeddedJournal;
import org.xdv.cdcr.phi.PhiConfig;
import org.xdv.cdcr.runtime.core.Capabilities;
import org.xdv.cdcr.runtime.core.Quota;
import org.xdv.cdcr.runtime.core.dao.Attestation;
import org.xdv.cdcr.runtime.core.dao.DaoDecision;
import org.xdv.cdcr.runtime.core.dao.DaoInput;
import org.xdv.cdcr.runtime.core.dao.DaoState;
import org.xdv.cdcr.runtime.core.dao.Decided;
import org.xdv.cdcr.runtime.core.dao.DecidedBatch;
import org.xdv.cdcr.runtime.core.dao.NodeSpec;
import org.xdv.cdcr.runtime.core.dao.Orchestration;
import org.xdv.cdcr.runtime.core.dao.TenantSpec;
import org.xdv.cdcr.runtime.integration.RuntimeTestConfigs;
import org.xdv.cdcr.runtime.integration.Specs;

/**
 * The orchestrator's journal actor under {@link EventSourcedBehaviorTestKit} (commands, events and replies
 * serialization-checked; the view {@link DaoState} is never persisted, so state verification is off), and the
 * batching front ({@link OrchestratorFront}) on the real H2 file journal.
 */
class OrchestratorTest {

    private static final ActorTestKit testKit = ActorTestKit.create("OrchestratorTest", RuntimeTestConfigs.local());
    private static final Duration WAIT = Duration.ofSeconds(10);

    private static final EventSourcedBehaviorTestKit<Orchestrator.Command, DecidedBatch, DaoState> kit =
            EventSourcedBehaviorTestKit.create(testKit.system(), Orchestrator.create(),
                    EventSourcedBehaviorTestKit.enabledSerializationSettings().withVerifyEquality(true)
                            .withVerifyState(false));
    /** Every journal write of the orchestrator, as the in-memory journal received it. */
    private final List<List<Object>> writes = new CopyOnWriteArrayList<>();

    @AfterAll
    static void shutdown() {
        testKit.shutdownTestKit();
    }

    @BeforeEach
    void recordWrites() {
        kit.clear();
        kit.persistenceTestKit().withPolicy(new ProcessingPolicy<JournalOperation>() {
            @Override
            public ProcessingResult tryProcess(String persistenceId, JournalOperation op) {
                if (op instanceof WriteEvents w && persistenceId.equals(Orchestrator.PERSISTENCE_ID.id())) {
                    writes.add(w.getBatch());
                }
                return ProcessingSuccess$.MODULE$;
            }
        });
    }

    @AfterEach
    void resetPolicy() {
        kit.persistenceTestKit().resetPolicy();
    }

    private static NodeSpec node(String id, int kSlots, int qubits) {
        return new NodeSpec(id, kSlots, qubits, 2, PhiConfig.defaults(2), List.of());
    }

    /** Inputs touching every kind of decision: tenants, nodes, placements and refusals, release, drain, tick. */
    private static List<DaoInput> mixedInputs() {
        return List.of(
                new DaoInput.UpsertTenant(Specs.demoTenants().get(0)),
                new DaoInput.UpsertTenant(Specs.demoTenants().get(1)),
                new DaoInput.AdmitNode(node("n1", 8, 8), Attestation.operatorTrusted("n1")),
                new DaoInput.AdmitNode(node("n2", 8, 16), Attestation.operatorTrusted("n2")),
                new DaoInput.Place(Specs.bell("acme", "bell", 100, 1).demand()),
                new DaoInput.Place(Specs.wide("acme", "over-quota", 20).demand()),
                new DaoInput.Place(Specs.implicitQ("globex", "implicit-q").demand()),
                new DaoInput.Place(Specs.phi("globex", "phi", 20, 0.5).demand()),
                new DaoInput.Release("acme/bell"),
                new DaoInput.Release("acme/bell"),
                new DaoInput.DrainNode("n9"),
                new DaoInput.Tick(3));
    }

    private EventSourcedBehaviorTestKit.CommandResultWithReply<Orchestrator.Command, DecidedBatch, DaoState,
            Orchestrator.BatchWritten> decide(List<DaoInput> inputs, List<TestProbe<Decided>> requesters) {
        List<Orchestrator.Request> requests = new ArrayList<>();
        for (DaoInput in : inputs) {
            TestProbe<Decided> p = testKit.createTestProbe();
            requesters.add(p);
            requests.add(new Orchestrator.Request(in, p.ref()));
        }
        return kit.runCommand(done -> new Orchestrator.DecideBatch(requests, done));
    }

    /** Consequences that record what the orchestrator handed them. */
    private static final class Recorded implements Consequences {
        final List<Decided> decided = new CopyOnWriteArrayList<>();
        final List<Long> recovered = new CopyOnWriteArrayList<>();

        @Override
        public void decided(Decided d) {
            decided.add(d);
        }

        @Override
        public void recovered(long lastBatchSeqNr) {
            recovered.add(lastBatchSeqNr);
        }
    }

    /**
     * Every decision goes to the consequences once it is persisted, in order (a node removal among them), and a
     * recovery is reported with the journal's last batch, so a removal the old incarnation may not have finished
     * carrying out is carried out again.
     */
    @Test
    void persistedDecisionsAndEachRecoveryAreHandedToTheConsequences() {
        Recorded consequences = new Recorded();
        var own = EventSourcedBehaviorTestKit.<Orchestrator.Command, DecidedBatch, DaoState>create(testKit.system(),
                Orchestrator.create(consequences),
                EventSourcedBehaviorTestKit.enabledSerializationSettings().withVerifyState(false));
        testKit.createTestProbe().awaitAssert(WAIT, () -> {
            assertThat(consequences.recovered).containsExactly(0L);
            return null;
        });
        List<Decided> decided = new ArrayList<>();
        for (List<DaoInput> batch : List.<List<DaoInput>>of(mixedInputs(),
                List.of(new DaoInput.RemoveNode("n2", "downed")))) {
            List<Orchestrator.Request> requests = new ArrayList<>();
            for (DaoInput in : batch) {
                requests.add(new Orchestrator.Request(in, testKit.<Decided>createTestProbe().ref()));
            }
            var result = own.<Orchestrator.BatchWritten>runCommand(done -> new Orchestrator.DecideBatch(requests, done));
            decided.addAll(result.events().get(0).decisions());
        }
        assertThat(consequences.decided).isEqualTo(decided);
        assertThat(decided.get(decided.size() - 1).decision()).isInstanceOf(DaoDecision.NodeRemoved.class);

        own.restart();
        testKit.createTestProbe().awaitAssert(WAIT, () -> {
            assertThat(consequences.recovered).containsExactly(0L, 2L);
            return null;
        });
        assertThat(consequences.decided).as("recovery replays, it does not decide again").isEqualTo(decided);
    }

    @Test
    void aBatchIsDecidedInOrderInOneWriteAndEachRequesterGetsItsOwnDecision() {
        List<DaoInput> inputs = mixedInputs();
        List<TestProbe<Decided>> requesters = new ArrayList<>();

        var result = decide(inputs, requesters);

        // the decisions are those of the pure function, each input decided on the view after the previous ones
        List<Decided> expected = new ArrayList<>();
        DaoState expectedView = Orchestration.run(DaoState.EMPTY, inputs, expected);
        assertThat(result.events()).containsExactly(new DecidedBatch(expected));
        List<Decided> decided = result.events().get(0).decisions();
        assertThat(decided).hasSize(inputs.size());
        for (int i = 0; i < decided.size(); i++) {
            assertThat(decided.get(i).seq()).isEqualTo(i);
            assertThat(decided.get(i).input()).isEqualTo(inputs.get(i));
        }
        assertThat(writes).as("one journal write of one event").hasSize(1);
        assertThat(writes.get(0)).containsExactly(new DecidedBatch(expected));
        assertThat(result.reply()).isEqualTo(new Orchestrator.BatchWritten(inputs.size(), inputs.size() - 1));
        assertThat(result.state()).isEqualTo(expectedView);
        assertThat(result.state().seq()).isEqualTo(inputs.size());

        for (int i = 0; i < requesters.size(); i++) {
            assertThat(requesters.get(i).expectMessageClass(Decided.class, WAIT)).isEqualTo(decided.get(i));
            requesters.get(i).expectNoMessage(Duration.ZERO);
        }

        // what was decided, concretely
        assertThat(decided.get(2).decision()).isEqualTo(new DaoDecision.NodeAdmitted("n1"));
        assertThat(decided.get(4).decision()).as("Q-heavy goes to the node with the most free qubits")
                .isEqualTo(new DaoDecision.Placed("acme/bell", "acme", "n2", 1, 2, Optional.empty()));
        assertThat(((DaoDecision.Refused) decided.get(5).decision()).reason()).isEqualTo(DaoDecision.Reason.QUOTA);
        assertThat(((DaoDecision.Refused) decided.get(6).decision()).reason())
                .isEqualTo(DaoDecision.Reason.CAPABILITY);
        assertThat(decided.get(7).decision()).isInstanceOfSatisfying(DaoDecision.Placed.class,
                p -> assertThat(p.envelope()).isPresent());
        assertThat(decided.get(8).decision()).isEqualTo(new DaoDecision.Freed("acme/bell", "n2"));
        assertThat(((DaoDecision.Refused) decided.get(9).decision()).reason())
                .isEqualTo(DaoDecision.Reason.UNKNOWN_CONTAINER);
        assertThat(((DaoDecision.Refused) decided.get(10).decision()).reason())
                .isEqualTo(DaoDecision.Reason.UNKNOWN_NODE);
        assertThat(decided.get(11).decision()).isEqualTo(new DaoDecision.Advanced(3));
    }

    @Test
    void batchesContinueTheSequenceAndARestartRecoversTheIdenticalView() {
        List<DaoInput> inputs = mixedInputs();
        decide(inputs.subList(0, 5), new ArrayList<>());
        var second = decide(inputs.subList(5, inputs.size()), new ArrayList<>());

        List<Decided> decided = second.events().get(0).decisions();
        assertThat(decided).extracting(Decided::seq).containsExactly(5L, 6L, 7L, 8L, 9L, 10L, 11L);
        assertThat(second.reply()).isEqualTo(new Orchestrator.BatchWritten(7, 11));
        assertThat(writes).hasSize(2);
        // batching does not change any decision: the same inputs in one batch decide the same
        List<Decided> oneBatch = new ArrayList<>();
        DaoState view = Orchestration.run(DaoState.EMPTY, inputs, oneBatch);
        assertThat(decided).isEqualTo(oneBatch.subList(5, oneBatch.size()));

        DaoState live = kit.getState();
        assertThat(live).isEqualTo(view);
        var restarted = kit.restart();
        assertThat(restarted.state()).isEqualTo(live);
        // (GetView is asked through the front below: the testkit would verify its reply's serialization, and
        // DaoState has none — see RuntimeKryoRegistrationTest.KNOWN_LOCAL_ONLY_REPLIES.)
    }

    /**
     * Every {@value Orchestrator#SNAPSHOT_EVERY} batches the view is snapshotted (as a {@code DaoSnapshot}); a restart
     * recovers from the newest snapshot plus the batches after it, to the identical view, which decides the next
     * input as the live view would.
     */
    @Test
    void aRestartFromASnapshotRecoversTheIdenticalView() {
        kit.clear();
        List<DaoInput> inputs = new ArrayList<>(mixedInputs());
        for (int i = 0; i < Orchestrator.SNAPSHOT_EVERY + 20; i++) {
            inputs.add(new DaoInput.Place(Specs.kOnly(i % 2 == 0 ? "acme" : "globex", "job-" + i).demand()));
            if (i % 3 == 0) {
                inputs.add(new DaoInput.Release((i % 2 == 0 ? "acme" : "globex") + "/job-" + i));
            }
        }
        for (DaoInput in : inputs) {
            decide(List.of(in), new ArrayList<>());
        }
        List<Decided> expected = new ArrayList<>();
        DaoState view = Orchestration.run(DaoState.EMPTY, inputs, expected);
        assertThat(kit.getState()).isEqualTo(view);
        assertThat(kit.snapshotTestKit()).hasValueSatisfying(snapshots -> assertThat(snapshots
                .persistedInStorage(Orchestrator.PERSISTENCE_ID.id())).isNotEmpty());

        var restarted = kit.restart();
        assertThat(restarted.state()).isEqualTo(view);
        DaoInput next = new DaoInput.Place(Specs.phi("globex", "phi-after", 10, 0.5).demand());
        List<Decided> after = decide(List.of(next), new ArrayList<>()).events().get(0).decisions();
        assertThat(after).containsExactly(new Decided(view.seq(), next, Orchestration.decide(view, next)));
    }

    /**
     * 500 requests sent at once to the front on the H2 journal: answered in arrival order with consecutive input
     * numbers, in far fewer journal writes than requests (one write in flight; everything arriving meanwhile is
     * the next write).
     */
    @Test
    void theFrontAnswersInArrivalOrderAndBatchesConcurrentRequestsIntoFewWrites(@TempDir Path data)
            throws Exception {
        int n = 500;
        ActorTestKit node = ActorTestKit.create("OrchestratorFrontH2", RuntimeTestConfigs.embeddedNode(data));
        try {
            EmbeddedJournal.ensureSchema(node.system()).toCompletableFuture().get(30, TimeUnit.SECONDS);
            ActorRef<OrchestratorFront.Command> front = node.spawn(OrchestratorFront.create(), "dao");
            TestProbe<Decided> replies = node.createTestProbe();
            List<DaoInput> sent = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                DaoInput in = new DaoInput.UpsertTenant(new TenantSpec(String.format("t-%03d", i),
                        List.of(Capabilities.K_EXEC), Quota.UNLIMITED, List.of()));
                sent.add(in);
                front.tell(new OrchestratorFront.Decide(in, replies.ref()));
            }

            List<Decided> answered = replies.receiveSeveralMessages(n, Duration.ofSeconds(60));
            for (int i = 0; i < n; i++) {
                assertThat(answered.get(i).seq()).as("answer %d", i).isEqualTo(i);
                assertThat(answered.get(i).input()).isEqualTo(sent.get(i));
                assertThat(answered.get(i).decision()).isInstanceOf(DaoDecision.TenantSet.class);
            }

            // one DecidedBatch per journal write
            List<DecidedBatch> journal = journal(node);
            List<Decided> written = new ArrayList<>();
            journal.forEach(b -> written.addAll(b.decisions()));
            assertThat(written).isEqualTo(answered);
            assertThat(journal).allSatisfy(b -> assertThat(b.decisions()).hasSizeLessThanOrEqualTo(
                    OrchestratorFront.MAX_BATCH));
            assertThat(journal.size()).as("journal writes for %d requests: %s", n,
                    journal.stream().map(b -> b.decisions().size()).toList()).isLessThanOrEqualTo(n / 10);

            // a new front (the singleton moved) recovers the identical view from the journal
            TestProbe<DaoState> view = node.createTestProbe();
            front.tell(new OrchestratorFront.GetView(view.ref()));
            DaoState before = view.expectMessageClass(DaoState.class, WAIT);
            assertThat(before.seq()).isEqualTo(n);
            assertThat(before.tenants()).hasSize(n);
            node.stop(front);
            ActorRef<OrchestratorFront.Command> moved = node.spawn(OrchestratorFront.create(), "dao-moved");
            moved.tell(new OrchestratorFront.GetView(view.ref()));
            assertThat(view.expectMessageClass(DaoState.class, WAIT)).isEqualTo(before);
        } finally {
            node.shutdownTestKit();
        }
    }

    private static List<DecidedBatch> journal(ActorTestKit node) throws Exception {
        CurrentEventsByPersistenceIdQuery q = PersistenceQuery.get(node.system()).getReadJournalFor(
                CurrentEventsByPersistenceIdQuery.class, EmbeddedJournal.READ_JOURNAL_PLUGIN_ID);
        List<EventEnvelope> envelopes = q.currentEventsByPersistenceId(Orchestrator.PERSISTENCE_ID.id(), 0,
                Long.MAX_VALUE).runWith(Sink.seq(), node.system()).toCompletableFuture().get(30, TimeUnit.SECONDS);
        List<DecidedBatch> out = new ArrayList<>();
        for (EventEnvelope e : envelopes) {
            out.add((DecidedBatch) e.event());
        }
        return out;
    }
}
