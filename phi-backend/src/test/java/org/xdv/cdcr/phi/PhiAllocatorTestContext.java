package org.xdv.cdcr.phi;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

/**
 * Drives an allocator like the orchestrator will: every accepted outcome's events are recorded, every rejected
 * outcome is checked to have left the state untouched, and {@link #replayed()} rebuilds the state from the record.
 */
final class PhiAllocatorTestContext {

    private PhiAllocator state;
    private final SharingContracts contracts;
    private final List<PhiEvent> events = new ArrayList<>();

    PhiAllocatorTestContext(PhiConfig config, String nodeId, SharingContracts contracts) {
        this.state = PhiAllocator.empty(config, nodeId);
        this.contracts = contracts;
    }

    PhiAllocator state() {
        return state;
    }

    SharingContracts contracts() {
        return contracts;
    }

    List<PhiEvent> events() {
        return List.copyOf(events);
    }

    PhiOutcome<Envelope> reserve(EnvelopeRequest request, long fromSlot) {
        return record(state.reserve(request, fromSlot, contracts));
    }

    PhiOutcome<Envelope> release(String tenant, EnvelopeId id) {
        return record(state.release(tenant, id));
    }

    PhiOutcome<List<Envelope>> compact(long nowSlot) {
        return record(state.compact(nowSlot));
    }

    Envelope granted(EnvelopeRequest request, long fromSlot) {
        PhiOutcome<Envelope> o = reserve(request, fromSlot);
        assertThat(o).isInstanceOf(PhiOutcome.Accepted.class);
        return (Envelope) ((PhiOutcome.Accepted<?>) o).value();
    }

    PhiError rejected(PhiOutcome<?> o) {
        assertThat(o).isInstanceOf(PhiOutcome.Rejected.class);
        return ((PhiOutcome.Rejected<?>) o).error();
    }

    PhiAllocator replayed() {
        return PhiAllocator.replay(state.config(), state.nodeId(), events);
    }

    private <T> PhiOutcome<T> record(PhiOutcome<T> o) {
        PhiAllocator before = state;
        if (o instanceof PhiOutcome.Accepted<T> a) {
            PhiAllocator folded = before;
            for (PhiEvent e : a.events()) {
                folded = folded.apply(e);
            }
            assertThat(folded).as("accepted state equals previous state + its events").isEqualTo(a.state());
            events.addAll(a.events());
            state = a.state();
        } else {
            assertThat(o.state()).as("a rejection returns the very same state").isSameAs(before);
        }
        return o;
    }
}
