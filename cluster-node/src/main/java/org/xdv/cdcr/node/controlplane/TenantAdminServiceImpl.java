package org.xdv.cdcr.node.controlplane;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Supplier;

import io.grpc.Status;
import org.apache.pekko.grpc.javadsl.Metadata;
import org.xdv.cdcr.node.controlplane.auth.AuthzRequest;
import org.xdv.cdcr.node.controlplane.auth.Rpc;
import org.xdv.cdcr.node.controlplane.auth.Tokens;
import org.xdv.cdcr.node.proto.CreateTenantRequest;
import org.xdv.cdcr.node.proto.CreateTenantResponse;
import org.xdv.cdcr.node.proto.ListTenantsRequest;
import org.xdv.cdcr.node.proto.ListTenantsResponse;
import org.xdv.cdcr.node.proto.SetCapabilitiesRequest;
import org.xdv.cdcr.node.proto.SetQuotaRequest;
import org.xdv.cdcr.node.proto.Tenant;
import org.xdv.cdcr.node.proto.TenantAdminServicePowerApi;
import org.xdv.cdcr.node.proto.TenantRef;
import org.xdv.cdcr.runtime.CdcrRuntime;
import org.xdv.cdcr.runtime.core.Quota;
import org.xdv.cdcr.runtime.core.dao.DaoDecision;
import org.xdv.cdcr.runtime.core.dao.DaoInput;
import org.xdv.cdcr.runtime.core.dao.Decided;
import org.xdv.cdcr.runtime.core.dao.TenantEntry;
import org.xdv.cdcr.runtime.core.dao.TenantSpec;
import org.xdv.cdcr.runtime.core.dao.VhmContract;

/**
 * {@code cdcr.v1.TenantAdminService}: tenants, their quotas and capability namespaces, and their credentials.
 * Operator only (a tenant may describe itself). Every change is an orchestrator input, so it is ordered with
 * every placement and survives restarts and replays; the credential is recorded as the SHA-256 of the token
 * ({@link DaoInput.SetCredential}), the token itself is returned once and never stored.
 *
 * <p>Changes made through this node run one at a time (read the tenant, change it, write it), so two changes of
 * one tenant through one node never lose each other.
 */
public final class TenantAdminServiceImpl implements TenantAdminServicePowerApi {

    private final CdcrRuntime runtime;
    private final Gate gate;
    private final Quota defaultQuota;
    private CompletableFuture<Void> tail = CompletableFuture.completedFuture(null);

    public TenantAdminServiceImpl(CdcrRuntime runtime, Gate gate, Quota defaultQuota) {
        this.runtime = runtime;
        this.gate = gate;
        this.defaultQuota = defaultQuota;
    }

    @Override
    public CompletionStage<CreateTenantResponse> createTenant(CreateTenantRequest in, Metadata metadata) {
        String name = in.getName();
        return gate.call(metadata, caller -> AuthzRequest.of(Rpc.CREATE_TENANT, name, name), caller -> serial(() ->
                gate.directory().refresh().thenCompose(snap -> {
                    if (snap.view().tenants().containsKey(name)) {
                        throw Errors.of(Status.Code.ALREADY_EXISTS, "tenant " + name + " already exists "
                                + "(IssueToken gives it a new credential)");
                    }
                    Quota quota = in.hasQuota() ? ProtoMapping.quota(in.getQuota()) : defaultQuota;
                    TenantSpec spec = new TenantSpec(name, in.getCapabilitiesList(), quota, in.getSharesPhiWithList());
                    return runtime.upsertTenant(spec).thenApply(TenantAdminServiceImpl::accepted)
                            .thenCompose(d -> issue(name));
                })));
    }

    @Override
    public CompletionStage<ListTenantsResponse> listTenants(ListTenantsRequest in, Metadata metadata) {
        return gate.call(metadata, caller -> AuthzRequest.of(Rpc.LIST_TENANTS, "", ""), caller ->
                gate.directory().refresh().thenApply(snap -> {
                    ListTenantsResponse.Builder b = ListTenantsResponse.newBuilder();
                    for (TenantEntry t : snap.view().tenants().values()) {
                        b.addTenants(ProtoMapping.tenant(t, snap.view()));
                    }
                    return b.build();
                }));
    }

    @Override
    public CompletionStage<Tenant> describeTenant(TenantRef in, Metadata metadata) {
        String name = in.getName();
        return gate.call(metadata, caller -> AuthzRequest.of(Rpc.DESCRIBE_TENANT, name, name), caller ->
                describe(name));
    }

