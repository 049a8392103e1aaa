package org.xdv.cdcr.node;

/** Entry point of the node jar: every {@code cdcr} command goes through here. */
public final class Main {

    private Main() {
    }

    /** The JDK property that sizes {@link java.util.concurrent.ForkJoinPool#commonPool()}. */
    static final String COMMON_POOL_PARALLELISM = "java.util.concurrent.ForkJoinPool.common.parallelism";

    public static void main(String[] args) {
        // Every Pekko ask answers with a CompletionStage backed by a Scala future, whose thenApply/thenCompose/handle
        // run on CompletableFuture's default async executor. On a 2-core machine the common pool has one thread, and
        // then that executor is a new thread per callback (CompletableFuture.ThreadPerTaskExecutor): tens of
        // thousands of threads a minute under load. Two or more common-pool threads make it the common pool. This
        // must happen before anything touches ForkJoinPool, hence first.
        if (System.getProperty(COMMON_POOL_PARALLELISM) == null) {
            System.setProperty(COMMON_POOL_PARALLELISM,
                    Integer.toString(Math.max(2, Runtime.getRuntime().availableProcessors() - 1)));
        }
        // The embedded H2 journal runs with AUTO_SERVER=TRUE so that `cdcr replay` and other readers can open a live
        // node's journal; the server it starts for them listens on the loopback interface only.
        System.setProperty("h2.bindAddress", System.getProperty("h2.bindAddress", "127.0.0.1"));
        // Initialise logging on this thread before any actor system starts logging from its own threads
        // (otherwise SLF4J reports that it replayed calls made during its initialisation).
        org.slf4j.LoggerFactory.getILoggerFactory();
        System.exit(CdcrCommand.commandLine().execute(args));
    }
}
