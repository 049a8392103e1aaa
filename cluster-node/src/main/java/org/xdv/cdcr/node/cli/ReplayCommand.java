package org.xdv.cdcr.node.cli;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.typesafe.config.Config;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.xdv.cdcr.node.NodeLauncher;
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

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Config config = NodeLauncher.config(options.configFile(), options.dataDir(),
                Map.of("pekko.actor.provider", "local"));
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "cdcr-replay", config);
        try {
            long t0 = System.nanoTime();
            boolean table = !"json".equals(output);
            long[] shown = {0};
            ReplayVerifier.Report r = JournalReplay.run(system, config.getString("cdcr.read-journal"),
                            new ReplayVerifier(), n -> {
                                if (table && n - shown[0] >= 50_000) {
                                    shown[0] = n;
                                    spec.commandLine().getErr().printf("\rreplayed %,d decisions…", n);
                                    spec.commandLine().getErr().flush();
                                }
                            })
                    .toCompletableFuture().get(30, TimeUnit.MINUTES);
            double seconds = (System.nanoTime() - t0) / 1e9;
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("decisionsRead", r.eventsRead());
            json.put("verified", r.verified());
            json.put("seconds", seconds);
            json.put("decisionsPerSecond", r.eventsRead() / Math.max(seconds, 1e-9));
            r.divergence().ifPresent(d -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("seq", d.seq());
                m.put("input", String.valueOf(d.input()));
                m.put("recorded", d.recorded().map(String::valueOf).orElse(null));
                m.put("recomputed", d.recomputed().map(String::valueOf).orElse(null));
                m.put("explanation", d.explanation());
                json.put("firstDivergence", m);
            });
            if (!table) {
                out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(json));
            } else {
                if (shown[0] > 0) {
                    spec.commandLine().getErr().println();
                }
                out.printf("decisions read %,d in %.2f s (%,.0f/s)%n", r.eventsRead(), seconds,
                        r.eventsRead() / Math.max(seconds, 1e-9));
                r.verified().forEach((k, v) -> out.printf("  %-14s %,d verified%n", k, v));
                if (r.ok()) {
                    out.println("no divergence");
                } else {
                    ReplayVerifier.Divergence d = r.divergence().get();
                    out.printf("FIRST DIVERGENCE at decision #%d (%s)%n  input:      %s%n  recorded:   %s%n"
                                    + "  recomputed: %s%n  why:        %s%n", d.seq(), d.kind(), d.input(),
                            d.recorded().map(String::valueOf).orElse("-"),
                            d.recomputed().map(String::valueOf).orElse("-"), d.explanation());
                }
            }
            out.flush();
            return r.ok() ? 0 : 1;
        } finally {
            system.terminate();
            system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }
}
