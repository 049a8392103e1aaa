package org.xdv.cdcr.node.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;

import org.apache.pekko.Done;
import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.javadsl.Source;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A command that talks to the control plane. Exit codes: 0 done, 1 the server refused (its status and message
 * are printed), 2 usage error, 3 the endpoint could not be reached. Everything is printed through picocli's
 * streams.
 */
abstract class ClientCommand implements Callable<Integer> {

    @Mixin
    ClientOptions client;

    @Spec
    CommandSpec spec;

    @Override
    public final Integer call() {
        try (ClientSession session = ClientSession.open(client)) {
            return run(session);
        } catch (ClientSession.Failure f) {
            PrintWriter err = spec.commandLine().getErr();
            err.println("cdcr " + spec.qualifiedName(" ").replaceFirst("^cdcr ", "") + ": " + f.getMessage());
            err.flush();
            return f.exitCode;
        }
    }

    abstract int run(ClientSession session) throws ClientSession.Failure;

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    /** Runs a server stream to its end, handing each element to {@code each}. */
    static <T> void follow(ClientSession session, Source<T, NotUsed> stream,
                           org.apache.pekko.japi.function.Procedure<T> each) throws ClientSession.Failure {
        try {
            Done d = stream.runForeach(each, session.system()).toCompletableFuture().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClientSession.Failure(ClientSession.UNREACHABLE, "interrupted");
        } catch (ExecutionException e) {
            throw session.failure(e.getCause());
        }
    }
}
