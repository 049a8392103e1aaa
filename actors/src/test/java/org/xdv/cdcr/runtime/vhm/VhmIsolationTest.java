package org.xdv.cdcr.runtime.vhm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.xdv.cdcr.runtime.core.container.FaultKind;
import org.xdv.cdcr.runtime.core.container.Termination;
import org.xdv.cdcr.runtime.core.spec.ContainerSpec;
import org.xdv.cdcr.runtime.core.spec.SpecException;
import org.xdv.cdcr.runtime.core.spec.SpecParser;
import org.xdv.cdcr.runtime.core.spec.WasmProgram;
import org.xdv.cdcr.runtime.node.RunControl;
import org.xdv.cdcr.runtime.node.TenantPools;

/**
 * The malicious example tries every forbidden thing, one per run; the VHM stops each with a typed fault, and the
 * node (the QPU other containers use, the thread) is unharmed. Modules the VHM cannot run are refused at admission
 * with a clear message.
 */
class VhmIsolationTest {

    private static ContainerSpec attack(int n) {
        return VhmFixture.parse(VhmFixture.text("malicious.yaml").replace("args: [1]", "args: [" + n + "]"));
    }

    @ParameterizedTest(name = "attack {0} -> {1}")
    @CsvSource({
        "1, CAPABILITY_VIOLATION, register handle 2 is not one of this container's registers",
        "2, CAPABILITY_VIOLATION, phi_acquire needs capability phi.envelope",
        "3, MEMORY_EXHAUSTED, exceeds the container's limit of 2 pages",
        "4, FUEL_EXHAUSTED, fuel budget of 1000000 used up",
        "5, K_TRAP, outside the container's memory",
        "6, K_TRAP, trap:",
        "7, K_TRAP, trap:",
        "8, K_TRAP, call stack exhausted (more than 2000 nested calls)",
        "9, CAPABILITY_VIOLATION, log needs capability log.write",
    })
    void everyForbiddenThingIsStoppedWithATypedFault(int attack, FaultKind kind, String message) throws Exception {
        VhmFixture node = new VhmFixture();
        String bystander = node.qpu.allocate("acme", "acme/bell", 2, 1_000).id();
        Vhm.Outcome o = node.run(attack(attack));
        assertThat(o.termination().fault()).as(o.termination().detail()).contains(kind);
        assertThat(o.termination().detail()).contains(message);
        assertThat(o.result()).isEmpty();
        // nothing else touched: the other tenant's register is still there and the QPU is whole again
        assertThat(node.qpu.registers("acme")).extracting(r -> r.id()).containsExactly(bystander);
        assertThat(node.qpu.free()).isEqualTo(16 - 2);
    }

    @Test
    void endlessLoopUsesExactlyItsFuel() {
        Vhm.Outcome o = new VhmFixture().run(attack(4));
        assertThat(o.fuelUsed()).isEqualTo(1_000_000);
    }

    @Test
    void deepRecursionTrapsAtTheSameFuelWhateverTheThreadStack() {
        ContainerSpec spec = attack(8);
        long[] fuel = new long[2];
        long[] stacks = {TenantPools.VHM_STACK_BYTES, 4 * TenantPools.VHM_STACK_BYTES};
        for (int i = 0; i < 2; i++) {
            VhmFixture node = new VhmFixture();
            Vhm.Outcome o = VhmFixture.onVhmThread(new HostAbi.Bindings(spec, node.qpu, java.util.Optional.empty(),
                    java.util.Optional.empty(), node.observed, 0), new RunControl(), stacks[i]);
            assertThat(o.termination().detail()).contains("more than " + Vhm.MAX_CALL_DEPTH + " nested calls");
            fuel[i] = o.fuelUsed();
        }
        assertThat(fuel[1]).isEqualTo(fuel[0]);
    }

