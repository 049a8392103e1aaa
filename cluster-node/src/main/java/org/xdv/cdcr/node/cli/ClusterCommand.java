package org.xdv.cdcr.node.cli;

import org.xdv.cdcr.node.proto.ClusterStatus;
import org.xdv.cdcr.node.proto.StatusRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code cdcr cluster status}: nodes, capacity and use, members, the orchestrator's location (operator);
 * {@code cdcr cluster up|down}: a local cluster ({@link ClusterLifecycle}).
 */
@Command(name = "cluster", mixinStandardHelpOptions = true, description = "The cluster as the orchestrator sees it.",
        subcommands = {ClusterCommand.Status.class, ClusterLifecycle.Up.class, ClusterLifecycle.Down.class})
public final class ClusterCommand {

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "Nodes with K slots / qubits / Φ use, members, singleton location, placements per tenant.")
    public static final class Status extends ClientCommand {
        @Mixin
        OutputOptions output;

        @Override
        int run(ClientSession s) throws ClientSession.Failure {
            ClusterStatus st = s.call(s.cluster.status(), StatusRequest.getDefaultInstance());
            Render.print(out(), output.format, Render.status(st), () -> Render.statusTable(st));
            return 0;
        }
    }
}
