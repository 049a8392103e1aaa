package org.xdv.cdcr.runtime.orchestrator;

import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.typed.ClusterSingleton;
import org.apache.pekko.cluster.typed.SingletonActor;

/** Starts (or finds) the orchestrator cluster singleton and returns its proxy. */
public final class OrchestratorSingleton {

    public static final String NAME = "cdcr-dao";

    private OrchestratorSingleton() {
    }

    public static ActorRef<OrchestratorFront.Command> init(ActorSystem<?> system, Consequences consequences) {
        return ClusterSingleton.get(system).init(
                SingletonActor.of(Behaviors.supervise(OrchestratorFront.create(consequences))
                                .onFailure(SupervisorStrategy.restart()), NAME)
                        .withStopMessage(OrchestratorFront.Stop.INSTANCE));
    }
}
