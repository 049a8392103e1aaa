package org.xdv.cdcr.phi;

import java.util.List;
import java.util.Objects;

/**
 * Result of a state-changing call on {@link PhiAllocator}: {@code (new state, result)}. An {@link Accepted}
 * carries the value and the events to persist ({@code state == previous.apply(events…)}); a {@link Rejected}
 * carries the typed error and the unchanged state (the same instance the call was made on).
 */
public sealed interface PhiOutcome<T> permits PhiOutcome.Accepted, PhiOutcome.Rejected {

    PhiAllocator state();

    boolean accepted();

    record Accepted<T>(PhiAllocator state, T value, List<PhiEvent> events) implements PhiOutcome<T> {
        public Accepted {
            Objects.requireNonNull(state, "state");
            Objects.requireNonNull(value, "value");
            events = List.copyOf(events);
        }

        @Override
        public boolean accepted() {
            return true;
        }
    }

    record Rejected<T>(PhiAllocator state, PhiError error) implements PhiOutcome<T> {
        public Rejected {
            Objects.requireNonNull(state, "state");
            Objects.requireNonNull(error, "error");
        }

        @Override
        public boolean accepted() {
            return false;
        }
    }
}
