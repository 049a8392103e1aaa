package org.xdv.cdcr.node.cli;

import picocli.CommandLine.Option;

/** {@code -o table|json|yaml} for commands that print what they read. */
public final class OutputOptions {

    public enum Format { table, json, yaml }

    @Option(names = {"-o", "--output"}, defaultValue = "table", paramLabel = "FORMAT",
            description = "table, json or yaml (default ${DEFAULT-VALUE}).")
    Format format;
}
