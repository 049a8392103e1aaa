package org.xdv.cdcr.node;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The root {@code cdcr} command. */
@Command(name = "cdcr", mixinStandardHelpOptions = true, version = "cdcr 0.1.0",
        description = "Cross-Domain Cloud Runtime: hybrid K/Q/Φ containers for many tenants.",
        subcommands = {CommandLine.HelpCommand.class})
public final class CdcrCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    static CommandLine commandLine() {
        return new CommandLine(new CdcrCommand());
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
