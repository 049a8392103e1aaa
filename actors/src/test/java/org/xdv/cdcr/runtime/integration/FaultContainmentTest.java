package org.xdv.cdcr.runtime.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.xdv.cdcr.runtime.integration.EmbeddedNode.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletionStage;

import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xdv.cdcr.phi.EnvelopeRequest;
import org.xdv.cdcr.phi.PhiAllocator;
import org.xdv.cdcr.phi.Placement;
import org.xdv.cdcr.phi.SharingContracts;
import org.xdv.cdcr.phi.execution.ObservedStability;
import org.xdv.cdcr.runtime.CdcrRuntime;
import org.xdv.cdcr.runtime.core.Quota;
import org.xdv.cdcr.runtime.core.container.ContainerState;
import org.xdv.cdcr.runtime.core.container.FaultKind;
import org.xdv.cdcr.runtime.core.container.Termination;
import org.xdv.cdcr.runtime.core.dao.DaoState;
import org.xdv.cdcr.runtime.core.spec.ContainerSpec;
import org.xdv.cdcr.runtime.node.NodeAgent;
import org.xdv.cdcr.runtime.node.NodeConfig;

/**
 * Faults stay inside the faulting container (spec §3.3, §9): tenant {@code bad} submits containers that fault —
 * Q decoherence (a budget below the circuit's cost), Φ instability (observed stability dips below the floor that
 * the forecast honours) and a capability violation (reading counts without {@code q.measure}) — beside tenant
 * {@code good}'s seeded Bell pairs. Each bad container ends with its fault and is released with everything it held,
 * and {@code good}'s results are exactly those of the same containers on a fresh node without {@code bad}.
 */
class FaultContainmentTest {

    private static final Duration RUN = Duration.ofSeconds(60);

    /** Floor and length of the Φ container: see {@link #instabilityIsDeterministic}. */
    private static final double UNSTABLE_FLOOR = 0.88;
    private static final long UNSTABLE_SLOTS = 10;

    private static List<ContainerSpec> good() {
        return List.of(Specs.bell("good", "bell-1", 500, 101), Specs.bell("good", "bell-2", 500, 202),
                Specs.bell("good", "bell-3", 500, 303));
    }

    private static Map<String, FaultKind> badFaults() {
        return Map.of("bad/decoherence", FaultKind.Q_DECOHERENCE, "bad/unstable", FaultKind.PHI_INSTABILITY,
                "bad/no-measure", FaultKind.CAPABILITY_VIOLATION);
    }

    private static List<ContainerSpec> bad() {
        return List.of(Specs.decoheres("bad", "decoherence", 10),
                Specs.phi("bad", "unstable", UNSTABLE_SLOTS, UNSTABLE_FLOOR),
                Specs.withoutMeasure("bad", "no-measure"));
    }

