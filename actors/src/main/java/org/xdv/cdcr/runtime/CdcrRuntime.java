package org.xdv.cdcr.runtime;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.apache.pekko.persistence.query.EventEnvelope;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.persistence.query.javadsl.CurrentEventsByPersistenceIdQuery;
import org.apache.pekko.persistence.query.javadsl.CurrentPersistenceIdsQuery;
import org.apache.pekko.persistence.query.javadsl.EventsByPersistenceIdQuery;
import org.apache.pekko.persistence.query.javadsl.ReadJournal;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.xdv.cdcr.runtime.container.HybridContainer;
import org.xdv.cdcr.runtime.container.NodeDirectory;
import org.xdv.cdcr.runtime.container.NodeRemovals;
import org.xdv.cdcr.runtime.core.LifecycleState;
import org.xdv.cdcr.runtime.core.container.ContainerEvent;
import org.xdv.cdcr.runtime.core.container.ContainerState;
import org.xdv.cdcr.runtime.core.dao.Attestation;
import org.xdv.cdcr.runtime.core.dao.DaoDecision;
import org.xdv.cdcr.runtime.core.dao.DaoInput;
import org.xdv.cdcr.runtime.core.dao.DaoState;
import org.xdv.cdcr.runtime.core.dao.Decided;
import org.xdv.cdcr.runtime.core.dao.TenantSpec;
import org.xdv.cdcr.runtime.core.dao.VhmContract;
import org.xdv.cdcr.runtime.core.spec.ContainerSpec;
import org.xdv.cdcr.runtime.node.NodeAgent;
import org.xdv.cdcr.runtime.node.NodeConfig;
import org.xdv.cdcr.runtime.orchestrator.JournalView;
import org.xdv.cdcr.runtime.orchestrator.MembershipWatcher;
import org.xdv.cdcr.runtime.orchestrator.Orchestrator;
import org.xdv.cdcr.runtime.orchestrator.OrchestratorFront;
import org.xdv.cdcr.runtime.orchestrator.OrchestratorSingleton;

/**
 * The runtime on one node, as the control plane and the command line use it: starts the node agent, the
 * orchestrator singleton (proxy) and the container entities, admits the node, and offers the operations
 * (tenants, submit, get, suspend/resume/terminate, watch, status) as asynchronous calls.
 *
 * <p>Submission order: the orchestrator decides first (admission, quota, capability scope, placement — one
 * journal entry); only a placed container gets an entity ({@code Created → Scheduled} in one write). A refused
 * submission creates no container. Resubmitting an existing id returns the existing container.
 */
public final class CdcrRuntime {

    public static final Duration ASK = Duration.ofSeconds(15);
    /** Attempts at creating a placed container's entity, and the pause between them. */
    static final int CREATE_ATTEMPTS = 4;
    static final Duration CREATE_RETRY_DELAY = Duration.ofSeconds(1);

    /** What became of a submission. */
    public sealed interface Submission {
        String containerId();
    }

    public record Accepted(String containerId, ContainerState state, boolean existed) implements Submission {
    }

    public record Rejected(String containerId, DaoDecision.Reason reason, String message) implements Submission {
    }

    private final ActorSystem<?> system;
    private final NodeConfig node;
    private final ActorRef<OrchestratorFront.Command> orchestrator;
    private final ActorRef<NodeAgent.Command> agent;
    private final ClusterSharding sharding;
    private final String readJournalId;
    /** This node's journal-following copy of the view (cluster mode), or null: ask the singleton for its view. */
    private final JournalView journalView;

    /** Config switch: answer {@link #view()} from the journal on every node ({@code conf/cluster.conf} sets it). */
    public static final String VIEW_FROM_JOURNAL = "cdcr.orchestrator.view-from-journal";

    /** Config: how long an admitted node may be absent from the cluster before it is removed (0 = never). */
    public static final String ABSENT_NODE_GRACE = "cdcr.orchestrator.absent-node-grace";
    /** How often a node checks that the orchestrator still holds it admitted ({@link AdmissionKeeper}). */
    public static final String ADMISSION_CHECK = "cdcr.node.admission-check-interval";
    /** How often a node looks for placements on it whose container never came ({@link OrphanReaper}). */
    public static final String ORPHAN_CHECK = "cdcr.node.orphan-check-interval";

