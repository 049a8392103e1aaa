package org.xdv.cdcr.runtime;

import java.time.Duration;

import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.xdv.cdcr.runtime.core.dao.DaoDecision;

/**
 * Keeps this node admitted while it is an Up cluster member. A node killed and restarted at once under the same id
 * joins while its old incarnation is being removed, and the removal reported for the old incarnation may be
 * decided after the new one admitted itself: the orchestrator then holds a live node as removed and places nothing
 * there. Every {@code interval} this actor looks at the orchestrator's view and, if this node is missing from it
 * while Up (not leaving), asks for its admission again — an input like any other, decided and journaled before it
 * counts.
 */
final class AdmissionKeeper {

    private enum Tick { INSTANCE }

    /** What a look at the view found: this node missing, or nothing to do (present, or no answer this time). */
    private enum Seen { MISSING, NOTHING_TO_DO }


    private record Readmitted(DaoDecision decision, Throwable error) {
    }

    private AdmissionKeeper() {
    }

    static Behavior<Object> create(CdcrRuntime rt, Duration interval) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
            timers.startTimerWithFixedDelay(Tick.INSTANCE, interval);
            String self = rt.node().nodeId();
            return Behaviors.receive(Object.class)
                    .onMessageEquals(Tick.INSTANCE, () -> {
                        if (Cluster.get(ctx.getSystem()).selfMember().status() == MemberStatus.up()) {
                            // an unanswered view (the singleton moving) is no verdict: the next tick asks again
                            ctx.pipeToSelf(rt.view(), (view, error) -> view != null && !view.nodes().containsKey(self)
                                    ? Seen.MISSING : Seen.NOTHING_TO_DO);
                        }
                        return Behaviors.same();
                    })
                    .onMessageEquals(Seen.NOTHING_TO_DO, Behaviors::same)
                    .onMessageEquals(Seen.MISSING, () -> {
                        if (Cluster.get(ctx.getSystem()).selfMember().status() == MemberStatus.up()) {
                            ctx.getLog().warn("node {} is Up but not admitted by the orchestrator (removed while it "
                                    + "was restarting?): asking for its admission again", self);
                            ctx.pipeToSelf(rt.admitThisNode(),
                                    (d, error) -> new Readmitted(d == null ? null : d.decision(), error));
                        }
                        return Behaviors.same();
                    })
                    .onMessage(Readmitted.class, r -> {
                        if (r.decision() instanceof DaoDecision.NodeAdmitted) {
                            ctx.getLog().info("node {} admitted again", self);
                        } else {
                            // refused or unanswered: the next check asks again
                            ctx.getLog().warn("node {} not admitted again: {}", self,
                                    r.error() != null ? r.error().toString() : r.decision());
                        }
                        return Behaviors.same();
                    })
                    .build();
        }));
    }
}
