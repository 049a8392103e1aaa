package org.xdv.cdcr.runtime.core.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.xdv.cdcr.runtime.core.dao.Affinity;
import org.xdv.cdcr.runtime.core.dao.Demand;
import org.xdv.cdcr.runtime.core.spec.SpecException.FieldError;

/** Valid specs in YAML and JSON, their defaults, and every refusal with its exact field path and message. */
class SpecParserTest {

    private static final String BELL = """
            OPENQASM 2.0;
            include "qelib1.inc";
            qreg q[2];
            creg c[2];
            h q[0];
            cx q[0], q[1];
            measure q -> c;
            """;

    private static final ContainerSpec.KSpec DEFAULT_K = new ContainerSpec.KSpec(ContainerSpec.KSpec.BUILTIN, 1,
            10_000_000, 16);

    private static ContainerSpec.PolicySpec policy(Affinity a) {
        return new ContainerSpec.PolicySpec(a, List.of(), List.of(), 0, ContainerSpec.Restart.RESCHEDULE);
    }

    private static List<FieldError> errors(String text) {
        SpecException e = catchThrowableOfType(SpecException.class, () -> SpecParser.parse(text));
        assertThat(e).as("spec should be refused:\n" + text).isNotNull();
        return e.errors();
    }

    private static FieldError err(String field, String message) {
        return new FieldError(field, message);
    }

    // ------------------------------------------------------------------------------------------- valid specs

    @Test
    void kOnlyYamlWithAllDefaults() throws SpecException {
        ContainerSpec s = SpecParser.parse("tenant: acme\nname: job\ncapabilities: [k.exec]\n");
        assertThat(s).isEqualTo(new ContainerSpec("acme", "job", DEFAULT_K, Optional.empty(), Optional.empty(),
                List.of("k.exec"), policy(Affinity.BALANCED)));
        assertThat(s.id()).isEqualTo("acme/job");
        assertThat(s.demand()).isEqualTo(new Demand("acme/job", "acme", 1, 0, 0, 0.0, Optional.empty(),
                Affinity.BALANCED, List.of(), List.of(), List.of("k.exec")));
    }

    @Test
    void qYamlDefaultsToQHeavyAndTheIdSeed() throws Exception {
        ContainerSpec s = SpecParser.parse("""
                tenant: acme
                name: bell
                capabilities: [q.run, k.exec, q.alloc, q.measure]
                q:
                  qubits: 2
                  qasm: |
                """ + BELL.indent(4));
        long seed = SpecParser.defaultSeed("acme/bell");
        assertThat(s).isEqualTo(new ContainerSpec("acme", "bell", DEFAULT_K,
                Optional.of(new ContainerSpec.QSpec(2, BELL, 1024, 100_000, seed)), Optional.empty(),
                List.of("k.exec", "q.alloc", "q.measure", "q.run"), policy(Affinity.Q_HEAVY)));
        assertThat(seed).isEqualTo(sha256Prefix("acme/bell"));
        assertThat(seed).isNotEqualTo(SpecParser.defaultSeed("acme/bell2"));
    }

    @Test
    void explicitSeedWins() throws SpecException {
        ContainerSpec s = SpecParser.parse("tenant: acme\nname: bell\nq:\n  qubits: 2\n  seed: -5\n  qasm: |\n"
                + BELL.indent(4));
        assertThat(s.q().orElseThrow().seed()).isEqualTo(-5);
    }

    @Test
    void phiYamlDefaultsToPhiCoherentAndFloorHalf() throws SpecException {
        ContainerSpec s = SpecParser.parse("""
                tenant: globex
                name: phi-watch
                capabilities: [k.exec, phi.envelope]
                phi:
                  slots: 40
                """);
        assertThat(s).isEqualTo(new ContainerSpec("globex", "phi-watch", DEFAULT_K, Optional.empty(),
                Optional.of(new ContainerSpec.PhiSpec(40, 0.5, Optional.empty())), List.of("k.exec", "phi.envelope"),
                policy(Affinity.PHI_COHERENT)));
        assertThat(s.demand()).isEqualTo(new Demand("globex/phi-watch", "globex", 1, 0, 40, 0.5, Optional.empty(),
                Affinity.PHI_COHERENT, List.of(), List.of(), List.of("k.exec", "phi.envelope")));
    }

