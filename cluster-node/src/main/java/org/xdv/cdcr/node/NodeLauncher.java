package org.xdv.cdcr.node;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.xdv.cdcr.node.controlplane.ControlPlaneServer;
import org.xdv.cdcr.persistence.config.CdcrConfig;
import org.xdv.cdcr.persistence.journal.EmbeddedJournal;
import org.xdv.cdcr.phi.PhiConfig;
import org.xdv.cdcr.runtime.CdcrRuntime;
import org.xdv.cdcr.runtime.node.NodeConfig;

/**
 * Starts one node: loads the config layers, creates the node's one ActorSystem, joins the cluster (itself, when
 * no seed nodes are configured), creates the embedded schema when the H2 journal is selected, starts the
 * runtime and — for {@code cdcr node} — the gRPC control plane ({@link ControlPlaneServer}). Every step is
 * bounded; a failure names the step.
 *
 * <p>The node's id is also a cluster role ({@value #NODE_ROLE_PREFIX}{@code <id>}), so cluster members can be
 * matched to the orchestrator's nodes.
 */
public final class NodeLauncher {

    public static final String NODE_ROLE_PREFIX = "cdcr-node:";

    private NodeLauncher() {
    }

    /** A started node. Close it to leave the cluster and stop the system. */
    public record Running(ActorSystem<Void> system, CdcrRuntime runtime, Config config,
                          Optional<ControlPlaneServer> controlPlane) implements AutoCloseable {
        @Override
        public void close() {
            controlPlane.ifPresent(ControlPlaneServer::stop);
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

    /** Starts a node without the gRPC control plane (demo, benchmarks). */
    public static Running start(Config config) throws Exception {
        return start(config, false);
    }

    /** Starts a node; with {@code controlPlane}, also its gRPC endpoint ({@code cdcr.grpc.*}). */
    public static Running start(Config config, boolean controlPlane) throws Exception {
        config = withNodeRole(config);
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
            Optional<ControlPlaneServer> server = controlPlane
                    ? Optional.of(ControlPlaneServer.start(system, runtime, config)) : Optional.empty();
            return new Running(system, runtime, config, server);
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

    /** The config with this node's id added to its cluster roles. */
    static Config withNodeRole(Config config) {
        List<String> roles = new ArrayList<>(config.getStringList("pekko.cluster.roles"));
        String role = NODE_ROLE_PREFIX + config.getString("cdcr.node.id");
        if (!roles.contains(role)) {
            roles.add(role);
        }
        return ConfigFactory.parseMap(Map.of("pekko.cluster.roles", roles), "node id role").withFallback(config);
    }

    /** The node id a member's roles name, if any. */
    public static Optional<String> nodeIdOf(java.util.Set<String> roles) {
        return roles.stream().filter(r -> r.startsWith(NODE_ROLE_PREFIX)).sorted().findFirst()
                .map(r -> r.substring(NODE_ROLE_PREFIX.length()));
    }

}
