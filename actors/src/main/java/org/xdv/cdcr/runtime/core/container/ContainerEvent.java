package org.xdv.cdcr.runtime.core.container;

import java.util.List;
import java.util.Optional;

import org.xdv.cdcr.persistence.KryoSerializable;
import org.xdv.cdcr.phi.Envelope;
import org.xdv.cdcr.runtime.core.spec.ContainerSpec;

/** Every lifecycle transition of a hybrid container, as persisted. Each event carries the container id. */
public sealed interface ContainerEvent extends KryoSerializable {

    String containerId();

    record Created(String containerId, ContainerSpec spec) implements ContainerEvent {
    }

    /** The orchestrator placed it ({@code decisionSeq} = the orchestrator journal entry that decided it). */
    record Scheduled(String containerId, String node, long decisionSeq, int kSlots, int qubits,
                     Optional<Envelope> envelope) implements ContainerEvent {
        public Scheduled {
            envelope = envelope == null ? Optional.empty() : envelope;
        }
    }

    record KBound(String containerId, String node, String pool) implements ContainerEvent {
    }

    record QBound(String containerId, String node, String register, int qubits) implements ContainerEvent {
    }

    record PhiBound(String containerId, String node, String envelope, int channel, long startSlot, long lengthSlots)
            implements ContainerEvent {
    }

    record Activated(String containerId, String node) implements ContainerEvent {
    }

    record Suspended(String containerId, String by) implements ContainerEvent {
    }

    record Resumed(String containerId, String by) implements ContainerEvent {
    }

    record Terminated(String containerId, Termination reason, Optional<ContainerResult> result)
            implements ContainerEvent {
        public Terminated {
            result = result == null ? Optional.empty() : result;
        }
    }

    /** Its node was lost; the orchestrator re-placed it: bindings are cleared and it binds again there. */
    record Rescheduled(String containerId, String fromNode, String node, long decisionSeq, int kSlots, int qubits,
                       Optional<Envelope> envelope) implements ContainerEvent {
        public Rescheduled {
            envelope = envelope == null ? Optional.empty() : envelope;
        }
    }

    record Released(String containerId) implements ContainerEvent {
    }

    /**
     * The lines its K program logged through the host ABI ({@code cdcr.log}), in order, persisted in the same write
     * as the {@link Terminated} that follows it; {@code dropped} lines beyond the VHM's log budget were not kept.
     * Not a lifecycle transition: it changes nothing but the event count.
     */
    record Logged(String containerId, List<String> lines, int dropped) implements ContainerEvent {
        public Logged {
            lines = List.copyOf(lines);
        }
    }

    /**
     * Its placements up to orchestrator decision {@code upToSeq} were given up before the container was ever created
     * (the submitting client went away between placement and creation): a later {@link Created} for such a
     * placement is refused, and the orchestrator is asked to release it. Not a lifecycle transition: the container
     * still does not exist; a new submission gets a new placement.
     */
    record Abandoned(String containerId, long upToSeq) implements ContainerEvent {
    }
}
