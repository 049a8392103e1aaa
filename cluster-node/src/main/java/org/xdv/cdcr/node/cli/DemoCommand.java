package org.xdv.cdcr.node.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.apache.pekko.stream.javadsl.Sink;
import org.xdv.cdcr.node.NodeLauncher;
import org.xdv.cdcr.runtime.CdcrRuntime;
import org.xdv.cdcr.runtime.core.Capabilities;
import org.xdv.cdcr.runtime.core.LifecycleState;
import org.xdv.cdcr.runtime.core.Quota;
import org.xdv.cdcr.runtime.core.container.ContainerEvent;
import org.xdv.cdcr.runtime.core.container.ContainerState;
import org.xdv.cdcr.runtime.core.dao.DaoDecision;
import org.xdv.cdcr.runtime.core.dao.Decided;
import org.xdv.cdcr.runtime.core.dao.TenantSpec;
import org.xdv.cdcr.runtime.core.spec.ContainerSpec;
import org.xdv.cdcr.runtime.core.spec.SpecParser;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code cdcr demo}: starts an embedded node, creates tenants {@code acme} and {@code globex}, submits the demo
 * containers (Bell pair, 12-qubit GHZ, K-only, K+Φ, K+Q+Φ, one over quota, one asking for Q without
 * capabilities), prints every lifecycle transition as it happens and a final table. On a data directory that
 * already holds a journal, it first reports the containers it recovered.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Runs the multi-tenant demo on an embedded node.")
public final class DemoCommand implements Callable<Integer> {

    static final List<String> SPECS = List.of("1-acme-bell.yaml", "2-acme-ghz-12.yaml", "3-globex-k-only.yaml",
            "4-globex-phi-watch.yaml", "5-acme-hybrid.yaml", "6-acme-over-quota.yaml", "7-globex-implicit-q.yaml");

    @Mixin
    NodeOptions options;

    @Option(names = "--timeout", defaultValue = "120", description = "Seconds to wait for every container to finish.")
    int timeoutSeconds;

    private final PrintStream out = System.out;

    @Override
    public Integer call() throws Exception {
        NodeLauncher.Running node;
        try {
            node = NodeLauncher.start(NodeLauncher.config(options.configFile(), options.dataDir(), options.overrides()));
        } catch (Exception e) {
            System.err.println("cdcr demo: cannot start the embedded node: " + e.getMessage());
            return 1;
        }
        try (node) {
            return run(node.runtime(), node.config().getString("cdcr.data-dir"));
        }
    }

    private int run(CdcrRuntime rt, String dataDir) throws Exception {
        out.printf("CDCR demo — embedded node %s (%d K slots, %d qubits, %d Φ channels), journal in %s%n%n",
                rt.node().nodeId(), rt.node().kSlots(), rt.node().qubits(), rt.node().phiChannels(), dataDir);
        List<String> known = rt.containerIds().toCompletableFuture().get(30, TimeUnit.SECONDS);
        if (!known.isEmpty()) {
            out.printf("Recovered %d containers from the journal:%n", known.size());
            out.println(table(rt, known));
        }
        for (TenantSpec t : tenants()) {
            Decided d = rt.upsertTenant(t).toCompletableFuture().get(30, TimeUnit.SECONDS);
            Quota q = t.quota();
            out.printf("tenant %-7s quota %d containers, %d qubits, %d Φ slots, %d K slots; capabilities %s -> %s%n",
                    t.name(), q.containers(), q.qubits(), q.phiSlots(), q.kSlots(), String.join(" ", t.capabilities()),
                    d.decision() instanceof DaoDecision.TenantSet ? "ok" : d.decision());
        }
        out.println();
        out.printf("%-18s %-10s   %-10s %-7s %s%n", "CONTAINER", "FROM", "TO", "NODE", "WHY");
        List<String> accepted = new ArrayList<>();
        int rejected = 0;
        Set<String> released = ConcurrentHashMap.newKeySet();
        Map<String, ContainerState> watched = new ConcurrentHashMap<>();
        for (String file : SPECS) {
            ContainerSpec spec = SpecParser.parse(resource(file));
            CdcrRuntime.Submission s = rt.submit(spec).toCompletableFuture().get(30, TimeUnit.SECONDS);
            if (s instanceof CdcrRuntime.Accepted a) {
                accepted.add(a.containerId());
                if (a.existed()) {
                    out.printf("%-18s already exists (%s): resubmission is idempotent%n", a.containerId(),
                            a.state().state().display());
                    if (a.state().state() == LifecycleState.RELEASED) {
                        released.add(a.containerId());
                        continue;
                    }
                }
                watch(rt, a.containerId(), watched, released);
            } else {
                CdcrRuntime.Rejected r = (CdcrRuntime.Rejected) s;
                rejected++;
                out.printf("%-18s REJECTED   %-10s %-7s %s%n", r.containerId(), r.reason(), "-", r.message());
            }
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        while (!released.containsAll(accepted) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        boolean finished = released.containsAll(accepted);
        out.println();
        out.println(table(rt, accepted));
        if (!finished) {
            out.printf("not every container reached Released within %d s%n", timeoutSeconds);
            return 1;
        }
        out.printf("%d containers ran to Released, %d submissions rejected. Run again with the same --data to see "
                + "them recovered from the journal.%n", accepted.size(), rejected);
        return rejected == 2 ? 0 : 1;
    }

    private void watch(CdcrRuntime rt, String id, Map<String, ContainerState> states, Set<String> released) {
        states.put(id, ContainerState.empty(id));
        rt.watch(id, 0).runWith(Sink.foreach(e -> {
            ContainerState before = states.get(id);
            ContainerState after = before.apply(e);
            states.put(id, after);
            synchronized (out) {
                out.printf("%-18s %-10s → %-10s %-7s %s%n", id, before.state().display(), after.state().display(),
                        after.node().orElse("-"), why(e, after));
            }
            if (e instanceof ContainerEvent.Released) {
                released.add(id);
            }
        }), rt.system());
    }

    private static String why(ContainerEvent e, ContainerState s) {
        return org.xdv.cdcr.node.controlplane.ProtoMapping.reason(e, s);
    }

    private static String table(CdcrRuntime rt, List<String> ids) throws Exception {
        List<List<String>> rows = new ArrayList<>();
        for (String id : ids) {
            rows.add(Tables.containerRow(rt.get(id).toCompletableFuture().get(30, TimeUnit.SECONDS)));
        }
        return Tables.render(Tables.CONTAINER_HEADER, rows);
    }

    static List<TenantSpec> tenants() {
        return List.of(
                new TenantSpec("acme", Capabilities.ALL, new Quota(10, 16, 1_000, 8), List.of()),
                new TenantSpec("globex", List.of(Capabilities.K_EXEC, Capabilities.PHI_ENVELOPE, Capabilities.PHI_SAMPLE,
                        Capabilities.LOG_WRITE), new Quota(5, 0, 500, 4), List.of()));
    }

    static String resource(String name) throws IOException {
        try (InputStream in = DemoCommand.class.getResourceAsStream("/demo/" + name)) {
            if (in == null) {
                throw new IOException("demo spec " + name + " missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
