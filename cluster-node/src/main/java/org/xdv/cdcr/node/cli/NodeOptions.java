package org.xdv.cdcr.node.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import picocli.CommandLine.Option;

/** Options shared by the commands that start a node ({@code node}, {@code demo}). */
public final class NodeOptions {

    @Option(names = "--config", paramLabel = "FILE",
            description = "Node configuration (default: conf/embedded.conf of the CDCR installation).")
    Path config;

    @Option(names = "--data", paramLabel = "DIR", description = "Data directory (journal files); default ./data.")
    Path data;

    @Option(names = "--node-id", description = "This node's id (cdcr.node.id).")
    String nodeId;

    @Option(names = "--k-slots", description = "K slots of this node (cdcr.node.k-slots).")
    Integer kSlots;

    @Option(names = "--qubits", description = "Logical qubits of this node (cdcr.node.qubits).")
    Integer qubits;

    @Option(names = "--phi-channels", description = "Φ channels of this node (cdcr.node.phi-channels).")
    Integer phiChannels;

    @Option(names = "--labels", split = ",", description = "Node labels, comma-separated (cdcr.node.labels).")
    List<String> labels;

    @Option(names = "--grpc-port", paramLabel = "N",
            description = "Port of the gRPC control plane on 127.0.0.1 (cdcr.grpc.port, default 8470; 0 = any free port).")
    Integer grpcPort;

    @Option(names = "--artery-port", paramLabel = "N",
            description = "Cluster (Artery) port on 127.0.0.1 (pekko.remote.artery.canonical.port; cluster.conf).")
    Integer arteryPort;

    @Option(names = "--seed-nodes", split = ",", paramLabel = "ADDR",
            description = "Seed nodes, comma-separated pekko://cdcr@HOST:PORT (pekko.cluster.seed-nodes; cluster.conf).")
    List<String> seedNodes;

    /** The config file to load: --config, else $CDCR_HOME/conf/embedded.conf, else ./conf/embedded.conf. */
    public Path configFile() {
        if (config != null) {
            return config;
        }
        String home = System.getenv("CDCR_HOME");
        Path p = home != null ? Path.of(home, "conf", "embedded.conf") : Path.of("conf", "embedded.conf");
        return Files.exists(p) ? p : Path.of("conf", "embedded.conf");
    }

    public Path dataDir() {
        return data;
    }

    /** Flag values as config overrides. */
    public Map<String, Object> overrides() {
        Map<String, Object> o = new LinkedHashMap<>();
        if (nodeId != null) {
            o.put("cdcr.node.id", nodeId);
        }
        if (kSlots != null) {
            o.put("cdcr.node.k-slots", kSlots);
        }
        if (qubits != null) {
            o.put("cdcr.node.qubits", qubits);
        }
        if (phiChannels != null) {
            o.put("cdcr.node.phi-channels", phiChannels);
        }
        if (labels != null) {
            o.put("cdcr.node.labels", labels);
        }
        if (grpcPort != null) {
            o.put("cdcr.grpc.port", grpcPort);
        }
        if (arteryPort != null) {
            o.put("pekko.remote.artery.canonical.port", arteryPort);
        }
        if (seedNodes != null) {
            o.put("pekko.cluster.seed-nodes", seedNodes);
        }
        return o;
    }
}
