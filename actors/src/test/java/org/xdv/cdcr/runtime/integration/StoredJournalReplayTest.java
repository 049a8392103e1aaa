package org.xdv.cdcr.runtime.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.xdv.cdcr.runtime.integration.EmbeddedNode.await;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Semaphore;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializers;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.xdv.cdcr.runtime.CdcrRuntime;
import org.xdv.cdcr.runtime.core.Capabilities;
import org.xdv.cdcr.runtime.core.Quota;
import org.xdv.cdcr.runtime.core.container.ContainerEvent;
import org.xdv.cdcr.runtime.core.dao.DaoDecision;
import org.xdv.cdcr.runtime.core.dao.Decided;
import org.xdv.cdcr.runtime.core.dao.DecidedBatch;
import org.xdv.cdcr.runtime.core.dao.TenantSpec;
import org.xdv.cdcr.runtime.core.spec.ContainerSpec;
import org.xdv.cdcr.runtime.core.dao.Orchestration;
import org.xdv.cdcr.runtime.replay.JournalReplay;
import org.xdv.cdcr.runtime.replay.ReplayVerifier;

/**
 * Replay over a journal written by a real embedded node and stored in its H2 file: the demo's containers (Bell,
 * GHZ-like wide register, Φ, hybrid, K-only; two tenants) and a load of 10,000 K-only containers of three tenants,
 * all run to Released, replay with no divergence — orchestrator decisions, every container's binding order and
 * allocations. Then the <em>stored</em> journal is tampered with through SQL (the test's own; replay reads only
 * through persistence query): one recorded decision edited, an orchestrator entry dropped, a container event
 * dropped, two container events swapped — each is reported at the right sequence number, and the original rows are
 * put back after each case.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StoredJournalReplayTest {

    static final int LOAD = 10_000;
    static final List<String> LOAD_TENANTS = List.of("alpha", "beta", "gamma");

    @TempDir
    static Path data; // static: injected before @BeforeAll

    private List<Decided> journal;

    @BeforeAll
    void writeAJournalWithARealNode() {
        try (EmbeddedNode node = EmbeddedNode.start(data, Map.of("cdcr.node.k-slots", 100_000))) {
            CdcrRuntime rt = node.runtime();
            for (TenantSpec t : Specs.demoTenants()) {
                await(rt.upsertTenant(t));
            }
            for (String t : LOAD_TENANTS) {
                await(rt.upsertTenant(new TenantSpec(t, Capabilities.ALL, Quota.UNLIMITED, List.of())));
            }
            List<ContainerSpec> demo = List.of(Specs.bell("acme", "bell", 200, 7), Specs.wide("acme", "wide", 5),
                    Specs.phi("globex", "phi", 20, 0.5), Specs.hybrid("acme", "hybrid", 100, 3, 15, 0.5),
                    Specs.kOnly("globex", "k-only"));
            List<String> ids = new ArrayList<>();
            for (ContainerSpec s : demo) {
                await(rt.submit(s));
                ids.add(s.id());
            }
            node.awaitReleased(ids, Duration.ofSeconds(60));

            // the load: 10,000 K-only containers, at most 256 submissions outstanding
            Semaphore inFlight = new Semaphore(256);
            List<CompletableFuture<?>> calls = new ArrayList<>();
            for (int i = 0; i < LOAD; i++) {
                inFlight.acquireUninterruptibly();
                String tenant = LOAD_TENANTS.get(i % LOAD_TENANTS.size());
                CompletionStage<CdcrRuntime.Submission> call = rt.submit(Specs.kOnly(tenant, String.format("job-%05d", i)));
                calls.add(call.toCompletableFuture().whenComplete((r, e) -> inFlight.release()));
            }
            CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).join();
            node.probe().awaitAssert(Duration.ofSeconds(180), Duration.ofMillis(500), () -> {
                assertThat(await(rt.view()).placements()).as("containers still placed").isEmpty();
                return null;
            });
            journal = node.orchestratorJournal();
        }
    }

    @Test
    void aRealRunReplaysWithoutDivergence() {
        JournalReplay.FullReport r = replay(new ReplayVerifier());
        assertThat(r.decisions().divergence()).isEmpty();
        assertThat(r.containerDivergence()).isEmpty();
        assertThat(r.decisions().eventsRead()).isEqualTo(journal.size());
        assertThat(r.decisions().verified().get("Place")).isEqualTo(LOAD + 5);
        assertThat(r.decisions().verified().get("Release")).isEqualTo(LOAD + 5);
        assertThat(r.containersChecked()).isEqualTo(LOAD + 5);
        assertThat(r.containerEvents()).isGreaterThanOrEqualTo(6L * (LOAD + 5)); // K-only: 6 events each

        // a scope: one tenant, from the middle on — folds the rest, checks only that tenant's containers
        long from = journal.size() / 2;
        ReplayVerifier scoped = new ReplayVerifier(Orchestration::decide,
                new ReplayVerifier.Scope(from, Optional.of("beta")));
        JournalReplay.FullReport s = replay(scoped);
        assertThat(s.ok()).isTrue();
        long betaFromHalf = journal.stream().filter(d -> d.seq() >= from).filter(d ->
                d.decision() instanceof DaoDecision.Placed p ? p.tenant().equals("beta")
                        : d.decision() instanceof DaoDecision.Freed f && f.containerId().startsWith("beta/")).count();
        assertThat(s.decisions().verified().values().stream().mapToLong(Long::longValue).sum())
                .isEqualTo(betaFromHalf);
        assertThat(scoped.folded()).isEqualTo(journal.size() - betaFromHalf);
        assertThat(s.containersChecked()).isEqualTo(3333); // beta: jobs 1, 4, …, 9997
    }

    @Test
    void theJournalLengthFoundByPointQueriesIsTheNumberOfStoredEntries() throws Exception {
        long rows;
        try (Tamper t = new Tamper()) {
            rows = t.count("cdcr-dao");
        }
        Config c = config();
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "length", c);
        try {
            assertThat(await(JournalReplay.journalLength(system, c.getString("cdcr.read-journal")))).isEqualTo(rows);
        } finally {
            system.terminate();
            await(system.getWhenTerminated());
        }
        assertThat(rows).isGreaterThan(10);
    }

    @Test
    void anEditedDecisionInTheStoredJournalIsTheFirstDivergence() throws Exception {
        Decided target = journal.stream().filter(d -> d.decision() instanceof DaoDecision.Placed p
                && p.containerId().equals("beta/job-04000")).findFirst().orElseThrow();
        DaoDecision.Placed orig = (DaoDecision.Placed) target.decision();
        try (Tamper t = new Tamper()) {
            long row = t.daoRowHolding(target.seq());
            DecidedBatch batch = (DecidedBatch) t.read("cdcr-dao", row);
            List<Decided> edited = new ArrayList<>(batch.decisions());
            int i = edited.indexOf(target);
            edited.set(i, new Decided(target.seq(), target.input(), new DaoDecision.Placed(orig.containerId(),
                    orig.tenant(), orig.node(), orig.kSlots() + 1, orig.qubits(), orig.envelope())));
            t.write("cdcr-dao", row, new DecidedBatch(edited));

            JournalReplay.FullReport r = replay(new ReplayVerifier());
            assertThat(r.ok()).isFalse();
            assertThat(r.decisions().divergence()).hasValueSatisfying(d -> {
                assertThat(d.seq()).isEqualTo(target.seq());
                assertThat(d.recomputed()).contains(orig);
            });
        }
    }

    @Test
    void aDroppedOrchestratorEntryIsReportedWhereTheGapStarts() throws Exception {
        try (Tamper t = new Tamper()) {
            long row = t.daoRowHolding(journal.size() / 2);
            DecidedBatch batch = (DecidedBatch) t.read("cdcr-dao", row);
            long missing = batch.decisions().get(0).seq();
            t.delete("cdcr-dao", row);

            JournalReplay.FullReport r = replay(new ReplayVerifier());
            assertThat(r.decisions().divergence()).hasValueSatisfying(d -> {
                assertThat(d.seq()).isEqualTo(missing + batch.decisions().size());
                assertThat(d.explanation()).contains("expected decision #" + missing).contains("a record is missing");
            });
        }
    }

    @Test
    void aDroppedOrSwappedContainerEventBreaksTheBindingOrderAtTheRightEvent() throws Exception {
        String pid = "HybridContainer|acme/hybrid"; // Created, Scheduled, KBound, QBound, PhiBound, Activated, …
        try (Tamper t = new Tamper()) {
            assertThat(t.read(pid, 3)).isInstanceOf(ContainerEvent.KBound.class);
            assertThat(t.read(pid, 4)).isInstanceOf(ContainerEvent.QBound.class);
            t.swap(pid, 4, 5); // Φ bound before Q
            JournalReplay.FullReport swapped = replay(new ReplayVerifier());
            assertThat(swapped.decisions().ok()).isTrue();
            assertThat(swapped.containerDivergence()).hasValueSatisfying(d -> {
                assertThat(d.containerId()).isEqualTo("acme/hybrid");
                assertThat(d.eventSeq()).isEqualTo(4);
                assertThat(d.event()).isInstanceOf(ContainerEvent.PhiBound.class);
                assertThat(d.explanation()).contains("BIND_PHI");
            });
        }
        try (Tamper t = new Tamper()) {
            t.delete(pid, 3); // K never bound
            JournalReplay.FullReport dropped = replay(new ReplayVerifier());
            assertThat(dropped.containerDivergence()).hasValueSatisfying(d -> {
                assertThat(d.containerId()).isEqualTo("acme/hybrid");
                assertThat(d.eventSeq()).isEqualTo(3);
                assertThat(d.explanation()).contains("an event is missing");
            });
        }
        assertThat(replay(new ReplayVerifier()).ok()).as("rows restored").isTrue();
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private Config config() {
        return ConfigFactory.parseMap(Map.of("pekko.actor.provider", "local"))
                .withFallback(RuntimeTestConfigs.embeddedNode(data)).resolve();
    }

    /** Replays the stored journal in a fresh actor system, as {@code cdcr replay} does. */
    private JournalReplay.FullReport replay(ReplayVerifier verifier) {
        Config c = config();
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "replay", c);
        try {
            return await(JournalReplay.runAll(system, c.getString("cdcr.read-journal"), verifier, n -> { },
                    n -> { }));
        } finally {
            system.terminate();
            await(system.getWhenTerminated());
        }
    }

    /**
     * SQL access to the stored journal, with the same serializer the node used; every row it changes is put back
     * when it closes.
     */
    private final class Tamper implements AutoCloseable {
        private final ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "tamper", config());
        private final Serialization serialization = SerializationExtension.get(system);
        private final Connection db;
        private final List<Object[]> originals = new ArrayList<>();

        Tamper() throws SQLException {
            Config c = config();
            db = DriverManager.getConnection(c.getString("pekko-persistence-jdbc.shared-databases.slick.db.url"),
                    c.getString("pekko-persistence-jdbc.shared-databases.slick.db.user"), "");
        }

        long daoRowHolding(long decisionSeq) throws SQLException {
            try (PreparedStatement st = db.prepareStatement("SELECT \"sequence_number\" FROM \"event_journal\" WHERE "
                    + "\"persistence_id\" = 'cdcr-dao' ORDER BY \"sequence_number\"")) {
                ResultSet rs = st.executeQuery();
                while (rs.next()) {
                    long row = rs.getLong(1);
                    DecidedBatch b = (DecidedBatch) read("cdcr-dao", row);
                    Decided last = b.decisions().get(b.decisions().size() - 1);
                    if (last.seq() >= decisionSeq) {
                        return row;
                    }
                }
            }
            throw new IllegalStateException("no entry holds decision #" + decisionSeq);
        }

        long count(String pid) throws SQLException {
            try (PreparedStatement st = db.prepareStatement("SELECT COUNT(*) FROM \"event_journal\" WHERE "
                    + "\"persistence_id\" = ?")) {
                st.setString(1, pid);
                ResultSet rs = st.executeQuery();
                rs.next();
                return rs.getLong(1);
            }
        }

        Object read(String pid, long seqNr) throws SQLException {
            try (PreparedStatement st = db.prepareStatement("SELECT \"event_payload\", \"event_ser_id\", "
                    + "\"event_ser_manifest\" FROM \"event_journal\" WHERE \"persistence_id\" = ? AND "
                    + "\"sequence_number\" = ?")) {
                st.setString(1, pid);
                st.setLong(2, seqNr);
                ResultSet rs = st.executeQuery();
                assertThat(rs.next()).as("row %s #%d", pid, seqNr).isTrue();
                return serialization.deserialize(rs.getBytes(1), rs.getInt(2), rs.getString(3)).get();
            }
        }

        void write(String pid, long seqNr, Object event) throws SQLException {
            keep(pid, seqNr);
            byte[] bytes = serialization.serialize(event).get();
            try (PreparedStatement st = db.prepareStatement("UPDATE \"event_journal\" SET \"event_payload\" = ?, "
                    + "\"event_ser_manifest\" = ? WHERE \"persistence_id\" = ? AND \"sequence_number\" = ?")) {
                st.setBytes(1, bytes);
                st.setString(2, Serializers.manifestFor(serialization.findSerializerFor(event), event));
                st.setString(3, pid);
                st.setLong(4, seqNr);
                assertThat(st.executeUpdate()).isEqualTo(1);
            }
        }

        void swap(String pid, long a, long b) throws SQLException {
            Object ea = read(pid, a);
            Object eb = read(pid, b);
            write(pid, a, eb);
            write(pid, b, ea);
        }

        void delete(String pid, long seqNr) throws SQLException {
            keep(pid, seqNr);
            try (PreparedStatement st = db.prepareStatement("DELETE FROM \"event_journal\" WHERE "
                    + "\"persistence_id\" = ? AND \"sequence_number\" = ?")) {
                st.setString(1, pid);
                st.setLong(2, seqNr);
                assertThat(st.executeUpdate()).isEqualTo(1);
            }
        }

        private void keep(String pid, long seqNr) throws SQLException {
            for (Object[] o : originals) {
                if (o[1].equals(pid) && o[2].equals(seqNr)) {
                    return;
                }
            }
            try (PreparedStatement st = db.prepareStatement("SELECT * FROM \"event_journal\" WHERE "
                    + "\"persistence_id\" = ? AND \"sequence_number\" = ?")) {
                st.setString(1, pid);
                st.setLong(2, seqNr);
                ResultSet rs = st.executeQuery();
                assertThat(rs.next()).isTrue();
                int n = rs.getMetaData().getColumnCount();
                Object[] row = new Object[n + 3];
                row[0] = n;
                row[1] = pid;
                row[2] = seqNr;
                for (int i = 1; i <= n; i++) {
                    Object v = rs.getObject(i);
                    row[i + 2] = v instanceof java.sql.Blob b ? b.getBytes(1, (int) b.length()) : v;
                }
                originals.add(row);
            }
        }

        @Override
        public void close() throws Exception {
            try {
                for (Object[] o : originals) {
                    try (PreparedStatement del = db.prepareStatement("DELETE FROM \"event_journal\" WHERE "
                            + "\"persistence_id\" = ? AND \"sequence_number\" = ?")) {
                        del.setString(1, (String) o[1]);
                        del.setLong(2, (Long) o[2]);
                        del.executeUpdate();
                    }
                    int n = (Integer) o[0];
                    String marks = String.join(",", java.util.Collections.nCopies(n, "?"));
                    try (PreparedStatement ins = db.prepareStatement("INSERT INTO \"event_journal\" VALUES ("
                            + marks + ")")) {
                        for (int i = 1; i <= n; i++) {
                            ins.setObject(i, o[i + 2]);
                        }
                        ins.executeUpdate();
                    }
                }
            } finally {
                db.close();
                system.terminate();
                await(system.getWhenTerminated());
            }
        }
    }
}
