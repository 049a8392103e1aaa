package org.xdv.cdcr.node;

/** Entry point of the node jar: every {@code cdcr} command goes through here. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(CdcrCommand.commandLine().execute(args));
    }
}
