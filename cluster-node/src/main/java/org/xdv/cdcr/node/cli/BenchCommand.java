package org.xdv.cdcr.node.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.typesafe.config.Config;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
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
import org.xdv.cdcr.runtime.orchestrator.OrchestratorFront;
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
        subcommands = {BenchCommand.Placements.class, SubmitBench.class, ReplayBench.class, VhmBench.class})
public final class BenchCommand {

    @Command(name = "placements", mixinStandardHelpOptions = true,
            description = "Durable placement decisions per second on the embedded journal.")
    public static final class Placements implements Callable<Integer> {

        @Mixin
        NodeOptions options;

        @Option(names = "--n", defaultValue = "100000", description = "Placement decisions to make (default ${DEFAULT-VALUE}).")
        int n;

        @Option(names = "--in-flight", defaultValue = "2000",
                description = "Outstanding placements (default ${DEFAULT-VALUE}).")
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

        /**
         * Makes {@code count} decisions (placements, each followed by the release of what it placed) from one
         * driver actor that keeps {@code inFlight} requests outstanding; returns each decision's latency.
         */
        private long[] drive(CdcrRuntime rt, int count, String prefix) throws Exception {
            CompletableFuture<long[]> result = new CompletableFuture<>();
            rt.system().systemActorOf(driver(rt.orchestrator(), count, prefix, result), "bench-" + prefix,
                    org.apache.pekko.actor.typed.Props.empty());
            return result.get(10, TimeUnit.MINUTES);
        }

        private Behavior<Decided> driver(ActorRef<OrchestratorFront.Command> dao, int count, String prefix,
                                         CompletableFuture<long[]> result) {
            return Behaviors.setup(ctx -> {
                long[] lat = new long[count];
                long[] sentAt = new long[count];
                int[] state = new int[3]; // sent, answered, refused
                java.util.function.IntConsumer send = i -> {
                    String cid = "bench/" + prefix + "-" + (i / 2);
                    DaoInput in;
                    if (i % 2 == 1) {
                        in = new DaoInput.Release(cid);
                    } else {
                        int k = i / 2;
                        Affinity a = k % 3 == 0 ? Affinity.Q_HEAVY : k % 3 == 1 ? Affinity.PHI_COHERENT : Affinity.BALANCED;
                        in = new DaoInput.Place(new Demand(cid, "bench", 1, a == Affinity.Q_HEAVY ? 4 : 0,
                                a == Affinity.PHI_COHERENT ? 8 : 0, 0.5, Optional.empty(), a, List.of(), List.of(),
                                Capabilities.ALL));
                    }
                    sentAt[i] = System.nanoTime();
                    dao.tell(new OrchestratorFront.Decide(in, ctx.getSelf()));
                };
                // placements go out up to the window; each placement's release follows its answer
                while (state[0] < count && state[0] < inFlight * 2) {
                    send.accept(state[0]);
                    state[0] += 2;
                }
                return Behaviors.receiveMessage(d -> {
                    String id = d.decision() instanceof DaoDecision.Placed p ? p.containerId()
                            : d.decision() instanceof DaoDecision.Freed f ? f.containerId()
                            : ((DaoDecision.Refused) d.decision()).subject();
                    int k = Integer.parseInt(id.substring(id.lastIndexOf('-') + 1));
                    boolean release = d.input() instanceof DaoInput.Release;
                    int i = 2 * k + (release ? 1 : 0);
                    lat[i] = System.nanoTime() - sentAt[i];
                    state[1]++;
                    if (d.decision() instanceof DaoDecision.Refused) {
                        state[2]++;
                    }
                    if (!release && i + 1 < count) {
                        send.accept(i + 1);
                    }
                    if (release && state[0] < count) {
                        send.accept(state[0]);
                        state[0] += 2;
                    }
                    if (state[1] == count) {
                        if (state[2] > 0) {
                            System.out.printf("%s: %d decisions were refusals%n", prefix, state[2]);
                        }
                        result.complete(lat);
                        return Behaviors.stopped();
                    }
                    return Behaviors.same();
                });
            });
        }
    }
}
