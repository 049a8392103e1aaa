package org.xdv.cdcr.node.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;

import org.xdv.cdcr.node.cassandra.CassandraLauncher;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code cdcr cassandra start|stop|status}: a local single-node Apache Cassandra for the cluster journal, in its own
 * JVM, with its files under {@code <data>/cassandra} ({@link CassandraLauncher}). Exit codes: 0 done (status: it
 * runs and answers CQL), 1 it failed to start or does not run.
 */
@Command(name = "cassandra", mixinStandardHelpOptions = true,
        description = "A local single-node Apache Cassandra " + CassandraLauncher.VERSION
                + " (own JVM, bound to 127.0.0.1) for the cluster journal.",
        subcommands = {CassandraCommand.Start.class, CassandraCommand.Stop.class, CassandraCommand.Status.class})
public final class CassandraCommand {

    static class Where {
        @Option(names = "--data", paramLabel = "DIR", description = "Data directory; Cassandra's files go to DIR/cassandra (default ./data).")
        Path data = Path.of("data");

        @Option(names = "--port", paramLabel = "N", description = "CQL port (default 9042).")
        int port = 9042;

        @Option(names = "--storage-port", paramLabel = "N", description = "Inter-node port (default 7000; N+1 is reserved for TLS).")
        int storagePort = 7000;

        @Spec
        CommandSpec spec;

        CassandraLauncher.Settings settings() {
            return CassandraLauncher.Settings.defaults(dir()).withPorts(port, storagePort);
        }

        Path dir() {
            return data.resolve("cassandra").toAbsolutePath().normalize();
        }
    }

    @Command(name = "start", mixinStandardHelpOptions = true,
            description = "Starts Cassandra (resolving it from Maven Central at the first start) and waits until CQL answers.")
    static final class Start extends Where implements Callable<Integer> {
        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            out.printf("cassandra: starting under %s (CQL %s; first start resolves %d MB of jars, later ones take ~20 s)…%n",
                    dir(), settings().contactPoint(), 66);
            out.flush();
            long t0 = System.nanoTime();
            try {
                CassandraLauncher.Running r = CassandraLauncher.start(settings());
                out.printf("cassandra %s pid %d, CQL %s (%s, %.1f s)%n", r.startedNow() ? "started:" : "already running:",
                        r.process().pid(), r.contactPoint(), dir(), (System.nanoTime() - t0) / 1e9);
                return 0;
            } catch (java.io.IOException e) {
                spec.commandLine().getErr().println("cdcr cassandra start: " + e.getMessage());
                return 1;
            }
        }
    }

    @Command(name = "stop", mixinStandardHelpOptions = true, description = "Stops the Cassandra recorded under DIR/cassandra.")
    static final class Stop extends Where implements Callable<Integer> {
        @Override
        public Integer call() throws Exception {
            boolean stopped = CassandraLauncher.stop(dir());
            spec.commandLine().getOut().println(stopped ? "cassandra stopped" : "cassandra was not running under " + dir());
            return 0;
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true, description = "Whether the Cassandra under DIR/cassandra runs and answers CQL.")
    static final class Status extends Where implements Callable<Integer> {
        @Override
        public Integer call() {
            Optional<CassandraLauncher.Running> r = CassandraLauncher.status(settings());
            spec.commandLine().getOut().println(r.map(x -> "cassandra running: pid " + x.process().pid() + ", CQL "
                    + x.contactPoint()).orElse("cassandra not running under " + dir()));
            return r.isPresent() ? 0 : 1;
        }
    }
}
