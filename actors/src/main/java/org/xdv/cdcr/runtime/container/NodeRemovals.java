package org.xdv.cdcr.runtime.container;

import java.util.function.BiConsumer;

import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.persistence.query.javadsl.CurrentEventsByPersistenceIdQuery;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xdv.cdcr.runtime.core.dao.DaoDecision;
import org.xdv.cdcr.runtime.core.dao.Decided;
import org.xdv.cdcr.runtime.core.dao.DecidedBatch;
import org.xdv.cdcr.runtime.orchestrator.Consequences;
import org.xdv.cdcr.runtime.orchestrator.Orchestrator;

/**
 * Carries out the orchestrator's {@link DaoDecision.NodeRemoved} decisions once they are persisted: each moved
 * container is told to re-bind on its new node ({@link HybridContainer.Reschedule}, with the decision's sequence
 * number) and each stranded one to end ({@link HybridContainer.Strand}), in container-id order as decided.
 *
 * <p>After the orchestrator recovers (the singleton moved or restarted), the removals among the last
 * {@link #RECENT_BATCHES} batches of its journal are carried out again, read through the read journal: the node
 * that hosted the singleton may have died after a removal was written and before its last tell reached a
 * container. That reaches further back than the newest snapshot, which may have been taken right after the removal.
 * Telling twice is harmless: a container ignores a re-placement whose decision it already carries out (or a newer
 * one), and a container that already ended ignores being stranded.
 */
public final class NodeRemovals implements Consequences {

    /** How far back, in journal batches, a recovery looks for removals to carry out again. */
    public static final int RECENT_BATCHES = 2 * Orchestrator.SNAPSHOT_EVERY;

    private static final Logger LOG = LoggerFactory.getLogger(NodeRemovals.class);

    private final ActorSystem<?> system;
    private final String readJournalId;
    private final BiConsumer<String, HybridContainer.Command> tell;

    /** Tells through {@code tell} (container id, command); reads the orchestrator's journal with readJournalId. */
    public NodeRemovals(ActorSystem<?> system, String readJournalId, BiConsumer<String, HybridContainer.Command> tell) {
        this.system = system;
        this.readJournalId = readJournalId;
        this.tell = tell;
    }

    /** Tells the container entities through cluster sharding. */
    public static NodeRemovals viaSharding(ActorSystem<?> system, String readJournalId) {
        ClusterSharding sharding = ClusterSharding.get(system);
        return new NodeRemovals(system, readJournalId,
                (id, command) -> sharding.entityRefFor(HybridContainer.ENTITY_KEY, id).tell(command));
    }

    @Override
    public void decided(Decided decided) {
        if (decided.decision() instanceof DaoDecision.NodeRemoved removed) {
            carryOut(decided.seq(), removed);
        }
    }

    @Override
    public void recovered(long lastBatchSeqNr) {
        if (lastBatchSeqNr < 1) {
            return;
        }
        long from = Math.max(1, lastBatchSeqNr - RECENT_BATCHES + 1);
        CurrentEventsByPersistenceIdQuery q = PersistenceQuery.get(system)
                .getReadJournalFor(CurrentEventsByPersistenceIdQuery.class, readJournalId);
        q.currentEventsByPersistenceId(Orchestrator.PERSISTENCE_ID.id(), from, lastBatchSeqNr)
                .runForeach(envelope -> {
                    for (Decided d : ((DecidedBatch) envelope.event()).decisions()) {
                        if (d.decision() instanceof DaoDecision.NodeRemoved removed) {
                            LOG.info("orchestrator recovered: carrying out the removal of node {} (decision {}) again",
                                    removed.node(), d.seq());
                            carryOut(d.seq(), removed);
                        }
                    }
                }, system)
                .whenComplete((done, error) -> {
                    if (error != null) {
                        LOG.warn("orchestrator recovered, but its recent removals could not be read from batch {} "
                                + "to {}: {}", from, lastBatchSeqNr, error.toString());
                    }
                });
    }

    private void carryOut(long seq, DaoDecision.NodeRemoved removed) {
        for (DaoDecision.Placed p : removed.moved()) {
            tell.accept(p.containerId(), new HybridContainer.Reschedule(removed.node(), p, seq));
        }
        for (DaoDecision.Refused r : removed.stranded()) {
            tell.accept(r.subject(), new HybridContainer.Strand(removed.node(), r.message()));
        }
    }
}