    @Test
    void badContainersFaultAloneAndGoodResultsEqualARunWithoutThem(@TempDir Path tmp) {
        Map<String, TreeMap<String, Integer>> withBad = new TreeMap<>();
        try (EmbeddedNode node = EmbeddedNode.start(tmp.resolve("with-bad"))) {
            CdcrRuntime rt = node.runtime();
            Window unstable = instabilityIsDeterministic(rt.node());
            await(rt.upsertTenant(Specs.tenant("good", 10)));
            await(rt.upsertTenant(Specs.tenant("bad", 10)));

            // interleaved and concurrent: bad, good, bad, good, ...
            List<CompletionStage<CdcrRuntime.Submission>> submissions = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                submissions.add(rt.submit(bad().get(i)));
                submissions.add(rt.submit(good().get(i)));
            }
            List<String> ids = new ArrayList<>();
            for (CompletionStage<CdcrRuntime.Submission> s : submissions) {
                CdcrRuntime.Submission sub = await(s);
                assertThat(sub).as(sub.containerId()).isInstanceOf(CdcrRuntime.Accepted.class);
                ids.add(sub.containerId());
            }

            for (ContainerState s : node.awaitReleased(ids, RUN)) {
                FaultKind expected = badFaults().get(s.id());
                Termination t = s.termination().orElseThrow();
                if (expected == null) {
                    assertThat(t).as(s.id()).isEqualTo(Termination.completed());
                    EmbeddedRuntimeTest.assertBellPair(s.result().orElseThrow(), 500);
                    withBad.put(s.id(), s.result().orElseThrow().counts());
                } else {
                    assertThat(t.kind()).as(s.id() + ": " + t).isEqualTo(Termination.Kind.FAULT);
                    assertThat(t.fault()).as(s.id() + ": " + t).contains(expected);
                    assertThat(s.result()).as(s.id()).isEmpty();
                }
            }

            // what the bad containers held before they faulted, and why they faulted
            ContainerState decohered = await(rt.get("bad/decoherence"));
            assertThat(decohered.register()).as("held a register").isPresent();
            assertThat(decohered.termination().orElseThrow().detail()).contains("decoher");
            ContainerState noMeasure = await(rt.get("bad/no-measure"));
            assertThat(noMeasure.register()).as("held a register").isPresent();
            assertThat(noMeasure.termination().orElseThrow().detail()).contains("q.measure");
            ContainerState instable = await(rt.get("bad/unstable"));
            assertThat(instable.envelope()).as("held an envelope").isPresent();
            assertThat(instable.envelope().get().channel()).isEqualTo(unstable.placement().channel());
            assertThat(instable.envelope().get().startSlot()).isEqualTo(unstable.placement().startSlot());
            assertThat(instable.termination().orElseThrow().detail())
                    .contains("below floor").contains("at slot " + unstable.firstDip());

            // everything was given back: the orchestrator's books and the node itself
            DaoState view = await(rt.view());
            assertThat(view.tenants().get("bad").usage()).isEqualTo(Quota.ZERO);
            assertThat(view.tenants().get("good").usage()).isEqualTo(Quota.ZERO);
            EmbeddedRuntimeTest.assertNothingHeld(view);
            TestProbe<NodeAgent.Description> describe = node.probe();
            rt.agent().tell(new NodeAgent.Describe(describe.ref()));
            NodeAgent.Description d = describe.expectMessageClass(NodeAgent.Description.class, Duration.ofSeconds(10));
            assertThat(d.freeQubits()).isEqualTo(rt.node().qubits());
            assertThat(d.boundContainers()).isZero();
        }
        assertThat(withBad).hasSize(3);

        Map<String, TreeMap<String, Integer>> alone = new TreeMap<>();
        try (EmbeddedNode node = EmbeddedNode.start(tmp.resolve("good-alone"))) {
            CdcrRuntime rt = node.runtime();
            await(rt.upsertTenant(Specs.tenant("good", 10)));
            List<String> ids = new ArrayList<>();
            for (ContainerSpec s : good()) {
                ids.add(await(rt.submit(s)).containerId());
            }
            for (ContainerState s : node.awaitReleased(ids, RUN)) {
                assertThat(s.termination()).contains(Termination.completed());
                alone.put(s.id(), s.result().orElseThrow().counts());
            }
        }
        assertThat(withBad).isEqualTo(alone);
    }

    /** Where the Φ container will be placed, and the first slot whose observed stability is below its floor. */
    private record Window(Placement placement, long firstDip) {
    }

    /**
     * The Φ-instability fault is deterministic: the orchestrator reserves the earliest window whose forecast stays
     * at or above the floor (on an empty node: this one), and the node's observed stream (forecast plus noise
     * seeded by the node's {@code phi-run-seed}) dips below the floor inside it. Checked here first, so a change of
     * the Φ model fails with this explanation rather than with a container that completed.
     */
    private static Window instabilityIsDeterministic(NodeConfig node) {
        Optional<Placement> p = PhiAllocator.empty(node.phi(), node.nodeId()).feasible(
                EnvelopeRequest.of("bad", "bad/unstable", UNSTABLE_SLOTS, UNSTABLE_FLOOR), 0, SharingContracts.none());
        assertThat(p).as("a window of %d slots with forecast >= %s exists", UNSTABLE_SLOTS, UNSTABLE_FLOOR)
                .isPresent();
        assertThat(p.get().minForecast()).isGreaterThanOrEqualTo(UNSTABLE_FLOOR);
        ObservedStability observed = new ObservedStability(node.phi(), node.nodeId(), node.phiRunSeed());
        for (long slot = p.get().startSlot(); slot < p.get().endSlot(); slot++) {
            if (observed.at(p.get().channel(), slot) < UNSTABLE_FLOOR) {
                return new Window(p.get(), slot);
            }
        }
        throw new AssertionError("with this node's Φ model and run seed the observed stability never dips below "
                + UNSTABLE_FLOOR + " in " + p.get() + ": choose another floor for the instability fault");
    }
}
