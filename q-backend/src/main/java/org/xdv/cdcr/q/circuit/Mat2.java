package org.xdv.cdcr.q.circuit;

/**
 * A 2×2 complex matrix {@code [[a, b], [c, d]]}, stored as real and imaginary parts.
 * Immutable; the simulator reads the fields directly in its kernels.
 */
public record Mat2(double ar, double ai, double br, double bi,
                   double cr, double ci, double dr, double di) {

    public static final Mat2 IDENTITY = new Mat2(1, 0, 0, 0, 0, 0, 1, 0);
    public static final Mat2 X = new Mat2(0, 0, 1, 0, 1, 0, 0, 0);

    /** The OpenQASM 2.0 {@code U(θ,φ,λ)} matrix, with the same phase convention as qelib1's {@code u3}. */
    public static Mat2 u(double theta, double phi, double lambda) {
        double c = Math.cos(theta / 2), s = Math.sin(theta / 2);
        return new Mat2(
                c, 0,
                -Math.cos(lambda) * s, -Math.sin(lambda) * s,
                Math.cos(phi) * s, Math.sin(phi) * s,
                Math.cos(phi + lambda) * c, Math.sin(phi + lambda) * c);
    }

    /** {@code diag(1, e^{iλ})}. */
    public static Mat2 phase(double lambda) {
        return new Mat2(1, 0, 0, 0, 0, 0, Math.cos(lambda), Math.sin(lambda));
    }

    /** {@code diag(e^{iα}, e^{iβ})}. */
    public static Mat2 diag(double alpha, double beta) {
        return new Mat2(Math.cos(alpha), Math.sin(alpha), 0, 0, 0, 0, Math.cos(beta), Math.sin(beta));
    }

    /** This matrix times a global phase {@code e^{iγ}}. */
    public Mat2 withPhase(double gamma) {
        double pr = Math.cos(gamma), pi = Math.sin(gamma);
        return new Mat2(
                ar * pr - ai * pi, ar * pi + ai * pr,
                br * pr - bi * pi, br * pi + bi * pr,
                cr * pr - ci * pi, cr * pi + ci * pr,
                dr * pr - di * pi, dr * pi + di * pr);
    }

    /** Matrix product {@code this · other} (apply {@code other} first, then {@code this}). */
    public Mat2 times(Mat2 o) {
        return new Mat2(
                ar * o.ar - ai * o.ai + br * o.cr - bi * o.ci, ar * o.ai + ai * o.ar + br * o.ci + bi * o.cr,
                ar * o.br - ai * o.bi + br * o.dr - bi * o.di, ar * o.bi + ai * o.br + br * o.di + bi * o.dr,
                cr * o.ar - ci * o.ai + dr * o.cr - di * o.ci, cr * o.ai + ci * o.ar + dr * o.ci + di * o.cr,
                cr * o.br - ci * o.bi + dr * o.dr - di * o.di, cr * o.bi + ci * o.br + dr * o.di + di * o.dr);
    }

    /** True when the off-diagonal entries are (numerically) zero. */
    public boolean isDiagonal() {
        return Math.abs(br) + Math.abs(bi) + Math.abs(cr) + Math.abs(ci) < 1e-15;
    }

    /** True when the diagonal entries are (numerically) zero: a bit flip with phases. */
    public boolean isAntiDiagonal() {
        return Math.abs(ar) + Math.abs(ai) + Math.abs(dr) + Math.abs(di) < 1e-15;
    }
}
