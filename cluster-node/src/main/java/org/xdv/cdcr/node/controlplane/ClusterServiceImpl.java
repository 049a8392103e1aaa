package org.xdv.cdcr.node.controlplane;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletionStage;

import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.grpc.javadsl.Metadata;
import org.xdv.cdcr.node.NodeLauncher;
import org.xdv.cdcr.node.controlplane.auth.AuthzRequest;
import org.xdv.cdcr.node.controlplane.auth.Rpc;
import org.xdv.cdcr.node.proto.ClusterServicePowerApi;
import org.xdv.cdcr.node.proto.ClusterStatus;
import org.xdv.cdcr.node.proto.NodeStatus;
import org.xdv.cdcr.node.proto.StatusRequest;
import org.xdv.cdcr.node.proto.TenantPlacements;
import org.xdv.cdcr.runtime.CdcrRuntime;
import org.xdv.cdcr.runtime.core.dao.DaoDecision;
import org.xdv.cdcr.runtime.core.dao.DaoState;
import org.xdv.cdcr.runtime.core.dao.NodeEntry;

/**
 * {@code cdcr.v1.ClusterService}: nodes with capacity and use (K slots, qubits, Φ channels and envelopes), the
 * cluster members, where the orchestrator singleton runs (the oldest Up member), and live placements per node
 * and tenant. Operator only: placement counts name every tenant.
 */
public final class ClusterServiceImpl implements ClusterServicePowerApi {

    private final CdcrRuntime runtime;
    private final Gate gate;

    public ClusterServiceImpl(CdcrRuntime runtime, Gate gate) {
        this.runtime = runtime;
        this.gate = gate;
    }

    @Override
    public CompletionStage<ClusterStatus> status(StatusRequest in, Metadata metadata) {
        return gate.call(metadata, caller -> AuthzRequest.of(Rpc.CLUSTER_STATUS, "", ""), caller ->
                runtime.view().toCompletableFuture()
                        .orTimeout(VIEW_TIMEOUT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
                        .handle((view, err) -> status(view, err)));
    }

    /** How long status waits for the orchestrator before it reports the membership alone. */
    static final java.time.Duration VIEW_TIMEOUT = java.time.Duration.ofSeconds(3);

    private ClusterStatus status(DaoState answered, Throwable err) {
        DaoState view = answered != null ? answered : DaoState.EMPTY;
        Cluster cluster = Cluster.get(runtime.system());
        ClusterStatus.Builder b = ClusterStatus.newBuilder().setDecisions(view.seq()).setPhiSlot(view.slot())
                .setAnsweredBy(runtime.node().nodeId());
        if (answered == null) {
            Throwable cause = err instanceof java.util.concurrent.CompletionException && err.getCause() != null
                    ? err.getCause() : err;
            b.setOrchestratorError(cause instanceof java.util.concurrent.TimeoutException
                    ? "the orchestrator did not answer within " + VIEW_TIMEOUT.toSeconds() + " s"
                    : String.valueOf(cause));
        }
        java.util.Set<Member> unreachable = cluster.state().getUnreachable();
        Map<String, String> memberOfNode = new TreeMap<>();
        Member oldest = null;
        for (Member m : cluster.state().getMembers()) {
            Optional<String> nodeId = NodeLauncher.nodeIdOf(m.getRoles());
            nodeId.ifPresent(id -> memberOfNode.put(id, m.address().toString()));
            b.addMembers(org.xdv.cdcr.node.proto.Member.newBuilder().setAddress(m.address().toString())
                    .setStatus(m.status().toString()).addAllRoles(new java.util.TreeSet<>(m.getRoles()))
                    .setNodeId(nodeId.orElse("")).setUnreachable(unreachable.contains(m)));
            if (m.status() == MemberStatus.up() && (oldest == null || m.isOlderThan(oldest))) {
                oldest = m;
            }
        }
        if (oldest != null) {
            b.setSingletonMember(oldest.address().toString())
                    .setSingletonNode(NodeLauncher.nodeIdOf(oldest.getRoles()).orElse(""));
        }
        Map<String, Map<String, Integer>> byNode = new TreeMap<>();
        Map<String, Map<String, Integer>> byTenant = new TreeMap<>();
        Map<String, long[]> phiByNode = new TreeMap<>();
        for (DaoDecision.Placed p : view.placements().values()) {
            byNode.computeIfAbsent(p.node(), k -> new TreeMap<>()).merge(p.tenant(), 1, Integer::sum);
            byTenant.computeIfAbsent(p.tenant(), k -> new TreeMap<>()).merge(p.node(), 1, Integer::sum);
            p.envelope().ifPresent(e -> {
                long[] acc = phiByNode.computeIfAbsent(p.node(), k -> new long[2]);
                acc[0]++;
                acc[1] += e.lengthSlots();
            });
        }
        for (NodeEntry n : view.nodes().values()) {
            String id = n.spec().id();
            long[] phi = phiByNode.getOrDefault(id, new long[2]);
            b.addNodes(NodeStatus.newBuilder().setId(id).setTrusted(n.attestation().trusted())
                    .setDraining(n.draining()).setKSlots(n.spec().kSlots()).setKUsed(n.usedK())
                    .setQubits(n.spec().qubits()).setQubitsUsed(n.usedQ()).setPhiChannels(n.spec().phiChannels())
                    .setPhiEnvelopes((int) phi[0]).setPhiSlotsHeld(phi[1]).setContainers(n.containers())
                    .addAllLabels(n.spec().labels())
                    .putAllPlacementsByTenant(byNode.getOrDefault(id, Map.of()))
                    .setMember(memberOfNode.getOrDefault(id, "")));
        }
        for (Map.Entry<String, Map<String, Integer>> t : byTenant.entrySet()) {
            int total = t.getValue().values().stream().mapToInt(Integer::intValue).sum();
            b.addTenants(TenantPlacements.newBuilder().setTenant(t.getKey()).setContainers(total)
                    .putAllByNode(t.getValue()));
        }
        return b.build();
    }
}
