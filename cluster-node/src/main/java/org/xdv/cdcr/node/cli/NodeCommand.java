package org.xdv.cdcr.node.cli;

import java.util.concurrent.Callable;

import org.xdv.cdcr.node.NodeLauncher;
import org.xdv.cdcr.runtime.node.NodeConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code cdcr node}: a long-running node; stops on SIGTERM/SIGINT (coordinated shutdown). */
@Command(name = "node", mixinStandardHelpOptions = true,
        description = "Runs a CDCR node until it is stopped (Ctrl-C or SIGTERM).")
public final class NodeCommand implements Callable<Integer> {

    @Mixin
    NodeOptions options;

    @Override
    public Integer call() throws Exception {
        NodeLauncher.Running node;
        try {
            node = NodeLauncher.start(NodeLauncher.config(options.configFile(), options.dataDir(), options.overrides()));
        } catch (Exception e) {
            System.err.println("cdcr node: cannot start: " + e.getMessage());
            return 1;
        }
        NodeConfig n = node.runtime().node();
        System.out.printf("node %s up: %d K slots, %d qubits, %d Φ channels, labels %s; data %s%n", n.nodeId(),
                n.kSlots(), n.qubits(), n.phiChannels(), n.labels(), node.config().getString("cdcr.data-dir"));
        node.system().getWhenTerminated().toCompletableFuture().join();
        return 0;
    }
}
