package org.xdv.cdcr.q.qasm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.xdv.cdcr.q.circuit.Circuit;
import org.xdv.cdcr.q.circuit.Mat2;
import org.xdv.cdcr.q.circuit.Op;

class QasmParserTest {

    private static final String HEAD = "OPENQASM 2.0;\ninclude \"qelib1.inc\";\n";

    static Stream<Path> validBench() {
        return QasmBench.valid().stream();
    }

    static Stream<String> invalidBench() {
        return QasmBench.INVALID.stream().sorted();
    }

    @Test
    void benchHasAllFiles() {
        assertThat(QasmBench.all()).hasSize(127);
        assertThat(QasmBench.valid()).hasSize(119);
    }

    @ParameterizedTest
    @MethodSource("validBench")
    void parsesEveryValidQasmBenchCircuit(Path file) throws Exception {
        Circuit c = QasmParser.parseFile(file);
        assertThat(c.numQubits()).isPositive();
        assertThat(c.ops()).isNotEmpty();
        assertThat(c.ops()).anyMatch(op -> op instanceof Op.Measure
                || op instanceof Op.Conditional k && k.body() instanceof Op.Measure);
    }

    @ParameterizedTest
    @MethodSource("invalidBench")
    void refusesTheEightInvalidCircuitsNamingLineAndRegister(String name) throws Exception {
        Path file = QasmBench.file(name);
        List<String> lines = Files.readAllLines(file);
        int expectedLine = 0;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith("measure q[")) {
                expectedLine = i + 1;
                break;
            }
        }
        assertThat(expectedLine).isPositive();
        int line = expectedLine;
        assertThatThrownBy(() -> QasmParser.parseFile(file))
                .isInstanceOf(QasmParseException.class)
                .satisfies(e -> {
                    QasmParseException p = (QasmParseException) e;
                    assertThat(p.line()).isEqualTo(line);
                    assertThat(p.column()).isEqualTo(9);
                    assertThat(p.detail()).isEqualTo("undeclared quantum register 'q'");
                    assertThat(p.getMessage()).startsWith(file + ":" + line + ":9: ");
                });
    }

    @Test
    void lowersRegistersInDeclarationOrder() throws Exception {
        Circuit c = QasmParser.parse(HEAD + "qreg a[2];\nqreg b[3];\ncreg x[1];\ncreg y[4];\nx b[1];\nmeasure b[2] -> y[3];\n", "t");
        assertThat(c.numQubits()).isEqualTo(5);
        assertThat(c.numClbits()).isEqualTo(5);
        assertThat(c.ops()).containsExactly(
                new Op.Unitary("x", new int[0], 3, Mat2.X),
                new Op.Measure(4, 4));
    }

    @Test
    void broadcastsOverRegisters() throws Exception {
        Circuit c = QasmParser.parse(HEAD + "qreg a[3];\nqreg b[3];\ncreg m[3];\nh a;\ncx a,b;\ncx a[0],b;\nmeasure b -> m;\nreset a;\n", "t");
        List<Op> ops = c.ops();
        assertThat(ops).hasSize(3 + 3 + 3 + 3 + 3);
        assertThat(((Op.Unitary) ops.get(4)).controls()).containsExactly(1);
        assertThat(((Op.Unitary) ops.get(4)).target()).isEqualTo(4);
        assertThat(((Op.Unitary) ops.get(7)).controls()).containsExactly(0);
        assertThat(((Op.Unitary) ops.get(7)).target()).isEqualTo(4);
        assertThat(ops.get(11)).isEqualTo(new Op.Measure(5, 2));
        assertThat(ops.get(14)).isEqualTo(new Op.Reset(2));
    }

    @Test
    void userGatesCallOtherUserGatesAndConditionalsWrapEveryLoweredOp() throws Exception {
        String src = HEAD + "gate inner(t) a { rz(t) a; }\n"
                + "gate outer(t, u) a, b { inner(2*t) a; cx a, b; inner(-u) b; barrier a, b; }\n"
                + "qreg q[2];\ncreg c[2];\nouter(pi/4, 0.5) q[1], q[0];\nif(c==2) outer(0.1, 0.2) q[0], q[1];\n";
        Circuit c = QasmParser.parse(src, "t");
        List<Op> ops = c.ops();
        assertThat(ops).hasSize(8);
        Op.Unitary first = (Op.Unitary) ops.get(0);
        assertThat(first.name()).isEqualTo("rz");
        assertThat(first.target()).isEqualTo(1);
        assertThat(first.matrix()).isEqualTo(Mat2.diag(-Math.PI / 4, Math.PI / 4));
        assertThat(ops.get(3)).isEqualTo(new Op.Barrier(new int[] {1, 0}));
        for (Op op : ops.subList(4, 8)) {
            assertThat(op).isInstanceOf(Op.Conditional.class);
            Op.Conditional k = (Op.Conditional) op;
            assertThat(k.firstClbit()).isZero();
            assertThat(k.width()).isEqualTo(2);
            assertThat(k.value()).isEqualTo(2);
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "pi/2                 | 1.5707963267948966",
        "-2^2                 | -4",
        "2^3^2                | 512",
        "1+2*3-4/2            | 5",
        "-(1+2)*3             | -9",
        "sin(pi/2)+cos(0)     | 2",
        "sqrt(16)*ln(exp(2))  | 8",
        "tan(0)-1.5e-1        | -0.15",
        "2*-3                 | -6",
        ".5+1.                | 1.5",
    })
    void evaluatesParameterExpressions(String expr, double expected) throws Exception {
        Circuit c = QasmParser.parse(HEAD + "qreg q[1];\nu1(" + expr + ") q[0];\n", "t");
        Mat2 m = ((Op.Unitary) c.ops().get(0)).matrix();
        assertThat(Math.atan2(m.di(), m.dr())).isCloseTo(Math.atan2(Math.sin(expected), Math.cos(expected)), within(1e-12));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "qreg q[2]; h q[0];                         | 1:12 | unknown gate 'h' (it is in qelib1.inc: add 'include \"qelib1.inc\";')",
        "OPENQASM 3.0;                              | 1:10 | unsupported OpenQASM version '3.0': only 2.0 is supported",
        "@HEAD qreg q[2]; foo q[0];                 | 3:12 | unknown gate 'foo'",
        "OPENQASM 2.0; qreg q[2]; h q[0];           | 1:26 | unknown gate 'h' (it is in qelib1.inc: add 'include \"qelib1.inc\";')",
        "@HEAD qreg q[2]; h q[2];                   | 3:16 | index 2 out of range for register 'q' of size 2",
        "@HEAD qreg q[2]; cx q[0];                  | 3:12 | gate 'cx' takes 2 qubit arguments but was given 1",
        "@HEAD qreg q[2]; rx q[0];                  | 3:12 | gate 'rx' takes 1 parameter but was given 0",
        "@HEAD qreg q[2]; cx q[1],q[1];             | 3:12 | gate 'cx' is applied to qubit q[1] twice",
        "@HEAD qreg q[2]; rx(1+) q[0];              | 3:17 | expected a number, 'pi', a parameter or '(' but found ')'",
        "@HEAD qreg q[2]; rx(theta) q[0];           | 3:15 | unknown parameter 'theta' in expression",
        "@HEAD opaque magic a;                      | 3:1 | opaque gate 'magic' is not supported: CDCR needs a gate definition to simulate it",
        "@HEAD qreg q[2]; qreg q[1];                | 3:17 | register 'q' is already declared",
        "@HEAD qreg q[2]; creg c[1]; measure q -> c;| 3:23 | measure needs registers of the same size: 'q' has 2 qubits, 'c' has 1 bits",
        "@HEAD qreg q[2]; x q[0]                    | 3:18 | expected ';' but found end of file",
        "@HEAD qreg q[2]; if(q==1) x q[0];          | 3:15 | 'if' needs a classical register but 'q' is a quantum register",
        "@HEAD qreg q[2]; creg c[2]; h c;           | 3:25 | 'c' is a classical register; a quantum register is needed here",
        "@HEAD qreg a[2]; qreg b[3]; cx a,b;        | 3:23 | registers of different sizes in one broadcast 'cx': 'b' has 3, another has 2",
        "@HEAD gate g a { h b; }                    | 3:14 | 'b' is not a qubit argument of gate 'g'",
        "@HEAD gate g a { h a;                      | 3:16 | expected '}' to close gate 'g' but found end of file",
        "@HEAD include \"other.inc\";                | 3:9 | cannot include \"other.inc\": only \"qelib1.inc\" is available here",
        "@HEAD qreg q[0];                           | 3:8 | register size 0 out of range: 1..4096 qubits left",
        "@HEAD qreg q[1]; # x q[0];                 | 3:12 | unexpected character '#'",
        "@HEAD gate h a { x a; }                    | 3:6 | gate 'h' is already defined",
    })
    void malformedInputGetsATypedErrorWithPosition(String body, String where, String message) {
        String src = body.replace("@HEAD ", HEAD);
        assertThatThrownBy(() -> QasmParser.parse(src, "in.qasm"))
                .isInstanceOf(QasmParseException.class)
                .hasMessage("in.qasm:" + where + ": " + message);
    }

    @Test
    void resetOfAnUntouchedQubitIsDroppedOtherResetsStay() throws Exception {
        Circuit c = QasmParser.parse(HEAD + "qreg q[2];\ncreg m[1];\nreset q;\nh q[0];\nreset q[0];\n"
                + "measure q[1] -> m[0];\nreset q[1];\nif(m==1) reset q[0];\n", "t");
        assertThat(c.ops()).hasSize(5);
        assertThat(c.ops().get(0)).isInstanceOf(Op.Unitary.class);
        assertThat(c.ops().get(1)).isEqualTo(new Op.Reset(0));
        assertThat(c.ops().get(2)).isEqualTo(new Op.Measure(1, 0));
        assertThat(c.ops().get(3)).isEqualTo(new Op.Reset(1));
        assertThat(c.ops().get(4)).isEqualTo(new Op.Conditional(0, 1, 1, new Op.Reset(0)));
        Circuit leading = QasmParser.parse(HEAD + "qreg q[3];\ncreg m[3];\nreset q[2];\nreset q[0];\nx q[0];\nmeasure q -> m;\n", "t");
        assertThat(leading.measurementsAreTerminal()).isTrue();
    }

    @Test
    void commentsMayPrecedeTheHeader() throws Exception {
        Circuit c = QasmParser.parse("// a comment\n/* block */\n" + HEAD + "qreg q[1];\nx q;\n", "t");
        assertThat(c.ops()).hasSize(1);
    }

    @Test
    void exponentialGateNestingIsBoundedNotFatal() {
        StringBuilder sb = new StringBuilder(HEAD + "gate g0 a { x a; x a; x a; x a; x a; x a; x a; x a; }\n");
        for (int i = 1; i < 12; i++) {
            sb.append("gate g").append(i).append(" a { ");
            for (int k = 0; k < 8; k++) {
                sb.append("g").append(i - 1).append(" a; ");
            }
            sb.append("}\n");
        }
        sb.append("qreg q[1];\ng11 q[0];\n");
        assertThatThrownBy(() -> QasmParser.parse(sb.toString(), "bomb.qasm"))
                .isInstanceOf(QasmParseException.class)
                .hasMessageContaining("circuit expands to more than 20000000 operations");
    }

    @Test
    void randomGarbageNeverThrowsAnythingButAParseError() {
        java.util.SplittableRandom r = new java.util.SplittableRandom(7);
        String alphabet = "OPENQASM2.0;qregcx[]{}()->==+-*/^ \n\"pi,measureifgate01abc";
        for (int i = 0; i < 2000; i++) {
            StringBuilder sb = new StringBuilder(i % 2 == 0 ? HEAD : "");
            int len = r.nextInt(80);
            for (int k = 0; k < len; k++) {
                sb.append(alphabet.charAt(r.nextInt(alphabet.length())));
            }
            try {
                QasmParser.parse(sb.toString(), "fuzz");
            } catch (QasmParseException expected) {
                assertThat(expected.getMessage()).startsWith("fuzz:");
            }
        }
    }
}
