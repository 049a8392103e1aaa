package org.xdv.cdcr.persistence.journal;

import com.typesafe.config.Config;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.persistence.jdbc.db.SlickDatabase;
import org.apache.pekko.persistence.jdbc.db.SlickExtension;
import org.apache.pekko.persistence.jdbc.db.SlickExtensionImpl;
import slick.jdbc.H2Profile;

/**
 * The embedded journal: pekko-persistence-jdbc over an H2 file database under the node's data directory, as
 * selected by {@code conf/embedded.conf}. Journal, snapshot store, read journal and durable state share one
 * connection pool ({@code use-shared-db = "slick"}).
 *
 * <p><b>Why our own DDL.</b> pekko-persistence-jdbc's {@code SchemaUtils.createIfNotExists} runs its H2 script,
 * whose {@code CREATE UNIQUE INDEX} lacks {@code IF NOT EXISTS}: on every start after the first it fails,
 * the error is swallowed (debug log) and H2 appends it to {@code journal.trace.db}. It also swallows
 * <em>every</em> other SQL error, so a locked or corrupt database would look like success. We run the same
 * schema with every statement idempotent ({@code h2-schema.sql}) and fail the returned stage on any error.
 * Silencing H2's trace file ({@code TRACE_LEVEL_FILE=0}) was rejected: it would also hide real errors.
 *
 * <p>{@link #ensureSchema} also holds the H2 database open for the life of the actor system (see
 * {@link #keepOpenUntilTermination}), so a running node never reopens the file and a stopped one leaves it
 * closed and unlocked.
 */
public final class EmbeddedJournal {

    /** Write journal plugin id ({@code pekko.persistence.journal.plugin}). */
    public static final String JOURNAL_PLUGIN_ID = "jdbc-journal";
    /** Snapshot store plugin id ({@code pekko.persistence.snapshot-store.plugin}). */
    public static final String SNAPSHOT_PLUGIN_ID = "jdbc-snapshot-store";
    /** Read journal plugin id, for {@code PersistenceQuery.getReadJournalFor}. */
    public static final String READ_JOURNAL_PLUGIN_ID = "jdbc-read-journal";
    /** Durable state plugin id ({@code pekko.persistence.state.plugin}). */
    public static final String DURABLE_STATE_PLUGIN_ID = "jdbc-durable-state-store";

    private static final List<String> PLUGIN_IDS =
            List.of(JOURNAL_PLUGIN_ID, SNAPSHOT_PLUGIN_ID, READ_JOURNAL_PLUGIN_ID, DURABLE_STATE_PLUGIN_ID);
    private static final String SCHEMA_RESOURCE = "h2-schema.sql";
    /** One keep-alive connection per actor system; weak so terminated systems can be collected. */
    private static final Map<ActorSystem<?>, Connection> KEEP_ALIVE = new WeakHashMap<>();

    private EmbeddedJournal() {
    }

    /**
     * Creates the journal, snapshot and durable-state tables if they do not exist, on the blocking
     * dispatcher. Safe on every start and concurrently; existing data is untouched. The stage fails (with the
     * statement and H2's message) if the database cannot be opened or a statement fails, and with a config
     * error if the four jdbc plugins do not share one H2 database.
     */
    public static CompletionStage<Done> ensureSchema(ActorSystem<?> system) {
        return CompletableFuture.supplyAsync(() -> {
            createSchema(system);
            return Done.getInstance();
        }, system.dispatchers().lookup(DispatcherSelector.blocking()));
    }