    @Test
    void bulkMemoryOperationsCostFuelBySize() {
        // (memory 16) run(n): n times memory.fill(0, 7, 1 MiB) -- 1 MiB per instruction must not be 1 fuel
        String fill = "AGFzbQEAAAABBgFgAX8BfwMCAQAFAwEAEAcHAQNydW4AAAolASMBAX8DQEEAQQdBgIDAAPwLACABQQFqIQEgASAASQ0AC0EACw==";
        ContainerSpec spec = VhmFixture.parse("tenant: a\nname: fill\ncapabilities: [k.exec]\nk:\n  moduleBase64: " + fill
                + "\n  args: [1000]\n  fuel: 1000000\n  memoryPages: 16\n");
        Vhm.Outcome o = new VhmFixture().run(spec);
        assertThat(o.termination().fault()).contains(FaultKind.FUEL_EXHAUSTED);
        assertThat(o.fuelUsed()).isEqualTo(1_000_000);
        ContainerSpec once = VhmFixture.parse("tenant: a\nname: fill\ncapabilities: [k.exec]\nk:\n  moduleBase64: "
                + fill + "\n  args: [1]\n  fuel: 1000000\n  memoryPages: 16\n");
        assertThat(new VhmFixture().run(once).fuelUsed()).isGreaterThan((1 << 20) / Vhm.BULK_BYTES_PER_FUEL);
    }

    @Test
    void anUncaughtWebAssemblyExceptionIsATrap() {
        // (tag $oops (param i32)) (func (export "run") (result i32) (throw $oops (i32.const 7)))
        String exn = "AGFzbQEAAAABCQJgAX8AYAABfwMCAQENAwEAAAcHAQNydW4AAAoIAQYAQQcIAAs=";
        Vhm.Outcome o = new VhmFixture().run(VhmFixture.parse("tenant: a\nname: exn\ncapabilities: [k.exec]\nk:\n"
                + "  moduleBase64: " + exn + "\n"));
        assertThat(o.termination().fault()).as(o.termination().detail()).contains(FaultKind.K_TRAP);
        assertThat(o.termination().detail()).contains("uncaught WebAssembly exception");
    }

    @Test
    void memoryLimitIsTheSmallestOfSpecModuleAndNodeCap() {
        var declared = new com.dylibso.chicory.wasm.types.MemoryLimits(1, 3);
        assertThat(Vhm.memoryLimit(declared, 16)).as("the module's own maximum wins").isEqualTo(3);
        assertThat(Vhm.memoryLimit(declared, 2)).as("the spec's pages win").isEqualTo(2);
        var unbounded = new com.dylibso.chicory.wasm.types.MemoryLimits(1);
        assertThat(Vhm.memoryLimit(unbounded, 65_536)).isEqualTo(SpecParser.MAX_MEMORY_PAGES);
    }

    @Test
    void aContainerKilledBeforeItStartsRunsNothing() throws Exception {
        VhmFixture node = new VhmFixture();
        RunControl control = new RunControl();
        control.kill();
        Vhm.Outcome o = node.run(VhmFixture.example("vqe.yaml"), control);
        assertThat(o.termination()).isEqualTo(Termination.killed("operator"));
        assertThat(node.qpu.measurementLog("acme").size()).isZero();
    }

    @Test
    void suspendPausesAModuleWithoutChangingItsFuel() throws Exception {
        RunControl control = new RunControl();
        ContainerSpec spin = VhmFixture.parse(VhmFixture.text("spin.yaml").replace("fuel: 5000000", "fuel: 20000000"));
        CompletableFuture<Vhm.Outcome> run = CompletableFuture.supplyAsync(() -> new VhmFixture().run(spin, control));
        Thread.sleep(20);
        control.suspend();
        Thread.sleep(300);
        assertThat(run).as("suspended").isNotDone();
        control.resume();
        Vhm.Outcome o = run.get(30, TimeUnit.SECONDS);
        assertThat(o.termination().fault()).contains(FaultKind.FUEL_EXHAUSTED);
        assertThat(o.fuelUsed()).isEqualTo(20_000_000);
    }

