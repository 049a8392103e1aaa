package org.xdv.cdcr.q;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.xdv.cdcr.q.circuit.Circuit;
import org.xdv.cdcr.q.qasm.QasmBench;
import org.xdv.cdcr.q.qasm.QasmParser;
import org.xdv.cdcr.q.sim.SimOptions;
import org.xdv.cdcr.q.sim.Simulator;
import org.xdv.cdcr.q.sim.StateVector;

/**
 * Every valid QASMBench circuit gives the same result on the fused, multi-threaded path as on the unfused,
 * single-threaded reference: amplitudes within 1e-9 and identical counts for the same seed.
 *
 * <p>The default build runs every circuit whose work (2^qubits × operations × shot passes) is at most
 * {@link #DEFAULT_WORK}; the few largest (bwt_n21, wstate_n27, ising_n26, the 25-qubit transpiled files) need
 * minutes and several GiB, and run with {@code mvn -B verify -Pq-soak -pl q-backend}.
 */
class QasmBenchAgreementTest {

    static final double DEFAULT_WORK = 2e9;
    private static final int TERMINAL_SHOTS = 2048;
    private static final int PER_SHOT_SHOTS = 64;

    static Stream<Path> circuits() {
        boolean all = Boolean.getBoolean("cdcr.qasmbench.all");
        return QasmBench.valid().stream().filter(p -> all || work(p) <= DEFAULT_WORK);
    }

    private static double work(Path p) {
        try {
            Circuit c = QasmParser.parseFile(p);
            double passes = c.measurementsAreTerminal() ? 1 : PER_SHOT_SHOTS;
            return Math.pow(2, c.numQubits()) * c.ops().size() * passes;
        } catch (Exception e) {
            return 0; // a parse failure is reported by the test itself
        }
    }

    @ParameterizedTest
    @MethodSource("circuits")
    void fusedAgreesWithUnfused(Path file) throws Exception {
        Circuit c = QasmParser.parseFile(file);
        Simulator fused = new Simulator(SimOptions.defaults());
        Simulator plain = new Simulator(SimOptions.unfused(1));
        if (c.measurementsAreTerminal()) {
            StateVector a = fused.finalState(c);
            double maxDiff;
            {
                StateVector b = plain.finalState(c);
                maxDiff = 0;
                long dim = 1L << c.numQubits();
                for (long i = 0; i < dim; i++) {
                    maxDiff = Math.max(maxDiff, Math.abs(a.re(i) - b.re(i)) + Math.abs(a.im(i) - b.im(i)));
                }
                assertThat(b.norm()).isCloseTo(1.0, org.assertj.core.api.Assertions.within(1e-9));
            }
            assertThat(maxDiff).as("max amplitude difference").isLessThan(1e-9);
            assertThat(fused.run(c, TERMINAL_SHOTS, 5).counts()).isEqualTo(plain.run(c, TERMINAL_SHOTS, 5).counts());
        } else {
            assertThat(fused.run(c, PER_SHOT_SHOTS, 5).counts()).isEqualTo(plain.run(c, PER_SHOT_SHOTS, 5).counts());
        }
    }
}
