package org.xdv.cdcr.node.cli;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.typesafe.config.Config;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.xdv.cdcr.node.NodeLauncher;
import org.xdv.cdcr.node.controlplane.auth.AuthzReplay;
import org.xdv.cdcr.runtime.core.dao.Orchestration;
import org.xdv.cdcr.runtime.replay.JournalReplay;
import org.xdv.cdcr.runtime.replay.ReplayVerifier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code cdcr replay}: re-derives every orchestration decision recorded in the journal and reports the first
 * divergence. Exit 0: no divergence; 1: a divergence (printed); 2: usage.
 */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = {"Re-derives every orchestration decision of the journal with the pure decision function.",
                "Exit status: 0 no divergence, 1 the first divergence is printed, 2 usage error."})
public final class ReplayCommand implements Callable<Integer> {

    @Mixin
    NodeOptions options;

    @Option(names = {"-o", "--output"}, defaultValue = "table", description = "table or json (default ${DEFAULT-VALUE}).")
    String output;

    @Option(names = "--from", paramLabel = "SEQ", defaultValue = "0",
            description = "Decide again only orchestrator records from this sequence number on (earlier ones are "
                    + "folded into the view).")
    long from;

    @Option(names = "--tenant", paramLabel = "T",
            description = "Decide again only what concerns this tenant: its records, its containers' journals and "
                    + "its authorizations (everything is still read and folded).")
    String tenant;

    @Spec
    CommandSpec spec;

    /** What one replay found, and how long it took. */
    record Outcome(JournalReplay.FullReport journal, AuthzReplay.Report authz, long folded, double seconds) {
        long events() {
            return journal.decisions().eventsRead() + journal.containerEvents() + authz.recordsRead();
        }

        boolean ok() {
            return journal.ok() && authz.ok();
        }
    }

