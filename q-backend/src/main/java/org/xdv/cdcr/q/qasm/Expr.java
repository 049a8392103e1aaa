package org.xdv.cdcr.q.qasm;

/** A parameter expression, compiled once and evaluated against the enclosing gate's parameter values. */
sealed interface Expr {

    double eval(double[] params);

    record Const(double value) implements Expr {
        public double eval(double[] params) {
            return value;
        }
    }

    record Param(int index) implements Expr {
        public double eval(double[] params) {
            return params[index];
        }
    }

    record Neg(Expr e) implements Expr {
        public double eval(double[] params) {
            return -e.eval(params);
        }
    }

    record Binary(char op, Expr l, Expr r) implements Expr {
        public double eval(double[] params) {
            double a = l.eval(params), b = r.eval(params);
            return switch (op) {
                case '+' -> a + b;
                case '-' -> a - b;
                case '*' -> a * b;
                case '/' -> a / b;
                case '^' -> Math.pow(a, b);
                default -> throw new IllegalStateException("operator " + op);
            };
        }
    }

    record Call(String fn, Expr arg) implements Expr {
        static boolean isFunction(String name) {
            return switch (name) {
                case "sin", "cos", "tan", "exp", "ln", "sqrt" -> true;
                default -> false;
            };
        }

        public double eval(double[] params) {
            double a = arg.eval(params);
            return switch (fn) {
                case "sin" -> Math.sin(a);
                case "cos" -> Math.cos(a);
                case "tan" -> Math.tan(a);
                case "exp" -> Math.exp(a);
                case "ln" -> Math.log(a);
                case "sqrt" -> Math.sqrt(a);
                default -> throw new IllegalStateException("function " + fn);
            };
        }
    }
}
