package org.xdv.cdcr.node;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.xdv.cdcr.persistence.config.CdcrConfig;
import org.xdv.cdcr.persistence.journal.EmbeddedJournal;
import org.xdv.cdcr.phi.PhiConfig;
import org.xdv.cdcr.runtime.CdcrRuntime;
import org.xdv.cdcr.runtime.node.NodeConfig;

/**
 * Starts one node: loads the config layers, creates the node's one ActorSystem, joins the cluster (itself, when
 * no seed nodes are configured), creates the embedded schema when the H2 journal is selected, and starts the
 * runtime. Every step is bounded; a failure names the step.
 */
public final class NodeLauncher {

    private NodeLauncher() {
    }

    /** A started node. Close it to leave the cluster and stop the system. */
    public record Running(ActorSystem<Void> system, CdcrRuntime runtime, Config config) implements AutoCloseable {
        @Override
        public void close() {
            system.terminate();
            try {
                system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                // terminating anyway
            }
        }
    }

    public static Config config(Path configFile, Path dataDir, Map<String, Object> overrides) {
        Config base = CdcrConfig.load(configFile, dataDir);
        return ConfigFactory.parseMap(overrides, "command line").withFallback(base).resolve();
    }

    public static Running start(Config config) throws Exception {
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "cdcr", config);
        try {
            Cluster cluster = Cluster.get(system);
            if (config.getStringList("pekko.cluster.seed-nodes").isEmpty()) {
                cluster.manager().tell(Join.create(cluster.selfMember().address()));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (cluster.selfMember().status() != MemberStatus.up()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("this node did not become Up in the cluster within 60 s");
                }
                Thread.sleep(50);
            }
            if (EmbeddedJournal.JOURNAL_PLUGIN_ID.equals(config.getString("pekko.persistence.journal.plugin"))) {
                EmbeddedJournal.ensureSchema(system).toCompletableFuture().get(60, TimeUnit.SECONDS);
            }
            CdcrRuntime runtime = CdcrRuntime.start(system, nodeConfig(config), config.getString("cdcr.read-journal"))
                    .toCompletableFuture().get(90, TimeUnit.SECONDS);
            return new Running(system, runtime, config);
        } catch (Exception | Error e) {
            system.terminate();
            system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
            throw e;
        }
    }

    public static NodeConfig nodeConfig(Config c) {
        Config n = c.getConfig("cdcr.node");
        int channels = n.getInt("phi-channels");
        if (channels < 0) {
            throw new IllegalArgumentException("cdcr.node.phi-channels must be >= 0, was " + channels);
        }
        PhiConfig phi = PhiConfig.defaults(Math.max(1, channels));
        phi = new PhiConfig(phi.channels(), phi.mean(), phi.reversion(), phi.volatility(), phi.noiseSigma(),
                n.getLong("phi-slot-millis"), phi.searchHorizonSlots(), phi.forecastSeed());
        List<String> labels = new ArrayList<>(n.getStringList("labels"));
        return new NodeConfig(n.getString("id"), n.getInt("k-slots"), n.getInt("qubits"), channels, phi, labels,
                n.getInt("tenant-pool-threads"), n.getLong("phi-run-seed"));
    }

    static Duration ask() {
        return CdcrRuntime.ASK;
    }
}
