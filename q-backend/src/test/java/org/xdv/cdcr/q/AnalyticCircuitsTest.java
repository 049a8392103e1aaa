package org.xdv.cdcr.q;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.xdv.cdcr.q.circuit.Circuit;
import org.xdv.cdcr.q.qasm.QasmParser;
import org.xdv.cdcr.q.sim.ShotResult;
import org.xdv.cdcr.q.sim.SimOptions;
import org.xdv.cdcr.q.sim.Simulator;
import org.xdv.cdcr.q.sim.StateVector;

/** Parser + simulator against results known in closed form. */
class AnalyticCircuitsTest {

    private static final String HEAD = "OPENQASM 2.0;\ninclude \"qelib1.inc\";\n";
    private final Simulator fused = new Simulator(SimOptions.defaults());
    private final Simulator plain = new Simulator(SimOptions.unfused(1));

    private static Circuit qasm(String body) throws Exception {
        return QasmParser.parse(HEAD + body, "test.qasm");
    }

    @Test
    void bellPairSplitsEvenly() throws Exception {
        Circuit bell = qasm("qreg q[2];\ncreg c[2];\nh q[0];\ncx q[0],q[1];\nmeasure q -> c;\n");
        ShotResult r = fused.run(bell, 1024, 7);
        assertThat(r.counts().keySet()).containsExactly("00", "11");
        // binomial(1024, 1/2): 5 sigma = 80
        assertThat(r.counts().get("00")).isBetween(512 - 80, 512 + 80);
        assertThat(r.counts().get("00") + r.counts().get("11")).isEqualTo(1024);
        assertThat(plain.run(bell, 1024, 7).counts()).isEqualTo(r.counts());
    }

    @ParameterizedTest
    @ValueSource(ints = {3, 7, 12})
    void ghzHasExactlyTwoOutcomes(int n) throws Exception {
        StringBuilder b = new StringBuilder("qreg q[" + n + "];\ncreg c[" + n + "];\nh q[0];\n");
        for (int i = 1; i < n; i++) {
            b.append("cx q[").append(i - 1).append("],q[").append(i).append("];\n");
        }
        b.append("measure q -> c;\n");
        Circuit ghz = qasm(b.toString());
        StateVector sv = fused.finalState(ghz);
        assertThat(sv.probability(0)).isCloseTo(0.5, within(1e-12));
        assertThat(sv.probability((1L << n) - 1)).isCloseTo(0.5, within(1e-12));
        assertThat(sv.norm()).isCloseTo(1.0, within(1e-12));
        assertThat(fused.run(ghz, 4096, 3).counts().keySet()).containsExactly("0".repeat(n), "1".repeat(n));
    }