    private CdcrRuntime(ActorSystem<?> system, NodeConfig node, ActorRef<OrchestratorFront.Command> orchestrator,
                        ActorRef<NodeAgent.Command> agent, String readJournalId) {
        this.system = system;
        this.node = node;
        this.orchestrator = orchestrator;
        this.agent = agent;
        this.sharding = ClusterSharding.get(system);
        this.readJournalId = readJournalId;
        com.typesafe.config.Config c = system.settings().config();
        this.journalView = c.hasPath(VIEW_FROM_JOURNAL) && c.getBoolean(VIEW_FROM_JOURNAL)
                ? new JournalView(system, readJournalId) : null;
    }

    /**
     * Wires the runtime into {@code system} (already a cluster member), spawns this node's agent and asks the
     * orchestrator to admit the node; completes when the node is admitted and its live containers were woken.
     */
    public static CompletionStage<CdcrRuntime> start(ActorSystem<?> system, NodeConfig node, String readJournalId) {
        NodeDirectory directory = new NodeDirectory();
        system.systemActorOf(directory.subscriber(), "node-directory", org.apache.pekko.actor.typed.Props.empty());
        ActorRef<OrchestratorFront.Command> dao = OrchestratorSingleton.init(system,
                NodeRemovals.viaSharding(system, readJournalId));
        ClusterSharding sharding = ClusterSharding.get(system);
        ActorRef<NodeAgent.RunFinished> forwarder = system.systemActorOf(HybridContainer.forwarder(sharding),
                "container-outcomes", org.apache.pekko.actor.typed.Props.empty());
        HybridContainer.init(system, new HybridContainer.Deps(dao, directory, forwarder));
        ActorRef<NodeAgent.Command> agent = system.systemActorOf(NodeAgent.create(node),
                NodeAgent.actorName(node.nodeId()), org.apache.pekko.actor.typed.Props.empty());
        directory.put(node.nodeId(), agent);
        com.typesafe.config.Config conf = system.settings().config();
        Duration grace = conf.hasPath(ABSENT_NODE_GRACE) ? conf.getDuration(ABSENT_NODE_GRACE) : Duration.ZERO;
        system.systemActorOf(MembershipWatcher.create(dao, grace), "membership-watcher",
                org.apache.pekko.actor.typed.Props.empty());
        CdcrRuntime rt = new CdcrRuntime(system, node, dao, agent, readJournalId);
        return rt.admitThisNode()
                .thenCompose(d -> {
                    if (!(d.decision() instanceof DaoDecision.NodeAdmitted)) {
                        throw new IllegalStateException("node " + node.nodeId() + " was not admitted: " + d.decision());
                    }
                    return rt.placementsOn(node.nodeId());
                })
                .thenApply(placements -> {
                    for (DaoDecision.Placed p : placements) {
                        rt.entity(p.containerId()).tell(HybridContainer.Advance.INSTANCE);
                    }
                    system.systemActorOf(AdmissionKeeper.create(rt, conf.getDuration(ADMISSION_CHECK)),
                            "admission-keeper", org.apache.pekko.actor.typed.Props.empty());
                    system.systemActorOf(OrphanReaper.create(rt, conf.getDuration(ORPHAN_CHECK)),
                            "orphan-reaper", org.apache.pekko.actor.typed.Props.empty());
                    return rt;
                });
    }

    /** Asks the orchestrator to admit this node with its capacity (at start, and again if it was removed while Up). */
    CompletionStage<Decided> admitThisNode() {
        return decide(new DaoInput.AdmitNode(node.spec(), Attestation.operatorTrusted("cdcr-node " + node.nodeId())));
    }

    public NodeConfig node() {
        return node;
    }

    public ActorSystem<?> system() {
        return system;
    }

    public ActorRef<NodeAgent.Command> agent() {
        return agent;
    }

    /** The orchestrator singleton's proxy (load drivers send {@link OrchestratorFront.Decide} directly). */
    public ActorRef<OrchestratorFront.Command> orchestrator() {
        return orchestrator;
    }

    /** Ask the orchestrator to decide one input; completes with the persisted decision. */
    public CompletionStage<Decided> decide(DaoInput input) {
        return AskPattern.ask(orchestrator, r -> new OrchestratorFront.Decide(input, r), ASK, system.scheduler());
    }

