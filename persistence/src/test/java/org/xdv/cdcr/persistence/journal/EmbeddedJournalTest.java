package org.xdv.cdcr.persistence.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.jdbc.testkit.javadsl.SchemaUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xdv.cdcr.persistence.journal.TestLedger.Add;
import org.xdv.cdcr.persistence.journal.TestLedger.AddAll;
import org.xdv.cdcr.persistence.journal.TestLedger.Command;
import org.xdv.cdcr.persistence.journal.TestLedger.Get;
import org.xdv.cdcr.persistence.journal.TestLedger.State;
import org.xdv.cdcr.persistence.serialization.KryoSerializer;
import org.xdv.cdcr.persistence.testtypes.TestConfigs;

/**
 * The embedded journal as a node runs it: actor systems started from the real {@code conf/embedded.conf}
 * (cluster provider, H2 file database under a temporary data directory), Kryo-serialized events and snapshots.
 */
class EmbeddedJournalTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(15);
    private static final String ITEM_ADDED_ID = "10012";
    private static final String STATE_ID = "10008";

    @Test
    void stateSurvivesRestartsOnTheSameFilesAndInACopyOfThem(@TempDir Path tmp) throws Exception {
        Path data = tmp.resolve("data-dir-created-by-h2");

        ActorTestKit first = startNode("First", data);
        try {
            ActorRef<Command> ledger = first.spawn(TestLedger.create("restart"));
            assertThat(add(first, ledger, "a").items()).containsExactly("a");
            assertThat(addAll(first, ledger, List.of("b", "c")).items()).containsExactly("a", "b", "c");
        } finally {
            first.shutdownTestKit();
        }
        Path dbFile = data.resolve("journal.mv.db");
        assertThat(dbFile).isRegularFile();
        assertThat(isUnlocked(dbFile)).as("H2 closed its file when the system terminated").isTrue();
        assertThat(query(data, "SELECT \"sequence_number\", \"event_ser_id\", \"event_ser_manifest\" "
                + "FROM \"event_journal\" WHERE \"persistence_id\" = 'TestLedger|restart' ORDER BY 1"))
                .containsExactly(
                        List.of(1L, (long) KryoSerializer.IDENTIFIER, ITEM_ADDED_ID),
                        List.of(2L, (long) KryoSerializer.IDENTIFIER, ITEM_ADDED_ID),
                        List.of(3L, (long) KryoSerializer.IDENTIFIER, ITEM_ADDED_ID));

        // a new actor system on the same directory: the schema step runs again and the state comes back
        ActorTestKit second = startNode("Second", data);
        try {
            ActorRef<Command> ledger = second.spawn(TestLedger.create("restart"));
            assertThat(get(second, ledger).items()).containsExactly("a", "b", "c");
            assertThat(add(second, ledger, "d").items()).containsExactly("a", "b", "c", "d");
        } finally {
            second.shutdownTestKit();
        }

        // the files alone carry the journal: a copy in another directory recovers everything
        Path copy = tmp.resolve("copy");
        copyDirectory(data, copy);
        ActorTestKit third = startNode("Third", copy);
        try {
            assertThat(get(third, third.spawn(TestLedger.create("restart"))).items())
                    .containsExactly("a", "b", "c", "d");
        } finally {
            third.shutdownTestKit();
        }
        assertNoH2TraceFile(data);
    }

    @Test
    void persistingAListWritesEveryEventInOrder(@TempDir Path data) throws Exception {
        List<String> items = IntStream.rangeClosed(1, 100).mapToObj(i -> "item-" + i).toList();
        ActorTestKit node = startNode("Batch", data);
        try {
            ActorRef<Command> ledger = node.spawn(TestLedger.create("batch"));
            assertThat(addAll(node, ledger, items).items()).isEqualTo(items);
            assertThat(add(node, ledger, "after").items()).hasSize(101);
        } finally {
            node.shutdownTestKit();
        }
        List<List<Object>> rows = query(data, "SELECT \"sequence_number\" FROM \"event_journal\" "
                + "WHERE \"persistence_id\" = 'TestLedger|batch' ORDER BY 1");
        assertThat(rows).hasSize(101);
        assertThat(rows.get(100)).containsExactly(101L);

        ActorTestKit again = startNode("BatchAgain", data);
        try {
            State recovered = get(again, again.spawn(TestLedger.create("batch")));
            assertThat(recovered.items().subList(0, 100)).isEqualTo(items);
            assertThat(recovered.items().get(100)).isEqualTo("after");
        } finally {
            again.shutdownTestKit();
        }
    }

    @Test
    void snapshotStoreHoldsTheStateOnceItsEventsAreDeleted(@TempDir Path data) throws Exception {
        ActorTestKit node = startNode("Snapshots", data);
        try {
            TestProbe<String> observer = node.createTestProbe();
            ActorRef<Command> ledger = node.spawn(TestLedger.create("snap", 5, observer.ref()));
            for (int i = 1; i <= 12; i++) {
                add(node, ledger, "s" + i);
            }
            // keep 1 snapshot: the snapshot at 10 replaces the one at 5 and the events up to 5 are deleted
            assertThat(observer.receiveSeveralMessages(3, TIMEOUT))
                    .containsExactlyInAnyOrder("snapshot:5", "snapshot:10", "deleted-events-to:5");
        } finally {
            node.shutdownTestKit();
        }
        assertThat(query(data, "SELECT \"sequence_number\", \"snapshot_ser_id\", \"snapshot_ser_manifest\" "
                + "FROM \"snapshot\" WHERE \"persistence_id\" = 'TestLedger|snap' ORDER BY 1 DESC"))
                .first().isEqualTo(List.of(10L, (long) KryoSerializer.IDENTIFIER, STATE_ID));
        // events 1-5 are gone (at most a tombstone row marked deleted stays): s1..s5 live only in the snapshot
        assertThat(query(data, "SELECT \"sequence_number\" FROM \"event_journal\" "
                + "WHERE \"persistence_id\" = 'TestLedger|snap' AND NOT \"deleted\" ORDER BY 1"))
                .containsExactly(List.of(6L), List.of(7L), List.of(8L), List.of(9L), List.of(10L), List.of(11L),
                        List.of(12L));

        ActorTestKit again = startNode("SnapshotsAgain", data);
        try {
            TestProbe<String> observer = again.createTestProbe();
            State recovered = get(again, again.spawn(TestLedger.create("snap", 5, observer.ref())));
            assertThat(recovered.items()).containsExactly(
                    "s1", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10", "s11", "s12");
        } finally {
            again.shutdownTestKit();
        }
    }

    @Test
    void ensureSchemaIsIdempotentQuietAndMatchesPekkoPersistenceJdbc(@TempDir Path tmp) throws Exception {
        Path ours = tmp.resolve("ours");
        ActorTestKit node = startNode("SchemaOurs", ours);
        try {
            // every start calls it; concurrent and repeated calls are fine
            CompletionStage<?> one = EmbeddedJournal.ensureSchema(node.system());
            CompletionStage<?> two = EmbeddedJournal.ensureSchema(node.system());
            await(one);
            await(two);
        } finally {
            node.shutdownTestKit();
        }
        assertNoH2TraceFile(ours);

        Path upstream = tmp.resolve("upstream");
        ActorTestKit reference = ActorTestKit.create("SchemaUpstream", TestConfigs.embeddedNode(upstream));
        try {
            await(SchemaUtils.createIfNotExists(reference.system()));
        } finally {
            reference.shutdownTestKit();
        }
        assertThat(describeSchema(ours)).isEqualTo(describeSchema(upstream));
    }

    @Test
    void ensureSchemaRefusesPluginsThatDoNotShareTheDatabase(@TempDir Path data) {
        ActorTestKit node = ActorTestKit.create("NotShared",
                ConfigFactory.parseString("jdbc-snapshot-store.use-shared-db = null")
                        .withFallback(TestConfigs.embeddedNode(data)));
        try {
            assertThatThrownBy(() -> await(EmbeddedJournal.ensureSchema(node.system())))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("jdbc-snapshot-store.use-shared-db is not set");
        } finally {
            node.shutdownTestKit();
        }
    }

    @Test
    void schemaScriptParsesIntoIdempotentStatements() {
        List<String> statements = EmbeddedJournal.schemaStatements();
        assertThat(statements).hasSize(8);
        assertThat(statements).allSatisfy(sql -> assertThat(sql).containsIgnoringCase("IF NOT EXISTS"));
    }

    // --- helpers ---

    private static ActorTestKit startNode(String name, Path dataDir) throws Exception {
        ActorTestKit kit = ActorTestKit.create(name, TestConfigs.embeddedNode(dataDir));
        try {
            await(EmbeddedJournal.ensureSchema(kit.system()));
        } catch (Exception e) {
            kit.shutdownTestKit();
            throw e;
        }
        return kit;
    }

    private static <T> T await(CompletionStage<T> stage) throws Exception {
        try {
            return stage.toCompletableFuture().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    private static State add(ActorTestKit kit, ActorRef<Command> ledger, String item) {
        TestProbe<StatusReply<State>> probe = kit.createTestProbe();
        ledger.tell(new Add(item, probe.ref()));
        return probe.receiveMessage(TIMEOUT).getValue();
    }

    private static State addAll(ActorTestKit kit, ActorRef<Command> ledger, List<String> items) {
        TestProbe<StatusReply<State>> probe = kit.createTestProbe();
        ledger.tell(new AddAll(items, probe.ref()));
        return probe.receiveMessage(TIMEOUT).getValue();
    }

    private static State get(ActorTestKit kit, ActorRef<Command> ledger) {
        TestProbe<State> probe = kit.createTestProbe();
        ledger.tell(new Get(probe.ref()));
        return probe.receiveMessage(TIMEOUT);
    }

    /** Rows of a query against the (closed) H2 file of {@code dataDir}, as lists of column values. */
    private static List<List<Object>> query(Path dataDir, String sql) throws SQLException {
        String url = "jdbc:h2:file:" + dataDir.toAbsolutePath() + "/journal;IFEXISTS=TRUE";
        try (Connection connection = DriverManager.getConnection(url, "cdcr", "");
             Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery(sql)) {
            ResultSetMetaData meta = rs.getMetaData();
            List<List<Object>> rows = new ArrayList<>();
            while (rs.next()) {
                List<Object> row = new ArrayList<>();
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    Object value = rs.getObject(i);
                    row.add(value instanceof Number n ? (Object) n.longValue() : value);
                }
                rows.add(row);
            }
            return rows;
        }
    }

    /** Tables, columns, constraints, indexes and sequences, in a stable order. */
    private static List<List<Object>> describeSchema(Path dataDir) throws SQLException {
        List<List<Object>> all = new ArrayList<>();
        all.addAll(query(dataDir, "SELECT TABLE_NAME, COLUMN_NAME, ORDINAL_POSITION, DATA_TYPE, "
                + "CHARACTER_MAXIMUM_LENGTH, IS_NULLABLE, COLUMN_DEFAULT, IS_IDENTITY FROM INFORMATION_SCHEMA.COLUMNS "
                + "WHERE TABLE_SCHEMA = 'PUBLIC' ORDER BY TABLE_NAME, ORDINAL_POSITION"));
        all.addAll(query(dataDir, "SELECT TC.TABLE_NAME, TC.CONSTRAINT_TYPE, KCU.COLUMN_NAME, KCU.ORDINAL_POSITION "
                + "FROM INFORMATION_SCHEMA.TABLE_CONSTRAINTS TC JOIN INFORMATION_SCHEMA.KEY_COLUMN_USAGE KCU "
                + "ON TC.CONSTRAINT_SCHEMA = KCU.CONSTRAINT_SCHEMA AND TC.CONSTRAINT_NAME = KCU.CONSTRAINT_NAME "
                + "WHERE TC.TABLE_SCHEMA = 'PUBLIC' ORDER BY 1, 2, 3, 4"));
        all.addAll(query(dataDir, "SELECT I.TABLE_NAME, I.INDEX_NAME, I.INDEX_TYPE_NAME, C.COLUMN_NAME "
                + "FROM INFORMATION_SCHEMA.INDEXES I JOIN INFORMATION_SCHEMA.INDEX_COLUMNS C "
                + "ON I.INDEX_SCHEMA = C.INDEX_SCHEMA AND I.INDEX_NAME = C.INDEX_NAME "
                + "WHERE I.TABLE_SCHEMA = 'PUBLIC' AND I.INDEX_NAME NOT LIKE 'PRIMARY_KEY%' "
                + "AND I.INDEX_NAME NOT LIKE 'CONSTRAINT%' ORDER BY 1, 2, 4"));
        all.addAll(query(dataDir, "SELECT SEQUENCE_NAME FROM INFORMATION_SCHEMA.SEQUENCES "
                + "WHERE SEQUENCE_SCHEMA = 'PUBLIC' ORDER BY 1"));
        return all;
    }

    private static void assertNoH2TraceFile(Path dataDir) throws IOException {
        try (Stream<Path> files = Files.list(dataDir)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                if (file.getFileName().toString().endsWith(".trace.db")) {
                    throw new AssertionError("H2 logged errors to " + file + ":\n" + Files.readString(file));
                }
            }
        }
    }

    /** True if no one in this JVM holds H2's file lock (H2 keeps it while the database is open). */
    private static boolean isUnlocked(Path dbFile) throws IOException {
        try (FileChannel channel = FileChannel.open(dbFile, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            FileLock lock = channel.tryLock();
            if (lock == null) {
                return false;
            }
            lock.release();
            return true;
        } catch (java.nio.channels.OverlappingFileLockException e) {
            return false;
        }
    }

    private static void copyDirectory(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path source : (Iterable<Path>) paths::iterator) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target);
                }
            }
        }
    }
}