    @Test
    void hybridYamlWithEveryFieldSet() throws SpecException {
        ContainerSpec s = SpecParser.parse("""
                tenant: acme
                name: hybrid-1
                capabilities: [k.exec, q.alloc, q.run, phi.envelope]
                k:
                  program: builtin:circuit-runner
                  slots: 3
                  fuel: 500
                  memoryPages: 2
                q:
                  qubits: 4
                  shots: 10
                  decoherenceBudget: 77
                  seed: 9
                  qasm: |
                """ + BELL.indent(4) + """
                phi:
                  slots: 30
                  stabilityFloor: 0.75
                  shareWith: globex
                policy:
                  affinity: q-heavy
                  labels: [ssd, gpu]
                  avoidLabels: [edge]
                  priority: -3
                  restart: never
                """);
        assertThat(s).isEqualTo(new ContainerSpec("acme", "hybrid-1",
                new ContainerSpec.KSpec(ContainerSpec.KSpec.BUILTIN, 3, 500, 2),
                Optional.of(new ContainerSpec.QSpec(4, BELL, 10, 77, 9)),
                Optional.of(new ContainerSpec.PhiSpec(30, 0.75, Optional.of("globex"))),
                List.of("k.exec", "phi.envelope", "q.alloc", "q.run"),
                new ContainerSpec.PolicySpec(Affinity.Q_HEAVY, List.of("gpu", "ssd"), List.of("edge"), -3,
                        ContainerSpec.Restart.NEVER)));
        assertThat(s.demand()).isEqualTo(new Demand("acme/hybrid-1", "acme", 3, 4, 30, 0.75, Optional.of("globex"),
                Affinity.Q_HEAVY, List.of("gpu", "ssd"), List.of("edge"),
                List.of("k.exec", "phi.envelope", "q.alloc", "q.run")));
    }

    @Test
    void hybridWithoutAffinityDefaultsToPhiCoherent() throws SpecException {
        ContainerSpec s = SpecParser.parse("tenant: acme\nname: h\nphi:\n  slots: 5\nq:\n  qubits: 2\n  qasm: |\n"
                + BELL.indent(4));
        assertThat(s.policy().affinity()).isEqualTo(Affinity.PHI_COHERENT);
    }

    @Test
    void explicitAffinityOverridesTheDerivedOne() throws SpecException {
        assertThat(SpecParser.parse("tenant: a\nname: b\npolicy:\n  affinity: phi-coherent\n").policy().affinity())
                .isEqualTo(Affinity.PHI_COHERENT);
        assertThat(SpecParser.parse("tenant: a\nname: b\nphi:\n  slots: 3\npolicy:\n  affinity: balanced\n")
                .policy().affinity()).isEqualTo(Affinity.BALANCED);
    }

    @Test
    void jsonSpecsParseToTheSameValuesAsYaml() throws SpecException {
        String json = """
                {"tenant": "acme", "name": "bell", "capabilities": ["k.exec", "q.alloc", "q.run"],
                 "q": {"qubits": 2, "qasm": %s}}
                """.formatted(jsonString(BELL));
        String yaml = "tenant: acme\nname: bell\ncapabilities: [k.exec, q.alloc, q.run]\nq:\n  qubits: 2\n"
                + "  qasm: |\n" + BELL.indent(4);
        assertThat(SpecParser.parse(json)).isEqualTo(SpecParser.parse(yaml));

        ContainerSpec k = SpecParser.parse("{\"tenant\":\"acme\",\"name\":\"k\",\"k\":{\"slots\":2}}");
        assertThat(k).isEqualTo(new ContainerSpec("acme", "k",
                new ContainerSpec.KSpec(ContainerSpec.KSpec.BUILTIN, 2, 10_000_000, 16), Optional.empty(),
                Optional.empty(), List.of(), policy(Affinity.BALANCED)));

        ContainerSpec phi = SpecParser.parse("  {\"tenant\":\"acme\",\"name\":\"p\",\"phi\":{\"slots\":8,"
                + "\"stabilityFloor\":1}}");
        assertThat(phi.phi()).contains(new ContainerSpec.PhiSpec(8, 1.0, Optional.empty()));
        assertThat(phi.policy().affinity()).isEqualTo(Affinity.PHI_COHERENT);
    }

    @Test
    void nullSectionsAreAbsent() throws SpecException {
        ContainerSpec s = SpecParser.parse("tenant: a\nname: b\nq: null\nphi: ~\npolicy: null\nk: null\n");
        assertThat(s).isEqualTo(new ContainerSpec("a", "b", DEFAULT_K, Optional.empty(), Optional.empty(),
                List.of(), policy(Affinity.BALANCED)));
    }

