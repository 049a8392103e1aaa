package org.xdv.cdcr.runtime.node;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One bounded executor per tenant on this node — the tenant's VHM pool (spec §5.2): a tenant's K programs run
 * only on its own threads, so a tenant that saturates its pool delays nobody else. Threads are created on a
 * tenant's first container and named {@code vhm-<tenant>-<n>}.
 */
public final class TenantPools implements AutoCloseable {

    /**
     * Java stack of a VHM thread: Chicory's interpreter turns each WebAssembly call into nested Java calls, and the
     * VHM's own call-depth limit ({@code Vhm.MAX_CALL_DEPTH}) must be reached long before the Java stack overflows,
     * so that the fuel at which deep recursion traps is the same on every run (reserved, not committed, memory).
     */
    public static final long VHM_STACK_BYTES = 16L << 20;

    /** Work queued per tenant beyond its running threads. */
    public static final int QUEUE = 10_000;

    private final int threads;
    private final Map<String, ThreadPoolExecutor> pools = new TreeMap<>();

    public TenantPools(int threads) {
        this.threads = threads;
    }

    /** Runs {@code task} on {@code tenant}'s pool; false if that pool's queue is full. */
    public synchronized boolean submit(String tenant, Runnable task) {
        ThreadPoolExecutor pool = pools.computeIfAbsent(tenant, this::newPool);
        try {
            pool.execute(task);
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    public synchronized String poolName(String tenant) {
        pools.computeIfAbsent(tenant, this::newPool);
        return "vhm-" + tenant;
    }

    private ThreadPoolExecutor newPool(String tenant) {
        AtomicInteger n = new AtomicInteger();
        ThreadPoolExecutor p = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(QUEUE), r -> {
                    Thread t = new Thread(null, r, "vhm-" + tenant + "-" + n.incrementAndGet(), VHM_STACK_BYTES);
                    t.setDaemon(true);
                    return t;
                });
        p.allowCoreThreadTimeOut(true);
        return p;
    }

    @Override
    public synchronized void close() {
        for (ExecutorService p : pools.values()) {
            p.shutdownNow();
        }
        pools.clear();
    }
}
