package org.xdv.cdcr.q.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.xdv.cdcr.q.circuit.Circuit;
import org.xdv.cdcr.q.circuit.Mat2;
import org.xdv.cdcr.q.circuit.Op;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** The fused path against the unfused one, and the rules the fuser must keep. */
class FusionTest {

    private static StateVector run(Plan plan, int n) {
        StateVector sv = StateVector.zero(n, 1, true);
        plan.applyTo(sv);
        return sv;
    }

    private static double maxDiff(StateVector a, StateVector b) {
        double d = 0;
        for (long i = 0; i < a.dimension(); i++) {
            d = Math.max(d, Math.abs(a.re(i) - b.re(i)) + Math.abs(a.im(i) - b.im(i)));
        }
        return d;
    }

    /** denseQubits/tileQubits/tileMargin: small tiles so that tiling happens at test sizes. */
    @ParameterizedTest
    @CsvSource({
        "6, 0, 4, 1", "8, 2, 5, 2", "10, 2, 6, 2", "10, 3, 6, 2", "12, 2, 8, 3", "12, 4, 8, 2", "12, 5, 10, 4",
        "11, 3, 14, 3", "7, 2, 4, 0",
    })
    void fusedAgreesWithUnfusedOnRandomCircuits(int n, int dense, int tile, int margin) {
        Fusion.Config cfg = new Fusion.Config(dense, tile, margin);
        for (long seed = 0; seed < 6; seed++) {
            Circuit c = CircuitBuilder.random(n, 40 * n, seed * 31 + n, true);
            StateVector plain = run(Plan.unfused(n, c.ops()), n);
            Plan fusedPlan = Fusion.plan(n, c.ops(), cfg);
            StateVector fused = run(fusedPlan, n);
            assertThat(maxDiff(plain, fused)).as("seed %d, %s", seed, cfg).isLessThan(1e-10);
            assertThat(fusedPlan.sourceGates()).isEqualTo(Plan.unfused(n, c.ops()).passes());
        }
    }

    @Test
    void defaultTilingAgreesAboveTheTileSize() {
        int n = 16;
        Circuit c = CircuitBuilder.random(n, 300, 77, true);
        Fusion.Config cfg = Fusion.Config.defaults();
        Plan fused = Fusion.plan(n, c.ops(), cfg);
        assertThat(fused.steps()).anyMatch(s -> s instanceof Plan.Tile);
        assertThat(maxDiff(run(Plan.unfused(n, c.ops()), n), run(fused, n))).isLessThan(1e-10);
        Circuit layered = CircuitBuilder.layered(n, 20, 3);
        Plan layeredPlan = Fusion.plan(n, layered.ops(), cfg);
        assertThat(maxDiff(run(Plan.unfused(n, layered.ops()), n), run(layeredPlan, n))).isLessThan(1e-10);
        // the point of fusion: far fewer passes over the state than gates
        assertThat(layeredPlan.passes()).isLessThan(layeredPlan.sourceGates() / 10);
    }

    @Property(tries = 40)
    void normIsPreservedOnRandomCircuits(@ForAll @IntRange(min = 1, max = 9) int n,
                                         @ForAll @IntRange(min = 0, max = 400) int gates,
                                         @ForAll long seed) {
        Circuit c = CircuitBuilder.random(n, gates, seed, true);
        assertThat(run(Plan.unfused(n, c.ops()), n).norm()).isCloseTo(1, within(1e-12));
        assertThat(run(Fusion.plan(n, c.ops(), new Fusion.Config(3, 5, 1)), n).norm()).isCloseTo(1, within(1e-12));
    }

    @Test
    void singleQubitRunsBecomeOneMatrix() {
        Circuit c = new CircuitBuilder(2, 0).h(0).z(0).h(0).x(1).h(1).build();
        Plan p = Fusion.plan(2, c.ops(), new Fusion.Config(0, 14, 3));
        assertThat(p.passes()).isEqualTo(2);
        StateVector sv = run(p, 2);
        // H Z H = X on qubit 0; H X|0⟩ = |−⟩ on qubit 1
        assertThat(sv.probability(0b01)).isCloseTo(0.5, within(1e-12));
        assertThat(sv.probability(0b11)).isCloseTo(0.5, within(1e-12));
    }

