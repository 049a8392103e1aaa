package org.xdv.cdcr.q.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.xdv.cdcr.q.circuit.Circuit;
import org.xdv.cdcr.q.circuit.Mat2;
import org.xdv.cdcr.q.circuit.Op;

/** Whole circuits built from the IR: results, bit order, sampling determinism, per-shot mode. */
class SimulatorTest {

    private final Simulator fused = new Simulator(SimOptions.defaults());
    private final Simulator plain = new Simulator(SimOptions.unfused(1));

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 5, 16})
    void ghzHasTwoEqualOutcomes(int n) {
        Circuit ghz = CircuitBuilder.ghz(n);
        for (Simulator sim : new Simulator[] {fused, plain}) {
            StateVector sv = sim.finalState(ghz);
            assertThat(sv.probability(0)).isCloseTo(0.5, within(1e-12));
            assertThat(sv.probability((1L << n) - 1)).isCloseTo(0.5, within(1e-12));
            ShotResult r = sim.run(ghz, 1000, 1);
            assertThat(r.counts().keySet()).containsExactly("0".repeat(n), "1".repeat(n));
        }
        Map<String, Double> dist = fused.distribution(ghz);
        assertThat(dist.keySet()).containsExactly("0".repeat(n), "1".repeat(n));
        assertThat(dist.get("0".repeat(n))).isCloseTo(0.5, within(1e-12));
        assertThat(dist.get("1".repeat(n))).isCloseTo(0.5, within(1e-12));
    }

    @Test
    void bellPairIsCloseToFiftyFifty() {
        Circuit bell = new CircuitBuilder(2, 2).h(0).cx(0, 1).measure(0, 0).measure(1, 1).build();
        ShotResult r = fused.run(bell, 1024, 2024);
        assertThat(r.shots()).isEqualTo(1024);
        assertThat(r.seed()).isEqualTo(2024);
        assertThat(r.counts().keySet()).containsExactly("00", "11");
        // binomial(1024, 1/2) has σ = 16; 5σ = 80
        assertThat(r.count("00")).isBetween(512 - 80, 512 + 80);
        assertThat(r.frequency("00") + r.frequency("11")).isEqualTo(1.0);
    }

    @Test
    void clbitZeroIsTheRightmostCharacter() {
        Circuit c = new CircuitBuilder(2, 3).x(0).measure(0, 0).measure(1, 2).build();
        assertThat(fused.run(c, 10, 0).counts()).isEqualTo(Map.of("001", 10));
        Circuit d = new CircuitBuilder(2, 3).x(0).measure(0, 2).measure(1, 0).build();
        assertThat(fused.run(d, 10, 0).counts()).isEqualTo(Map.of("100", 10));
        Circuit none = new CircuitBuilder(2, 0).h(0).build();
        assertThat(fused.run(none, 7, 0).counts()).isEqualTo(Map.of("", 7));
        assertThat(fused.run(none, 0, 0).counts()).isEmpty();
    }

    @Test
    void sameSeedSameCountsWhateverTheThreadsAndFusion() {
        Circuit c = CircuitBuilder.random(15, 400, 12, true);
        CircuitBuilder measured = new CircuitBuilder(15, 15);
        c.ops().forEach(measured::op);
        Circuit m = measured.measureAll().build();
        ShotResult reference = plain.run(m, 5000, 99);
        assertThat(reference.counts().size()).isGreaterThan(1000);
        assertThat(plain.run(m, 5000, 99)).isEqualTo(reference);
        for (int threads : new int[] {1, 2, 4}) {
            assertThat(new Simulator(SimOptions.unfused(threads)).run(m, 5000, 99)).isEqualTo(reference);
            assertThat(new Simulator(SimOptions.fused(threads)).run(m, 5000, 99)).isEqualTo(reference);
        }
        assertThat(new Simulator(SimOptions.fused(2), new Fusion.Config(3, 10, 2), false).run(m, 5000, 99))
                .isEqualTo(reference);
        assertThat(plain.run(m, 5000, 100).counts()).isNotEqualTo(reference.counts());
    }

    @Test
    void samplingFollowsTheDocumentedProcedure() {
        // ry(θ)|0⟩: P(1) = sin²(θ/2); with the draws known, the counts follow exactly
        double theta = 1.1;
        Circuit c = new CircuitBuilder(1, 1).gate("ry", CircuitBuilder.ry(theta), 0).measure(0, 0).build();
        int shots = 2000;
        SplitMix64 rng = new SplitMix64(5);
        double p0 = Math.pow(Math.cos(theta / 2), 2);
        int zeros = 0;
        for (int s = 0; s < shots; s++) {
            if (rng.nextDouble() < p0) {
                zeros++;
            }
        }
        assertThat(fused.run(c, shots, 5).counts()).isEqualTo(Map.of("0", zeros, "1", shots - zeros));
    }

    @Test
    void splitMix64MatchesItsPublishedOutput() {
        // reference values of SplitMix64 seeded with 1234567 (from the C reference implementation)
        SplitMix64 rng = new SplitMix64(1234567);
        assertThat(rng.nextLong()).isEqualTo(6457827717110365317L);
        assertThat(rng.nextLong()).isEqualTo(3203168211198807973L);
        assertThat(rng.nextLong()).isEqualTo(Long.parseUnsignedLong("9817491932198370423"));
        assertThat(rng.nextLong()).isEqualTo(4593380528125082431L);
        assertThat(rng.nextLong()).isEqualTo(Long.parseUnsignedLong("16408922859458223821"));
    }

    @Test
    void finalStateRefusesCircuitsWithoutASingleFinalState() {
        Circuit midMeasure = new CircuitBuilder(1, 1).h(0).measure(0, 0).h(0).build();
        Circuit reset = new CircuitBuilder(1, 0).reset(0).build();
        Circuit conditional = new CircuitBuilder(1, 1).when(0, 1, 1, new Op.Unitary("x", new int[0], 0, Mat2.X))
                .build();
        for (Circuit c : new Circuit[] {midMeasure, reset, conditional}) {
            assertThatThrownBy(() -> fused.finalState(c)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("use run()");
        }
        assertThatThrownBy(() -> fused.run(reset, -1, 0)).hasMessageContaining("negative");
    }

    @Test
    void midCircuitMeasurementIsSampledShotByShot() {
        // h; measure → c0; h; measure → c1: four equally likely outcomes, c0 and c1 independent
        Circuit c = new CircuitBuilder(1, 2).h(0).measure(0, 0).h(0).measure(0, 1).build();
        ShotResult r = fused.run(c, 4000, 3);
        assertThat(r.counts().keySet()).containsExactly("00", "01", "10", "11");
        for (int v : r.counts().values()) {
            assertThat(v).isBetween(1000 - 140, 1000 + 140); // σ ≈ 27
        }
        assertThat(plain.run(c, 4000, 3)).isEqualTo(r);
        assertThat(new Simulator(SimOptions.fused(3)).run(c, 4000, 3)).isEqualTo(r);
    }

    @Test
    void resetReturnsTheQubitToZero() {
        Circuit c = new CircuitBuilder(2, 2).h(0).cx(0, 1).measure(0, 0).reset(0).reset(1).measure(1, 1).build();
        ShotResult r = fused.run(c, 1000, 8);
        assertThat(r.counts().keySet()).containsExactly("00", "01");
        assertThat(r.count("01")).isBetween(500 - 80, 500 + 80);
    }

    @Test
    void conditionalComparesTheWholeRegisterValue() {
        // c = 0b10 is set by x q1; measure; then if (c == 2) x q2 fires, if (c == 1) x q3 does not
        Op xq2 = new Op.Unitary("x", new int[0], 2, Mat2.X);
        Op xq3 = new Op.Unitary("x", new int[0], 3, Mat2.X);
        Circuit c = new CircuitBuilder(4, 4).x(1).measure(0, 0).measure(1, 1)
                .when(0, 2, 2, xq2).when(0, 2, 1, xq3).measure(2, 2).measure(3, 3).build();
        assertThat(fused.run(c, 50, 1).counts()).isEqualTo(Map.of("0110", 50));
        // a conditional measure writes its bit only when it fires
        Circuit m = new CircuitBuilder(2, 3).x(0).x(1).measure(0, 0)
                .when(0, 1, 0, new Op.Measure(1, 1)).when(0, 1, 1, new Op.Measure(1, 2)).build();
        assertThat(fused.run(m, 20, 1).counts()).isEqualTo(Map.of("101", 20));
    }

    /**
     * Teleportation of ry(θ)|0⟩ from q0 to q2 with classically controlled corrections: q2 then reads 1 with
     * probability sin²(θ/2), whatever Alice measured.
     */
    @ParameterizedTest
    @ValueSource(doubles = {0.0, 0.7, 1.9, Math.PI})
    void teleportationDeliversTheState(double theta) {
        Circuit c = new CircuitBuilder(3, 3)
                .gate("ry", CircuitBuilder.ry(theta), 0)
                .h(1).cx(1, 2)
                .cx(0, 1).h(0)
                .measure(0, 0).measure(1, 1)
                .when(1, 1, 1, new Op.Unitary("x", new int[0], 2, Mat2.X))
                .when(0, 1, 1, new Op.Unitary("z", new int[0], 2, CircuitBuilder.Z))
                .measure(2, 2)
                .build();
        int shots = 4000;
        ShotResult r = fused.run(c, shots, 17);
        int ones = 0;
        int[] alice = new int[4];
        for (Map.Entry<String, Integer> e : r.counts().entrySet()) {
            if (e.getKey().charAt(0) == '1') {
                ones += e.getValue();
            }
            alice[Integer.parseInt(e.getKey().substring(1), 2)] += e.getValue();
        }
        double p = Math.pow(Math.sin(theta / 2), 2);
        double sigma = Math.sqrt(shots * p * (1 - p));
        assertThat((double) ones).isCloseTo(shots * p, within(5 * sigma + 1e-9));
        for (int a : alice) {
            assertThat(a).isBetween(1000 - 150, 1000 + 150);
        }
        assertThat(plain.run(c, shots, 17)).isEqualTo(r);
    }

    @Test
    void zeroQubitCircuitsRun() {
        Circuit empty = new CircuitBuilder(0, 0).build();
        assertThat(fused.run(empty, 3, 1).counts()).isEqualTo(Map.of("", 3));
        assertThat(fused.finalState(empty).norm()).isEqualTo(1.0);
    }
}
