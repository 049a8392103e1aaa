package org.xdv.cdcr.node.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;

import com.typesafe.config.ConfigFactory;
import io.grpc.StatusRuntimeException;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.grpc.GrpcClientSettings;
import org.apache.pekko.persistence.query.EventEnvelope;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.persistence.query.javadsl.CurrentEventsByPersistenceIdQuery;
import org.apache.pekko.persistence.query.javadsl.ReadJournal;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.xdv.cdcr.node.NodeLauncher;
import org.xdv.cdcr.node.controlplane.ControlPlaneServer;
import org.xdv.cdcr.node.proto.ContainerServiceClient;
import org.xdv.cdcr.node.proto.CreateTenantRequest;
import org.xdv.cdcr.node.proto.Quota;
import org.xdv.cdcr.node.proto.SubmitBatchRequest;
import org.xdv.cdcr.node.proto.SubmitRequest;
import org.xdv.cdcr.node.proto.SubmitResult;
import org.xdv.cdcr.node.proto.TenantAdminServiceClient;
import org.xdv.cdcr.runtime.CdcrRuntime;
import org.xdv.cdcr.runtime.container.HybridContainer;
import org.xdv.cdcr.runtime.core.container.ContainerEvent;
import org.xdv.cdcr.runtime.core.spec.SpecException;
import org.xdv.cdcr.runtime.core.spec.SpecParser;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code cdcr bench submit}: a load driver for the control plane. It starts a node with its gRPC endpoint on an
 * ephemeral loopback port (embedded H2 journal), creates a tenant through the API, then:
 * <ol>
 *   <li>warm-up: rounds of {@code --warmup} submissions until the rate settles;</li>
 *   <li>throughput: {@code --n} K-only containers submitted from {@code --clients} concurrent gRPC clients (each
 *       its own HTTP/2 connection, one call outstanding), one per Submit call and then (with {@code --batch} &gt; 1)
 *       {@code --batch} per SubmitBatch call — prints submissions/s, CPU per submission, call latency and when all
 *       had given their placement back (the last step before Released);</li>
 *   <li>latency: {@code --rate} submissions per second, paced (open loop), for {@code --seconds} — prints the
 *       Submit latency and submit→Active: from the moment the client sent the request to the journal timestamp
 *       of the container's {@code Activated} event (read back from the journal after the run, so measuring adds
 *       no load; millisecond resolution, one clock).</li>
 * </ol>
 * Every Submit goes the whole way: authentication, the authorization log write, spec parsing, the orchestrator
 * decision (journal write) and the container's creation (journal write).
 */
@Command(name = "submit", mixinStandardHelpOptions = true,
        description = "Control-plane load driver: submissions/s and submit→Active latency over gRPC.")
public final class SubmitBench implements Callable<Integer> {

    @Mixin
    NodeOptions options;

    @Option(names = "--n", defaultValue = "20000", description = "Submissions in the throughput phase (default ${DEFAULT-VALUE}).")
    int n;

    @Option(names = "--clients", defaultValue = "64", description = "Concurrent gRPC clients (default ${DEFAULT-VALUE}).")
    int clients;

    @Option(names = "--rate", defaultValue = "500", description = "Submissions/s in the latency phase (default ${DEFAULT-VALUE}).")
    int rate;

    @Option(names = "--seconds", defaultValue = "10", description = "Length of the latency phase (default ${DEFAULT-VALUE}).")
    int seconds;

    @Option(names = "--warmup", defaultValue = "5000",
            description = "Submissions per warm-up round, not measured (default ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--warmup-rounds", defaultValue = "8",
            description = "Most warm-up rounds; fewer once two rounds in a row agree within 5 %% "
                    + "(default ${DEFAULT-VALUE}).")
    int warmupRounds;

    @Option(names = "--batch", defaultValue = "16",
            description = "Also measure SubmitBatch with this many submissions per call (0: Submit only; "
                    + "default ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--direct", description = "For comparison: call the runtime API in process (CdcrRuntime.submit), "
            + "bypassing gRPC, authentication and the authorization log.")
    boolean direct;

    private CdcrRuntime runtime;

    private static final String OPERATOR = "bench-operator-token";

