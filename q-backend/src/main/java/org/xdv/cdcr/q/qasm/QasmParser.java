package org.xdv.cdcr.q.qasm;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.xdv.cdcr.q.circuit.Circuit;
import org.xdv.cdcr.q.circuit.Op;
import org.xdv.cdcr.q.qasm.Lexer.Kind;
import org.xdv.cdcr.q.qasm.Lexer.Token;

/**
 * OpenQASM 2.0 front end: parses a program and lowers it to a {@link Circuit} in one pass.
 *
 * <p>Supported: the {@code OPENQASM 2.0;} header (comments may precede it), {@code include "qelib1.inc";}
 * (served from the jar; other includes resolve next to the including file), several {@code qreg}/{@code creg},
 * user {@code gate} definitions calling earlier gates, parameter expressions ({@code pi}, + - * / ^, unary minus,
 * sin cos tan exp ln sqrt), register broadcasting, {@code measure}, {@code reset}, {@code barrier},
 * {@code if(creg==n) op;}, and the built-ins {@code U} and {@code CX}. {@code opaque} gates are refused: there is
 * nothing to simulate.
 *
 * <p>Every error is a {@link QasmParseException} with file, line and column; no unchecked exception escapes
 * for any input text.
 */
public final class QasmParser {

    /** Upper bound on lowered operations: nested gate definitions can expand exponentially. */
    public static final int MAX_OPS = 20_000_000;
    /** Upper bound on the total number of declared qubits or classical bits. */
    public static final int MAX_BITS = 4096;

    private static final String QELIB = "qelib1.inc";

    private final Map<String, GateDef> gates = new HashMap<>();
    private final Map<String, Circuit.Register> qregs = new HashMap<>();
    private final Map<String, Circuit.Register> cregs = new HashMap<>();
    private final List<Circuit.Register> qregOrder = new ArrayList<>();
    private final List<Circuit.Register> cregOrder = new ArrayList<>();
    private final List<Op> ops = new ArrayList<>();
    /** Qubits some operation has touched; a reset of an untouched qubit (still |0⟩) is an identity. */
    private final boolean[] touched = new boolean[MAX_BITS];
    private int nQubits;
    private int nClbits;
    private Lexer lx;
    private boolean inLibrary;
    private final Path baseDir;
    private final boolean expandLibrary;
    private int includeDepth;

    private QasmParser(Path baseDir, boolean expandLibrary) {
        this.baseDir = baseDir;
        this.expandLibrary = expandLibrary;
    }

    /** Parses program text; {@code fileName} is used in error messages only. */
    public static Circuit parse(String source, String fileName) throws QasmParseException {
        return new QasmParser(null, false).run(source, fileName);
    }

    /**
     * Parses with every library gate expanded from its {@code qelib1.inc} definition down to {@code U} and
     * {@code CX}: the reference the native gate table is checked against.
     */
    static Circuit parseExpandingLibrary(String source, String fileName) throws QasmParseException {
        return new QasmParser(null, true).run(source, fileName);
    }