    @Test
    void nothingIsFusedAcrossABarrierOnTheSameQubits() {
        Circuit merged = new CircuitBuilder(2, 0).h(0).h(0).build();
        assertThat(Fusion.plan(2, merged.ops(), Fusion.Config.defaults()).passes()).isEqualTo(1);
        Circuit fenced = new CircuitBuilder(2, 0).h(0).barrier(0, 1).h(0).build();
        assertThat(Fusion.plan(2, fenced.ops(), Fusion.Config.defaults()).passes()).isEqualTo(2);
        // a barrier on other qubits does not separate them
        Circuit elsewhere = new CircuitBuilder(2, 0).h(0).barrier(1).h(0).build();
        assertThat(Fusion.plan(2, elsewhere.ops(), Fusion.Config.defaults()).passes()).isEqualTo(1);
        // no tile and no dense block spans a barrier either
        Circuit wide = new CircuitBuilder(16, 0).h(0).cx(0, 1).h(1).barrier(1).h(1).cx(1, 0).build();
        Plan p = Fusion.plan(16, wide.ops(), Fusion.Config.defaults());
        assertThat(p.passes()).isEqualTo(2);
    }

    @Test
    void groupingFollowsTheDocumentedExample() {
        List<Fusion.Node> nodes = new ArrayList<>();
        for (Op op : new CircuitBuilder(3, 0).h(0).h(1).cx(0, 1).h(2).cx(1, 2).build().ops()) {
            KernelOp k = Plan.toKernelOp(op);
            nodes.add(new Fusion.Node(k.qubits(), k));
        }
        List<Fusion.Group> groups = Fusion.group(3, nodes, 2);
        assertThat(groups).hasSize(2);
        assertThat(groups.get(0).members()).containsExactly(nodes.get(0), nodes.get(1), nodes.get(2));
        assertThat(groups.get(1).members()).containsExactly(nodes.get(3), nodes.get(4));
    }

    @Test
    void denseBlocksAreBuiltWhenTheyPayAndMatchTheGates() {
        Fusion.Config cfg = new Fusion.Config(2, 14, 3);
        Circuit c = new CircuitBuilder(5, 0).u(3, 0.1, 0.2, 0.3).u(4, 0.4, 0.5, 0.6).cx(3, 4).u(3, 0.7, 0.8, 0.9)
                .u(4, 1.0, 1.1, 1.2).cx(4, 3).build();
        Plan p = Fusion.plan(5, c.ops(), cfg);
        assertThat(p.steps()).hasSize(1);
        assertThat(((Plan.Direct) p.steps().get(0)).op()).isInstanceOf(KernelOp.Dense.class);
        assertThat(maxDiff(run(p, 5), run(Plan.unfused(5, c.ops()), 5))).isLessThan(1e-12);
        // the same gates on qubits 0 and 1 keep their (SIMD) block kernels
        Circuit low = new CircuitBuilder(5, 0).u(0, 0.1, 0.2, 0.3).u(1, 0.4, 0.5, 0.6).cx(0, 1).u(0, 0.7, 0.8, 0.9)
                .u(1, 1.0, 1.1, 1.2).cx(1, 0).build();
        assertThat(Fusion.plan(5, low.ops(), cfg).steps())
                .noneMatch(s -> ((Plan.Direct) s).op() instanceof KernelOp.Dense);
        // phases only: kept as phases
        Circuit phases = new CircuitBuilder(5, 0).cp(3, 4, 0.3).gate("rz", CircuitBuilder.rz(0.2), 3)
                .cp(4, 3, 0.1).build();
        assertThat(Fusion.plan(5, phases.ops(), cfg).steps())
                .noneMatch(s -> ((Plan.Direct) s).op() instanceof KernelOp.Dense);
    }

    @Test
    void gatesWiderThanTheLimitStillRun() {
        CircuitBuilder b = new CircuitBuilder(6, 0);
        for (int q = 0; q < 6; q++) {
            b.h(q);
        }
        b.gate("c5x", Mat2.X, 5, 0, 1, 2, 3, 4).h(2);
        Circuit c = b.build();
        Plan p = Fusion.plan(6, c.ops(), new Fusion.Config(2, 4, 1));
        assertThat(maxDiff(run(p, 6), run(Plan.unfused(6, c.ops()), 6))).isLessThan(1e-12);
    }
}