    @Override
    public Integer call() throws Exception {
        if (n < 1 || clients < 1 || rate < 1 || seconds < 1 || warmup < 1 || warmupRounds < 1 || batch < 0) {
            System.err.println("cdcr bench submit: --n, --clients, --rate, --seconds, --warmup and --warmup-rounds "
                    + "must be positive, --batch not negative");
            return 2;
        }
        Path data = options.dataDir() != null ? options.dataDir() : Files.createTempDirectory("cdcr-bench-submit");
        Map<String, Object> o = new HashMap<>(options.overrides());
        o.putIfAbsent("cdcr.grpc.port", 0);
        o.put("cdcr.control-plane.operator-token", OPERATOR);
        o.putIfAbsent("cdcr.node.k-slots", 1_000_000);
        try (NodeLauncher.Running node = NodeLauncher.start(NodeLauncher.config(options.configFile(), data, o), true)) {
            ControlPlaneServer cp = node.controlPlane().orElseThrow();
            ActorSystem<Void> client = ActorSystem.create(Behaviors.empty(), "bench-client", ConfigFactory.parseString(
                    "pekko.actor.provider = local\npekko.loglevel = WARNING\npekko.log-dead-letters = off")
                    .withFallback(ConfigFactory.defaultReference()));
            try {
                return run(node.runtime(), client, cp.address().getPort(), data);
            } finally {
                client.terminate();
                client.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
            }
        }
    }

    private int run(CdcrRuntime rt, ActorSystem<Void> client, int port, Path data) throws Exception {
        this.runtime = rt;
        GrpcClientSettings settings = GrpcClientSettings.connectToServiceAt("127.0.0.1", port, client).withTls(false);
        TenantAdminServiceClient admin = TenantAdminServiceClient.create(settings, client);
        String token = admin.createTenant().addHeader("authorization", "Bearer " + OPERATOR)
                .invoke(CreateTenantRequest.newBuilder().setName("bench").addCapabilities("k.exec")
                        .setQuota(Quota.newBuilder().setContainers(Integer.MAX_VALUE).setQubits(0)
                                .setPhiSlots(0).setKSlots(Integer.MAX_VALUE)).build())
                .toCompletableFuture().get(60, TimeUnit.SECONDS).getToken();
        List<ContainerServiceClient> cs = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            cs.add(ContainerServiceClient.create(settings, client));
        }
        System.out.printf("cdcr bench submit: node %s, %s, H2 journal in %s; %d clients%n", rt.node().nodeId(),
                direct ? "DIRECT runtime calls (no gRPC)" : "gRPC on 127.0.0.1:" + port, data, clients);

        warmUp(rt, cs, token);

        double unary = throughput(rt, cs, token, "t", 1);
        boolean batches = batch > 1 && !direct; // SubmitBatch is an RPC; --direct has no calls to batch
        double batched = batches ? throughput(rt, cs, token, "b", batch) : 0;