    /** The live placements on {@code node}, in container-id order. */
    public CompletionStage<List<DaoDecision.Placed>> placementsOn(String node) {
        return AskPattern.<OrchestratorFront.Command, org.xdv.cdcr.runtime.orchestrator.Orchestrator.Placements>ask(
                        orchestrator, r -> new OrchestratorFront.PlacementsOn(node, r), ASK, system.scheduler())
                .thenApply(org.xdv.cdcr.runtime.orchestrator.Orchestrator.Placements::placements);
    }

    /**
     * The orchestrator's current view (status tables; never used to decide). Without
     * {@value #VIEW_FROM_JOURNAL} it is the singleton's own view, which only the node hosting the singleton can
     * receive (the view is not serializable). With it (cluster mode) any node answers: it asks the singleton how
     * many decisions it has written and returns its journal-following copy once that holds as many — so every
     * decision answered before the call is in the view.
     */
    public CompletionStage<DaoState> view() {
        if (journalView == null) {
            return AskPattern.ask(orchestrator, OrchestratorFront.GetView::new, ASK, system.scheduler());
        }
        return decisionsWritten().thenCompose(decisions -> journalView.atLeast(decisions, ASK));
    }

    public CompletionStage<Decided> upsertTenant(TenantSpec tenant) {
        return decide(new DaoInput.UpsertTenant(tenant));
    }

    /** The VHM contract of {@code tenant}, from the orchestrator's view. */
    public CompletionStage<VhmContract> vhmContract(String tenant) {
        return AskPattern.ask(orchestrator, r -> new OrchestratorFront.VhmContractOf(tenant, r), ASK,
                system.scheduler());
    }

    /**
     * Submits a container: its VHM memory and fuel are first clamped to its tenant's contract (what its journal
     * records), then the orchestrator places it (or refuses it) and only a placed container gets an entity.
     */
    public CompletionStage<Submission> submit(ContainerSpec submitted) {
        String id = submitted.id();
        // the contract is asked while the entity starts, so the query adds no waiting of its own
        CompletionStage<VhmContract> contract = vhmContract(submitted.tenant());
        return get(id).thenCompose(existing -> {
            if (existing.state() != LifecycleState.NONE) {
                return CompletableFuture.completedFuture(new Accepted(id, existing, true));
            }
            return contract.thenCompose(c -> place(submitted.clampedTo(c.maxMemoryPages(), c.maxFuel())));
        });
    }

    private CompletionStage<Submission> place(ContainerSpec spec) {
        return place(spec, true);
    }

    /** Places and creates; {@code again}: a placement given up meanwhile may be replaced once. */
    private CompletionStage<Submission> place(ContainerSpec spec, boolean again) {
        String id = spec.id();
        return decide(new DaoInput.Place(spec.demand())).thenCompose(d -> {
            if (d.decision() instanceof DaoDecision.Placed p) {
                return create(spec, p, d.seq(), again);
            }
            DaoDecision.Refused r = (DaoDecision.Refused) d.decision();
            if (r.reason() == DaoDecision.Reason.DUPLICATE && again) {
                // Placed before, but the entity did not exist when this submission asked: a crash between placement
                // and creation, or a retry racing a slow first attempt. That placement is given up (a Create for it
                // is refused from now on), released, and the container placed afresh — unless it exists by now.
                return giveUpPlacement(id, d.seq()).thenCompose(released -> released ? place(spec, false)
                        : get(id).thenApply(st -> (Submission) new Accepted(id, st, true)));
            }
            return CompletableFuture.completedFuture(new Rejected(id, r.reason(), r.message()));
        });
    }

    /**
     * Creates the entity of a placed container. The placement is durable but the spec exists only here and with the
     * client, so a Create that times out (its shard moving, a journal stall) is sent again — Create is idempotent —
     * rather than leaving a placement without a container unless the client happens to retry. If the placement was
     * given up meanwhile (this submission was slower than the orphan check, {@link OrphanReaper}), the container is
     * placed afresh once.
     */
    private CompletionStage<Submission> create(ContainerSpec spec, DaoDecision.Placed p, long seq, boolean again) {
        String id = spec.id();
        return org.apache.pekko.pattern.Patterns.<org.apache.pekko.pattern.StatusReply<ContainerState>>retry(
                        () -> entity(id).<org.apache.pekko.pattern.StatusReply<ContainerState>>ask(
                                r -> new HybridContainer.Create(spec, p, seq, r), ASK),
                        CREATE_ATTEMPTS, CREATE_RETRY_DELAY, system)
                .thenCompose(reply -> {
                    if (reply.isSuccess()) {
                        return CompletableFuture.completedFuture(new Accepted(id, reply.getValue(), false));
                    }
                    Submission refused = new Rejected(id, DaoDecision.Reason.DUPLICATE, reply.getError().getMessage());
                    return get(id).thenCompose(st -> st.abandonedPlacement(seq) && again ? place(spec, false)
                            : CompletableFuture.completedFuture(refused));
                });
    }

