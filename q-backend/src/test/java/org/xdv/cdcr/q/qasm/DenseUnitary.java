package org.xdv.cdcr.q.qasm;

import java.util.List;

import org.xdv.cdcr.q.circuit.Mat2;
import org.xdv.cdcr.q.circuit.Op;

/** Test reference: the full 2^n × 2^n unitary of a list of gates, by the textbook definition (small n only). */
final class DenseUnitary {

    private DenseUnitary() {
    }

    /** Column-major: u[col][2*row], u[col][2*row+1] = re, im of ⟨row|U|col⟩. */
    static double[][] of(int n, List<Op> ops) {
        int dim = 1 << n;
        double[][] cols = new double[dim][];
        for (int c = 0; c < dim; c++) {
            double[] v = new double[2 * dim];
            v[2 * c] = 1;
            for (Op op : ops) {
                apply(v, op);
            }
            cols[c] = v;
        }
        return cols;
    }

    static void apply(double[] v, Op op) {
        int dim = v.length / 2;
        if (op instanceof Op.Unitary u) {
            Mat2 m = u.matrix();
            int t = 1 << u.target();
            int mask = 0;
            for (int c : u.controls()) {
                mask |= 1 << c;
            }
            for (int i = 0; i < dim; i++) {
                if ((i & t) != 0 || (i & mask) != mask) {
                    continue;
                }
                int j = i | t;
                double a0r = v[2 * i], a0i = v[2 * i + 1], a1r = v[2 * j], a1i = v[2 * j + 1];
                v[2 * i] = m.ar() * a0r - m.ai() * a0i + m.br() * a1r - m.bi() * a1i;
                v[2 * i + 1] = m.ar() * a0i + m.ai() * a0r + m.br() * a1i + m.bi() * a1r;
                v[2 * j] = m.cr() * a0r - m.ci() * a0i + m.dr() * a1r - m.di() * a1i;
                v[2 * j + 1] = m.cr() * a0i + m.ci() * a0r + m.dr() * a1i + m.di() * a1r;
            }
        } else if (op instanceof Op.Swap s) {
            int a = 1 << s.a(), b = 1 << s.b();
            for (int i = 0; i < dim; i++) {
                if ((i & a) != 0 && (i & b) == 0) {
                    int j = (i & ~a) | b;
                    double r = v[2 * i], im = v[2 * i + 1];
                    v[2 * i] = v[2 * j];
                    v[2 * i + 1] = v[2 * j + 1];
                    v[2 * j] = r;
                    v[2 * j + 1] = im;
                }
            }
        } else if (!(op instanceof Op.Barrier)) {
            throw new IllegalArgumentException("not a unitary op: " + op);
        }
    }

    /** Max distance between a and e^{iγ}·b over the best global phase γ (taken from the largest entry). */
    static double distanceUpToPhase(double[][] a, double[][] b) {
        int bc = 0, br = 0;
        double best = -1;
        for (int c = 0; c < a.length; c++) {
            for (int r = 0; r < a.length; r++) {
                double mag = Math.hypot(a[c][2 * r], a[c][2 * r + 1]);
                if (mag > best) {
                    best = mag;
                    bc = c;
                    br = r;
                }
            }
        }
        // phase = a/b at the largest entry
        double ar = a[bc][2 * br], ai = a[bc][2 * br + 1], xr = b[bc][2 * br], xi = b[bc][2 * br + 1];
        double den = xr * xr + xi * xi;
        if (den < 1e-24) {
            return Double.POSITIVE_INFINITY;
        }
        double pr = (ar * xr + ai * xi) / den, pi = (ai * xr - ar * xi) / den;
        double worst = 0;
        for (int c = 0; c < a.length; c++) {
            for (int r = 0; r < a.length; r++) {
                double er = b[c][2 * r] * pr - b[c][2 * r + 1] * pi, ei = b[c][2 * r] * pi + b[c][2 * r + 1] * pr;
                worst = Math.max(worst, Math.hypot(a[c][2 * r] - er, a[c][2 * r + 1] - ei));
            }
        }
        return worst;
    }
}