    // ------------------------------------------------------------------------------------------- refusals

    @Test
    void missingTenantAndName() {
        assertThat(errors("k:\n  slots: 1\n")).containsExactly(err("tenant", "is required"),
                err("name", "is required"));
    }

    @Test
    void badNames() {
        String rule = "must be 1-63 characters of a-z, 0-9 and '-', starting with a letter";
        assertThat(errors("tenant: Acme\nname: job\n")).containsExactly(err("tenant", rule));
        assertThat(errors("tenant: acme\nname: 9lives\n")).containsExactly(err("name", rule));
        assertThat(errors("tenant: acme\nname: a_b\n")).containsExactly(err("name", rule));
        assertThat(errors("tenant: acme\nname: " + "a".repeat(64) + "\n")).containsExactly(err("name", rule));
        assertThat(errors("tenant: acme\nname: \"\"\n")).containsExactly(err("name", rule));
    }

    @Test
    void longestNameIsAccepted() throws SpecException {
        assertThat(SpecParser.parse("tenant: acme\nname: " + "a".repeat(63) + "\n").name()).hasSize(63);
    }

    @Test
    void nonTextNameIsReportedOnce() {
        assertThat(errors("tenant: 5\nname: [x]\n")).containsExactly(err("tenant", "must be text"),
                err("name", "must be text"));
    }

    @Test
    void unknownFieldAtEachLevel() {
        assertThat(errors("tenant: a\nname: b\ncolour: red\n")).containsExactly(
                err("colour", "unknown field (known: capabilities, k, name, phi, policy, q, tenant)"));
        assertThat(errors("tenant: a\nname: b\nk:\n  gpu: 1\n")).containsExactly(
                err("k.gpu", "unknown field (known: args, entry, fuel, memoryPages, module, moduleBase64, program, "
                        + "slots)"));
        assertThat(errors("tenant: a\nname: b\nq:\n  qubits: 2\n  qasm: |\n" + BELL.indent(4) + "  depth: 3\n"))
                .containsExactly(err("q.depth", "unknown field (known: decoherenceBudget, qasm, qubits, seed, shots)"));
        assertThat(errors("tenant: a\nname: b\nphi:\n  slots: 2\n  channel: 1\n")).containsExactly(
                err("phi.channel", "unknown field (known: shareWith, slots, stabilityFloor)"));
        assertThat(errors("tenant: a\nname: b\npolicy:\n  zone: eu\n")).containsExactly(
                err("policy.zone", "unknown field (known: affinity, avoidLabels, labels, priority, restart)"));
    }

    @Test
    void unknownCapability() {
        assertThat(errors("tenant: a\nname: b\ncapabilities: [k.exec, q.teleport]\n")).containsExactly(
                err("capabilities", "unknown capability 'q.teleport' (known: k.exec, log.write, phi.envelope, "
                        + "phi.sample, q.alloc, q.measure, q.run)"));
        assertThat(errors("tenant: a\nname: b\ncapabilities: k.exec\n")).containsExactly(
                err("capabilities", "must be a list of text"));
    }

    @Test
    void qubitsOutOfRangeOrMissing() {
        String q = "tenant: a\nname: b\nq:\n  qasm: |\n" + BELL.indent(4);
        assertThat(errors(q + "  qubits: 0\n")).containsExactly(err("q.qubits", "must be in 1..28, was 0"));
        assertThat(errors(q + "  qubits: 29\n")).containsExactly(err("q.qubits", "must be in 1..28, was 29"));
        assertThat(errors(q + "  qubits: 2.5\n")).containsExactly(err("q.qubits", "must be a whole number"));
        assertThat(errors(q)).containsExactly(err("q.qubits", "is required"));
    }

    @Test
    void qWithoutACircuitIsRefused() {
        assertThat(errors("tenant: a\nname: b\nq:\n  qubits: 2\n")).containsExactly(err("q.qasm", "is required"));
        assertThat(errors("tenant: a\nname: b\nq:\n  qubits: 2\n  qasm: 7\n")).containsExactly(
                err("q.qasm", "must be text"));
    }

