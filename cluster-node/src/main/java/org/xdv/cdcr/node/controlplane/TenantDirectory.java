package org.xdv.cdcr.node.controlplane;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.apache.pekko.actor.Cancellable;
import org.xdv.cdcr.runtime.CdcrRuntime;
import org.xdv.cdcr.runtime.core.dao.DaoState;
import org.xdv.cdcr.runtime.core.dao.TenantEntry;

/**
 * The control plane's copy of the orchestrator's view: tenants (capability namespaces, quotas, usage) and
 * credential hashes. Refreshed after every tenant change made through this node, periodically, and — for a
 * token it does not know — at once (at most every {@code minRefresh}), so a credential issued on another node
 * works on this one. A refresh never replaces a view with an older one.
 *
 * <p>Authorization takes a tenant's namespace from here and records it with the outcome, so a replay does not
 * depend on how fresh the copy was.
 *
 * <p>Limit: the view comes from {@link CdcrRuntime#view()}, which answers only on the node hosting the
 * orchestrator singleton (the view is not serializable). On any other node refreshes fail, so tenant tokens are
 * not recognised there (UNAVAILABLE) until the runtime offers a serializable tenants-and-credentials query.
 */
public final class TenantDirectory {

    /** One view, with the reverse credential index. */
    public record Snapshot(DaoState view, Map<String, String> tenantByHash, long takenNanos) {

        static Snapshot of(DaoState view) {
            Map<String, String> byHash = new HashMap<>();
            for (Map.Entry<String, String> e : view.credentials().entrySet()) {
                byHash.put(e.getValue(), e.getKey());
            }
            return new Snapshot(view, Map.copyOf(byHash), System.nanoTime());
        }

        /** The tenant's capability namespace, empty when the orchestrator does not know the tenant. */
        public Optional<List<String>> capabilities(String tenant) {
            TenantEntry t = view.tenants().get(tenant);
            return t == null ? Optional.empty() : Optional.of(t.spec().capabilities());
        }
    }

    private final CdcrRuntime runtime;
    private final Duration minRefresh;
    private volatile Snapshot snapshot = new Snapshot(DaoState.EMPTY, Map.of(), Long.MIN_VALUE / 2);
    private CompletableFuture<Snapshot> pending;
    private Cancellable periodic;

    public TenantDirectory(CdcrRuntime runtime, Duration minRefresh) {
        this.runtime = runtime;
        this.minRefresh = minRefresh;
    }

    public Snapshot current() {
        return snapshot;
    }

    /** Fetches the view (one fetch at a time: concurrent callers share it). */
    public CompletionStage<Snapshot> refresh() {
        CompletableFuture<Snapshot> p;
        synchronized (this) {
            if (pending != null) {
                return pending;
            }
            p = new CompletableFuture<>();
            pending = p;
        }
        runtime.view().whenComplete((view, err) -> {
            synchronized (this) {
                pending = null;
            }
            if (err != null) {
                p.completeExceptionally(err);
                return;
            }
            Snapshot fresh = Snapshot.of(view);
            synchronized (this) {
                if (fresh.view().seq() >= snapshot.view().seq()) {
                    snapshot = fresh;
                }
            }
            p.complete(snapshot);
        });
        return p;
    }

    /** The tenant holding the credential with this hash. */
    public CompletionStage<Optional<String>> tenantForHash(String sha256) {
        Snapshot s = snapshot;
        String t = s.tenantByHash().get(sha256);
        if (t != null) {
            return CompletableFuture.completedFuture(Optional.of(t));
        }
        if (System.nanoTime() - s.takenNanos() < minRefresh.toNanos()) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        return refresh().thenApply(fresh -> Optional.ofNullable(fresh.tenantByHash().get(sha256)));
    }

    /** Refreshes every {@code interval} until {@link #stop}. */
    public synchronized void startPeriodicRefresh(Duration interval) {
        periodic = runtime.system().scheduler().scheduleWithFixedDelay(interval, interval,
                () -> refresh().exceptionally(e -> null), runtime.system().executionContext());
    }

    public synchronized void stop() {
        if (periodic != null) {
            periodic.cancel();
        }
    }
}
