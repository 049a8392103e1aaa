package org.xdv.cdcr.runtime.node;

import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

import org.xdv.cdcr.phi.Envelope;
import org.xdv.cdcr.phi.execution.ObservedStability;
import org.xdv.cdcr.q.circuit.Circuit;
import org.xdv.cdcr.q.qasm.QasmParseException;
import org.xdv.cdcr.q.qasm.QasmParser;
import org.xdv.cdcr.q.qpu.DecoherenceFault;
import org.xdv.cdcr.q.qpu.Qpu;
import org.xdv.cdcr.q.qpu.QpuException;
import org.xdv.cdcr.q.sim.ShotResult;
import org.xdv.cdcr.runtime.core.Capabilities;
import org.xdv.cdcr.runtime.core.container.ContainerResult;
import org.xdv.cdcr.runtime.core.container.FaultKind;
import org.xdv.cdcr.runtime.core.container.Termination;
import org.xdv.cdcr.runtime.core.spec.ContainerSpec;

/**
 * The built-in K program ({@code builtin:circuit-runner}): run the declared circuit for the declared shots on
 * the container's bound register, then hold its Φ envelope for its slots while watching the observed
 * stability, and report counts and a stability summary. Every domain access checks the container's
 * capability set first (reading counts needs {@code q.measure}, sampling the envelope {@code phi.sample});
 * an access outside it is a capability violation that ends this container only.
 */
public final class BuiltinProgram {

    /** How a run ended. */
    public record Outcome(Termination termination, Optional<ContainerResult> result) {
    }

    private BuiltinProgram() {
    }

    public static Outcome run(ContainerSpec spec, Qpu qpu, Optional<String> register, Optional<Envelope> envelope,
                              ObservedStability observed, long slotMillis, RunControl control)
            throws InterruptedException {
        SortedMap<String, Integer> counts = new TreeMap<>();
        StringBuilder detail = new StringBuilder();
        if (spec.q().isPresent()) {
            ContainerSpec.QSpec q = spec.q().get();
            if (!control.proceed()) {
                return killed();
            }
            Circuit circuit;
            try {
                circuit = QasmParser.parse(q.qasm(), spec.id() + ":q.qasm");
            } catch (QasmParseException e) {
                return new Outcome(Termination.failed(e.getMessage()), Optional.empty());
            }
            if (register.isEmpty()) {
                return new Outcome(Termination.fault(FaultKind.CAPABILITY_VIOLATION,
                        "the program ran a circuit without a bound register"), Optional.empty());
            }
            ShotResult shots;
            try {
                shots = qpu.run(spec.tenant(), register.get(), circuit, q.shots(), q.seed());
            } catch (DecoherenceFault e) {
                return new Outcome(Termination.fault(FaultKind.Q_DECOHERENCE, e.getMessage()), Optional.empty());
            } catch (QpuException.NotOwner e) {
                return new Outcome(Termination.fault(FaultKind.CAPABILITY_VIOLATION, e.getMessage()), Optional.empty());
            } catch (QpuException e) {
                return new Outcome(Termination.fault(FaultKind.Q_MEASUREMENT, e.getMessage()), Optional.empty());
            }
            if (!spec.capabilities().contains(Capabilities.Q_MEASURE)) {
                return new Outcome(Termination.fault(FaultKind.CAPABILITY_VIOLATION,
                        "reading measurement counts needs capability q.measure"), Optional.empty());
            }
            counts.putAll(shots.counts());
            detail.append(q.shots()).append(" shots");
        }
        Optional<ContainerResult.PhiSummary> phi = Optional.empty();
        if (envelope.isPresent()) {
            Envelope env = envelope.get();
            boolean sample = spec.capabilities().contains(Capabilities.PHI_SAMPLE);
            double min = 1.0, sum = 0;
            long n = 0;
            for (long slot = env.startSlot(); slot < env.endSlot(); slot++) {
                if (!control.proceed()) {
                    return killed();
                }
                double v = observed.at(env.channel(), slot);
                if (v < env.stabilityFloor()) {
                    return new Outcome(Termination.fault(FaultKind.PHI_INSTABILITY, String.format(
                            "observed stability %.4f below floor %.4f at slot %d of envelope %s", v,
                            env.stabilityFloor(), slot, env.id())), Optional.empty());
                }
                min = Math.min(min, v);
                sum += v;
                n++;
                if (slotMillis > 0) {
                    Thread.sleep(slotMillis);
                }
            }
            if (sample) {
                phi = Optional.of(new ContainerResult.PhiSummary(n, min, sum / n, env.stabilityFloor()));
            }
            detail.append(detail.length() > 0 ? ", " : "").append("held Φ ").append(n).append(" slots");
        }
        if (spec.q().isEmpty() && envelope.isEmpty()) {
            detail.append("K program ran");
        }
        return new Outcome(Termination.completed(), Optional.of(ContainerResult.of(counts, phi, detail.toString())));
    }

    private static Outcome killed() {
        return new Outcome(Termination.killed("operator"), Optional.empty());
    }
}
