package org.xdv.cdcr.q.qpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.xdv.cdcr.q.circuit.Circuit;
import org.xdv.cdcr.q.qasm.QasmParser;
import org.xdv.cdcr.q.sim.ShotResult;
import org.xdv.cdcr.q.sim.SimOptions;

class QpuTest {

    private static final String BELL = "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[2];\ncreg c[2];\n"
            + "h q[0];\ncx q[0],q[1];\nmeasure q -> c;\n";

    private final Qpu qpu = new Qpu("n1", 8, SimOptions.defaults());

    @Test
    void allocatesLowestFreeQubitsWithDeterministicIds() throws Exception {
        RegisterHandle a = qpu.allocate("acme", "acme/bell", 3, 1000);
        RegisterHandle b = qpu.allocate("globex", "globex/x", 2, 1000);
        assertThat(a.id()).isEqualTo("n1/r0");
        assertThat(a.qubits()).containsExactly(0, 1, 2);
        assertThat(b.id()).isEqualTo("n1/r1");
        assertThat(b.qubits()).containsExactly(3, 4);
        qpu.release("acme", a.id());
        RegisterHandle c = qpu.allocate("globex", "globex/y", 4, 1000);
        assertThat(c.qubits()).containsExactly(0, 1, 2, 5);
        assertThat(qpu.free()).isEqualTo(2);
    }

    @Test
    void anotherTenantsHandleIsRefusedForEveryOperation() throws Exception {
        RegisterHandle a = qpu.allocate("acme", "acme/bell", 2, 1000);
        Circuit bell = QasmParser.parse(BELL, "bell");
        assertThatThrownBy(() -> qpu.run("globex", a.id(), bell, 10, 1))
                .isInstanceOf(QpuException.NotOwner.class)
                .hasMessage("register n1/r0 does not belong to tenant globex");
        assertThatThrownBy(() -> qpu.release("globex", a.id())).isInstanceOf(QpuException.NotOwner.class);
        assertThatThrownBy(() -> qpu.budgetUsed("globex", a.id())).isInstanceOf(QpuException.NotOwner.class);
        assertThat(qpu.registers("globex")).isEmpty();
        assertThat(qpu.registers("acme")).containsExactly(a);
        assertThat(qpu.budgetUsed("acme", a.id())).isZero();
        assertThat(qpu.measurementLog("globex").entries()).isEmpty();
        assertThat(qpu.measurementLog("acme").entries()).isEmpty();
    }

    @Test
    void capacityIsEnforcedAndARefusalChangesNothing() throws Exception {
        qpu.allocate("acme", "acme/a", 6, 1000);
        assertThatThrownBy(() -> qpu.allocate("globex", "globex/b", 3, 1000))
                .isInstanceOf(QpuException.CapacityExceeded.class)
                .hasMessage("QPU n1 has 2 free logical qubits, 3 requested");
        assertThat(qpu.free()).isEqualTo(2);
        assertThatThrownBy(() -> qpu.allocate("globex", "globex/b", 0, 1000))
                .isInstanceOf(QpuException.InvalidRequest.class);
        assertThatThrownBy(() -> qpu.allocate("", "globex/b", 1, 1000))
                .isInstanceOf(QpuException.InvalidRequest.class);
        assertThatThrownBy(() -> qpu.release("acme", "n1/r99")).isInstanceOf(QpuException.UnknownRegister.class);
        assertThat(qpu.free()).isEqualTo(2);
    }

    @Test
    void runChargesTheBudgetAndLogsToTheOwnersLogOnly() throws Exception {
        RegisterHandle a = qpu.allocate("acme", "acme/bell", 2, 1000);
        Circuit bell = QasmParser.parse(BELL, "bell");
        ShotResult r = qpu.run("acme", a.id(), bell, 1024, 42);
        assertThat(r.counts().keySet()).containsOnly("00", "11");
        assertThat(qpu.budgetUsed("acme", a.id())).isEqualTo(28);
        assertThat(qpu.measurementLog("acme").entries()).singleElement().satisfies(e -> {
            assertThat(e.container()).isEqualTo("acme/bell");
            assertThat(e.register()).isEqualTo("n1/r0");
            assertThat(e.shotSeed()).isEqualTo(42);
            assertThat(e.shots()).isEqualTo(1024);
            assertThat(e.outcomesDigest()).isEqualTo(Qpu.digest(r)).hasSize(64);
        });
        assertThat(qpu.measurementLog("globex").entries()).isEmpty();
    }

    @Test
    void decoherenceFaultHitsOnlyThatRegister() throws Exception {
        Circuit bell = QasmParser.parse(BELL, "bell");
        RegisterHandle small = qpu.allocate("acme", "acme/small", 2, 60);
        RegisterHandle other = qpu.allocate("acme", "acme/other", 2, 1000);
        RegisterHandle theirs = qpu.allocate("globex", "globex/g", 2, 1000);
        qpu.run("acme", small.id(), bell, 8, 1);
        qpu.run("acme", small.id(), bell, 8, 1);
        assertThatThrownBy(() -> qpu.run("acme", small.id(), bell, 8, 1))
                .isInstanceOf(DecoherenceFault.class)
                .hasMessage("decoherence budget of register n1/r0 exceeded: budget 60, used 56, this run needs 28");
        assertThat(qpu.isDecohered("acme", small.id())).isTrue();
        assertThat(qpu.budgetUsed("acme", small.id())).isEqualTo(56);
        assertThatThrownBy(() -> qpu.run("acme", small.id(), bell, 8, 1)).isInstanceOf(DecoherenceFault.class);
        assertThat(qpu.run("acme", other.id(), bell, 8, 1).shots()).isEqualTo(8);
        assertThat(qpu.run("globex", theirs.id(), bell, 8, 1).shots()).isEqualTo(8);
        assertThat(qpu.isDecohered("acme", other.id())).isFalse();
        qpu.release("acme", small.id());
        assertThat(qpu.free()).isEqualTo(4);
    }

    @Test
    void circuitLargerThanTheRegisterIsRefused() throws Exception {
        RegisterHandle a = qpu.allocate("acme", "acme/a", 1, 1000);
        Circuit bell = QasmParser.parse(BELL, "bell");
        assertThatThrownBy(() -> qpu.run("acme", a.id(), bell, 8, 1))
                .isInstanceOf(QpuException.RegisterTooSmall.class)
                .hasMessage("circuit needs 2 qubits but register n1/r0 has 1");
        assertThat(qpu.budgetUsed("acme", a.id())).isZero();
        assertThatThrownBy(() -> qpu.run("acme", a.id(), bell, 0, 1)).isInstanceOf(QpuException.InvalidRequest.class);
    }

    @Test
    void decoherenceCostFollowsTheDocumentedFormula() throws Exception {
        Circuit bell = QasmParser.parse(BELL, "bell");
        assertThat(DecoherenceCost.of(bell, 2)).isEqualTo(1 + 11 + 5 + 5 + 3 * 2);
        assertThat(DecoherenceCost.of(bell, 5)).isEqualTo(22 + 3 * 5);
        Circuit ccx = QasmParser.parse("OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[3];\nccx q[0],q[1],q[2];\nswap q[0],q[2];\n", "t");
        assertThat(DecoherenceCost.of(ccx, 3)).isEqualTo(21 + 30 + 2 * 3);
    }
}
