package org.xdv.cdcr.node.cli;

import org.xdv.cdcr.node.proto.ClusterStatus;
import org.xdv.cdcr.node.proto.StatusRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

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

        @Option(names = "--watch", paramLabel = "SECONDS", arity = "0..1", fallbackValue = "2",
                description = "Keep showing it, refreshed every SECONDS (default 2) until interrupted: the table "
                        + "redrawn in place on a terminal, one JSON/YAML document per refresh otherwise.")
        Integer watchSeconds;

        @Option(names = "--count", paramLabel = "N", description = "With --watch: stop after N refreshes.")
        Integer count;

        @Override
        int run(ClientSession s) throws ClientSession.Failure {
            if (watchSeconds == null) {
                ClusterStatus st = s.call(s.cluster.status(), StatusRequest.getDefaultInstance());
                Render.print(out(), output.format, Render.status(st), () -> Render.statusTable(st));
                return 0;
            }
            if (watchSeconds < 1 || (count != null && count < 1)) {
                throw new ClientSession.Failure(ClientSession.USAGE, "--watch SECONDS and --count N must be positive");
            }
            boolean terminal = System.console() != null && output.format == OutputOptions.Format.table;
            for (int i = 0; count == null || i < count; i++) {
                if (i > 0) {
                    try {
                        Thread.sleep(watchSeconds * 1000L);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return 0;
                    }
                }
                ClusterStatus st = s.call(s.cluster.status(), StatusRequest.getDefaultInstance());
                String stamp = java.time.LocalTime.now().withNano(0) + "  (every " + watchSeconds + " s)";
                if (output.format == OutputOptions.Format.table) {
                    // on a terminal: clear the screen and redraw; piped: tables one after the other, each stamped
                    out().print((terminal ? "\u001b[H\u001b[2J" : (i > 0 ? "\n" : "")) + stamp + "\n"
                            + Render.statusTable(st));
                    out().flush();
                } else {
                    Render.printItem(out(), output.format, Render.status(st), () -> "");
                }
            }
            return 0;
        }
    }
}
