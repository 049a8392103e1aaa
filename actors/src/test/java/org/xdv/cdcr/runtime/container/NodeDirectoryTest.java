package org.xdv.cdcr.runtime.container;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;

import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.xdv.cdcr.runtime.integration.RuntimeTestConfigs;
import org.xdv.cdcr.runtime.node.NodeAgent;

/**
 * The directory follows the receptionist for other nodes' agents, but this node's own agent, recorded at start,
 * survives listings that do not (yet) contain it: the first listing after start is often empty, and a container
 * placed on this node in that moment used to fail with "node is not reachable from here".
 */
class NodeDirectoryTest {

    private static final ActorTestKit kit = ActorTestKit.create("NodeDirectoryTest", RuntimeTestConfigs.local());

    @AfterAll
    static void stop() {
        kit.shutdownTestKit();
    }

    private static ActorRef<NodeAgent.Command> agent(String nodeId) {
        Behavior<NodeAgent.Command> idle = Behaviors.ignore();
        return kit.spawn(idle, NodeAgent.actorName(nodeId));
    }

    @Test
    void theLocalAgentSurvivesListingsWithoutIt() {
        NodeDirectory directory = new NodeDirectory();
        kit.spawn(directory.subscriber());
        ActorRef<NodeAgent.Command> mine = agent("here");
        ActorRef<NodeAgent.Command> other = agent("there");
        directory.put("here", mine);

        // Real listings from the receptionist (injected ones would race the listing it sends on subscription): the
        // other node's agent registers, this node's never does.
        kit.system().receptionist().tell(Receptionist.register(NodeAgent.KEY, other));
        TestProbe<Object> probe = kit.createTestProbe();
        probe.awaitAssert(Duration.ofSeconds(5), () -> {
            assertThat(directory.agent("there")).contains(other);
            return null;
        });
        assertThat(directory.agent("here")).contains(mine);

        // the other node leaves the listing: it is gone; this node's agent stays
        kit.system().receptionist().tell(Receptionist.deregister(NodeAgent.KEY, other));
        probe.awaitAssert(Duration.ofSeconds(5), () -> {
            assertThat(directory.agent("there")).isEqualTo(Optional.empty());
            return null;
        });
        assertThat(directory.agent("here")).contains(mine);
    }
}
