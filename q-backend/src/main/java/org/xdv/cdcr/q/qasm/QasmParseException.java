package org.xdv.cdcr.q.qasm;

/**
 * A malformed OpenQASM 2.0 program: where it is ({@code file:line:column}) and what was expected.
 * Checked on purpose: a caller that parses untrusted text must handle it.
 */
public final class QasmParseException extends Exception {

    private static final long serialVersionUID = 1L;

    private final String file;
    private final int line;
    private final int column;
    private final String detail;

    public QasmParseException(String file, int line, int column, String detail) {
        super(file + ":" + line + ":" + column + ": " + detail);
        this.file = file;
        this.line = line;
        this.column = column;
        this.detail = detail;
    }

    public String file() {
        return file;
    }

    public int line() {
        return line;
    }

    public int column() {
        return column;
    }

    /** The message without the position prefix. */
    public String detail() {
        return detail;
    }
}