    @Test
    void otherRanges() {
        assertThat(errors("tenant: a\nname: b\nk:\n  slots: 65\n")).containsExactly(
                err("k.slots", "must be in 1..64, was 65"));
        assertThat(errors("tenant: a\nname: b\nk:\n  program: wasm:foo\n")).containsExactly(
                err("k.program", "must be 'builtin:circuit-runner' (or give k.module / k.moduleBase64 for a WebAssembly "
                        + "program)"));
        assertThat(errors("tenant: a\nname: b\nphi:\n  slots: 0\n")).containsExactly(
                err("phi.slots", "must be in 1..1000000, was 0"));
        assertThat(errors("tenant: a\nname: b\nphi:\n  stabilityFloor: 0.5\n")).containsExactly(
                err("phi.slots", "is required"));
        assertThat(errors("tenant: a\nname: b\npolicy:\n  priority: 1001\n")).containsExactly(
                err("policy.priority", "must be in -1000..1000, was 1001"));
        assertThat(errors("tenant: a\nname: b\npolicy:\n  affinity: fast\n  restart: always\n")).containsExactly(
                err("policy.affinity", "must be balanced, q-heavy or phi-coherent, not 'fast'"),
                err("policy.restart", "must be reschedule or never, not 'always'"));
        assertThat(errors("tenant: a\nname: b\nk: 5\n")).containsExactly(err("k", "must be a mapping"));
    }

    @Test
    void floorOutsideZeroOne() {
        String p = "tenant: a\nname: b\nphi:\n  slots: 4\n  stabilityFloor: ";
        for (String bad : List.of("1.5", "-0.1", "high")) {
            assertThat(errors(p + bad + "\n")).as(bad).containsExactly(
                    err("phi.stabilityFloor", "must be a number in [0, 1]"));
        }
    }

    @Test
    void floorBoundsAreAccepted() throws SpecException {
        String p = "tenant: a\nname: b\nphi:\n  slots: 4\n  stabilityFloor: ";
        assertThat(SpecParser.parse(p + "0\n").phi().orElseThrow().stabilityFloor()).isEqualTo(0.0);
        assertThat(SpecParser.parse(p + "1.0\n").phi().orElseThrow().stabilityFloor()).isEqualTo(1.0);
    }

    @Test
    void qasmParseErrorWithLineAndColumn() {
        String unknownGate = "tenant: a\nname: b\nq:\n  qubits: 2\n  qasm: |\n" + """
                OPENQASM 2.0;
                include "qelib1.inc";
                qreg q[2];
                hh q[0];
                """.indent(4);
        assertThat(errors(unknownGate)).containsExactly(err("q.qasm", "line 4, column 1: unknown gate 'hh'"));

        String missingSemicolon = "tenant: a\nname: b\nq:\n  qubits: 2\n  qasm: |\n" + """
                OPENQASM 2.0;
                qreg q[2]
                creg c[2];
                """.indent(4);
        assertThat(errors(missingSemicolon)).containsExactly(
                err("q.qasm", "line 3, column 1: expected ';' but found 'creg'"));
    }

    @Test
    void circuitLargerThanTheRequestedQubits() {
        String text = "tenant: a\nname: b\nq:\n  qubits: 2\n  qasm: |\n" + """
                OPENQASM 2.0;
                include "qelib1.inc";
                qreg q[3];
                h q[2];
                """.indent(4);
        assertThat(errors(text)).containsExactly(
                err("q.qubits", "the circuit uses 3 qubits but only 2 are requested"));
    }

    @Test
    void garbageIsNotASpec() {
        assertThat(errors("just some words")).containsExactly(err("spec", "must be a mapping of fields"));
        assertThat(errors("- a\n- b\n")).containsExactly(err("spec", "must be a mapping of fields"));
        assertThat(errors("   \n")).containsExactly(err("spec", "is empty"));
        assertThat(errors(null)).containsExactly(err("spec", "is empty"));

        List<FieldError> yaml = errors("tenant: [unclosed\nname: job\n");
        assertThat(yaml).hasSize(1);
        assertThat(yaml.get(0).field()).isEqualTo("spec");
        assertThat(yaml.get(0).message()).startsWith("is not valid YAML or JSON at line 2, column 5: ");

        assertThat(errors("{\"tenant\": \"acme\", \"name\": }")).containsExactly(err("spec",
                "is not valid YAML or JSON at line 1, column 28: Unexpected character ('}' (code 125)): expected a "
                        + "valid value (JSON String, Number, Array, Object or token 'null', 'true' or 'false')"));
    }

