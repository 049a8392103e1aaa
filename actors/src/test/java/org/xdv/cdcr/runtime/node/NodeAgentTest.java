package org.xdv.cdcr.runtime.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.pattern.StatusReply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.xdv.cdcr.phi.Envelope;
import org.xdv.cdcr.phi.EnvelopeId;
import org.xdv.cdcr.phi.PhiConfig;
import org.xdv.cdcr.runtime.core.container.ContainerResult;
import org.xdv.cdcr.runtime.core.container.Termination;
import org.xdv.cdcr.runtime.core.spec.ContainerSpec;
import org.xdv.cdcr.runtime.integration.RuntimeTestConfigs;
import org.xdv.cdcr.runtime.integration.Specs;

/**
 * The node agent with its real QPU and Φ channels: it binds only in order and only for the owning tenant, runs the
 * built-in K program in the tenant's pool, obeys kill, and gives everything back on release.
 */
class NodeAgentTest {

    private static final ActorTestKit testKit = ActorTestKit.create("NodeAgentTest", RuntimeTestConfigs.local());
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static int nodes;

    @AfterAll
    static void shutdown() {
        testKit.shutdownTestKit();
    }

    private static NodeConfig config() {
        nodes++;
        return new NodeConfig("agent-" + nodes, 4, 8, 2, PhiConfig.defaults(2), List.of(), 1, 3L);
    }

    private static StatusReply<String> ask(ActorRef<NodeAgent.Command> agent,
                                           java.util.function.Function<ActorRef<StatusReply<String>>,
                                                   NodeAgent.Command> message) {
        TestProbe<StatusReply<String>> p = testKit.createTestProbe();
        agent.tell(message.apply(p.ref()));
        return p.receiveMessage(WAIT);
    }

    private static NodeAgent.Description describe(ActorRef<NodeAgent.Command> agent) {
        TestProbe<NodeAgent.Description> p = testKit.createTestProbe();
        agent.tell(new NodeAgent.Describe(p.ref()));
        return p.receiveMessage(WAIT);
    }

    @Test
    void bindsKThenQOnlyForTheOwningTenantAndReleasesEverything() {
        NodeConfig node = config();
        ActorRef<NodeAgent.Command> agent = testKit.spawn(NodeAgent.create(node));
        String id = "acme/bell";

        StatusReply<String> qFirst = ask(agent, r -> new NodeAgent.BindQ(id, "acme", 2, 1_000, r));
        assertThat(qFirst.isError()).isTrue();
        assertThat(qFirst.getError().getMessage()).startsWith("Q binds after K");

        assertThat(ask(agent, r -> new NodeAgent.BindK(id, "acme", 1, r)).getValue())
                .isEqualTo("vhm-acme@" + node.nodeId());
        assertThat(ask(agent, r -> new NodeAgent.BindK(id, "globex", 1, r)).isError())
                .as("another tenant cannot bind the same container").isTrue();
        assertThat(ask(agent, r -> new NodeAgent.BindQ(id, "globex", 2, 1_000, r)).isError()).isTrue();
        String register = ask(agent, r -> new NodeAgent.BindQ(id, "acme", 2, 1_000, r)).getValue();
        assertThat(register).startsWith(node.nodeId() + "/r");
        assertThat(ask(agent, r -> new NodeAgent.BindQ(id, "acme", 2, 1_000, r)).getValue())
                .as("binding again is idempotent").isEqualTo(register);
        assertThat(describe(agent).freeQubits()).isEqualTo(node.qubits() - 2);

        Envelope foreign = new Envelope(new EnvelopeId(node.nodeId(), 0, 0, 0), 5, 0.0, "globex", id,
                Optional.empty(), false);
        assertThat(ask(agent, r -> new NodeAgent.BindPhi(id, "acme", foreign, r)).isError())
                .as("an envelope of another tenant does not bind").isTrue();

        TestProbe<StatusReply<Done>> released = testKit.createTestProbe();
        agent.tell(new NodeAgent.ReleaseAll(id, "globex", released.ref()));
        assertThat(released.receiveMessage(WAIT).isError()).as("only the owner releases").isTrue();
        assertThat(describe(agent).freeQubits()).isEqualTo(node.qubits() - 2);

        agent.tell(new NodeAgent.ReleaseAll(id, "acme", released.ref()));
        assertThat(released.receiveMessage(WAIT).isSuccess()).isTrue();
        NodeAgent.Description after = describe(agent);
        assertThat(after.freeQubits()).isEqualTo(node.qubits());
        assertThat(after.boundContainers()).isZero();
        TestProbe<Boolean> holds = testKit.createTestProbe();
        agent.tell(new NodeAgent.Holds(id, holds.ref()));
        assertThat(holds.receiveMessage(WAIT)).isFalse();
    }

    @Test
    void runsTheBuiltInProgramOnItsBindingsAndRefusesToRunWithoutThem() {
        ActorRef<NodeAgent.Command> agent = testKit.spawn(NodeAgent.create(config()));
        ContainerSpec bell = Specs.bell("acme", "run", 300, 42);
        TestProbe<NodeAgent.RunFinished> outcome = testKit.createTestProbe();

        agent.tell(new NodeAgent.Run(bell, Optional.empty(), outcome.ref()));
        NodeAgent.RunFinished unbound = outcome.receiveMessage(WAIT);
        assertThat(unbound.termination().kind()).isEqualTo(Termination.Kind.FAILED);
        assertThat(unbound.termination().detail()).contains("holds no bindings");

        ask(agent, r -> new NodeAgent.BindK(bell.id(), "acme", 1, r));
        ask(agent, r -> new NodeAgent.BindQ(bell.id(), "acme", 2, 100_000, r));
        agent.tell(new NodeAgent.Run(bell, Optional.empty(), outcome.ref()));
        NodeAgent.RunFinished done = outcome.receiveMessage(WAIT);
        assertThat(done.termination()).isEqualTo(Termination.completed());
        ContainerResult result = done.result().orElseThrow();
        assertThat(result.counts().keySet()).isSubsetOf("00", "11");
        assertThat(result.counts().values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(300);
    }

    @Test
    void aSuspendedRunWaitsAndAKilledRunEndsKilled() {
        NodeConfig node = config();
        ActorRef<NodeAgent.Command> agent = testKit.spawn(NodeAgent.create(node));
        // 100,000 slots of 10 ms: far longer than the test; it can only end by being killed
        ContainerSpec phi = Specs.phi("acme", "long", 100_000, 0.0);
        Envelope env = new Envelope(new EnvelopeId(node.nodeId(), 1, 0, 0), 100_000, 0.0, "acme", phi.id(),
                Optional.empty(), false);
        ask(agent, r -> new NodeAgent.BindK(phi.id(), "acme", 1, r));
        assertThat(ask(agent, r -> new NodeAgent.BindPhi(phi.id(), "acme", env, r)).getValue())
                .isEqualTo(env.id().toString());
        TestProbe<NodeAgent.RunFinished> outcome = testKit.createTestProbe();

        agent.tell(new NodeAgent.Run(phi, Optional.of(env), outcome.ref()));
        agent.tell(new NodeAgent.Suspend(phi.id()));
        agent.tell(new NodeAgent.Resume(phi.id()));
        agent.tell(new NodeAgent.Suspend(phi.id()));
        agent.tell(new NodeAgent.Kill(phi.id()));

        NodeAgent.RunFinished killed = outcome.receiveMessage(WAIT);
        assertThat(killed.containerId()).isEqualTo(phi.id());
        assertThat(killed.termination()).isEqualTo(Termination.killed("operator"));
        assertThat(killed.result()).isEmpty();
    }
}
