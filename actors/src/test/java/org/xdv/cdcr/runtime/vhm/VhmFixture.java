package org.xdv.cdcr.runtime.vhm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.xdv.cdcr.phi.Envelope;
import org.xdv.cdcr.phi.EnvelopeId;
import org.xdv.cdcr.phi.PhiConfig;
import org.xdv.cdcr.phi.execution.ObservedStability;
import org.xdv.cdcr.q.qpu.Qpu;
import org.xdv.cdcr.q.qpu.QpuException;
import org.xdv.cdcr.q.sim.SimOptions;
import org.xdv.cdcr.runtime.core.spec.ContainerSpec;
import org.xdv.cdcr.runtime.core.spec.SpecException;
import org.xdv.cdcr.runtime.core.spec.SpecParser;
import org.xdv.cdcr.runtime.node.RunControl;
import org.xdv.cdcr.runtime.node.TenantPools;

/** The examples in {@code examples/vhm} and a node's Q and Φ side to run them on, without an actor system. */
final class VhmFixture {

    static final Path EXAMPLES = Path.of("..", "examples", "vhm");
    static final String NODE = "vhm-node";

    final Qpu qpu = new Qpu(NODE, 16, SimOptions.defaults());
    final ObservedStability observed = new ObservedStability(PhiConfig.defaults(2), NODE, 3L);

    static String text(String file) {
        try {
            return Files.readString(EXAMPLES.resolve(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] module(String file) {
        try {
            return Files.readAllBytes(EXAMPLES.resolve(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses a spec text whose {@code k.module} lies in {@code examples/vhm}. */
    static ContainerSpec parse(String yaml) {
        try {
            return SpecParser.parse(yaml, p -> Files.readAllBytes(EXAMPLES.resolve(p)));
        } catch (SpecException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    static ContainerSpec example(String file) {
        return parse(text(file));
    }

    /** Binds what the spec declares (a register, an envelope on channel 0 from slot 0) and runs its VHM. */
    Vhm.Outcome run(ContainerSpec spec) {
        return run(spec, new RunControl());
    }

    /** Runs a VHM on a thread with the given Java stack, as the tenant pools do. */
    static Vhm.Outcome onVhmThread(HostAbi.Bindings bindings, RunControl control, long stackBytes) {
        Vhm.Outcome[] out = new Vhm.Outcome[1];
        RuntimeException[] failed = new RuntimeException[1];
        Thread t = new Thread(null, () -> {
            try {
                out[0] = Vhm.run(bindings, control);
            } catch (RuntimeException e) {
                failed[0] = e;
            }
        }, "vhm-test", stackBytes);
        t.start();
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        if (failed[0] != null) {
            throw failed[0];
        }
        return out[0];
    }

    Vhm.Outcome run(ContainerSpec spec, RunControl control) {
        return run(spec, control, false);
    }

    /** With {@code here}, on the calling thread (a tenant pool's thread); otherwise on a VHM-sized thread. */
    Vhm.Outcome run(ContainerSpec spec, RunControl control, boolean here) {
        Optional<String> register = Optional.empty();
        if (spec.q().isPresent()) {
            try {
                register = Optional.of(qpu.allocate(spec.tenant(), spec.id(), spec.q().get().qubits(),
                        spec.q().get().decoherenceBudget()).id());
            } catch (QpuException e) {
                throw new IllegalStateException(e);
            }
        }
        Optional<Envelope> envelope = spec.phi().map(p -> new Envelope(new EnvelopeId(NODE, 0, 0, 0), p.slots(),
                p.stabilityFloor(), spec.tenant(), spec.id(), Optional.empty(), false));
        try {
            HostAbi.Bindings bindings = new HostAbi.Bindings(spec, qpu, register, envelope, observed, 0);
            return here ? Vhm.run(bindings, control) : onVhmThread(bindings, control, TenantPools.VHM_STACK_BYTES);
        } finally {
            if (register.isPresent()) {
                try {
                    qpu.release(spec.tenant(), register.get());
                } catch (QpuException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
    }
}
