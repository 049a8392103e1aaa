package org.xdv.cdcr.phi;

import java.util.Objects;

/**
 * Thrown by the query methods of the Φ backend (those that return a value rather than a {@link PhiOutcome})
 * and by constructors of configuration values, when their input is invalid. Carries the typed {@link PhiError}.
 */
public final class PhiException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final transient PhiError error;

    public PhiException(PhiError error) {
        super(Objects.requireNonNull(error, "error").toString());
        this.error = error;
    }

    public PhiError error() {
        return error;
    }
}