    /**
     * Gives up container {@code id}'s placements up to orchestrator decision {@code upToSeq} if the container was
     * never created, and then releases its placement at the orchestrator. Completes with true if it did (the entity
     * recorded it: a Create for such a placement is refused from then on), false if the container exists.
     */
    public CompletionStage<Boolean> giveUpPlacement(String id, long upToSeq) {
        return entity(id).<Boolean>ask(r -> new HybridContainer.Abandon(upToSeq, r), ASK).thenCompose(abandoned -> {
            if (!abandoned) {
                return CompletableFuture.completedFuture(false);
            }
            // Freed, or refused as not placed (released by someone else meanwhile): either way it holds nothing now
            return decide(new DaoInput.Release(id)).thenApply(d -> true);
        });
    }

    /** The number of decisions the orchestrator has written (the newest has number {@code decisions - 1}). */
    public CompletionStage<Long> decisionsWritten() {
        return AskPattern.<OrchestratorFront.Command, Orchestrator.Seq>ask(orchestrator,
                        OrchestratorFront.CurrentSeq::new, ASK, system.scheduler())
                .thenApply(Orchestrator.Seq::decisions);
    }

    public CompletionStage<ContainerState> get(String containerId) {
        return entity(containerId).ask(HybridContainer.Get::new, ASK);
    }

    public CompletionStage<ContainerState> suspend(String containerId, String by) {
        return entity(containerId).askWithStatus(r -> new HybridContainer.Suspend(by, r), ASK);
    }

    public CompletionStage<ContainerState> resume(String containerId, String by) {
        return entity(containerId).askWithStatus(r -> new HybridContainer.Resume(by, r), ASK);
    }

    public CompletionStage<ContainerState> terminate(String containerId, String by) {
        return entity(containerId).askWithStatus(r -> new HybridContainer.Terminate(by, r), ASK);
    }

    /** Every container event from {@code fromSequenceNr}, live (the stream does not complete by itself). */
    public Source<ContainerEvent, NotUsed> watch(String containerId, long fromSequenceNr) {
        EventsByPersistenceIdQuery q = readJournal();
        return q.eventsByPersistenceId(HybridContainer.persistenceId(containerId), fromSequenceNr,
                        Long.MAX_VALUE)
                .map(EventEnvelope::event)
                .map(ContainerEvent.class::cast);
    }

    /** The lines the container's K program logged, run by run (one {@link ContainerEvent.Logged} per run that logged). */
    public CompletionStage<List<ContainerEvent.Logged>> logs(String containerId) {
        CurrentEventsByPersistenceIdQuery q = readJournal();
        return q.currentEventsByPersistenceId(HybridContainer.persistenceId(containerId), 0, Long.MAX_VALUE)
                .map(EventEnvelope::event)
                .filter(ContainerEvent.Logged.class::isInstance)
                .map(ContainerEvent.Logged.class::cast)
                .runWith(Sink.seq(), system);
    }

    /** Ids of every container the journal knows, in id order. */
    public CompletionStage<List<String>> containerIds() {
        CurrentPersistenceIdsQuery q = readJournal();
        String prefix = HybridContainer.ENTITY_KEY.name() + "|";
        return q.currentPersistenceIds()
                .filter(pid -> pid.startsWith(prefix))
                .map(pid -> pid.substring(prefix.length()))
                .runFold(new ArrayList<String>(), (acc, id) -> {
                    acc.add(id);
                    return acc;
                }, system)
                .thenApply(l -> {
                    l.sort(null);
                    return (List<String>) l;
                });
    }

    public EntityRef<HybridContainer.Command> entity(String containerId) {
        return sharding.entityRefFor(HybridContainer.ENTITY_KEY, containerId);
    }

    @SuppressWarnings("unchecked")
    private <T extends ReadJournal> T readJournal() {
        return (T) PersistenceQuery.get(system).getReadJournalFor(ReadJournal.class, readJournalId);
    }
}
