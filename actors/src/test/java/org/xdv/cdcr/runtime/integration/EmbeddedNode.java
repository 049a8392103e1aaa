package org.xdv.cdcr.runtime.integration;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.typesafe.config.Config;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.persistence.query.EventEnvelope;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.persistence.query.javadsl.CurrentEventsByPersistenceIdQuery;
import org.apache.pekko.stream.javadsl.Sink;
import org.xdv.cdcr.persistence.journal.EmbeddedJournal;
import org.xdv.cdcr.phi.PhiConfig;
import org.xdv.cdcr.runtime.CdcrRuntime;
import org.xdv.cdcr.runtime.core.LifecycleState;
import org.xdv.cdcr.runtime.core.container.ContainerState;
import org.xdv.cdcr.runtime.core.dao.Decided;
import org.xdv.cdcr.runtime.core.dao.DecidedBatch;
import org.xdv.cdcr.runtime.node.NodeConfig;
import org.xdv.cdcr.runtime.orchestrator.Orchestrator;

/**
 * One embedded CDCR node started the way {@code NodeLauncher} starts it (the launcher lives in cluster-node, which
 * depends on this module): config from {@code conf/embedded.conf} with a data directory, one actor system named
 * {@code cdcr}, self-join, the H2 schema, then {@link CdcrRuntime#start}. Every wait is bounded.
 */
public final class EmbeddedNode implements AutoCloseable {

    public static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final ActorTestKit kit;
    private final CdcrRuntime runtime;

    private EmbeddedNode(ActorTestKit kit, CdcrRuntime runtime) {
        this.kit = kit;
        this.runtime = runtime;
    }

    public static EmbeddedNode start(Path dataDir) {
        return start(dataDir, java.util.Map.of());
    }

    /** A node whose config has {@code overrides} (e.g. {@code cdcr.node.k-slots}) on top of the embedded one. */
    public static EmbeddedNode start(Path dataDir, java.util.Map<String, ?> overrides) {
        Config config = com.typesafe.config.ConfigFactory.parseMap(overrides)
                .withFallback(RuntimeTestConfigs.embeddedNode(dataDir)).resolve();
        ActorTestKit kit = ActorTestKit.create("cdcr", config);
        try {
            Cluster cluster = Cluster.get(kit.system());
            cluster.manager().tell(Join.create(cluster.selfMember().address()));
            kit.createTestProbe().awaitAssert(TIMEOUT, () -> {
                assertEquals(MemberStatus.up(), cluster.selfMember().status(), "self-joined node is Up");
                return null;
            });
            await(EmbeddedJournal.ensureSchema(kit.system()));
            CdcrRuntime runtime = await(CdcrRuntime.start(kit.system(), nodeConfig(config),
                    config.getString("cdcr.read-journal")));
            return new EmbeddedNode(kit, runtime);
        } catch (RuntimeException | Error e) {
            kit.shutdownTestKit();
            throw e;
        }
    }

    /** The node's settings from {@code cdcr.node}, read as NodeLauncher.nodeConfig reads them. */
    public static NodeConfig nodeConfig(Config c) {
        Config n = c.getConfig("cdcr.node");
        int channels = n.getInt("phi-channels");
        PhiConfig phi = PhiConfig.defaults(Math.max(1, channels));
        phi = new PhiConfig(phi.channels(), phi.mean(), phi.reversion(), phi.volatility(), phi.noiseSigma(),
                n.getLong("phi-slot-millis"), phi.searchHorizonSlots(), phi.forecastSeed());
        return new NodeConfig(n.getString("id"), n.getInt("k-slots"), n.getInt("qubits"), channels, phi,
                new ArrayList<>(n.getStringList("labels")), n.getInt("tenant-pool-threads"),
                n.getLong("phi-run-seed"));
    }

    public CdcrRuntime runtime() {
        return runtime;
    }

    public ActorSystem<?> system() {
        return kit.system();
    }

    public <T> TestProbe<T> probe() {
        return kit.createTestProbe();
    }

    /** Waits (bounded) until every container is Released and returns their states, in the given order. */
    public List<ContainerState> awaitReleased(List<String> ids, Duration max) {
        return kit.<List<ContainerState>>createTestProbe().awaitAssert(max, Duration.ofMillis(100), () -> {
            List<ContainerState> states = new ArrayList<>();
            for (String id : ids) {
                ContainerState s = await(runtime.get(id));
                assertEquals(LifecycleState.RELEASED, s.state(), () -> id + " is " + s.state().display() + ": " + s);
                states.add(s);
            }
            return states;
        });
    }

    /**
     * Every decision in the orchestrator's journal ({@code cdcr-dao}), read with the read journal: one
     * {@link DecidedBatch} per write, its decisions numbered consecutively across the whole journal.
     */
    public List<Decided> orchestratorJournal() {
        CurrentEventsByPersistenceIdQuery q = PersistenceQuery.get(kit.system())
                .getReadJournalFor(CurrentEventsByPersistenceIdQuery.class, EmbeddedJournal.READ_JOURNAL_PLUGIN_ID);
        List<EventEnvelope> envelopes = await(q.currentEventsByPersistenceId(Orchestrator.PERSISTENCE_ID.id(), 0,
                Long.MAX_VALUE).runWith(Sink.seq(), kit.system()));
        List<Decided> out = new ArrayList<>();
        for (EventEnvelope e : envelopes) {
            for (Decided d : ((DecidedBatch) e.event()).decisions()) {
                assertEquals(out.size(), d.seq(), "decision numbers are consecutive across journal entries");
                out.add(d);
            }
        }
        return out;
    }

    /** Terminates the actor system and waits for it; the H2 files are closed and unlocked afterwards. */
    @Override
    public void close() {
        kit.shutdownTestKit();
    }

    public static <T> T await(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError("no answer within " + TIMEOUT, e);
        }
    }
}
