package org.xdv.cdcr.node;

import org.xdv.cdcr.node.cli.BenchCommand;
import org.xdv.cdcr.node.cli.CassandraCommand;
import org.xdv.cdcr.node.cli.ClusterCommand;
import org.xdv.cdcr.node.cli.ContainerCommands;
import org.xdv.cdcr.node.cli.DemoCommand;
import org.xdv.cdcr.node.cli.NodeCommand;
import org.xdv.cdcr.node.cli.QasmCommand;
import org.xdv.cdcr.node.cli.ReplayCommand;
import org.xdv.cdcr.node.cli.TenantsCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The root {@code cdcr} command. */
@Command(name = "cdcr", mixinStandardHelpOptions = true, version = "cdcr 0.1.0",
        description = "Cross-Domain Cloud Runtime: hybrid K/Q/Φ containers for many tenants.",
        subcommands = {DemoCommand.class, NodeCommand.class, ContainerCommands.Submit.class, ContainerCommands.Get.class,
                ContainerCommands.Ls.class, ContainerCommands.Watch.class, ContainerCommands.Result.class, ContainerCommands.Logs.class,
                ContainerCommands.Suspend.class, ContainerCommands.Resume.class, ContainerCommands.Terminate.class,
                TenantsCommand.class, ClusterCommand.class, QasmCommand.class, ReplayCommand.class, BenchCommand.class,
                CassandraCommand.class,
                CommandLine.HelpCommand.class})
public final class CdcrCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static CommandLine commandLine() {
        return new CommandLine(new CdcrCommand());
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