    /**
     * Replays the journals of {@code config} in a local actor system of its own: the orchestrator's decisions
     * (within the scope), the container journals and the authorization logs. Progress goes to {@code progressOut}
     * (null: none).
     */
    static Outcome replay(Config config, long from, String tenant, PrintWriter progressOut) throws Exception {
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "cdcr-replay", config);
        try {
            long t0 = System.nanoTime();
            String readJournal = config.getString("cdcr.read-journal");
            Optional<String> scopeTenant = Optional.ofNullable(tenant);
            ReplayVerifier verifier = new ReplayVerifier(Orchestration::decide,
                    new ReplayVerifier.Scope(from, scopeTenant));
            long entries = JournalReplay.journalLength(system, readJournal).toCompletableFuture()
                    .get(1, TimeUnit.MINUTES);
            Progress progress = new Progress(progressOut, t0);
            JournalReplay.FullReport r = JournalReplay.runAll(system, readJournal, verifier,
                            (batches, decisions) -> progress.show("orchestrator journal", batches, entries,
                                    String.format("%,d decisions", decisions)),
                            (checked, of) -> progress.show("container journals  ", checked, of,
                                    String.format("%,d of %,d", checked, of)))
                    .toCompletableFuture().get(30, TimeUnit.MINUTES);
            progress.done();
            AuthzReplay.Report authz = AuthzReplay.run(system, readJournal, scopeTenant)
                    .toCompletableFuture().get(30, TimeUnit.MINUTES);
            return new Outcome(r, authz, verifier.folded(), (System.nanoTime() - t0) / 1e9);
        } finally {
            system.terminate();
            system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Config config = NodeLauncher.config(options.configFile(), options.dataDir(),
                Map.of("pekko.actor.provider", "local"));
        boolean table = !"json".equals(output);
        Outcome o = replay(config, from, tenant, table ? spec.commandLine().getErr() : null);
        JournalReplay.FullReport r = o.journal();
        AuthzReplay.Report authz = o.authz();
        double seconds = o.seconds();
        ReplayVerifier.Report d = r.decisions();
        long events = o.events();
        boolean ok = o.ok();
        long folded = o.folded();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("eventsRead", events);
        json.put("decisionsRead", d.eventsRead());
        json.put("decisionsFolded", folded);
        json.put("verified", d.verified());
        json.put("containersChecked", r.containersChecked());
        json.put("containerEventsRead", r.containerEvents());
        json.put("authorizationLogs", authz.logs());
        json.put("authorizationsRead", authz.recordsRead());
        json.put("authorizationsVerified", authz.verified());
        json.put("seconds", seconds);
        json.put("eventsPerSecond", events / Math.max(seconds, 1e-9));
        json.put("divergence", !ok);
        d.divergence().ifPresent(v -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("seq", v.seq());
            m.put("kind", v.kind());
            m.put("input", String.valueOf(v.input()));
            m.put("recorded", v.recorded().map(String::valueOf).orElse(null));
            m.put("recomputed", v.recomputed().map(String::valueOf).orElse(null));
            m.put("explanation", v.explanation());
            json.put("firstDivergence", m);
        });
        r.containerDivergence().ifPresent(v -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("container", v.containerId());
            m.put("eventSeq", v.eventSeq());
            m.put("event", String.valueOf(v.event()));
            m.put("explanation", v.explanation());
            json.put("firstContainerDivergence", m);
        });
        authz.divergence().ifPresent(v -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("log", v.log());
            m.put("seq", v.seq());
            m.put("record", String.valueOf(v.record()));
            m.put("recomputed", v.recomputed().map(String::valueOf).orElse(null));
            m.put("explanation", v.explanation());
            json.put("firstAuthorizationDivergence", m);
        });
        if (!table) {
            out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(json));
        } else {
            out.printf("events read %,d in %.2f s (%,.0f events/s)%n", events, seconds,
                    events / Math.max(seconds, 1e-9));
            out.printf("  orchestrator decisions  %,d read, %,d decided again, %,d only folded%s%n",
                    d.eventsRead(), d.eventsRead() - folded, folded,
                    from > 0 || tenant != null ? " (scope: from #" + from
                            + (tenant != null ? ", tenant " + tenant : "") + ")" : "");
            d.verified().forEach((k, v) -> out.printf("    %-14s %,d verified%n", k, v));
            out.printf("  container journals     %,d checked, %,d events (binding order and allocations)%n",
                    r.containersChecked(), r.containerEvents());
            out.printf("  authorization logs     %,d logs, %,d records, %,d decided again%n", authz.logs(),
                    authz.recordsRead(), authz.verified());
            if (ok) {
                out.println("no divergence");
            }
            d.divergence().ifPresent(v -> out.printf("FIRST DIVERGENCE at orchestrator decision #%d (%s)%n"
                            + "  input:      %s%n  recorded:   %s%n  recomputed: %s%n  why:        %s%n",
                    v.seq(), v.kind(), v.input(), v.recorded().map(String::valueOf).orElse("-"),
                    v.recomputed().map(String::valueOf).orElse("-"), v.explanation()));
            r.containerDivergence().ifPresent(v -> out.printf("FIRST DIVERGENCE in the journal of container %s"
                    + " at event #%d%n  event: %s%n  why:   %s%n", v.containerId(), v.eventSeq(), v.event(),
                    v.explanation()));
            authz.divergence().ifPresent(v -> out.printf("FIRST DIVERGENCE in authorization log %s at record #%d"
                    + "%n  record:     %s%n  recomputed: %s%n  why:        %s%n", v.log(), v.seq(), v.record(),
                    v.recomputed().map(String::valueOf).orElse("-"), v.explanation()));
        }
        out.flush();
        return ok ? 0 : 1;
    }

    /** A live progress bar on the terminal: what is being read, how far (of a known total), the elapsed time. */
    private static final class Progress {
        private static final int WIDTH = 30;
        private final PrintWriter err;
        private final long t0;
        private long lastShown;
        private String lastWhat;
        private boolean shown;

        Progress(PrintWriter err, long t0) {
            this.err = err;
            this.t0 = t0;
        }

        void show(String what, long done, long total, String detail) {
            long now = System.nanoTime();
            boolean last = done >= total;
            if (err == null || (!last && what.equals(lastWhat) && now - lastShown < 200_000_000L)) {
                return;
            }
            if (lastWhat != null && !what.equals(lastWhat)) {
                err.println();
            }
            lastWhat = what;
            lastShown = now;
            shown = true;
            double f = total <= 0 ? 1.0 : Math.min(1.0, (double) done / total);
            int full = (int) Math.round(f * WIDTH);
            err.printf("\r  %s [%s%s] %3.0f%%  %s  (%.1f s)   ", what, "#".repeat(full), "-".repeat(WIDTH - full),
                    f * 100, detail, (now - t0) / 1e9);
            err.flush();
        }

        void done() {
            if (err != null && shown) {
                err.println();
            }
        }
    }
}
