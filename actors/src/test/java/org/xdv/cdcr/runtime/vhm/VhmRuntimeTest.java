package org.xdv.cdcr.runtime.vhm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.xdv.cdcr.runtime.integration.EmbeddedNode.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xdv.cdcr.runtime.CdcrRuntime;
import org.xdv.cdcr.runtime.core.container.ContainerState;
import org.xdv.cdcr.runtime.core.container.FaultKind;
import org.xdv.cdcr.runtime.core.container.Termination;
import org.xdv.cdcr.runtime.core.spec.ContainerSpec;
import org.xdv.cdcr.runtime.integration.EmbeddedNode;
import org.xdv.cdcr.runtime.integration.Specs;
import org.xdv.cdcr.runtime.node.NodeAgent;

/**
 * The example modules submitted to a real embedded node: the node agent runs each container's VHM in its tenant's
 * pool, the malicious ones end with their typed faults beside acme's containers, whose results are unaffected,
 * and everything the faulting containers held is given back.
 */
class VhmRuntimeTest {

    private static final Duration RUN = Duration.ofSeconds(90);

    private static ContainerSpec malicious(int attack) {
        return VhmFixture.parse(VhmFixture.text("malicious.yaml").replace("args: [1]", "args: [" + attack + "]")
                .replace("name: malicious", "name: malicious-" + attack));
    }

    @Test
    void exampleModulesRunOnANodeAndMaliciousOnesFaultAlone(@TempDir Path data) {
        Map<String, FaultKind> faults = new TreeMap<>(Map.of("mallory/malicious-1", FaultKind.CAPABILITY_VIOLATION,
                "mallory/malicious-3", FaultKind.MEMORY_EXHAUSTED, "mallory/malicious-4", FaultKind.FUEL_EXHAUSTED,
                "mallory/spin", FaultKind.FUEL_EXHAUSTED));
        List<ContainerSpec> specs = List.of(VhmFixture.example("vqe.yaml"), malicious(1),
                VhmFixture.example("k-only.yaml"), malicious(3), VhmFixture.example("phi-watch.yaml"), malicious(4),
                Specs.bell("acme", "bell", 500, 101), VhmFixture.example("spin.yaml"));
        try (EmbeddedNode node = EmbeddedNode.start(data)) {
            CdcrRuntime rt = node.runtime();
            await(rt.upsertTenant(Specs.tenant("acme", 10)));
            await(rt.upsertTenant(Specs.tenant("mallory", 10)));
            List<String> ids = new ArrayList<>();
            for (ContainerSpec s : specs) {
                CdcrRuntime.Submission sub = await(rt.submit(s));
                assertThat(sub).as(s.id()).isInstanceOf(CdcrRuntime.Accepted.class);
                ids.add(sub.containerId());
            }
            for (ContainerState s : node.awaitReleased(ids, RUN)) {
                Termination t = s.termination().orElseThrow();
                if (faults.containsKey(s.id())) {
                    assertThat(t.fault()).as(s.id() + ": " + t).contains(faults.get(s.id()));
                    assertThat(s.result()).isEmpty();
                } else {
                    assertThat(t).as(s.id() + ": " + t).isEqualTo(Termination.completed());
                }
            }
            assertThat(await(rt.get("acme/primes")).result().orElseThrow().detail())
                    .isEqualTo("result: primes below 20000: 2262");
            assertThat(await(rt.get("acme/vqe")).result().orElseThrow().detail()).containsPattern(
                    "energy_milli=-(19\\d\\d|2000) ");
            assertThat(await(rt.get("acme/bell")).result().orElseThrow().counts().keySet())
                    .containsExactly("00", "11");

            TestProbe<NodeAgent.Description> describe = node.probe();
            rt.agent().tell(new NodeAgent.Describe(describe.ref()));
            NodeAgent.Description d = describe.receiveMessage();
            assertThat(d.freeQubits()).isEqualTo(rt.node().qubits());
            assertThat(d.boundContainers()).isZero();
        }
    }
}
