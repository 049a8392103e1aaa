package org.xdv.cdcr.node.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.typesafe.config.Config;
import org.apache.pekko.actor.typed.ActorSystem;
import org.xdv.cdcr.node.NodeLauncher;
import org.xdv.cdcr.phi.PhiConfig;
import org.xdv.cdcr.runtime.CdcrRuntime;
import org.xdv.cdcr.runtime.core.Capabilities;
import org.xdv.cdcr.runtime.core.Quota;
import org.xdv.cdcr.runtime.core.dao.Affinity;
import org.xdv.cdcr.runtime.core.dao.Attestation;
import org.xdv.cdcr.runtime.core.dao.DaoDecision;
import org.xdv.cdcr.runtime.core.dao.DaoInput;
import org.xdv.cdcr.runtime.core.dao.Decided;
import org.xdv.cdcr.runtime.core.dao.Demand;
import org.xdv.cdcr.runtime.core.dao.NodeSpec;
import org.xdv.cdcr.runtime.core.dao.TenantSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code cdcr bench placements}: a load driver for the orchestrator on the embedded journal. It admits a fleet
 * of simulated nodes, then keeps {@code --in-flight} placement requests outstanding until {@code --n} durable
 * decisions (each answered only after its journal write) are made, releasing every placed container so
 * capacity never runs out. Prints decisions/s, the batch sizes the orchestrator formed, and latency, beside
 * published figures of other schedulers.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Benchmarks (load drivers).",
        subcommands = {BenchCommand.Placements.class})
public final class BenchCommand {

    @Command(name = "placements", mixinStandardHelpOptions = true,
            description = "Durable placement decisions per second on the embedded journal.")
    public static final class Placements implements Callable<Integer> {

        @Mixin
        NodeOptions options;

        @Option(names = "--n", defaultValue = "100000", description = "Placement decisions to make (default ${DEFAULT-VALUE}).")
        int n;

        @Option(names = "--in-flight", defaultValue = "2000", description = "Outstanding requests (default ${DEFAULT-VALUE}).")
        int inFlight;

        @Option(names = "--fleet", defaultValue = "100", description = "Simulated nodes admitted (default ${DEFAULT-VALUE}).")
        int fleet;

        @Override
        public Integer call() throws Exception {
            Path data = options.dataDir() != null ? options.dataDir() : Files.createTempDirectory("cdcr-bench");
            Config config = NodeLauncher.config(options.configFile(), data, Map.of(
                    "cdcr.node.qubits", 0, "cdcr.node.k-slots", 0, "cdcr.node.phi-channels", 0));
            try (NodeLauncher.Running node = NodeLauncher.start(config)) {
                return run(node.runtime(), node.system(), data);
            }
        }

        private int run(CdcrRuntime rt, ActorSystem<?> system, Path data) throws Exception {
            PhiConfig phi = PhiConfig.defaults(4);
            for (int i = 0; i < fleet; i++) {
                boolean qNode = i % 3 == 0;
                boolean phiNode = i % 3 == 1;
                NodeSpec spec = new NodeSpec(String.format("sim-%04d", i), 64, qNode ? 256 : 0, phiNode ? 4 : 0, phi,
                        qNode ? List.of("q") : phiNode ? List.of("phi") : List.of());
                rt.decide(new DaoInput.AdmitNode(spec, Attestation.operatorTrusted("bench"))).toCompletableFuture().get();
            }
            rt.upsertTenant(new TenantSpec("bench", Capabilities.ALL, Quota.UNLIMITED, List.of()))
                    .toCompletableFuture().get();
            System.out.printf("cdcr bench placements: %d decisions, %d in flight, %d simulated nodes, H2 journal in %s%n",
                    n, inFlight, fleet, data);
            // warm-up: 5% of the load, not measured
            drive(rt, Math.max(1000, n / 20), "warm");
            long t0 = System.nanoTime();
            long[] latencies = drive(rt, n, "run");
            double seconds = (System.nanoTime() - t0) / 1e9;
            java.util.Arrays.sort(latencies);
            double rate = n / seconds;
            System.out.println();
            System.out.println(Tables.render(List.of("SCHEDULER", "DECISIONS/S", "SOURCE"), List.of(
                    List.of("CDCR orchestrator (this run, durable, batched)", String.format("%,.0f", rate),
                            "measured now: placement + release decisions, each answered after its H2 write"),
                    List.of("HashiCorp Nomad C1M", "3,750", "published: 1M containers in < 5 min (2015)"),
                    List.of("Kubernetes kube-scheduler", "100-600", "published pod scheduling throughput"))));
            System.out.printf("latency per decision (submit → durable reply): p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
                    latencies[latencies.length / 2] / 1e6, latencies[(int) (latencies.length * 0.99)] / 1e6,
                    latencies[latencies.length - 1] / 1e6);
            System.out.printf("target ≥ 10,000/s: %s%n", rate >= 10_000 ? "met" : "NOT met");
            return 0;
        }

        /** Makes {@code count} decisions (half placements, half releases of what was placed). */
        private long[] drive(CdcrRuntime rt, int count, String prefix) throws Exception {
            Semaphore window = new Semaphore(inFlight);
            long[] lat = new long[count];
            AtomicLong failures = new AtomicLong();
            List<CompletableFuture<?>> tail = new ArrayList<>();
            int made = 0;
            int id = 0;
            while (made < count) {
                String cid = "bench/" + prefix + "-" + id++;
                Affinity a = id % 3 == 0 ? Affinity.Q_HEAVY : id % 3 == 1 ? Affinity.PHI_COHERENT : Affinity.BALANCED;
                Demand d = new Demand(cid, "bench", 1, a == Affinity.Q_HEAVY ? 4 : 0,
                        a == Affinity.PHI_COHERENT ? 8 : 0, 0.5, Optional.empty(), a, List.of(), List.of(),
                        Capabilities.ALL);
                int slot = made++;
                boolean release = made < count;
                int releaseSlot = release ? made++ : -1;
                window.acquire();
                long start = System.nanoTime();
                CompletionStage<Decided> placed = rt.decide(new DaoInput.Place(d));
                CompletableFuture<?> f = placed.thenCompose(dec -> {
                    lat[slot] = System.nanoTime() - start;
                    if (!(dec.decision() instanceof DaoDecision.Placed)) {
                        failures.incrementAndGet();
                    }
                    if (!release) {
                        return CompletableFuture.completedFuture(dec);
                    }
                    long rs = System.nanoTime();
                    return rt.decide(new DaoInput.Release(cid)).thenApply(r -> {
                        lat[releaseSlot] = System.nanoTime() - rs;
                        return r;
                    });
                }).whenComplete((r, e) -> window.release()).toCompletableFuture();
                if (made >= count - inFlight * 2) {
                    tail.add(f);
                }
            }
            CompletableFuture.allOf(tail.toArray(new CompletableFuture[0])).get(5, TimeUnit.MINUTES);
            window.acquire(inFlight);
            window.release(inFlight);
            if (failures.get() > 0) {
                System.out.printf("%s: %d placements were refused%n", prefix, failures.get());
            }
            return lat;
        }
    }
}
