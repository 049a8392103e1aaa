package org.xdv.cdcr.runtime.vhm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.xdv.cdcr.runtime.core.container.FaultKind;
import org.xdv.cdcr.runtime.core.container.Termination;
import org.xdv.cdcr.runtime.core.spec.ContainerSpec;
import org.xdv.cdcr.runtime.node.RunControl;
import org.xdv.cdcr.runtime.node.TenantPools;

/**
 * Each tenant's VHMs run on that tenant's bounded pool ({@link TenantPools}, one thread per tenant here): tenant
 * {@code mallory} keeps its pool busy with containers that spin until their fuel ends, and tenant {@code acme}'s
 * short K-only containers complete within 2× of their latency alone. Alone and beside the spinners are
 * measured in alternating rounds, so load from elsewhere on the machine hits both sides alike; the medians of
 * the many runs are compared. As a control, the same spinners queued in acme's own pool do delay it far beyond 2×.
 */
class VhmTenantPoolsTest {

    private static final int ROUNDS = 6;
    private static final int RUNS_PER_ROUND = 5;

    private final VhmFixture node = new VhmFixture();
    private final ContainerSpec shortJob = VhmFixture.parse(VhmFixture.text("k-only.yaml")
            .replace("args: [20000]", "args: [8000]"));
    private final ContainerSpec spinner = VhmFixture.parse(VhmFixture.text("spin.yaml")
            .replace("fuel: 5000000", "fuel: 2000000"));

    @Test
    void aSpinningTenantDoesNotSlowAnotherTenantsContainers() throws Exception {
        try (TenantPools pools = new TenantPools(1)) {
            for (int i = 0; i < 5; i++) {
                latency(pools); // warm up the interpreter and the pool
            }
            List<Long> alone = new ArrayList<>();
            List<Long> beside = new ArrayList<>();
            List<CompletableFuture<Vhm.Outcome>> spins = new ArrayList<>();
            for (int round = 0; round < ROUNDS; round++) {
                for (int i = 0; i < RUNS_PER_ROUND; i++) {
                    alone.add(latency(pools));
                }
                List<RunControl> controls = new ArrayList<>();
                List<CompletableFuture<Vhm.Outcome>> these = new ArrayList<>();
                for (int i = 0; i < 10; i++) { // more spinning than the round lasts: mallory's pool stays busy
                    RunControl c = new RunControl();
                    controls.add(c);
                    these.add(submit(pools, "mallory", spinner, c));
                }
                Thread.sleep(20); // the first spinner is running
                for (int i = 0; i < RUNS_PER_ROUND; i++) {
                    beside.add(latency(pools));
                }
                controls.forEach(RunControl::kill);
                for (CompletableFuture<Vhm.Outcome> f : these) {
                    f.get(30, TimeUnit.SECONDS);
                }
                spins.addAll(these);
            }
            long a = median(alone);
            long b = median(beside);
            System.out.printf("VhmTenantPoolsTest: median acme latency alone %d µs, beside mallory's spinners %d µs"
                    + " (%d runs each)%n", a / 1000, b / 1000, alone.size());
            assertThat(b).as("median latency beside the spinners %d µs, alone %d µs", b / 1000, a / 1000)
                    .isLessThanOrEqualTo(2 * a);
            // the control: the same spinners queued in acme's own pool delay acme far beyond 2×
            List<CompletableFuture<Vhm.Outcome>> own = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                own.add(submit(pools, "acme", spinner, new RunControl()));
            }
            long queued = latency(pools);
            assertThat(queued).as("behind its own spinners: %d µs", queued / 1000).isGreaterThan(2 * a);
            spins.addAll(own);
            // the spinners really spun: each ended by fuel or by the kill after the round, never completed
            assertThat(spins).allSatisfy(f -> assertThat(f.get().termination().kind())
                    .isIn(Termination.Kind.FAULT, Termination.Kind.KILLED));
            assertThat(spins).anySatisfy(f -> assertThat(f.get().termination().fault())
                    .contains(FaultKind.FUEL_EXHAUSTED));
        }
    }

    /** Submit-to-completion time of one short acme container, in nanoseconds. */
    private long latency(TenantPools pools) throws Exception {
        long start = System.nanoTime();
        Vhm.Outcome o = submit(pools, "acme", shortJob, new RunControl()).get(30, TimeUnit.SECONDS);
        long took = System.nanoTime() - start;
        assertThat(o.termination()).isEqualTo(Termination.completed());
        return took;
    }

    private CompletableFuture<Vhm.Outcome> submit(TenantPools pools, String tenant, ContainerSpec spec,
                                                  RunControl control) {
        CompletableFuture<Vhm.Outcome> f = new CompletableFuture<>();
        boolean accepted = pools.submit(tenant, () -> {
            try {
                f.complete(node.run(spec, control, true));
            } catch (RuntimeException e) {
                f.completeExceptionally(e);
            }
        });
        assertThat(accepted).isTrue();
        return f;
    }

    private static long median(List<Long> xs) {
        List<Long> s = new ArrayList<>(xs);
        Collections.sort(s);
        return s.get(s.size() / 2);
    }
}
