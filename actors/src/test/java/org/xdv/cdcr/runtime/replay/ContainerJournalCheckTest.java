package org.xdv.cdcr.runtime.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.xdv.cdcr.runtime.core.container.ContainerEvent;
import org.xdv.cdcr.runtime.core.container.Termination;
import org.xdv.cdcr.runtime.core.dao.DaoDecision;
import org.xdv.cdcr.runtime.core.spec.ContainerSpec;
import org.xdv.cdcr.runtime.integration.Specs;

/** A container journal with the lines its program logged replays; log lines where no program runs do not. */
class ContainerJournalCheckTest {

    private static final ContainerSpec SPEC = Specs.kOnly("acme", "chatty");
    private static final String ID = SPEC.id();
    private static final DaoDecision.Placed PLACED = new DaoDecision.Placed(ID, "acme", "n1", 1, 0, Optional.empty());

    private static List<ContainerJournalCheck.Recorded> numbered(ContainerEvent... events) {
        List<ContainerJournalCheck.Recorded> out = new ArrayList<>();
        for (int i = 0; i < events.length; i++) {
            out.add(new ContainerJournalCheck.Recorded(i + 1, events[i]));
        }
        return out;
    }

    private static Optional<ContainerJournalCheck.ContainerDivergence> check(ContainerEvent... events) {
        return ContainerJournalCheck.check(ID, numbered(events), seq -> seq == 4 ? Optional.of(PLACED)
                : Optional.empty());
    }

    @Test
    void logLinesOfARunReplay() {
        assertThat(check(new ContainerEvent.Created(ID, SPEC),
                new ContainerEvent.Scheduled(ID, "n1", 4, 1, 0, Optional.empty()),
                new ContainerEvent.KBound(ID, "n1", "vhm-acme"),
                new ContainerEvent.Activated(ID, "n1"),
                new ContainerEvent.Logged(ID, List.of("step 1"), 0),
                new ContainerEvent.Terminated(ID, Termination.completed(), Optional.empty()),
                new ContainerEvent.Released(ID))).isEmpty();
    }

    @Test
    void logLinesWhereNoProgramRunsAreADivergence() {
        ContainerEvent logged = new ContainerEvent.Logged(ID, List.of("planted"), 0);
        assertThat(check(new ContainerEvent.Created(ID, SPEC),
                new ContainerEvent.Scheduled(ID, "n1", 4, 1, 0, Optional.empty()), logged))
                .hasValueSatisfying(d -> {
                    assertThat(d.eventSeq()).isEqualTo(3);
                    assertThat(d.event()).isEqualTo(logged);
                    assertThat(d.explanation()).startsWith("log lines recorded in state ").endsWith(", where no K "
                            + "program runs");
                });
    }

    @Test
    void aPlacementGivenUpBeforeCreationReplaysAndIsNeverTheOneScheduledBy() {
        ContainerEvent gaveUp = new ContainerEvent.Abandoned(ID, 3);
        assertThat(check(gaveUp, new ContainerEvent.Created(ID, SPEC),
                new ContainerEvent.Scheduled(ID, "n1", 4, 1, 0, Optional.empty()))).isEmpty();

        ContainerEvent late = new ContainerEvent.Scheduled(ID, "n1", 4, 1, 0, Optional.empty());
        assertThat(check(new ContainerEvent.Abandoned(ID, 4), new ContainerEvent.Created(ID, SPEC), late))
                .hasValueSatisfying(d -> {
                    assertThat(d.eventSeq()).isEqualTo(3);
                    assertThat(d.explanation()).isEqualTo("scheduled by orchestrator decision #4, a placement given "
                            + "up before (up to #4)");
                });
        assertThat(check(new ContainerEvent.Created(ID, SPEC),
                new ContainerEvent.Scheduled(ID, "n1", 4, 1, 0, Optional.empty()), gaveUp))
                .hasValueSatisfying(d -> assertThat(d.explanation()).startsWith("placement given up in state "));
    }
}