        int m = rate * seconds;
        Phase lp = paced(cs, token, "r", m);
        awaitQuiet(rt, "bench/r-");
        long[] activeMs = activeLatencies(rt, "bench/r-", m, lp.sentAtMillis);
        System.out.printf("%nlatency at %d submissions/s for %d s (%d submissions, %d refused):%n", rate, seconds, m,
                lp.refused.get());
        System.out.printf("  Submit latency:  p50 %.1f ms, p99 %.1f ms, max %.1f ms%n", pct(lp.rpcNanos, 0.50) / 1e6,
                pct(lp.rpcNanos, 0.99) / 1e6, pct(lp.rpcNanos, 1.0) / 1e6);
        System.out.printf("  submit→Active:   p50 %d ms, p99 %d ms, max %d ms (%d containers reached Active)%n",
                pct(activeMs, 0.50), pct(activeMs, 0.99), pct(activeMs, 1.0), activeMs.length);
        boolean latencyMet = activeMs.length > 0 && pct(activeMs, 0.99) < 100;
        System.out.printf("%ntargets: ≥ 2,000 submissions/s %s with Submit%s; "
                        + "p99 submit→Active < 100 ms at 500/s %s%n",
                unary >= 2000 ? "met" : "NOT met", batches ? String.format(", %s with SubmitBatch of %d",
                        batched >= 2000 ? "met" : "NOT met", batch) : "",
                rate == 500 ? (latencyMet ? "met" : "NOT met") : "(run with --rate 500)");
        for (ContainerServiceClient c : cs) {
            c.close();
        }
        admin.close();
        return 0;
    }

    /**
     * The closed-loop throughput phase: {@code --n} submissions, one per call ({@code perCall} 1, Submit) or
     * {@code perCall} per SubmitBatch call (warmed up by one unmeasured round first). Prints and returns
     * submissions/s.
     */
    private double throughput(CdcrRuntime rt, List<ContainerServiceClient> cs, String token, String prefix,
                              int perCall) throws Exception {
        if (perCall > 1) {
            closedLoop(cs, token, prefix + "w", warmup, perCall);
            awaitQuiet(rt, "bench/" + prefix + "w-");
        }
        long t0 = System.nanoTime();
        long cpu0 = processCpuNanos();
        Phase tp = closedLoop(cs, token, prefix, n, perCall);
        double secs = (System.nanoTime() - t0) / 1e9;
        double cpuMs = (processCpuNanos() - cpu0) / 1e6;
        System.out.printf("%nthroughput, %s: %,d submissions from %d clients in %.1f s = %,.0f submissions/s "
                        + "(%d refused)%n", perCall == 1 ? (direct ? "CdcrRuntime.submit" : "Submit, one per call")
                        : "SubmitBatch, " + perCall + " per call", n, clients, secs, n / secs, tp.refused.get());
        System.out.printf("  CPU: %.2f ms per submission (this process: node and driver; %d cores, %.0f %% busy)%n",
                cpuMs / n, Runtime.getRuntime().availableProcessors(),
                100 * cpuMs / 1e3 / secs / Runtime.getRuntime().availableProcessors());
        System.out.printf("  %s latency: p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
                perCall == 1 ? "Submit" : "SubmitBatch call", pct(tp.rpcNanos, 0.50) / 1e6,
                pct(tp.rpcNanos, 0.99) / 1e6, pct(tp.rpcNanos, 1.0) / 1e6);
        awaitQuiet(rt, "bench/" + prefix + "-");
        double whole = (System.nanoTime() - t0) / 1e9;
        System.out.printf("  all %,d through their lifecycle (placement freed) after %.1f s = %,.0f containers/s%n",
                n, whole, n / whole);
        return n / secs;
    }

    /**
     * Warm-up rounds of {@code --warmup} submissions, each printed, until two rounds in a row agree within 5 % (the
     * compiler has settled: a cold JVM runs this path at a quarter of its steady rate) or {@code --warmup-rounds}
     * were run.
     */
    private void warmUp(CdcrRuntime rt, List<ContainerServiceClient> cs, String token) throws Exception {
        double previous = 0;
        for (int round = 1; round <= warmupRounds; round++) {
            String prefix = "w" + round;
            long t0 = System.nanoTime();
            closedLoop(cs, token, prefix, warmup, 1);
            double rate = warmup / ((System.nanoTime() - t0) / 1e9);
            awaitQuiet(rt, "bench/" + prefix + "-");
            boolean settled = round > 1 && Math.abs(rate - previous) <= 0.05 * previous;
            System.out.printf("  warm-up round %d: %,d submissions at %,.0f/s%s%n", round, warmup, rate,
                    settled ? " (settled)" : "");
            if (settled) {
                return;
            }
            previous = rate;
        }
    }

    /** CPU time of this JVM so far (all threads, including the compiler and the collector). */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** What a phase recorded per submission. */
    private static final class Phase {
        final long[] rpcNanos;
        final AtomicLongArray sentAtMillis;
        final AtomicInteger refused = new AtomicInteger();

        Phase(int count) {
            rpcNanos = new long[count];
            sentAtMillis = new AtomicLongArray(count);
        }
    }

    private static SubmitRequest spec(String prefix, int i) {
        return SubmitRequest.newBuilder().setSpecText("tenant: bench\nname: " + prefix + "-" + i
                + "\ncapabilities: [k.exec]\n").build();
    }

    private CompletionStage<Void> submitOne(ContainerServiceClient c, String token, String prefix, int i, Phase p) {
        long start = System.nanoTime();
        p.sentAtMillis.set(i, System.currentTimeMillis());
        CompletionStage<?> call;
        if (direct) {
            try {
                call = runtime.submit(SpecParser.parse(spec(prefix, i).getSpecText())).thenApply(sub -> {
                    if (sub instanceof CdcrRuntime.Rejected r) {
                        throw new IllegalStateException(r.reason() + ": " + r.message());
                    }
                    return sub;
                });
            } catch (SpecException e) {
                throw new IllegalStateException(e);
            }
        } else {
            call = c.submit().addHeader("authorization", "Bearer " + token).invoke(spec(prefix, i));
        }
        return call.handle((r, err) -> {
                    p.rpcNanos[i] = System.nanoTime() - start;
                    if (err != null) {
                        refused(p, 1, err.getCause() != null ? err.getCause() : err);
                    }
                    return null;
                });
    }

    /**
     * {@code count} submissions, {@code perCall} per call, each client sending its next call when the previous one is
     * answered.
     */
    private Phase closedLoop(List<ContainerServiceClient> cs, String token, String prefix, int count, int perCall)
            throws Exception {
        Phase p = new Phase(count);
        AtomicInteger next = new AtomicInteger();
        List<CompletableFuture<Void>> loops = new ArrayList<>();
        for (ContainerServiceClient c : cs) {
            loops.add(loop(c, token, prefix, next, count, perCall, p).toCompletableFuture());
        }
        CompletableFuture.allOf(loops.toArray(CompletableFuture[]::new)).get(30, TimeUnit.MINUTES);
        return p;
    }

    private CompletionStage<Void> loop(ContainerServiceClient c, String token, String prefix, AtomicInteger next,
                                       int count, int perCall, Phase p) {
        int i = next.getAndAdd(perCall);
        if (i >= count) {
            return CompletableFuture.completedFuture(null);
        }
        CompletionStage<Void> call = perCall == 1 ? submitOne(c, token, prefix, i, p)
                : submitBatch(c, token, prefix, i, Math.min(count, i + perCall), p);
        return call.thenCompose(x -> loop(c, token, prefix, next, count, perCall, p));
    }

    /** Submissions {@code from} (inclusive) to {@code to} (exclusive) in one SubmitBatch call. */
    private CompletionStage<Void> submitBatch(ContainerServiceClient c, String token, String prefix, int from, int to,
                                              Phase p) {
        SubmitBatchRequest.Builder batchRequest = SubmitBatchRequest.newBuilder();
        for (int i = from; i < to; i++) {
            batchRequest.addSubmissions(spec(prefix, i));
        }
        long start = System.nanoTime();
        long sentAt = System.currentTimeMillis();
        for (int i = from; i < to; i++) {
            p.sentAtMillis.set(i, sentAt);
        }
        return c.submitBatch().addHeader("authorization", "Bearer " + token).invoke(batchRequest.build())
                .handle((r, err) -> {
                    long took = System.nanoTime() - start;
                    for (int i = from; i < to; i++) {
                        p.rpcNanos[i] = took;
                    }
                    if (err != null) {
                        refused(p, to - from, err.getCause() != null ? err.getCause() : err);
                    } else {
                        r.getResultsList().stream().filter(SubmitResult::hasRefused)
                                .forEach(x -> refused(p, 1, x.getRefused().getCodeName() + ": "
                                        + x.getRefused().getMessage()));
                    }
                    return null;
                });
    }

    private static void refused(Phase p, int count, Object why) {
        if (p.refused.getAndAdd(count) < 3) {
            System.out.println("  refused: " + (why instanceof StatusRuntimeException s ? s.getStatus() : why));
        }
    }

    /** {@code count} submissions at {@code rate}/s, sent on schedule whatever the answers (open loop). */
    private Phase paced(List<ContainerServiceClient> cs, String token, String prefix, int count) throws Exception {
        Phase p = new Phase(count);
        List<CompletableFuture<Void>> all = new ArrayList<>(count);
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            long due = start + (long) (i * (1e9 / rate));
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            all.add(submitOne(cs.get(i % cs.size()), token, prefix, i, p).toCompletableFuture());
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(10, TimeUnit.MINUTES);
        return p;
    }

    /** Waits (at most 5 minutes) until no container with this id prefix holds a placement. */
    private static void awaitQuiet(CdcrRuntime rt, String prefix) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (System.nanoTime() < deadline) {
            boolean busy = rt.view().toCompletableFuture().get(60, TimeUnit.SECONDS).placements().keySet().stream()
                    .anyMatch(id -> id.startsWith(prefix));
            if (!busy) {
                return;
            }
            Thread.sleep(200);
        }
        System.out.println("  (containers " + prefix + "* still placed after 5 minutes)");
    }

    /** submit→Active per container: the Activated event's journal timestamp minus the client's send time. */
    private static long[] activeLatencies(CdcrRuntime rt, String prefix, int count, AtomicLongArray sentAt)
            throws Exception {
        CurrentEventsByPersistenceIdQuery q = (CurrentEventsByPersistenceIdQuery) PersistenceQuery.get(rt.system())
                .getReadJournalFor(ReadJournal.class, rt.system().settings().config().getString("cdcr.read-journal"));
        List<Long> out = Source.range(0, count - 1)
                .mapAsync(8, i -> q.currentEventsByPersistenceId(HybridContainer.persistenceId(prefix + i),
                                0, Long.MAX_VALUE)
                        .filter(e -> e.event() instanceof ContainerEvent.Activated)
                        .map(EventEnvelope::timestamp)
                        .runWith(Sink.headOption(), rt.system())
                        .thenApply(t -> t.map(ts -> ts - sentAt.get(i)).orElse(-1L)))
                .filter(l -> l >= 0)
                .runWith(Sink.seq(), rt.system())
                .toCompletableFuture().get(10, TimeUnit.MINUTES);
        long[] a = out.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(a);
        return a;
    }

    private static long pct(long[] sorted, double p) {
        if (sorted.length == 0) {
            return -1;
        }
        long[] s = sorted;
        if (!isSorted(s)) {
            s = s.clone();
            Arrays.sort(s);
        }
        return s[Math.min(s.length - 1, (int) Math.floor(p * (s.length - 1)))];
    }

    private static boolean isSorted(long[] a) {
        for (int i = 1; i < a.length; i++) {
            if (a[i] < a[i - 1]) {
                return false;
            }
        }
        return true;
    }

}