    @Test
    void aKeyGivenTwiceIsRefused() {
        assertThat(errors("tenant: acme\nname: job\ntenant: globex\n")).containsExactly(err("spec",
                "is not valid YAML or JSON at line 3, column 7: Duplicate field 'tenant'"));
        assertThat(errors("{\"tenant\":\"acme\",\"name\":\"job\",\"name\":\"x\"}")).containsExactly(err("spec",
                "is not valid YAML or JSON at line 1, column 37: Duplicate field 'name'"));
    }

    @Test
    void oversizedSpecIsRefusedBeforeParsing() {
        String tooBig = "{" + "x".repeat(SpecParser.MAX_SPEC_BYTES); // would be a JSON syntax error if parsed
        assertThat(errors(tooBig)).containsExactly(err("spec", "is larger than 1048576 bytes"));

        // fewer characters than the limit, but more bytes once encoded
        String multiByte = "tenant: a\nname: b\n# " + "é".repeat(SpecParser.MAX_SPEC_BYTES / 2);
        assertThat(multiByte.length()).isLessThan(SpecParser.MAX_SPEC_BYTES);
        assertThat(errors(multiByte)).containsExactly(err("spec", "is larger than 1048576 bytes"));
    }

    @Test
    void specOfExactlyTheLimitIsAccepted() throws SpecException {
        String head = "tenant: a\nname: b\n# ";
        String text = head + "x".repeat(SpecParser.MAX_SPEC_BYTES - head.length());
        assertThat(text.getBytes(StandardCharsets.UTF_8)).hasSize(SpecParser.MAX_SPEC_BYTES);
        assertThat(SpecParser.parse(text).id()).isEqualTo("a/b");
    }

    @Test
    void everyErrorIsCollectedInOneException() {
        String text = """
                name: Bad_Name
                colour: red
                capabilities: [k.exec, warp.drive]
                k:
                  slots: 0
                q:
                  qubits: 40
                  qasm: |
                    OPENQASM 2.0;
                    qreg q[2];
                    foo q[0];
                phi:
                  slots: 5
                  stabilityFloor: 2
                policy:
                  affinity: fast
                """;
        SpecException e = catchThrowableOfType(SpecException.class, () -> SpecParser.parse(text));
        assertThat(e.errors()).containsExactly(
                err("colour", "unknown field (known: capabilities, k, name, phi, policy, q, tenant)"),
                err("tenant", "is required"),
                err("name", "must be 1-63 characters of a-z, 0-9 and '-', starting with a letter"),
                err("k.slots", "must be in 1..64, was 0"),
                err("q.qubits", "must be in 1..28, was 40"),
                err("q.qasm", "line 3, column 1: unknown gate 'foo'"),
                err("phi.stabilityFloor", "must be a number in [0, 1]"),
                err("capabilities", "unknown capability 'warp.drive' (known: k.exec, log.write, phi.envelope, "
                        + "phi.sample, q.alloc, q.measure, q.run)"),
                err("policy.affinity", "must be balanced, q-heavy or phi-coherent, not 'fast'"));
        assertThat(e.getMessage()).isEqualTo("invalid container spec: colour: unknown field (known: capabilities, k, "
                + "name, phi, policy, q, tenant); tenant: is required; name: must be 1-63 characters of a-z, 0-9 "
                + "and '-', starting with a letter; k.slots: must be in 1..64, was 0; q.qubits: must be in 1..28, "
                + "was 40; q.qasm: line 3, column 1: unknown gate 'foo'; phi.stabilityFloor: must be a number in "
                + "[0, 1]; capabilities: unknown capability 'warp.drive' (known: k.exec, log.write, phi.envelope, "
                + "phi.sample, q.alloc, q.measure, q.run); policy.affinity: must be balanced, q-heavy or "
                + "phi-coherent, not 'fast'");
    }

    @Test
    void parsingIsDeterministic() throws SpecException {
        String text = "tenant: acme\nname: x\ncapabilities: [q.run, k.exec, q.alloc]\npolicy:\n  labels: [z, a, m]\n"
                + "q:\n  qubits: 2\n  qasm: |\n" + BELL.indent(4);
        ContainerSpec a = SpecParser.parse(text);
        ContainerSpec b = SpecParser.parse(text);
        assertThat(a).isEqualTo(b);
        assertThat(a.policy().labels()).containsExactly("a", "m", "z");
    }

    private static long sha256Prefix(String s) throws Exception {
        return ByteBuffer.wrap(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)))
                .getLong();
    }

    private static String jsonString(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }
}
