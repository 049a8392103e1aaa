package org.xdv.cdcr.node;

/** Entry point of the node jar: every {@code cdcr} command goes through here. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        // The embedded H2 journal runs with AUTO_SERVER=TRUE so that `cdcr replay` and other readers can open a live
        // node's journal; the server it starts for them listens on the loopback interface only.
        System.setProperty("h2.bindAddress", System.getProperty("h2.bindAddress", "127.0.0.1"));
        // Initialise logging on this thread before any actor system starts logging from its own threads
        // (otherwise SLF4J reports that it replayed calls made during its initialisation).
        org.slf4j.LoggerFactory.getILoggerFactory();
        System.exit(CdcrCommand.commandLine().execute(args));
    }
}
