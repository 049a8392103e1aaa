package org.xdv.cdcr.node.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.xdv.cdcr.node.proto.Container;
import org.xdv.cdcr.node.proto.ContainerRef;
import org.xdv.cdcr.node.proto.LogsResponse;
import org.xdv.cdcr.node.proto.ListRequest;
import org.xdv.cdcr.node.proto.ListResponse;
import org.xdv.cdcr.node.proto.ResultResponse;
import org.xdv.cdcr.node.proto.State;
import org.xdv.cdcr.node.proto.SubmitBatchRequest;
import org.xdv.cdcr.node.proto.SubmitBatchResponse;
import org.xdv.cdcr.node.proto.SubmitRequest;
import org.xdv.cdcr.node.proto.SubmitResponse;
import org.xdv.cdcr.node.proto.SubmitResult;
import org.xdv.cdcr.node.proto.WatchRequest;
import org.xdv.cdcr.runtime.core.spec.SpecParser;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The container commands of the {@code cdcr} client: submit, get, ls, watch, result, logs, suspend, resume, terminate.
 */
public final class ContainerCommands {

    private ContainerCommands() {
    }

    @Command(name = "submit", mixinStandardHelpOptions = true,
            description = {"Submits a container spec (YAML or JSON; - reads standard input) and prints its id.",
                    "Exit status: 0 accepted, 1 refused by the server, 2 usage error, 3 unreachable."})
    public static final class Submit extends ClientCommand {

        @Parameters(arity = "1..*", paramLabel = "FILE", description = "The spec file (docs/container-spec.md), "
                + "- for standard input; several files go in one SubmitBatch call, each answered on its own.")
        List<String> files;

        @Option(names = "--watch", description = "Then follow it to the end, one line per lifecycle transition "
                + "(one file only).")
        boolean watch;

        @Mixin
        OutputOptions output;

        @Override
        int run(ClientSession s) throws ClientSession.Failure {
            if (files.size() > 1) {
                if (watch) {
                    throw new ClientSession.Failure(ClientSession.USAGE,
                            "--watch follows one container: give one FILE");
                }
                return submitAll(s);
            }
            String file = files.get(0);
            SubmitResponse r = s.call(s.containers.submit(),
                    SubmitRequest.newBuilder().setSpecText(read(file)).build());
            Container c = r.getContainer();
            Map<String, Object> m = new LinkedHashMap<>(Render.container(c));
            m.put("existed", r.getExisted());
            Render.print(out(), output.format, m, () -> c.getId() + (r.getExisted()
                    ? "  (already submitted with this spec: " + Render.containerRow(c).get(1) + ")" : "") + "\n");
            if (watch) {
                follow(s, s.stream(s.containers.watch(), WatchRequest.newBuilder().setId(c.getId()).build()),
                        t -> Render.printItem(out(), output.format, Render.transition(t),
                                () -> Render.transitionLine(t)));
            }
            return 0;
        }

        /** Every file in one SubmitBatch call: a row per file, exit 1 if the node refused any of them. */
        private int submitAll(ClientSession s) throws ClientSession.Failure {
            SubmitBatchRequest.Builder batch = SubmitBatchRequest.newBuilder();
            for (String file : files) {
                batch.addSubmissions(SubmitRequest.newBuilder().setSpecText(read(file)));
            }
            SubmitBatchResponse r = s.call(s.containers.submitBatch(), batch.build());
            List<Object> data = new ArrayList<>();
            List<List<String>> rows = new ArrayList<>();
            int refused = 0;
            for (int i = 0; i < files.size(); i++) {
                SubmitResult result = r.getResults(i);
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("file", files.get(i));
                if (result.hasAccepted()) {
                    Container c = result.getAccepted().getContainer();
                    m.putAll(Render.container(c));
                    m.put("existed", result.getAccepted().getExisted());
                    rows.add(List.of(files.get(i), c.getId(), Render.containerRow(c).get(1)
                            + (result.getAccepted().getExisted() ? " (already submitted)" : "")));
                } else {
                    refused++;
                    m.put("refused", Map.of("code", result.getRefused().getCodeName(),
                            "message", result.getRefused().getMessage()));
                    rows.add(List.of(files.get(i), "-", result.getRefused().getCodeName() + ": "
                            + result.getRefused().getMessage()));
                }
                data.add(m);
            }
            Render.print(out(), output.format, data,
                    () -> Tables.render(List.of("FILE", "CONTAINER", "RESULT"), rows));
            if (refused > 0) {
                throw new ClientSession.Failure(ClientSession.REJECTED, refused + " of " + files.size()
                        + " submissions refused");
            }
            return 0;
        }

        /** The spec text of {@code file} ({@code -}: standard input), its {@code k.module} file inlined. */
        private static String read(String file) throws ClientSession.Failure {
            try {
                String text = file.equals("-") ? new String(System.in.readAllBytes(), StandardCharsets.UTF_8)
                        : Files.readString(Path.of(file), StandardCharsets.UTF_8);
                // a k.module file lies beside the spec; the node gets its bytes inline
                Path dir = file.equals("-") ? Path.of(".") : Path.of(file).toAbsolutePath().getParent();
                return SpecParser.inlineModule(text, p -> Files.readAllBytes(dir.resolve(p)));
            } catch (IOException e) {
                throw new ClientSession.Failure(ClientSession.USAGE, "cannot read " + file + ": " + e);
            }
        }
    }

