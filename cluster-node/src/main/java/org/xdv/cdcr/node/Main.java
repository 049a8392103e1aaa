package org.xdv.cdcr.node;

/** Entry point of the node jar: every {@code cdcr} command goes through here. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        // Initialise logging on this thread before any actor system starts logging from its own threads
        // (otherwise SLF4J reports that it replayed calls made during its initialisation).
        org.slf4j.LoggerFactory.getILoggerFactory();
        System.exit(CdcrCommand.commandLine().execute(args));
    }
}