    @Override
    public CompletionStage<Tenant> setQuota(SetQuotaRequest in, Metadata metadata) {
        String name = in.getName();
        return gate.call(metadata, caller -> AuthzRequest.of(Rpc.SET_QUOTA, name, name), caller ->
                serial(() -> {
                    boolean quota = in.hasContainers() || in.hasQubits() || in.hasPhiSlots() || in.hasKSlots();
                    boolean vhm = in.hasVhmMemoryPages() || in.hasVhmFuel();
                    CompletionStage<Tenant> changed = !quota && vhm ? describe(name) : change(name, t -> {
                        Quota q = t.quota();
                        Quota next = new Quota(in.hasContainers() ? in.getContainers() : q.containers(),
                                in.hasQubits() ? in.getQubits() : q.qubits(),
                                in.hasPhiSlots() ? in.getPhiSlots() : q.phiSlots(),
                                in.hasKSlots() ? in.getKSlots() : q.kSlots());
                        return new TenantSpec(name, t.capabilities(), next, t.sharesPhiWith());
                    });
                    return vhm ? changed.thenCompose(t -> setVhmContract(name, in)) : changed;
                }));
    }

    /** Records the tenant's new VHM contract (an orchestrator input), then describes the tenant. */
    private CompletionStage<Tenant> setVhmContract(String name, SetQuotaRequest in) {
        return gate.directory().refresh().thenCompose(snap -> {
            TenantEntry t = snap.view().tenants().get(name);
            if (t == null) {
                throw notFound(name);
            }
            VhmContract now = t.vhm();
            VhmContract next = new VhmContract(in.hasVhmMemoryPages() ? in.getVhmMemoryPages() : now.maxMemoryPages(),
                    in.hasVhmFuel() ? in.getVhmFuel() : now.maxFuel());
            return runtime.decide(new DaoInput.SetVhmContract(name, next)).thenApply(TenantAdminServiceImpl::accepted)
                    .thenCompose(d -> describe(name));
        });
    }

    @Override
    public CompletionStage<Tenant> setCapabilities(SetCapabilitiesRequest in, Metadata metadata) {
        String name = in.getName();
        List<String> caps = in.getCapabilitiesList();
        return gate.call(metadata, caller -> AuthzRequest.of(Rpc.SET_CAPABILITIES, name, name), caller ->
                serial(() -> change(name, t -> new TenantSpec(name, caps, t.quota(), t.sharesPhiWith()))));
    }

    @Override
    public CompletionStage<CreateTenantResponse> issueToken(TenantRef in, Metadata metadata) {
        String name = in.getName();
        return gate.call(metadata, caller -> AuthzRequest.of(Rpc.ISSUE_TOKEN, name, name), caller ->
                serial(() -> gate.directory().refresh().thenCompose(snap -> {
                    if (!snap.view().tenants().containsKey(name)) {
                        throw notFound(name);
                    }
                    return issue(name);
                })));
    }

    /** A new token for {@code tenant}: its hash goes to the orchestrator journal, the token to the caller. */
    private CompletionStage<CreateTenantResponse> issue(String tenant) {
        String token = Tokens.generate();
        return runtime.decide(new DaoInput.SetCredential(tenant, Tokens.sha256(token)))
                .thenApply(TenantAdminServiceImpl::accepted)
                .thenCompose(d -> describe(tenant))
                .thenApply(t -> CreateTenantResponse.newBuilder().setTenant(t).setToken(token).build());
    }

    private CompletionStage<Tenant> change(String name, Function<TenantSpec, TenantSpec> f) {
        return gate.directory().refresh().thenCompose(snap -> {
            TenantEntry t = snap.view().tenants().get(name);
            if (t == null) {
                throw notFound(name);
            }
            return runtime.upsertTenant(f.apply(t.spec())).thenApply(TenantAdminServiceImpl::accepted)
                    .thenCompose(d -> describe(name));
        });
    }

    private CompletionStage<Tenant> describe(String name) {
        return gate.directory().refresh().thenApply(snap -> {
            TenantEntry t = snap.view().tenants().get(name);
            if (t == null) {
                throw notFound(name);
            }
            return ProtoMapping.tenant(t, snap.view());
        });
    }

    private static Decided accepted(Decided d) {
        if (d.decision() instanceof DaoDecision.Refused r) {
            throw Errors.refused(r.reason(), r.message());
        }
        return d;
    }

    private static RuntimeException notFound(String name) {
        return Errors.of(Status.Code.NOT_FOUND, "no tenant " + name);
    }

    /** Runs tenant changes made through this node one after another. */
    private synchronized <T> CompletionStage<T> serial(Supplier<CompletionStage<T>> op) {
        CompletableFuture<T> result = tail.thenCompose(x -> op.get()).toCompletableFuture();
        tail = result.handle((x, e) -> null);
        return result;
    }
}
