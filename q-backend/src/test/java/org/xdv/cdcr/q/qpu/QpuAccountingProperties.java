package org.xdv.cdcr.q.qpu;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.xdv.cdcr.q.sim.SimOptions;

/** Capacity accounting never goes negative, never double-books a qubit, and never leaks. */
class QpuAccountingProperties {

    record Step(boolean allocate, int tenant, int size, int pick, boolean asOther) {
    }

    @Provide
    Arbitrary<List<Step>> steps() {
        Arbitrary<Step> step = Combinators.combine(
                Arbitraries.of(true, false), Arbitraries.integers().between(0, 2),
                Arbitraries.integers().between(-1, 6), Arbitraries.integers().between(0, 50),
                Arbitraries.of(false, false, false, true))
                .as(Step::new);
        return step.list().ofMaxSize(60);
    }

    @Property(tries = 300)
    void capacityIsConserved(@ForAll("steps") List<Step> steps) {
        String[] tenants = {"acme", "globex", "initech"};
        Qpu qpu = new Qpu("n", 10, SimOptions.unfused(1));
        List<RegisterHandle> live = new ArrayList<>();
        for (Step s : steps) {
            try {
                if (s.allocate()) {
                    live.add(qpu.allocate(tenants[s.tenant()], "c" + live.size(), s.size(), 100));
                } else if (!live.isEmpty()) {
                    RegisterHandle h = live.get(s.pick() % live.size());
                    String caller = s.asOther() ? tenants[(List.of(tenants).indexOf(h.tenant()) + 1) % 3] : h.tenant();
                    qpu.release(caller, h.id());
                    live.remove(h);
                }
            } catch (QpuException refused) {
                // a refusal must leave the state as it was: checked by the invariants below
            }
            int held = 0;
            Set<Integer> used = new HashSet<>();
            for (RegisterHandle h : live) {
                held += h.size();
                for (int q : h.qubits()) {
                    assertThat(used.add(q)).as("qubit %d booked twice", q).isTrue();
                    assertThat(q).isBetween(0, 9);
                }
            }
            assertThat(qpu.free()).isEqualTo(10 - held).isNotNegative();
            for (String t : tenants) {
                assertThat(qpu.registers(t)).allMatch(h -> h.tenant().equals(t));
                int mine = live.stream().filter(h -> h.tenant().equals(t)).mapToInt(RegisterHandle::size).sum();
                assertThat(qpu.allocated(t)).isEqualTo(mine);
            }
        }
        for (RegisterHandle h : live) {
            try {
                qpu.release(h.tenant(), h.id());
            } catch (QpuException e) {
                throw new AssertionError(e);
            }
        }
        assertThat(qpu.free()).isEqualTo(10);
    }
}