    /** The DDL statements {@link #ensureSchema} runs, in order. */
    public static List<String> schemaStatements() {
        String script;
        try (InputStream in = EmbeddedJournal.class.getResourceAsStream(SCHEMA_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("Resource " + SCHEMA_RESOURCE + " missing next to "
                        + EmbeddedJournal.class.getName());
            }
            script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> statements = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : script.split("\n")) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("--")) {
                continue;
            }
            if (current.length() > 0) {
                current.append('\n');
            }
            if (trimmed.endsWith(";")) {
                current.append(line, 0, line.lastIndexOf(';'));
                statements.add(current.toString());
                current.setLength(0);
            } else {
                current.append(line);
            }
        }
        if (current.length() > 0) {
            throw new IllegalStateException("Unterminated statement at the end of " + SCHEMA_RESOURCE + ": " + current);
        }
        return List.copyOf(statements);
    }

    private static void createSchema(ActorSystem<?> system) {
        Config config = system.settings().config();
        String sharedDb = sharedDatabaseName(config);
        SlickExtensionImpl extension = (SlickExtensionImpl) SlickExtension.get(system);
        SlickDatabase database = extension.database(config.getConfig(JOURNAL_PLUGIN_ID));
        if (!(database.profile() instanceof H2Profile)) {
            throw new IllegalStateException("EmbeddedJournal needs the H2 profile (slick.jdbc.H2Profile$) for "
                    + "pekko-persistence-jdbc.shared-databases." + sharedDb + ", found " + database.profile());
        }
        String statement = "(connecting)";
        try (Connection connection = database.database().source().createConnection();
             Statement sql = connection.createStatement()) {
            for (String ddl : schemaStatements()) {
                statement = ddl;
                sql.execute(ddl);
            }
            system.log().info("Embedded H2 journal schema is in place ({})", connection.getMetaData().getURL());
        } catch (SQLException e) {
            throw new IllegalStateException("Creating the embedded H2 journal schema failed at: " + statement
                    + "\n" + e.getMessage(), e);
        }
        keepOpenUntilTermination(system, config, sharedDb);
    }

    /**
     * H2 closes a database when its last connection closes, and HikariCP may briefly hold none while it recycles
     * connections; reopening the file then costs time. Slick's {@code keepAliveConnection} does not apply to
     * HikariCP pools, so, once per actor system, we hold one plain JDBC connection ourselves and close it when
     * the system terminates. The database then closes with the pool, leaving a closed, unlocked file.
     * ({@code DB_CLOSE_DELAY=-1} would keep the file open until the JVM exits, and shutting the database down
     * under the pool makes HikariCP log errors into H2's trace file.)
     */
    private static void keepOpenUntilTermination(ActorSystem<?> system, Config config, String sharedDb) {
        synchronized (KEEP_ALIVE) {
            if (KEEP_ALIVE.containsKey(system)) {
                return;
            }
            Config db = config.getConfig("pekko-persistence-jdbc.shared-databases." + sharedDb + ".db");
            Connection keepAlive;
            try {
                keepAlive = DriverManager.getConnection(db.getString("url"),
                        db.hasPath("user") ? db.getString("user") : null,
                        db.hasPath("password") ? db.getString("password") : null);
            } catch (SQLException e) {
                throw new IllegalStateException("Cannot open a keep-alive connection to " + db.getString("url")
                        + ": " + e.getMessage(), e);
            }
            try {
                Adapter.toClassic(system).registerOnTermination(() -> closeQuietly(keepAlive));
                KEEP_ALIVE.put(system, keepAlive);
            } catch (IllegalStateException alreadyTerminating) {
                closeQuietly(keepAlive);
            }
        }
    }

    private static void closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (SQLException e) {
            // closing is all we wanted; H2 closes the database at JVM exit in any case
        }
    }

    private static String sharedDatabaseName(Config config) {
        String key = "use-shared-db";
        String expected = null;
        for (String plugin : PLUGIN_IDS) {
            String path = plugin + "." + key;
            String name = config.hasPath(path) ? config.getString(path).strip() : "";
            if (name.isEmpty()) {
                throw new IllegalStateException("EmbeddedJournal expects " + String.join(", ", PLUGIN_IDS)
                        + " to share one database (" + key + " = \"slick\", as conf/embedded.conf sets), but "
                        + path + " is not set");
            }
            if (expected == null) {
                expected = name;
            } else if (!expected.equals(name)) {
                throw new IllegalStateException("EmbeddedJournal expects " + String.join(", ", PLUGIN_IDS)
                        + " to share one database, but " + PLUGIN_IDS.get(0) + "." + key + " = " + expected
                        + " and " + path + " = " + name);
            }
        }
        return expected;
    }
}