    @Test
    void killStopsASpinningModule() throws Exception {
        RunControl control = new RunControl();
        ContainerSpec spin = VhmFixture.parse(VhmFixture.text("spin.yaml").replace("fuel: 5000000",
                "fuel: 100000000000"));
        CompletableFuture<Vhm.Outcome> run = CompletableFuture.supplyAsync(() -> new VhmFixture().run(spin, control));
        Thread.sleep(100);
        control.kill();
        Vhm.Outcome o = run.get(10, TimeUnit.SECONDS);
        assertThat(o.termination()).isEqualTo(Termination.killed("operator"));
    }

    @Test
    void malformedOversizedOrMismatchedModulesAreRefusedAtAdmission() {
        assertThatThrownBy(() -> SpecParser.parse(spec("AAAA", "run", "")))
                .isInstanceOf(SpecException.class).hasMessageContaining("k.moduleBase64: not a valid WebAssembly module");
        assertThatThrownBy(() -> SpecParser.parse(spec("not*base64", "run", "")))
                .hasMessageContaining("k.moduleBase64: is not base64");
        String primes = Base64.getEncoder().encodeToString(VhmFixture.module("k-only.wasm"));
        assertThatThrownBy(() -> SpecParser.parse(spec(primes, "main", "[1]")))
                .hasMessageContaining("has no exported function 'main'");
        assertThatThrownBy(() -> SpecParser.parse(spec(primes, "run", "[]")))
                .hasMessageContaining("entry 'run' takes (i32) but the spec gives 0 integer argument(s)");
        assertThatThrownBy(() -> SpecParser.parse(spec(
                Base64.getEncoder().encodeToString(new byte[600 * 1024]), "run", "")))
                .hasMessageContaining("more than the limit");
        // imports outside the ABI: a WASI function
        byte[] wasi = {0, 'a', 's', 'm', 1, 0, 0, 0, 1, 4, 1, 0x60, 0, 0, 2, 0x12, 1, 4, 'w', 'a', 's', 'i', 9,
            'p', 'r', 'o', 'c', '_', 'e', 'x', 'i', 't', 0, 0};
        assertThatThrownBy(() -> SpecParser.parse(spec(Base64.getEncoder().encodeToString(wasi), "run", "")))
                .hasMessageContaining("imports function wasi.proc_exit, which the VHM does not provide");
        // (table 10000000 funcref): an initial table that would cost the node 80 MB
        byte[] table = {0, 'a', 's', 'm', 1, 0, 0, 0, 4, 7, 1, 0x70, 0, (byte) 0x80, (byte) 0xad, (byte) 0xe2, 4};
        assertThatThrownBy(() -> SpecParser.parse(spec(Base64.getEncoder().encodeToString(table), "run", "")))
                .hasMessageContaining("declares a table of 10000000 entries, more than 65536");
        // a module file the control plane cannot read
        assertThatThrownBy(() -> SpecParser.parse(VhmFixture.text("k-only.yaml")))
                .hasMessageContaining("k.module: cannot read 'k-only.wasm'");
    }

    @Test
    void aDamagedDescriptorIsAFailureNotACrash() throws Exception {
        ContainerSpec good = VhmFixture.example("k-only.yaml");
        ContainerSpec.KSpec k = good.k();
        ContainerSpec bad = new ContainerSpec(good.tenant(), good.name(), new ContainerSpec.KSpec(
                new WasmProgram(new byte[] {1, 2, 3}, "run", java.util.List.of()).encode(), k.slots(), k.fuel(),
                k.memoryPages()), good.q(), good.phi(), good.capabilities(), good.policy());
        Vhm.Outcome o = new VhmFixture().run(bad);
        assertThat(o.termination().kind()).isEqualTo(Termination.Kind.FAILED);
        assertThat(o.termination().detail()).startsWith("module refused: not a valid WebAssembly module");
    }

    private static String spec(String base64, String entry, String args) {
        return "tenant: acme\nname: m\ncapabilities: [k.exec]\nk:\n  moduleBase64: " + base64 + "\n  entry: " + entry
                + (args.isEmpty() ? "" : "\n  args: " + args) + "\n";
    }
}
