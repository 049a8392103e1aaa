package org.xdv.cdcr.q.qasm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.xdv.cdcr.q.circuit.Circuit;
import org.xdv.cdcr.q.circuit.Op;

/** Every natively simulated library gate equals its qelib1.inc definition (up to one global phase). */
class NativeGatesTest {

    static Stream<String> nativeGates() {
        List<String> names = new ArrayList<>();
        NativeGates.names().forEach(n -> {
            if (!n.equals("U") && !n.equals("CX")) {
                names.add(n);
            }
        });
        return names.stream();
    }

    @ParameterizedTest
    @MethodSource("nativeGates")
    void nativeMatrixEqualsDefinition(String gate) throws Exception {
        double[] params = {0.37, -1.21, 2.05, 0.66};
        String probe = "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[5];\n";
        // find arity by trial: the parser tells us via its error message otherwise
        int nParams = arity(gate, true), nQubits = arity(gate, false);
        StringBuilder call = new StringBuilder(gate);
        if (nParams > 0) {
            call.append('(');
            for (int i = 0; i < nParams; i++) {
                call.append(i > 0 ? "," : "").append(params[i]);
            }
            call.append(')');
        }
        call.append(' ');
        // reversed, non-contiguous qubit order catches index mix-ups
        int[] order = {3, 0, 4, 1, 2};
        for (int i = 0; i < nQubits; i++) {
            call.append(i > 0 ? "," : "").append("q[").append(order[i]).append(']');
        }
        String src = probe + call + ";\n";
        Circuit nat = QasmParser.parse(src, gate);
        Circuit ref = QasmParser.parseExpandingLibrary(src, gate);
        for (Op op : ref.ops()) {
            assertThat(op).isInstanceOfAny(Op.Unitary.class);
            Op.Unitary u = (Op.Unitary) op;
            assertThat(u.name()).isIn("U", "CX");
        }
        double d = DenseUnitary.distanceUpToPhase(DenseUnitary.of(5, nat.ops()), DenseUnitary.of(5, ref.ops()));
        assertThat(d).as("native %s vs its definition", gate).isLessThan(1e-12);
    }

    private static int arity(String gate, boolean params) throws Exception {
        String lib = new String(QasmParser.class.getResourceAsStream("qelib1.inc").readAllBytes());
        int at = lib.indexOf("gate " + gate + " ");
        if (at < 0) {
            at = lib.indexOf("gate " + gate + "(");
        }
        assertThat(at).as("definition of %s", gate).isGreaterThanOrEqualTo(0);
        String head = lib.substring(at + 5 + gate.length(), lib.indexOf('{', at)).trim();
        int np = 0;
        if (head.startsWith("(")) {
            String ps = head.substring(1, head.indexOf(')'));
            np = ps.isBlank() ? 0 : ps.split(",").length;
            head = head.substring(head.indexOf(')') + 1).trim();
        }
        return params ? np : head.split(",").length;
    }
}
