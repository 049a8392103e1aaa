package org.xdv.cdcr.q.qasm;

/**
 * Streaming tokenizer for OpenQASM 2.0 with one token of look-ahead. Skips white space and {@code //} comments.
 * Real files reach several megabytes, so tokens are produced on demand rather than into a list.
 */
final class Lexer {

    enum Kind { IDENT, REAL, INT, STRING, SYMBOL, EOF }

    record Token(Kind kind, String text, int line, int column) {
        boolean is(String symbolOrWord) {
            return (kind == Kind.SYMBOL || kind == Kind.IDENT) && text.equals(symbolOrWord);
        }

        String describe() {
            return switch (kind) {
                case EOF -> "end of file";
                case STRING -> "\"" + text + "\"";
                default -> "'" + text + "'";
            };
        }
    }

    private final String src;
    private final String file;
    private int pos;
    private int line = 1;
    private int lineStart;
    private Token peeked;

    Lexer(String src, String file) {
        this.src = src;
        this.file = file;
    }

    String file() {
        return file;
    }

    Token peek() throws QasmParseException {
        if (peeked == null) {
            peeked = scan();
        }
        return peeked;
    }

    Token next() throws QasmParseException {
        Token t = peek();
        peeked = null;
        return t;
    }

    QasmParseException error(Token at, String message) {
        return new QasmParseException(file, at.line(), at.column(), message);
    }

    private Token scan() throws QasmParseException {
        skipSpaceAndComments();
        int col = pos - lineStart + 1;
        if (pos >= src.length()) {
            return new Token(Kind.EOF, "", line, col);
        }
        char c = src.charAt(pos);
        if (Character.isLetter(c) || c == '_') {
            int start = pos;
            while (pos < src.length() && (Character.isLetterOrDigit(src.charAt(pos)) || src.charAt(pos) == '_')) {
                pos++;
            }
            return new Token(Kind.IDENT, src.substring(start, pos), line, col);
        }
        if (Character.isDigit(c) || (c == '.' && pos + 1 < src.length() && Character.isDigit(src.charAt(pos + 1)))) {
            return number(col);
        }
        if (c == '"') {
            int start = ++pos;
            while (pos < src.length() && src.charAt(pos) != '"' && src.charAt(pos) != '\n') {
                pos++;
            }
            if (pos >= src.length() || src.charAt(pos) != '"') {
                throw new QasmParseException(file, line, col, "unterminated string");
            }
            return new Token(Kind.STRING, src.substring(start, pos++), line, col);
        }
        if (c == '-' && pos + 1 < src.length() && src.charAt(pos + 1) == '>') {
            pos += 2;
            return new Token(Kind.SYMBOL, "->", line, col);
        }
        if (c == '=' && pos + 1 < src.length() && src.charAt(pos + 1) == '=') {
            pos += 2;
            return new Token(Kind.SYMBOL, "==", line, col);
        }
        if ("(){}[];,+-*/^".indexOf(c) >= 0) {
            pos++;
            return new Token(Kind.SYMBOL, String.valueOf(c), line, col);
        }
        throw new QasmParseException(file, line, col, "unexpected character '" + printable(c) + "'");
    }

    private Token number(int col) {
        int start = pos;
        boolean real = false;
        while (pos < src.length() && Character.isDigit(src.charAt(pos))) {
            pos++;
        }
        if (pos < src.length() && src.charAt(pos) == '.') {
            real = true;
            pos++;
            while (pos < src.length() && Character.isDigit(src.charAt(pos))) {
                pos++;
            }
        }
        if (pos < src.length() && (src.charAt(pos) == 'e' || src.charAt(pos) == 'E')) {
            int save = pos;
            pos++;
            if (pos < src.length() && (src.charAt(pos) == '+' || src.charAt(pos) == '-')) {
                pos++;
            }
            if (pos < src.length() && Character.isDigit(src.charAt(pos))) {
                real = true;
                while (pos < src.length() && Character.isDigit(src.charAt(pos))) {
                    pos++;
                }
            } else {
                pos = save;
            }
        }
        return new Token(real ? Kind.REAL : Kind.INT, src.substring(start, pos), line, col);
    }

    private void skipSpaceAndComments() throws QasmParseException {
        while (pos < src.length()) {
            char c = src.charAt(pos);
            if (c == '\n') {
                pos++;
                line++;
                lineStart = pos;
            } else if (c == ' ' || c == '\t' || c == '\r' || c == '\f') {
                pos++;
            } else if (c == '/' && pos + 1 < src.length() && src.charAt(pos + 1) == '/') {
                while (pos < src.length() && src.charAt(pos) != '\n') {
                    pos++;
                }
            } else if (c == '/' && pos + 1 < src.length() && src.charAt(pos + 1) == '*') {
                int l = line, col = pos - lineStart + 1;
                pos += 2;
                while (pos + 1 < src.length() && !(src.charAt(pos) == '*' && src.charAt(pos + 1) == '/')) {
                    if (src.charAt(pos) == '\n') {
                        line++;
                        lineStart = pos + 1;
                    }
                    pos++;
                }
                if (pos + 1 >= src.length()) {
                    throw new QasmParseException(file, l, col, "unterminated comment");
                }
                pos += 2;
            } else {
                return;
            }
        }
    }

    private static String printable(char c) {
        return c < 32 || c > 126 ? String.format("\\u%04x", (int) c) : String.valueOf(c);
    }
}