    @Command(name = "get", mixinStandardHelpOptions = true, description = "Shows one container.")
    public static final class Get extends OneContainer {
        @Override
        void show(ClientSession s, ContainerRef ref) throws ClientSession.Failure {
            Container c = s.call(s.containers.get(), ref);
            print(Render.container(c), () -> Render.containers(List.of(c)));
        }
    }

    @Command(name = "ls", mixinStandardHelpOptions = true, description = "Lists your containers in id order.")
    public static final class Ls extends ClientCommand {

        @Option(names = "--state", paramLabel = "S", split = ",",
                description = "Only these states: created, scheduled, bound, active, suspended, terminated, released.")
        List<String> states;

        @Option(names = "--tenant", description = "Operator only: the tenant to list (default: all tenants).")
        String tenant;

        @Mixin
        OutputOptions output;

        @Override
        int run(ClientSession s) throws ClientSession.Failure {
            ListRequest.Builder req = ListRequest.newBuilder();
            if (states != null) {
                for (String st : states) {
                    req.addStates(state(st));
                }
            }
            if (tenant != null) {
                req.setTenant(tenant);
            }
            ListResponse r = s.call(s.containers.list(), req.build());
            List<Object> all = new ArrayList<>();
            r.getContainersList().forEach(c -> all.add(Render.container(c)));
            Render.print(out(), output.format, all, () -> Render.containers(r.getContainersList()));
            return 0;
        }

        static State state(String text) throws ClientSession.Failure {
            try {
                State st = State.valueOf("STATE_" + text.trim().toUpperCase(Locale.ROOT));
                if (st != State.STATE_UNSPECIFIED) {
                    return st;
                }
            } catch (IllegalArgumentException e) {
                // reported below
            }
            throw new ClientSession.Failure(ClientSession.USAGE, "--state: '" + text + "' is not one of created, "
                    + "scheduled, bound, active, suspended, terminated, released");
        }
    }

    @Command(name = "watch", mixinStandardHelpOptions = true,
            description = "Follows a container's lifecycle transitions until it is Released.")
    public static final class Watch extends ClientCommand {

        @Parameters(index = "0", paramLabel = "ID", description = "tenant/name (or name, for your own tenant).")
        String id;

        @Option(names = "--from", paramLabel = "SEQ", defaultValue = "1",
                description = "First transition to show (default ${DEFAULT-VALUE}: from Created).")
        long from;

        @Mixin
        OutputOptions output;

        @Override
        int run(ClientSession s) throws ClientSession.Failure {
            follow(s, s.stream(s.containers.watch(), WatchRequest.newBuilder().setId(id).setFromSeq(from).build()),
                    t -> Render.printItem(out(), output.format, Render.transition(t), () -> Render.transitionLine(t)));
            return 0;
        }
    }

    @Command(name = "result", mixinStandardHelpOptions = true,
            description = "Shows how a terminated container ended: Q counts, Φ summary, fault detail.")
    public static final class Result extends OneContainer {
        @Override
        void show(ClientSession s, ContainerRef ref) throws ClientSession.Failure {
            ResultResponse r = s.call(s.containers.result(), ref);
            print(Render.result(r), () -> Render.resultTable(r));
        }
    }

    @Command(name = "logs", mixinStandardHelpOptions = true,
            description = "Prints the lines a container's K program logged (host ABI cdcr.log), oldest first.")
    public static final class Logs extends OneContainer {
        @Override
        void show(ClientSession s, ContainerRef ref) throws ClientSession.Failure {
            LogsResponse r = s.call(s.containers.logs(), ref);
            print(Render.logs(r), () -> Render.logsText(r));
        }
    }

    /** A command on one container (get, result, logs, and the lifecycle steps): its id, an output format, a call. */
    abstract static class OneContainer extends ClientCommand {

        @Parameters(index = "0", paramLabel = "ID", description = "tenant/name (or name, for your own tenant).")
        String id;

        @Mixin
        OutputOptions output;

        abstract void show(ClientSession s, ContainerRef ref) throws ClientSession.Failure;

        @Override
        int run(ClientSession s) throws ClientSession.Failure {
            show(s, ContainerRef.newBuilder().setId(id).build());
            return 0;
        }

        void print(Object data, java.util.function.Supplier<String> table) {
            Render.print(out(), output.format, data, table);
        }
    }

    /** suspend, resume, terminate: one lifecycle step, then the container as it is after it. */
    abstract static class Control extends OneContainer {

        abstract Container step(ClientSession s, ContainerRef ref) throws ClientSession.Failure;

        @Override
        void show(ClientSession s, ContainerRef ref) throws ClientSession.Failure {
            Container c = step(s, ref);
            print(Render.container(c), () -> Render.containers(List.of(c)));
        }
    }

    @Command(name = "suspend", mixinStandardHelpOptions = true, description = "Suspends an Active container.")
    public static final class Suspend extends Control {
        @Override
        Container step(ClientSession s, ContainerRef ref) throws ClientSession.Failure {
            return s.call(s.containers.suspend(), ref);
        }
    }

    @Command(name = "resume", mixinStandardHelpOptions = true, description = "Resumes a Suspended container.")
    public static final class Resume extends Control {
        @Override
        Container step(ClientSession s, ContainerRef ref) throws ClientSession.Failure {
            return s.call(s.containers.resume(), ref);
        }
    }

    @Command(name = "terminate", mixinStandardHelpOptions = true,
            description = "Terminates a container (it is then Released).")
    public static final class Terminate extends Control {
        @Override
        Container step(ClientSession s, ContainerRef ref) throws ClientSession.Failure {
            return s.call(s.containers.terminate(), ref);
        }
    }
}
