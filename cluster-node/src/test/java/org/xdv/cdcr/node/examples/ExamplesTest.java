package org.xdv.cdcr.node.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.xdv.cdcr.runtime.core.spec.ContainerSpec;
import org.xdv.cdcr.runtime.core.spec.SpecParser;

/** Every spec in {@code examples/} (used by the README, docs/control-plane.md and the CLI test) is valid. */
class ExamplesTest {

    static final Path EXAMPLES = Path.of("..", "examples");

    static ContainerSpec parse(String file) throws Exception {
        return SpecParser.parse(Files.readString(EXAMPLES.resolve(file), StandardCharsets.UTF_8));
    }

    @Test
    void everyExampleParses() throws Exception {
        List<Path> files;
        try (Stream<Path> s = Files.list(EXAMPLES)) {
            files = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        assertThat(files).extracting(p -> p.getFileName().toString()).containsExactly("bell.yaml", "ghz.yaml",
                "hybrid.yaml", "phi.yaml", "qasmbench-adder-n4.yaml");
        for (Path f : files) {
            ContainerSpec spec = SpecParser.parse(Files.readString(f, StandardCharsets.UTF_8));
            assertThat(spec.tenant()).as(f.toString()).isEqualTo("acme");
        }
    }

    @Test
    void theExamplesDeclareTheDomainsTheirNamesSay() throws Exception {
        assertThat(parse("bell.yaml").id()).isEqualTo("acme/bell");
        assertThat(parse("bell.yaml").q().orElseThrow().qubits()).isEqualTo(2);
        assertThat(parse("ghz.yaml").q().orElseThrow().qubits()).isEqualTo(8);
        ContainerSpec adder = parse("qasmbench-adder-n4.yaml");
        assertThat(adder.q().orElseThrow().qasm()).startsWith("OPENQASM 2.0;").contains("measure q[3] -> c[3];");
        ContainerSpec phi = parse("phi.yaml");
        assertThat(phi.q()).isEmpty();
        assertThat(phi.phi().orElseThrow().slots()).isEqualTo(40);
        ContainerSpec hybrid = parse("hybrid.yaml");
        assertThat(hybrid.q()).isPresent();
        assertThat(hybrid.phi()).isPresent();
    }
}
