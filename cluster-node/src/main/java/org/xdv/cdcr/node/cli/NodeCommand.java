package org.xdv.cdcr.node.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

import org.xdv.cdcr.node.NodeLauncher;
import org.xdv.cdcr.node.controlplane.ControlPlaneServer;
import org.xdv.cdcr.runtime.node.NodeConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code cdcr node}: a long-running node with its gRPC control plane; stops on SIGTERM/SIGINT (coordinated
 * shutdown). Prints one line {@code grpc endpoint HOST:PORT} once the endpoint is bound.
 */
@Command(name = "node", mixinStandardHelpOptions = true,
        description = "Runs a CDCR node with its gRPC control plane until it is stopped (Ctrl-C or SIGTERM).")
public final class NodeCommand implements Callable<Integer> {

    @Mixin
    NodeOptions options;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        NodeLauncher.Running node;
        try {
            node = NodeLauncher.start(NodeLauncher.config(options.configFile(), options.dataDir(), options.overrides()),
                    true);
        } catch (Exception e) {
            spec.commandLine().getErr().println("cdcr node: cannot start: " + e.getMessage());
            spec.commandLine().getErr().flush();
            return 1;
        }
        NodeConfig n = node.runtime().node();
        ControlPlaneServer cp = node.controlPlane().orElseThrow();
        out.printf("node %s up: %d K slots, %d qubits, %d Φ channels, labels %s; data %s%n", n.nodeId(),
                n.kSlots(), n.qubits(), n.phiChannels(), n.labels(), node.config().getString("cdcr.data-dir"));
        out.printf("operator token: %s%s%n", cp.operator().source(), cp.operator().generated() ? " (generated now)" : "");
        out.printf("grpc endpoint %s%n", cp.endpoint());
        out.flush();
        node.system().getWhenTerminated().toCompletableFuture().join();
        return 0;
    }
}
