package org.xdv.cdcr.runtime.core.spec;

import java.util.List;

/** A container spec that cannot be accepted, with one message per offending field. */
public final class SpecException extends Exception {

    private static final long serialVersionUID = 1L;

    /** One problem: the field's path (e.g. {@code q.qasm}) and what is wrong with it. */
    public record FieldError(String field, String message) {
        @Override
        public String toString() {
            return field + ": " + message;
        }
    }

    private final transient List<FieldError> errors;

    public SpecException(List<FieldError> errors) {
        super(summary(errors));
        this.errors = List.copyOf(errors);
    }

    public List<FieldError> errors() {
        return errors;
    }

    private static String summary(List<FieldError> errors) {
        StringBuilder sb = new StringBuilder("invalid container spec: ");
        for (int i = 0; i < errors.size(); i++) {
            sb.append(i > 0 ? "; " : "").append(errors.get(i));
        }
        return sb.toString();
    }
}
