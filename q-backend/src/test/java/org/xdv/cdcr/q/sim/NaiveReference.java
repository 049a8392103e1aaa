package org.xdv.cdcr.q.sim;

import org.xdv.cdcr.q.circuit.Mat2;

/**
 * The slow, obviously correct reference: each operation as a full {@code 2^n × 2^n} matrix built bit by bit,
 * multiplied into the state. For n ≤ 7.
 */
final class NaiveReference {

    final int n;
    final int dim;
    double[] re;
    double[] im;

    NaiveReference(double[] re, double[] im) {
        this.dim = re.length;
        this.n = Integer.numberOfTrailingZeros(dim);
        this.re = re.clone();
        this.im = im.clone();
    }

    /** {@code m} on {@code target} when all {@code controls} are 1. */
    void gate(int[] controls, int target, Mat2 m) {
        double[][] mr = new double[dim][dim];
        double[][] mi = new double[dim][dim];
        for (int col = 0; col < dim; col++) {
            boolean active = true;
            for (int c : controls) {
                active &= ((col >> c) & 1) == 1;
            }
            if (!active) {
                mr[col][col] = 1;
                continue;
            }
            int bit = (col >> target) & 1;
            int r0 = col & ~(1 << target);
            int r1 = col | (1 << target);
            // column 'bit' of m goes to rows r0 (entry [0][bit]) and r1 (entry [1][bit])
            mr[r0][col] = bit == 0 ? m.ar() : m.br();
            mi[r0][col] = bit == 0 ? m.ai() : m.bi();
            mr[r1][col] = bit == 0 ? m.cr() : m.dr();
            mi[r1][col] = bit == 0 ? m.ci() : m.di();
        }
        multiply(mr, mi);
    }

    void swap(int a, int b) {
        double[][] mr = new double[dim][dim];
        double[][] mi = new double[dim][dim];
        for (int col = 0; col < dim; col++) {
            int ba = (col >> a) & 1;
            int bb = (col >> b) & 1;
            int row = (col & ~(1 << a) & ~(1 << b)) | (bb << a) | (ba << b);
            mr[row][col] = 1;
        }
        multiply(mr, mi);
    }

    /** Dense matrix on {@code qubits} (bit b of the local index = qubits[b]), row-major. */
    void dense(int[] qubits, double[] dr, double[] di) {
        int k = qubits.length;
        int ld = 1 << k;
        double[][] mr = new double[dim][dim];
        double[][] mi = new double[dim][dim];
        for (int col = 0; col < dim; col++) {
            int lc = 0;
            int rest = col;
            for (int b = 0; b < k; b++) {
                lc |= ((col >> qubits[b]) & 1) << b;
                rest &= ~(1 << qubits[b]);
            }
            for (int lr = 0; lr < ld; lr++) {
                int row = rest;
                for (int b = 0; b < k; b++) {
                    row |= ((lr >> b) & 1) << qubits[b];
                }
                mr[row][col] = dr[lr * ld + lc];
                mi[row][col] = di[lr * ld + lc];
            }
        }
        multiply(mr, mi);
    }

    private void multiply(double[][] mr, double[][] mi) {
        double[] nr = new double[dim];
        double[] ni = new double[dim];
        for (int r = 0; r < dim; r++) {
            for (int c = 0; c < dim; c++) {
                nr[r] += mr[r][c] * re[c] - mi[r][c] * im[c];
                ni[r] += mr[r][c] * im[c] + mi[r][c] * re[c];
            }
        }
        re = nr;
        im = ni;
    }
}
