package org.xdv.cdcr.node.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.xdv.cdcr.q.circuit.Circuit;
import org.xdv.cdcr.q.qasm.QasmParseException;
import org.xdv.cdcr.q.qasm.QasmParser;
import org.xdv.cdcr.q.sim.ShotResult;
import org.xdv.cdcr.q.sim.SimOptions;
import org.xdv.cdcr.q.sim.Simulator;
import org.xdv.cdcr.q.sim.StateVector;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cdcr qasm run FILE...}: parse and simulate OpenQASM 2.0 files locally. */
@Command(name = "qasm", description = "OpenQASM 2.0 tools.", mixinStandardHelpOptions = true,
        subcommands = {QasmCommand.Run.class})
public final class QasmCommand {

    /** Largest register for which {@code --probabilities} prints every basis state. */
    static final int MAX_PROBABILITY_QUBITS = 24;
    /** Probabilities below this are treated as zero and omitted (floating-point residue of exact zeros). */
    static final double ZERO = 1e-12;

    @Command(name = "run", mixinStandardHelpOptions = true,
            description = {"Runs each FILE on the state-vector simulator and prints the counts per classical "
                    + "bitstring (clbit 0 rightmost).",
                    "Exit status: 0 all files ran, 1 a file failed to parse or run, 2 usage error."})
    public static final class Run implements Callable<Integer> {

        @Parameters(arity = "1..*", paramLabel = "FILE", description = "OpenQASM 2.0 files.")
        List<Path> files;

        @Option(names = "--shots", defaultValue = "1024", description = "Shots per file (default ${DEFAULT-VALUE}).")
        int shots;

        @Option(names = "--seed", defaultValue = "1",
                description = "Sampling seed: same circuit, shots and seed give the same counts (default ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--probabilities",
                description = "Also print the exact probability of every basis state before terminal measurements "
                        + "(at most " + MAX_PROBABILITY_QUBITS + " qubits; keys over all qubits, q[0] of the first register rightmost).")
        boolean probabilities;

        @Option(names = "--no-fusion", description = "Run gate by gate (the unfused reference path).")
        boolean noFusion;

        @Option(names = {"-o", "--output"}, defaultValue = "table", description = "table or json (default ${DEFAULT-VALUE}).")
        Output output;

        enum Output { table, json }

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            if (shots < 1 || shots > 10_000_000) {
                err.println("cdcr qasm run: --shots must be in 1..10000000, was " + shots);
                return 2;
            }
            Simulator sim = new Simulator(noFusion ? SimOptions.unfused(Runtime.getRuntime().availableProcessors())
                    : SimOptions.defaults());
            List<Map<String, Object>> results = new ArrayList<>();
            int status = 0;
            for (Path file : files) {
                Map<String, Object> r;
                try {
                    r = runOne(sim, file);
                } catch (QasmParseException e) {
                    err.println(e.getMessage());
                    status = 1;
                    continue;
                } catch (IllegalArgumentException | OutOfMemoryError e) {
                    err.println(file + ": " + (e instanceof OutOfMemoryError
                            ? "not enough memory to simulate (raise -Xmx through CDCR_JAVA_OPTS)" : e.getMessage()));
                    status = 1;
                    continue;
                }
                if (output == Output.table) {
                    printTable(out, r);
                } else {
                    results.add(r);
                }
            }
            if (output == Output.json) {
                try {
                    out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                            .writeValueAsString(results));
                } catch (JsonProcessingException e) {
                    err.println("cannot write JSON: " + e.getMessage());
                    return 1;
                }
            }
            out.flush();
            err.flush();
            return status;
        }

        private Map<String, Object> runOne(Simulator sim, Path file) throws QasmParseException {
            Circuit c = QasmParser.parseFile(file);
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("file", file.toString());
            r.put("qubits", c.numQubits());
            r.put("shots", shots);
            r.put("seed", seed);
            if (probabilities) {
                if (c.numQubits() > MAX_PROBABILITY_QUBITS) {
                    throw new IllegalArgumentException("--probabilities supports at most " + MAX_PROBABILITY_QUBITS
                            + " qubits, the circuit has " + c.numQubits());
                }
                if (!c.measurementsAreTerminal()) {
                    throw new IllegalArgumentException("--probabilities needs a circuit whose measurements are all "
                            + "terminal (this one measures, resets or branches mid-circuit)");
                }
            }
            ShotResult shot = sim.run(c, shots, seed);
            r.put("counts", new LinkedHashMap<>(shot.counts()));
            if (probabilities) {
                StateVector sv = sim.finalState(c);
                Map<String, Double> probs = new LinkedHashMap<>();
                long dim = 1L << c.numQubits();
                for (long i = 0; i < dim; i++) {
                    double p = sv.probability(i);
                    if (p >= ZERO) {
                        probs.put(bits(i, c.numQubits()), p);
                    }
                }
                r.put("probabilities", probs);
            }
            return r;
        }

        @SuppressWarnings("unchecked")
        private static void printTable(PrintWriter out, Map<String, Object> r) {
            out.printf("%s: %d qubits, %d shots, seed %d%n", r.get("file"), (Integer) r.get("qubits"),
                    (Integer) r.get("shots"), (Long) r.get("seed"));
            Map<String, Integer> counts = (Map<String, Integer>) r.get("counts");
            List<Map.Entry<String, Integer>> rows = new ArrayList<>(counts.entrySet());
            rows.sort(Comparator.<Map.Entry<String, Integer>>comparingInt(Map.Entry::getValue).reversed()
                    .thenComparing(Map.Entry::getKey));
            int width = Math.max(8, rows.isEmpty() ? 0 : rows.get(0).getKey().length());
            out.printf("  %-" + width + "s  %8s  %7s%n", "outcome", "count", "share");
            for (Map.Entry<String, Integer> e : rows) {
                out.printf("  %-" + width + "s  %8d  %6.2f%%%n", e.getKey().isEmpty() ? "(none)" : e.getKey(),
                        e.getValue(), 100.0 * e.getValue() / (Integer) r.get("shots"));
            }
            Map<String, Double> probs = (Map<String, Double>) r.get("probabilities");
            if (probs != null) {
                out.printf("  %-" + Math.max(11, (Integer) r.get("qubits")) + "s  %s%n", "basis state", "probability");
                for (Map.Entry<String, Double> e : probs.entrySet()) {
                    out.printf("  %-" + Math.max(11, (Integer) r.get("qubits")) + "s  %.12f%n", e.getKey(), e.getValue());
                }
            }
        }
    }

    /** Basis index as a bitstring over {@code n} qubits, qubit 0 rightmost. */
    static String bits(long index, int n) {
        char[] s = new char[n];
        for (int i = 0; i < n; i++) {
            s[n - 1 - i] = ((index >>> i) & 1) == 1 ? '1' : '0';
        }
        return new String(s);
    }
}