    /** Parses a file; includes other than {@code qelib1.inc} resolve relative to its directory. */
    public static Circuit parseFile(Path file) throws QasmParseException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            throw new QasmParseException(file.toString(), 0, 0, "cannot read file: " + e.getMessage());
        }
        Path parent = file.toAbsolutePath().getParent();
        return new QasmParser(parent, false).run(text, file.toString());
    }

    private Circuit run(String source, String fileName) throws QasmParseException {
        try {
            lx = new Lexer(source, fileName);
            header();
            program();
            return new Circuit(qregOrder, cregOrder, ops);
        } catch (StackOverflowError e) {
            throw new QasmParseException(fileName, 0, 0, "expression or gate nesting too deep");
        } catch (OutOfMemoryError e) {
            throw new QasmParseException(fileName, 0, 0, "circuit too large to lower in memory");
        }
    }

    // ---------------------------------------------------------------- statements

    /**
     * The {@code OPENQASM 2.0;} header. Real files (QASMBench's sat_n11) omit it; a missing header is read as
     * 2.0, any other version is refused.
     */
    private void header() throws QasmParseException {
        if (!lx.peek().is("OPENQASM")) {
            return;
        }
        lx.next();
        Token v = lx.next();
        if ((v.kind() != Kind.REAL && v.kind() != Kind.INT) || !(v.text().equals("2.0") || v.text().equals("2"))) {
            throw lx.error(v, "unsupported OpenQASM version " + v.describe() + ": only 2.0 is supported");
        }
        expect(";");
    }

    private void program() throws QasmParseException {
        while (lx.peek().kind() != Kind.EOF) {
            statement();
        }
    }

    private void statement() throws QasmParseException {
        Token t = lx.peek();
        if (t.kind() != Kind.IDENT) {
            throw lx.error(t, "expected a statement but found " + t.describe());
        }
        switch (t.text()) {
            case "include" -> include();
            case "qreg", "creg" -> register();
            case "gate" -> gateDefinition();
            case "opaque" -> {
                lx.next();
                Token name = lx.peek();
                throw lx.error(t, "opaque gate " + name.describe()
                        + " is not supported: CDCR needs a gate definition to simulate it");
            }
            case "OPENQASM" -> throw lx.error(t, "duplicate 'OPENQASM' header");
            default -> {
                if (inLibrary) {
                    throw lx.error(t, "only gate definitions are allowed in " + lx.file());
                }
                quantumStatement(null);
            }
        }
    }

    private void include() throws QasmParseException {
        Token kw = lx.next();
        Token name = lx.next();
        if (name.kind() != Kind.STRING) {
            throw lx.error(name, "expected a file name in quotes after 'include' but found " + name.describe());
        }
        expect(";");
        if (includeDepth > 8) {
            throw lx.error(kw, "includes nested too deeply");
        }
        String text;
        boolean library;
        if (name.text().equals(QELIB)) {
            try (InputStream in = QasmParser.class.getResourceAsStream(QELIB)) {
                if (in == null) {
                    throw lx.error(name, "qelib1.inc is missing from the CDCR jar");
                }
                text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw lx.error(name, "cannot read qelib1.inc: " + e.getMessage());
            }
            library = true;
        } else {
            if (baseDir == null) {
                throw lx.error(name, "cannot include \"" + name.text() + "\": only \"qelib1.inc\" is available here");
            }
            Path p = baseDir.resolve(name.text());
            try {
                text = Files.readString(p, StandardCharsets.UTF_8);
            } catch (IOException | RuntimeException e) {
                throw lx.error(name, "cannot include \"" + name.text() + "\": " + e.getMessage());
            }
            library = false;
        }
        Lexer saved = lx;
        boolean savedLib = inLibrary;
        lx = new Lexer(text, name.text());
        inLibrary = library;
        includeDepth++;
        try {
            if (lx.peek().is("OPENQASM")) {
                header();
            }
            program();
        } finally {
            includeDepth--;
            lx = saved;
            inLibrary = savedLib;
        }
    }

    private void register() throws QasmParseException {
        Token kw = lx.next();
        boolean quantum = kw.text().equals("qreg");
        Token name = ident("register name");
        expect("[");
        Token size = lx.next();
        if (size.kind() != Kind.INT) {
            throw lx.error(size, "expected the register size (a whole number) but found " + size.describe());
        }
        expect("]");
        expect(";");
        if (qregs.containsKey(name.text()) || cregs.containsKey(name.text())) {
            throw lx.error(name, "register '" + name.text() + "' is already declared");
        }
        int n = parseIndex(size);
        int used = quantum ? nQubits : nClbits;
        if (n < 1 || used + n > MAX_BITS) {
            throw lx.error(size, "register size " + size.text() + " out of range: 1.." + (MAX_BITS - used)
                    + " " + (quantum ? "qubits" : "bits") + " left");
        }
        Circuit.Register r = new Circuit.Register(name.text(), used, n);
        if (quantum) {
            qregs.put(r.name(), r);
            qregOrder.add(r);
            nQubits += n;
        } else {
            cregs.put(r.name(), r);
            cregOrder.add(r);
            nClbits += n;
        }
    }

    private void gateDefinition() throws QasmParseException {
        lx.next();
        Token name = ident("gate name");
        if (name.text().equals("U") || name.text().equals("CX")) {
            throw lx.error(name, "cannot redefine built-in gate '" + name.text() + "'");
        }
        if (gates.containsKey(name.text())) {
            throw lx.error(name, "gate '" + name.text() + "' is already defined");
        }
        List<String> params = new ArrayList<>();
        if (lx.peek().is("(")) {
            lx.next();
            if (!lx.peek().is(")")) {
                params.add(ident("parameter name").text());
                while (lx.peek().is(",")) {
                    lx.next();
                    params.add(ident("parameter name").text());
                }
            }
            expect(")");
        }
        List<String> qargs = new ArrayList<>();
        qargs.add(ident("qubit argument name").text());
        while (lx.peek().is(",")) {
            lx.next();
            qargs.add(ident("qubit argument name").text());
        }
        checkDistinct(name, params, "parameter");
        checkDistinct(name, qargs, "qubit argument");
        expect("{");
        List<GateStmt> body = new ArrayList<>();
        while (!lx.peek().is("}")) {
            Token t = lx.peek();
            if (t.kind() == Kind.EOF) {
                throw lx.error(t, "expected '}' to close gate '" + name.text() + "' but found end of file");
            }
            body.add(gateStatement(name.text(), params, qargs));
        }
        expect("}");
        gates.put(name.text(), new GateDef(name.text(), params.size(), qargs.size(), body, inLibrary));
    }

    private GateStmt gateStatement(String gate, List<String> params, List<String> qargs) throws QasmParseException {
        Token t = ident("gate operation");
        if (t.text().equals("barrier")) {
            List<Integer> q = formalList(gate, qargs);
            expect(";");
            return new GateStmt(t, "barrier", new Expr[0], toArray(q));
        }
        if (!t.text().equals("U") && !t.text().equals("CX") && !gates.containsKey(t.text())) {
            throw unknownGate(t);
        }
        Expr[] exprs = new Expr[0];
        if (lx.peek().is("(")) {
            exprs = expressionList(params);
        }
        List<Integer> q = formalList(gate, qargs);
        expect(";");
        int[] qa = toArray(q);
        checkArity(t, exprs.length, qa.length);
        for (int i = 0; i < qa.length; i++) {
            for (int j = i + 1; j < qa.length; j++) {
                if (qa[i] == qa[j]) {
                    throw lx.error(t, "gate '" + t.text() + "' is applied to qubit argument '" + qargs.get(qa[i])
                            + "' twice");
                }
            }
        }
        return new GateStmt(t, t.text(), exprs, qa);
    }

    private List<Integer> formalList(String gate, List<String> qargs) throws QasmParseException {
        List<Integer> out = new ArrayList<>();
        do {
            if (!out.isEmpty()) {
                lx.next();
            }
            Token a = ident("qubit argument");
            int idx = qargs.indexOf(a.text());
            if (idx < 0) {
                throw lx.error(a, "'" + a.text() + "' is not a qubit argument of gate '" + gate + "'");
            }
            if (lx.peek().is("[")) {
                throw lx.error(lx.peek(), "qubit arguments inside a gate body cannot be indexed");
            }
            out.add(idx);
        } while (lx.peek().is(","));
        return out;
    }

    /** A top-level quantum operation, optionally under {@code if}. */
    private void quantumStatement(Condition cond) throws QasmParseException {
        Token t = ident("statement");
        switch (t.text()) {
            case "if" -> {
                if (cond != null) {
                    throw lx.error(t, "'if' cannot be nested");
                }
                expect("(");
                Token reg = ident("classical register name");
                Circuit.Register r = cregs.get(reg.text());
                if (r == null) {
                    throw lx.error(reg, qregs.containsKey(reg.text())
                            ? "'if' needs a classical register but '" + reg.text() + "' is a quantum register"
                            : "undeclared classical register '" + reg.text() + "'");
                }
                expect("==");
                Token v = lx.next();
                if (v.kind() != Kind.INT) {
                    throw lx.error(v, "expected a whole number after '==' but found " + v.describe());
                }
                long value;
                try {
                    value = Long.parseLong(v.text());
                } catch (NumberFormatException e) {
                    throw lx.error(v, "value " + v.text() + " is too large");
                }
                expect(")");
                Token body = lx.peek();
                if (body.is("if") || body.is("barrier") || body.is("gate") || body.is("qreg") || body.is("creg")) {
                    throw lx.error(body, "'if' must be followed by a gate, measure or reset, not " + body.describe());
                }
                quantumStatement(new Condition(r.offset(), r.size(), value));
            }
            case "measure" -> {
                Arg q = argument(true);
                expect("->");
                Arg c = argument(false);
                expect(";");
                if (q.size() != c.size()) {
                    throw lx.error(t, "measure needs registers of the same size: " + q.describe() + " has "
                            + q.size() + " qubits, " + c.describe() + " has " + c.size() + " bits");
                }
                for (int i = 0; i < q.size(); i++) {
                    add(new Op.Measure(q.index(i), c.index(i)), cond, t);
                }
            }
            case "reset" -> {
                Arg q = argument(true);
                expect(";");
                for (int i = 0; i < q.size(); i++) {
                    add(new Op.Reset(q.index(i)), cond, t);
                }
            }
            case "barrier" -> {
                List<Arg> args = argumentList();
                expect(";");
                List<Integer> all = new ArrayList<>();
                for (Arg a : args) {
                    for (int i = 0; i < a.size(); i++) {
                        all.add(a.index(i));
                    }
                }
                add(new Op.Barrier(toArray(all)), cond, t);
            }
            default -> gateCall(t, cond);
        }
    }

    private void gateCall(Token t, Condition cond) throws QasmParseException {
        if (!t.text().equals("U") && !t.text().equals("CX") && !gates.containsKey(t.text())) {
            throw unknownGate(t);
        }
        double[] params = new double[0];
        if (lx.peek().is("(")) {
            Expr[] exprs = expressionList(List.of());
            params = new double[exprs.length];
            for (int i = 0; i < exprs.length; i++) {
                params[i] = exprs[i].eval(params);
            }
        }
        List<Arg> args = argumentList();
        expect(";");
        checkArity(t, params.length, args.size());
        int width = 1;
        for (Arg a : args) {
            if (a.whole()) {
                if (width != 1 && a.size() != width) {
                    throw lx.error(t, "registers of different sizes in one broadcast '" + t.text() + "': "
                            + a.describe() + " has " + a.size() + ", another has " + width);
                }
                width = a.size();
            }
        }
        int[] q = new int[args.size()];
        for (int i = 0; i < width; i++) {
            for (int j = 0; j < q.length; j++) {
                Arg a = args.get(j);
                q[j] = a.whole() ? a.index(i) : a.index(0);
            }
            for (int a = 0; a < q.length; a++) {
                for (int b = a + 1; b < q.length; b++) {
                    if (q[a] == q[b]) {
                        throw lx.error(t, "gate '" + t.text() + "' is applied to qubit " + qubitName(q[a]) + " twice");
                    }
                }
            }
            apply(t, t.text(), params, q.clone(), cond, 0);
        }
    }

    /** Lowers one application: native where the library gate has a native form, else expand the definition. */
    private void apply(Token at, String name, double[] params, int[] qubits, Condition cond, int depth)
            throws QasmParseException {
        if (name.equals("U") || name.equals("CX")) {
            emitNative(at, NativeGates.lookup(name), name, params, qubits, cond);
            return;
        }
        GateDef def = gates.get(name);
        if (def.library() && !expandLibrary) {
            NativeGates.Native n = NativeGates.lookup(name);
            if (n != null) {
                emitNative(at, n, name, params, qubits, cond);
                return;
            }
        }
        if (depth > 64) {
            throw lx.error(at, "gate definitions nested more than 64 deep");
        }
        for (GateStmt s : def.body()) {
            int[] q = new int[s.qargs().length];
            for (int i = 0; i < q.length; i++) {
                q[i] = qubits[s.qargs()[i]];
            }
            if (s.name().equals("barrier")) {
                add(new Op.Barrier(q), cond, at);
                continue;
            }
            double[] p = new double[s.params().length];
            for (int i = 0; i < p.length; i++) {
                p[i] = s.params()[i].eval(params);
            }
            apply(at, s.name(), p, q, cond, depth + 1);
        }
    }

    private void emitNative(Token at, NativeGates.Native n, String name, double[] p, int[] q, Condition cond)
            throws QasmParseException {
        for (double v : p) {
            if (!Double.isFinite(v)) {
                throw lx.error(at, "parameter of '" + at.text() + "' evaluates to " + v);
            }
        }
        List<Op> emitted = new ArrayList<>(1);
        n.emit(name, p, q, emitted::add);
        for (Op op : emitted) {
            add(op, cond, at);
        }
    }

    private void add(Op op, Condition cond, Token at) throws QasmParseException {
        if (op instanceof Op.Reset r && cond == null && !touched[r.qubit()]) {
            // Resetting a qubit no operation has touched yet is the identity (every qubit starts in |0⟩).
            // Dropping it keeps circuits such as QASMBench's bwt_n21, which reset every qubit first, on the
            // evolve-once-and-sample path instead of shot-by-shot simulation.
            return;
        }
        markTouched(op);
        if (ops.size() >= MAX_OPS) {
            throw lx.error(at, "circuit expands to more than " + MAX_OPS + " operations");
        }
        ops.add(cond == null ? op : new Op.Conditional(cond.firstClbit(), cond.width(), cond.value(), op));
    }

    private void markTouched(Op op) {
        if (op instanceof Op.Unitary u) {
            touched[u.target()] = true;
            for (int c : u.controls()) {
                touched[c] = true;
            }
        } else if (op instanceof Op.Swap s) {
            touched[s.a()] = true;
            touched[s.b()] = true;
        } else if (op instanceof Op.Measure m) {
            touched[m.qubit()] = true;
        } else if (op instanceof Op.Reset r) {
            touched[r.qubit()] = true;
        }
    }

    // ---------------------------------------------------------------- arguments

    private record Condition(int firstClbit, int width, long value) {
    }

    /** A register reference: the whole register, or one element of it. */
    private record Arg(Circuit.Register reg, int element) {
        boolean whole() {
            return element < 0;
        }

        int size() {
            return whole() ? reg.size() : 1;
        }

        int index(int i) {
            return reg.offset() + (whole() ? i : element);
        }

        String describe() {
            return whole() ? "'" + reg.name() + "'" : "'" + reg.name() + "[" + element + "]'";
        }
    }

    private List<Arg> argumentList() throws QasmParseException {
        List<Arg> out = new ArrayList<>();
        out.add(argument(true));
        while (lx.peek().is(",")) {
            lx.next();
            out.add(argument(true));
        }
        return out;
    }

    private Arg argument(boolean quantum) throws QasmParseException {
        Token name = ident(quantum ? "quantum register" : "classical register");
        Circuit.Register r = (quantum ? qregs : cregs).get(name.text());
        if (r == null) {
            Circuit.Register other = (quantum ? cregs : qregs).get(name.text());
            if (other != null) {
                throw lx.error(name, "'" + name.text() + "' is a " + (quantum ? "classical" : "quantum")
                        + " register; a " + (quantum ? "quantum" : "classical") + " register is needed here");
            }
            throw lx.error(name, "undeclared " + (quantum ? "quantum" : "classical") + " register '"
                    + name.text() + "'");
        }
        if (!lx.peek().is("[")) {
            return new Arg(r, -1);
        }
        lx.next();
        Token idx = lx.next();
        if (idx.kind() != Kind.INT) {
            throw lx.error(idx, "expected an index (a whole number) but found " + idx.describe());
        }
        int i = parseIndex(idx);
        if (i >= r.size()) {
            throw lx.error(idx, "index " + idx.text() + " out of range for register '" + r.name() + "' of size "
                    + r.size());
        }
        expect("]");
        return new Arg(r, i);
    }

    private String qubitName(int global) {
        for (Circuit.Register r : qregOrder) {
            if (global >= r.offset() && global < r.offset() + r.size()) {
                return r.name() + "[" + (global - r.offset()) + "]";
            }
        }
        return "#" + global;
    }

    // ---------------------------------------------------------------- expressions

    private Expr[] expressionList(List<String> params) throws QasmParseException {
        expect("(");
        List<Expr> out = new ArrayList<>();
        if (!lx.peek().is(")")) {
            out.add(expression(params));
            while (lx.peek().is(",")) {
                lx.next();
                out.add(expression(params));
            }
        }
        expect(")");
        return out.toArray(new Expr[0]);
    }

    private Expr expression(List<String> params) throws QasmParseException {
        Expr e = term(params);
        while (lx.peek().is("+") || lx.peek().is("-")) {
            char op = lx.next().text().charAt(0);
            e = fold(new Expr.Binary(op, e, term(params)));
        }
        return e;
    }

    private Expr term(List<String> params) throws QasmParseException {
        Expr e = unary(params);
        while (lx.peek().is("*") || lx.peek().is("/")) {
            char op = lx.next().text().charAt(0);
            e = fold(new Expr.Binary(op, e, unary(params)));
        }
        return e;
    }

    private Expr unary(List<String> params) throws QasmParseException {
        if (lx.peek().is("-")) {
            lx.next();
            return fold(new Expr.Neg(unary(params)));
        }
        if (lx.peek().is("+")) {
            lx.next();
            return unary(params);
        }
        Expr base = primary(params);
        if (lx.peek().is("^")) {
            lx.next();
            return fold(new Expr.Binary('^', base, unary(params)));
        }
        return base;
    }

    private Expr primary(List<String> params) throws QasmParseException {
        Token t = lx.next();
        switch (t.kind()) {
            case REAL, INT -> {
                try {
                    return new Expr.Const(Double.parseDouble(t.text()));
                } catch (NumberFormatException e) {
                    throw lx.error(t, "malformed number " + t.describe());
                }
            }
            case IDENT -> {
                if (t.text().equals("pi")) {
                    return new Expr.Const(Math.PI);
                }
                if (Expr.Call.isFunction(t.text()) && lx.peek().is("(")) {
                    lx.next();
                    Expr arg = expression(params);
                    expect(")");
                    return fold(new Expr.Call(t.text(), arg));
                }
                int idx = params.indexOf(t.text());
                if (idx < 0) {
                    throw lx.error(t, "unknown parameter '" + t.text() + "' in expression");
                }
                return new Expr.Param(idx);
            }
            case SYMBOL -> {
                if (t.is("(")) {
                    Expr e = expression(params);
                    expect(")");
                    return e;
                }
                throw lx.error(t, "expected a number, 'pi', a parameter or '(' but found " + t.describe());
            }
            default -> throw lx.error(t, "expected an expression but found " + t.describe());
        }
    }

    /** Constant folding: expressions without parameters become constants once. */
    private static Expr fold(Expr e) {
        if (isConst(e)) {
            return new Expr.Const(e.eval(new double[0]));
        }
        return e;
    }

    private static boolean isConst(Expr e) {
        if (e instanceof Expr.Const) {
            return true;
        }
        if (e instanceof Expr.Neg n) {
            return isConst(n.e());
        }
        if (e instanceof Expr.Binary b) {
            return isConst(b.l()) && isConst(b.r());
        }
        if (e instanceof Expr.Call c) {
            return isConst(c.arg());
        }
        return false;
    }

    // ---------------------------------------------------------------- helpers

    private record GateDef(String name, int params, int qubits, List<GateStmt> body, boolean library) {
    }

    private record GateStmt(Token at, String name, Expr[] params, int[] qargs) {
    }

    private void checkArity(Token t, int nParams, int nQubits) throws QasmParseException {
        int wantP, wantQ;
        if (t.text().equals("U")) {
            wantP = 3;
            wantQ = 1;
        } else if (t.text().equals("CX")) {
            wantP = 0;
            wantQ = 2;
        } else {
            GateDef d = gates.get(t.text());
            wantP = d.params();
            wantQ = d.qubits();
        }
        if (nParams != wantP) {
            throw lx.error(t, "gate '" + t.text() + "' takes " + wantP + " parameter" + (wantP == 1 ? "" : "s")
                    + " but was given " + nParams);
        }
        if (nQubits != wantQ) {
            throw lx.error(t, "gate '" + t.text() + "' takes " + wantQ + " qubit argument" + (wantQ == 1 ? "" : "s")
                    + " but was given " + nQubits);
        }
    }

    private QasmParseException unknownGate(Token t) {
        String hint = NativeGates.lookup(t.text()) != null || t.text().equals("cswap") || t.text().equals("rzz")
                ? " (it is in qelib1.inc: add 'include \"qelib1.inc\";')" : "";
        return lx.error(t, "unknown gate '" + t.text() + "'" + hint);
    }

    private void checkDistinct(Token gate, List<String> names, String what) throws QasmParseException {
        for (int i = 0; i < names.size(); i++) {
            if (names.indexOf(names.get(i)) != i) {
                throw lx.error(gate, "duplicate " + what + " '" + names.get(i) + "' in gate '" + gate.text() + "'");
            }
        }
    }

    private Token ident(String what) throws QasmParseException {
        Token t = lx.next();
        if (t.kind() != Kind.IDENT) {
            throw lx.error(t, "expected " + what + " but found " + t.describe());
        }
        return t;
    }

    private void expect(String symbol) throws QasmParseException {
        Token t = lx.next();
        if (!t.is(symbol)) {
            throw lx.error(t, "expected '" + symbol + "' but found " + t.describe());
        }
    }

    private int parseIndex(Token t) throws QasmParseException {
        try {
            return Integer.parseInt(t.text());
        } catch (NumberFormatException e) {
            throw lx.error(t, "number " + t.text() + " is too large");
        }
    }

    private static int[] toArray(List<Integer> list) {
        int[] a = new int[list.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = list.get(i);
        }
        return a;
    }
}
