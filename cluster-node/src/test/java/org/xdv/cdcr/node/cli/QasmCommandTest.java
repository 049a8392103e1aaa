package org.xdv.cdcr.node.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xdv.cdcr.node.CdcrCommand;
import picocli.CommandLine;

/** The real {@code cdcr qasm run} command, in process, on real files. */
class QasmCommandTest {

    private static final String BELL = "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[2];\ncreg c[2];\n"
            + "h q[0];\ncx q[0],q[1];\nmeasure q -> c;\n";

    @TempDir
    Path dir;

    private record Run(int exit, String out, String err) {
    }

    private Run cdcr(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = CdcrCommand.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void printsCountsAsJsonWithProbabilities() throws Exception {
        Path bell = Files.writeString(dir.resolve("bell.qasm"), BELL);
        Run r = cdcr("qasm", "run", bell.toString(), "--shots", "1000", "--seed", "7", "--probabilities", "-o", "json");
        assertThat(r.exit()).as(r.err()).isZero();
        List<Map<String, Object>> json = new ObjectMapper().readValue(r.out(), new TypeReference<>() { });
        assertThat(json).hasSize(1);
        Map<String, Object> one = json.get(0);
        assertThat(one).containsEntry("file", bell.toString()).containsEntry("qubits", 2).containsEntry("shots", 1000)
                .containsEntry("seed", 7);
        @SuppressWarnings("unchecked")
        Map<String, Integer> counts = (Map<String, Integer>) one.get("counts");
        assertThat(counts.keySet()).containsExactlyInAnyOrder("00", "11");
        assertThat(counts.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(1000);
        @SuppressWarnings("unchecked")
        Map<String, Double> probs = (Map<String, Double>) one.get("probabilities");
        assertThat(probs).containsOnlyKeys("00", "11");
        assertThat(probs.get("00")).isEqualTo(0.5, org.assertj.core.api.Assertions.within(1e-12));
        // same seed, same counts
        Run again = cdcr("qasm", "run", bell.toString(), "--shots", "1000", "--seed", "7", "-o", "json");
        List<Map<String, Object>> json2 = new ObjectMapper().readValue(again.out(), new TypeReference<>() { });
        assertThat(json2.get(0).get("counts")).isEqualTo(counts);
    }

    @Test
    void probabilityKeysPutQubitZeroOfTheFirstRegisterRightmost() throws Exception {
        Path f = Files.writeString(dir.resolve("x.qasm"),
                "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg a[2];\nqreg b[1];\nx a[0];\nx b[0];\n");
        Run r = cdcr("qasm", "run", f.toString(), "--probabilities", "-o", "json");
        assertThat(r.exit()).as(r.err()).isZero();
        List<Map<String, Object>> json = new ObjectMapper().readValue(r.out(), new TypeReference<>() { });
        assertThat(json.get(0).get("probabilities")).isEqualTo(Map.of("101", 1.0));
    }

    @Test
    void tableOutputListsOutcomes() throws Exception {
        Path bell = Files.writeString(dir.resolve("bell.qasm"), BELL);
        Run r = cdcr("qasm", "run", bell.toString(), "--shots", "64");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains(bell + ": 2 qubits, 64 shots, seed 1").contains("outcome").contains("00")
                .contains("11");
    }

    @Test
    void parseErrorPrintsFileLineColumnAndExitsOne() throws Exception {
        Path bad = Files.writeString(dir.resolve("bad.qasm"), "OPENQASM 2.0;\nqreg q[1];\nmeasure r[0] -> c[0];\n");
        Path good = Files.writeString(dir.resolve("bell.qasm"), BELL);
        Run r = cdcr("qasm", "run", bad.toString(), good.toString(), "-o", "json");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err().trim()).isEqualTo(bad + ":3:9: undeclared quantum register 'r'");
        assertThat(r.out()).contains("bell.qasm");
    }

    @Test
    void usageErrorExitsTwo() {
        assertThat(cdcr("qasm", "run").exit()).isEqualTo(2);
        assertThat(cdcr("qasm", "run", "x.qasm", "--shots", "nope").exit()).isEqualTo(2);
    }
}