    /** QFT|x⟩ = 2^{-n/2} Σ_k e^{2πi·x·k/2^n} |k⟩, with q[0] the least significant bit of x and k. */
    @ParameterizedTest
    @ValueSource(ints = {0, 1, 5, 11, 22, 31})
    void qftOfBasisStateHasTheTextbookPhases(int x) throws Exception {
        int n = 5;
        StringBuilder b = new StringBuilder("qreg q[" + n + "];\n");
        for (int i = 0; i < n; i++) {
            if (((x >> i) & 1) == 1) {
                b.append("x q[").append(i).append("];\n");
            }
        }
        for (int j = n - 1; j >= 0; j--) {
            b.append("h q[").append(j).append("];\n");
            for (int k = j - 1; k >= 0; k--) {
                b.append("cu1(pi/").append(1 << (j - k)).append(") q[").append(k).append("],q[").append(j).append("];\n");
            }
        }
        for (int i = 0; i < n / 2; i++) {
            b.append("swap q[").append(i).append("],q[").append(n - 1 - i).append("];\n");
        }
        Circuit qft = qasm(b.toString());
        for (Simulator sim : new Simulator[] {fused, plain}) {
            StateVector sv = sim.finalState(qft);
            double norm = 1 / Math.sqrt(1 << n);
            for (int k = 0; k < (1 << n); k++) {
                double angle = 2 * Math.PI * x * k / (1 << n);
                assertThat(sv.re(k)).as("re %d", k).isCloseTo(norm * Math.cos(angle), within(1e-12));
                assertThat(sv.im(k)).as("im %d", k).isCloseTo(norm * Math.sin(angle), within(1e-12));
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"1", "1011", "110100111"})
    void bernsteinVaziraniRecoversTheSecretInEveryShot(String secret) throws Exception {
        int n = secret.length();
        StringBuilder b = new StringBuilder("qreg d[" + n + "];\nqreg a[1];\ncreg c[" + n + "];\nx a[0];\nh d;\nh a[0];\n");
        for (int i = 0; i < n; i++) {
            if (secret.charAt(n - 1 - i) == '1') {
                b.append("cx d[").append(i).append("],a[0];\n");
            }
        }
        b.append("h d;\nmeasure d -> c;\n");
        ShotResult r = fused.run(qasm(b.toString()), 500, 11);
        assertThat(r.counts()).isEqualTo(Map.of(secret, 500));
    }

    @Test
    void groverOnTwoQubitsFindsTheMarkedStateWithCertainty() throws Exception {
        Circuit g = qasm("qreg q[2];\ncreg c[2];\nh q;\ncz q[0],q[1];\nh q;\nx q;\ncz q[0],q[1];\nx q;\nh q;\nmeasure q -> c;\n");
        assertThat(fused.finalState(g).probability(3)).isCloseTo(1.0, within(1e-12));
        assertThat(fused.run(g, 256, 5).counts()).isEqualTo(Map.of("11", 256));
    }

    @Test
    void groverOnThreeQubitsAfterTwoIterations() throws Exception {
        // marked state |101>: oracle = x q[1]; ccz; x q[1]. Two iterations give sin^2(5·asin(1/sqrt 8)).
        String ccz = "h q[2];\nccx q[0],q[1],q[2];\nh q[2];\n";
        String oracle = "x q[1];\n" + ccz + "x q[1];\n";
        String diffusion = "h q;\nx q;\n" + ccz + "x q;\nh q;\n";
        Circuit g = qasm("qreg q[3];\nh q;\n" + oracle + diffusion + oracle + diffusion);
        double expected = Math.pow(Math.sin(5 * Math.asin(1 / Math.sqrt(8))), 2);
        assertThat(fused.finalState(g).probability(0b101)).isCloseTo(expected, within(1e-12));
        assertThat(plain.finalState(g).probability(0b101)).isCloseTo(expected, within(1e-12));
    }

    /** Teleports u3(θ,φ,λ)|0⟩ with classically controlled corrections, then undoes u3: q[2] always reads 0. */
    @ParameterizedTest
    @ValueSource(doubles = {0.3, 1.2, 2.9})
    void teleportationWithClassicalFeedForward(double theta) throws Exception {
        Circuit t = qasm("qreg q[3];\ncreg m0[1];\ncreg m1[1];\ncreg out[1];\n"
                + "u3(" + theta + ",0.7,-0.4) q[0];\n"
                + "h q[1];\ncx q[1],q[2];\n"
                + "cx q[0],q[1];\nh q[0];\n"
                + "measure q[0] -> m0[0];\nmeasure q[1] -> m1[0];\n"
                + "if(m1==1) x q[2];\nif(m0==1) z q[2];\n"
                + "u3(" + (-theta) + ",0.4,-0.7) q[2];\n"
                + "measure q[2] -> out[0];\n");
        ShotResult r = fused.run(t, 400, 9);
        int total = 0;
        for (Map.Entry<String, Integer> e : r.counts().entrySet()) {
            assertThat(e.getKey()).hasSize(3).startsWith("0");
            total += e.getValue();
        }
        assertThat(total).isEqualTo(400);
        // all four (m1, m0) outcomes occur, each with probability 1/4
        assertThat(r.counts()).hasSize(4);
        assertThat(plain.run(t, 400, 9).counts()).isEqualTo(r.counts());
    }

    /** An ancilla computed and uncomputed, reset and measured, steers an {@code if} with certainty. */
    @Test
    void certainMidCircuitOperationsAreSimulatedOnce() throws Exception {
        Circuit c = qasm("qreg q[3];\ncreg a[1];\ncreg b[1];\ncreg d[1];\nh q[0];\ncx q[0],q[1];\ncx q[0],q[1];\n"
                + "reset q[1];\nmeasure q[1] -> b[0];\nif(b==0) x q[2];\nmeasure q[0] -> a[0];\nmeasure q[2] -> d[0];\n");
        ShotResult r = fused.run(c, 1000, 3);
        assertThat(r.counts().keySet()).containsExactlyInAnyOrder("100", "101");
        assertThat(r.counts().get("101")).isBetween(500 - 80, 500 + 80);
        assertThat(plain.run(c, 1000, 3).counts()).isEqualTo(r.counts());
    }

    @Test
    void midCircuitResetReturnsAQubitToZero() throws Exception {
        Circuit c = qasm("qreg q[1];\ncreg a[1];\ncreg b[1];\nh q[0];\nmeasure q[0] -> a[0];\nreset q[0];\nmeasure q[0] -> b[0];\n");
        ShotResult r = fused.run(c, 300, 4);
        assertThat(r.counts().keySet()).containsOnly("00", "01");
        assertThat(r.counts().values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(300);
    }
}
