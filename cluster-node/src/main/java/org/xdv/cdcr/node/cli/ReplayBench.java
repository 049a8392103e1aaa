package org.xdv.cdcr.node.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import com.typesafe.config.Config;
import org.xdv.cdcr.node.CdcrCommand;
import org.xdv.cdcr.node.NodeLauncher;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code cdcr bench replay}: the replay rate on a large embedded journal. Unless the data directory already holds
 * a journal, it first writes one with {@code cdcr bench placements --n N} (placements and releases of Q-heavy,
 * Φ-coherent and balanced containers on a simulated fleet), then replays it exactly as {@code cdcr replay} does —
 * every decision decided again — and prints events/s beside the published figure it is held against.
 */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = "Replay rate (events verified per second) on a journal of --n decisions (written first "
                + "unless --data already holds one).")
public final class ReplayBench implements Callable<Integer> {

    @Mixin
    NodeOptions options;

    @Option(names = "--n", defaultValue = "1000000",
            description = "Decisions to write when the data directory holds no journal (default ${DEFAULT-VALUE}).")
    int n;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Path data = options.dataDir() != null ? options.dataDir() : Files.createTempDirectory("cdcr-bench-replay");
        if (!Files.exists(data.resolve("journal.mv.db"))) {
            out.printf("cdcr bench replay: writing a journal of %,d decisions into %s (cdcr bench placements)…%n", n,
                    data);
            out.flush();
            int rc = CdcrCommand.commandLine().execute("bench", "placements", "--n", Integer.toString(n), "--data",
                    data.toString());
            if (rc != 0) {
                return rc;
            }
        }
        Config config = NodeLauncher.config(options.configFile(), data, Map.of("pekko.actor.provider", "local"));
        out.printf("%ncdcr bench replay: replaying %s%n", data);
        out.flush();
        ReplayCommand.Outcome o = ReplayCommand.replay(config, 0, null, spec.commandLine().getErr());
        double rate = o.events() / o.seconds();
        out.println(Tables.render(List.of("REPLAY", "EVENTS/S", "SOURCE"), List.of(
                List.of(String.format("CDCR replay (this run: %,d events, every decision decided again)",
                        o.events()), String.format("%,.0f", rate), "measured now, read through persistence query"),
                List.of("Workflow engine event replay", "55,000-110,000",
                        "published replay benchmark cited by the Replay issue"))));
        out.printf("%s in %.2f s; target ≥ 100,000 events/s: %s%n", o.ok() ? "no divergence" : "DIVERGENCE",
                o.seconds(), rate >= 100_000 ? "met" : "NOT met");
        return o.ok() ? 0 : 1;
    }
}
