package org.xdv.cdcr.q.qasm;

import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

import org.xdv.cdcr.q.circuit.Mat2;
import org.xdv.cdcr.q.circuit.Op;

/**
 * Library gates that the simulator runs directly, as a (multi-)controlled 2×2 matrix or a swap, instead of
 * expanding their {@code qelib1.inc} definition. Each entry must equal its definition up to a global phase;
 * {@code NativeGatesTest} checks that for every entry. Gates not listed here (cswap, rxx, rzz, rccx, rc3x, …)
 * are expanded from their definitions.
 */
final class NativeGates {

    /** Emits the lowered operations for one application of a native gate. */
    interface Native {
        void emit(String name, double[] p, int[] q, Consumer<Op> out);
    }

    private static final double R = Math.sqrt(0.5);
    static final Mat2 Y = new Mat2(0, 0, 0, -1, 0, 1, 0, 0);
    static final Mat2 Z = Mat2.phase(Math.PI);
    static final Mat2 H = new Mat2(R, 0, R, 0, R, 0, -R, 0);
    static final Mat2 SX = new Mat2(0.5, 0.5, 0.5, -0.5, 0.5, -0.5, 0.5, 0.5);
    static final Mat2 SXDG = new Mat2(0.5, -0.5, 0.5, 0.5, 0.5, 0.5, 0.5, -0.5);

    private static final Map<String, Native> TABLE = new TreeMap<>();

    static {
        one("U", p -> Mat2.u(p[0], p[1], p[2]));
        one("u3", p -> Mat2.u(p[0], p[1], p[2]));
        one("u", p -> Mat2.u(p[0], p[1], p[2]));
        one("u2", p -> Mat2.u(Math.PI / 2, p[0], p[1]));
        one("u1", p -> Mat2.phase(p[0]));
        one("p", p -> Mat2.phase(p[0]));
        one("x", p -> Mat2.X);
        one("y", p -> Y);
        one("z", p -> Z);
        one("h", p -> H);
        one("s", p -> Mat2.phase(Math.PI / 2));
        one("sdg", p -> Mat2.phase(-Math.PI / 2));
        one("t", p -> Mat2.phase(Math.PI / 4));
        one("tdg", p -> Mat2.phase(-Math.PI / 4));
        one("sx", p -> SX);
        one("sxdg", p -> SXDG);
        one("rx", p -> rx(p[0]));
        one("ry", p -> ry(p[0]));
        one("rz", p -> Mat2.diag(-p[0] / 2, p[0] / 2));
        controlled("CX", 1, p -> Mat2.X);
        controlled("cx", 1, p -> Mat2.X);
        controlled("cy", 1, p -> Y);
        controlled("cz", 1, p -> Z);
        controlled("ch", 1, p -> H);
        controlled("csx", 1, p -> SX);
        controlled("crx", 1, p -> rx(p[0]));
        controlled("cry", 1, p -> ry(p[0]));
        controlled("crz", 1, p -> Mat2.diag(-p[0] / 2, p[0] / 2));
        controlled("cu1", 1, p -> Mat2.phase(p[0]));
        controlled("cp", 1, p -> Mat2.phase(p[0]));
        controlled("cu3", 1, p -> Mat2.u(p[0], p[1], p[2]));
        controlled("cu", 1, p -> Mat2.u(p[0], p[1], p[2]).withPhase(p[3]));
        controlled("ccx", 2, p -> Mat2.X);
        controlled("c3x", 3, p -> Mat2.X);
        controlled("c3sqrtx", 3, p -> SX);
        controlled("c4x", 4, p -> Mat2.X);
        TABLE.put("swap", (name, p, q, out) -> out.accept(new Op.Swap(q[0], q[1])));
        TABLE.put("id", (name, p, q, out) -> { });
        TABLE.put("u0", (name, p, q, out) -> { });
    }

    private NativeGates() {
    }

    /** The native implementation of library gate {@code name}, or null when it must be expanded. */
    static Native lookup(String name) {
        return TABLE.get(name);
    }

    static Iterable<String> names() {
        return TABLE.keySet();
    }

    static Mat2 rx(double theta) {
        double c = Math.cos(theta / 2), s = Math.sin(theta / 2);
        return new Mat2(c, 0, 0, -s, 0, -s, c, 0);
    }

    static Mat2 ry(double theta) {
        double c = Math.cos(theta / 2), s = Math.sin(theta / 2);
        return new Mat2(c, 0, -s, 0, s, 0, c, 0);
    }

    private interface MatrixOf {
        Mat2 of(double[] params);
    }

    private static void one(String name, MatrixOf m) {
        TABLE.put(name, (n, p, q, out) -> out.accept(new Op.Unitary(n, new int[0], q[0], m.of(p))));
    }

    private static void controlled(String name, int controls, MatrixOf m) {
        TABLE.put(name, (n, p, q, out) -> {
            int[] c = new int[controls];
            System.arraycopy(q, 0, c, 0, controls);
            out.accept(new Op.Unitary(n, c, q[controls], m.of(p)));
        });
    }
}
