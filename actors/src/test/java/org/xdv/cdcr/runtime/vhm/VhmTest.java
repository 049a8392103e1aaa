package org.xdv.cdcr.runtime.vhm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.xdv.cdcr.runtime.core.container.FaultKind;
import org.xdv.cdcr.runtime.core.container.Termination;
import org.xdv.cdcr.runtime.core.spec.ContainerSpec;
import org.xdv.cdcr.runtime.core.spec.SpecParser;

/** The example modules of {@code examples/vhm} run in their own VHM through the host ABI. */
class VhmTest {

    @Test
    void kOnlyJobComputesInsideItsVhmAndReportsItsResult() {
        Vhm.Outcome o = new VhmFixture().run(VhmFixture.example("k-only.yaml"));
        assertThat(o.termination()).isEqualTo(Termination.completed());
        assertThat(o.result().orElseThrow().detail()).isEqualTo("result: primes below 20000: 2262");
        assertThat(o.result().orElseThrow().counts()).isEmpty();
        assertThat(o.fuelUsed()).isPositive();
    }

    @Test
    void aClientInlinesTheModuleFileSoTheControlPlaneReadsNoFiles() throws Exception {
        String inlined = SpecParser.inlineModule(VhmFixture.text("vqe.yaml"),
                p -> java.nio.file.Files.readAllBytes(VhmFixture.EXAMPLES.resolve(p)));
        assertThat(inlined).startsWith("{").contains("moduleBase64").doesNotContain("\"module\"");
        assertThat(SpecParser.parse(inlined)).isEqualTo(VhmFixture.example("vqe.yaml"));
        String builtin = "tenant: a\nname: b\n";
        assertThat(SpecParser.inlineModule(builtin, SpecParser.ModuleFiles.NONE)).isSameAs(builtin);
    }

    @Test
    void fuelIsDeterministic() {
        ContainerSpec spec = VhmFixture.example("vqe.yaml");
        Vhm.Outcome a = new VhmFixture().run(spec);
        Vhm.Outcome b = new VhmFixture().run(spec);
        assertThat(a.termination()).isEqualTo(Termination.completed());
        assertThat(b.fuelUsed()).isEqualTo(a.fuelUsed());
        assertThat(b.result()).isEqualTo(a.result());

        ContainerSpec primes = VhmFixture.example("k-only.yaml");
        assertThat(new VhmFixture().run(primes).fuelUsed()).isEqualTo(new VhmFixture().run(primes).fuelUsed());
    }

    @Test
    void variationalLoopWalksToTheMinimumEnergy() {
        Vhm.Outcome o = new VhmFixture().run(VhmFixture.example("vqe.yaml"));
        assertThat(o.termination()).as(o.termination().detail()).isEqualTo(Termination.completed());
        String detail = o.result().orElseThrow().detail();
        Matcher m = Pattern.compile("result: theta_mrad=(-?\\d+) energy_milli=(-?\\d+) evaluations=(\\d+)")
                .matcher(detail);
        assertThat(m.find()).as(detail).isTrue();
        double theta = Integer.parseInt(m.group(1)) / 1000.0;
        int energy = Integer.parseInt(m.group(2));
        assertThat(Math.abs(theta - Math.PI)).as(detail).isLessThan(0.25);
        assertThat(energy).as(detail).isLessThan(-1900);
        assertThat(detail).startsWith(m.group(3) + " circuits, ");
        // the counts reported are those of the last evaluation the module read: near |11>
        assertThat(o.result().orElseThrow().counts()).containsKey("11");
    }

    @Test
    void builtinCircuitRunnerIsAModuleOnTheSamePath() {
        assertThat(Vhm.builtinModule()).startsWith(0x00, 'a', 's', 'm');
        ContainerSpec bell = VhmFixture.parse("""
                tenant: acme
                name: bell
                capabilities: [k.exec, q.alloc, q.run, q.measure]
                q:
                  qubits: 2
                  shots: 400
                  seed: 7
                  qasm: |
                    OPENQASM 2.0;
                    include "qelib1.inc";
                    qreg q[2]; creg c[2];
                    h q[0]; cx q[0], q[1];
                    measure q -> c;
                """);
        Vhm.Outcome o = new VhmFixture().run(bell);
        assertThat(o.termination()).isEqualTo(Termination.completed());
        assertThat(o.result().orElseThrow().detail()).isEqualTo("400 shots");
        assertThat(o.result().orElseThrow().counts().keySet()).containsExactly("00", "11");
        assertThat(o.fuelUsed()).isBetween(1L, 1_000L);
    }

    @Test
    void phiJobSamplesItsEnvelopeAndLeavesBeforeAnUnstableSlot() {
        // a floor this high is crossed within a few slots (see FaultContainmentTest): the built-in program
        // holding the same envelope faults, the watching module leaves cleanly just before
        String watching = VhmFixture.text("phi-watch.yaml").replace("stabilityFloor: 0.6", "stabilityFloor: 0.88")
                .replace("args: [20]", "args: [0]");
        Vhm.Outcome o = new VhmFixture().run(VhmFixture.parse(watching));
        assertThat(o.termination()).as(o.termination().detail()).isEqualTo(Termination.completed());
        assertThat(o.result().orElseThrow().detail()).contains("result: left early at slot");
        assertThat(o.log()).singleElement().asString().startsWith("left early at slot");

        ContainerSpec holding = VhmFixture.parse(watching.replaceAll("(?s)k:.*?memoryPages: 1\n", "")
                .replace("log.write]", "log.write]\n"));
        Vhm.Outcome builtin = new VhmFixture().run(holding);
        assertThat(builtin.termination().fault()).as(builtin.termination().detail())
                .contains(FaultKind.PHI_INSTABILITY);

        Vhm.Outcome calm = new VhmFixture().run(VhmFixture.example("phi-watch.yaml"));
        assertThat(calm.termination()).isEqualTo(Termination.completed());
        assertThat(calm.result().orElseThrow().phi()).isPresent();
    }
}
