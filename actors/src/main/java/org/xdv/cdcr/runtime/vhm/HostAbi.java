package org.xdv.cdcr.runtime.vhm;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

import com.dylibso.chicory.runtime.HostFunction;
import com.dylibso.chicory.runtime.ImportValues;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Memory;
import com.dylibso.chicory.runtime.WasmFunctionHandle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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
import org.xdv.cdcr.runtime.core.spec.ContainerSpec;
import org.xdv.cdcr.runtime.core.spec.SpecParser;
import org.xdv.cdcr.runtime.core.spec.VhmAbi;

/**
 * The {@code cdcr} host imports of one container's VHM ({@code docs/vhm.md}). Every import first charges
 * {@link Vhm#HOST_CALL_FUEL} and checks the container's capability set ({@link VhmAbi#IMPORTS}); then it checks
 * that every handle it is given names one of <em>this</em> container's bindings. Handles are small numbers local
 * to the VHM (registers from 1, the envelope is 1): there is no name a module could use for another container's
 * register, envelope, memory or log. A call outside the capability set or the bindings faults the container with
 * {@code CAPABILITY_VIOLATION} before anything is touched; a mistake inside them (an unknown gate, bad QASM) is a
 * negative error code the module may handle.
 */
public final class HostAbi {

    private static final Logger LOG = LoggerFactory.getLogger("org.xdv.cdcr.vhm");

    public static final int MAX_LOG_LINES = 1000;
    public static final int MAX_LOG_LINE = 1024;
    /** Log bytes kept per run (what the container's journal records); lines past it are counted, not kept. */
    public static final int MAX_LOG_BYTES = 64 * 1024;
    public static final int MAX_RESULT_BYTES = 64 * 1024;
    public static final int DOMAIN_Q = 1;
    public static final int DOMAIN_PHI = 2;

    /** Gate codes of {@code q_gate}. */
    static final List<String> GATES = List.of("h", "x", "y", "z", "s", "t", "rx", "ry", "rz", "cx", "cz");

    /** Everything one container's VHM may reach. */
    public record Bindings(ContainerSpec spec, Qpu qpu, Optional<String> register, Optional<Envelope> envelope,
                           ObservedStability observed, long slotMillis) {
        public Bindings {
            register = register == null ? Optional.empty() : register;
            envelope = envelope == null ? Optional.empty() : envelope;
        }
    }

    /** A register handle: a share of the container's bound register, its pending gates and last counts. */
    private static final class QReg {
        final int qubits;
        final StringBuilder gates = new StringBuilder();
        ShotResult last;

        QReg(int qubits) {
            this.qubits = qubits;
        }
    }

    private final Bindings b;
    private final Vhm.Meter meter;
    private final Map<Integer, QReg> registers = new TreeMap<>();
    private int nextRegister = 1;
    private int qubitsInUse;
    private int runs;
    private long shotsRun;
    private SortedMap<String, Integer> counts = new TreeMap<>();
    private boolean phiAcquired;
    private boolean phiReleased;
    private long nextSlot;
    private double phiMin = 1.0;
    private double phiSum;
    private final List<String> log = new ArrayList<>();
    private int logBytes;
    private int logDropped;
    private byte[] result;
    private Instance instance;

    HostAbi(Bindings bindings, Vhm.Meter meter) {
        this.b = bindings;
        this.meter = meter;
    }

    void attach(Instance instance) {
        this.instance = instance;
    }

    List<String> log() {
        return log;
    }

    /** Lines logged past {@link #MAX_LOG_LINES} or {@link #MAX_LOG_BYTES}: counted, not kept. */
    int logDropped() {
        return logDropped;
    }

    ImportValues imports() {
        ImportValues.Builder iv = ImportValues.builder();
        fn(iv, "domains", a -> i((b.register().isPresent() ? DOMAIN_Q : 0) | (b.envelope().isPresent() ? DOMAIN_PHI : 0)));
        fn(iv, "q_alloc", a -> i(qAlloc((int) a[0])));
        fn(iv, "q_release", a -> {
            QReg r = reg("q_release", (int) a[0]);
            registers.remove((int) a[0]);
            qubitsInUse -= r.qubits;
            return i(VhmAbi.OK);
        });
        fn(iv, "q_gate", a -> i(qGate(reg("q_gate", (int) a[0]), (int) a[1], (int) a[2], (int) a[3],
                Double.longBitsToDouble(a[4]))));
        fn(iv, "q_run", a -> {
            QReg r = reg("q_run", (int) a[0]);
            String text = "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[" + r.qubits + "];\ncreg c[" + r.qubits
                    + "];\n" + r.gates + "measure q -> c;\n";
            r.gates.setLength(0);
            return i(run(r, text, (int) a[1]));
        });
        fn(iv, "q_run_qasm", a -> {
            QReg r = reg("q_run_qasm", (int) a[0]);
            return i(run(r, string("q_run_qasm", (int) a[1], (int) a[2]), (int) a[3]));
        });
        fn(iv, "q_run_declared", a -> {
            QReg r = reg("q_run_declared", (int) a[0]);
            if (b.spec().q().isEmpty() || b.spec().q().get().qasm().isEmpty()) {
                return i(VhmAbi.ERR_STATE);
            }
            return i(run(r, b.spec().q().get().qasm(), b.spec().q().get().shots()));
        });
        fn(iv, "q_counts", a -> i(qCounts(reg("q_counts", (int) a[0]), (int) a[1], (int) a[2])));
        fn(iv, "q_expect_z", a -> new long[] {Double.doubleToRawLongBits(expectZ(reg("q_expect_z", (int) a[0]), a[1]))});
        fn(iv, "phi_acquire", a -> {
            if (b.envelope().isEmpty()) {
                throw violation("phi_acquire: no Φ envelope is bound to this container");
            }
            phiAcquired = true;
            return i(1);
        });
        fn(iv, "phi_slots", a -> new long[] {env("phi_slots", (int) a[0]).lengthSlots()});
        fn(iv, "phi_floor", a -> new long[] {Double.doubleToRawLongBits(env("phi_floor", (int) a[0]).stabilityFloor())});
        fn(iv, "phi_hold", a -> i(phiHold(env("phi_hold", (int) a[0]), a[1])));
        fn(iv, "phi_sample", a -> {
            Envelope e = env("phi_sample", (int) a[0]);
            long slot = a[1];
            // the slots held so far and the one about to be held, never a later one
            double v = slot < 0 || slot > nextSlot || slot >= e.lengthSlots() ? Double.NaN : b.observed().at(e.channel(), e.startSlot() + slot);
            return new long[] {Double.doubleToRawLongBits(v)};
        });
        fn(iv, "phi_release", a -> {
            env("phi_release", (int) a[0]);
            phiReleased = true;
            return i(VhmAbi.OK);
        });
        fn(iv, "log", a -> {
            int bytes = (int) Math.min(a[1] & 0xffff_ffffL, MAX_LOG_LINE);
            String line = string("log", (int) a[0], bytes);
            if (log.size() < MAX_LOG_LINES && logBytes + bytes <= MAX_LOG_BYTES) {
                log.add(line);
                logBytes += bytes;
                LOG.info("[{}] {}", b.spec().id(), line);
            } else {
                logDropped++;
            }
            return i(VhmAbi.OK);
        });
        fn(iv, "result", a -> {
            long len = a[1] & 0xffff_ffffL;
            if (len > MAX_RESULT_BYTES) {
                return i(VhmAbi.ERR_ARG);
            }
            result = bytes("result", (int) a[0], (int) len);
            return i(VhmAbi.OK);
        });
        return iv.build();
    }

    private interface Body {
        long[] apply(long[] args);
    }

    private void fn(ImportValues.Builder iv, String name, Body body) {
        VhmAbi.HostImport spec = VhmAbi.IMPORTS.get(name);
        WasmFunctionHandle handle = (inst, args) -> {
            meter.charge(Vhm.HOST_CALL_FUEL);
            meter.checkControl(); // a host call is where a suspend or kill takes effect at once
            if (spec.capability().isPresent() && !b.spec().capabilities().contains(spec.capability().get())) {
                throw violation(name + " needs capability " + spec.capability().get()
                        + ", which this container does not hold");
            }
            return body.apply(args);
        };
        iv.addFunction(new HostFunction(VhmAbi.MODULE, name, spec.type(), handle));
    }

    private static long[] i(int v) {
        return new long[] {v};
    }

    private static VhmFault violation(String message) {
        return new VhmFault(FaultKind.CAPABILITY_VIOLATION, message);
    }

    private QReg reg(String call, int handle) {
        QReg r = registers.get(handle);
        if (r == null) {
            throw violation(call + ": register handle " + handle + " is not one of this container's registers");
        }
        return r;
    }

    private Envelope env(String call, int handle) {
        if (handle != 1 || !phiAcquired || b.envelope().isEmpty()) {
            throw violation(call + ": envelope handle " + handle + " is not this container's acquired envelope");
        }
        return b.envelope().get();
    }

    private int qAlloc(int qubits) {
        if (b.register().isEmpty() || b.spec().q().isEmpty()) {
            throw violation("q_alloc: no Q register is bound to this container");
        }
        int bound = b.spec().q().get().qubits();
        int n = qubits == 0 ? bound - qubitsInUse : qubits;
        if (n < 1 || qubitsInUse + n > bound) {
            return VhmAbi.ERR_ARG;
        }
        qubitsInUse += n;
        int h = nextRegister++;
        registers.put(h, new QReg(n));
        return h;
    }

    private int qGate(QReg r, int gate, int q0, int q1, double theta) {
        if (gate < 0 || gate >= GATES.size() || q0 < 0 || q0 >= r.qubits || Double.isNaN(theta)
                || Double.isInfinite(theta)) {
            return VhmAbi.ERR_ARG;
        }
        String g = GATES.get(gate);
        if (g.equals("cx") || g.equals("cz")) {
            if (q1 < 0 || q1 >= r.qubits || q1 == q0) {
                return VhmAbi.ERR_ARG;
            }
            r.gates.append(g).append(" q[").append(q0).append("], q[").append(q1).append("];\n");
        } else if (g.startsWith("r")) {
            r.gates.append(g).append('(').append(Double.toString(theta)).append(") q[").append(q0).append("];\n");
        } else {
            r.gates.append(g).append(" q[").append(q0).append("];\n");
        }
        return VhmAbi.OK;
    }

    private int run(QReg r, String qasm, int shots) {
        if (shots < 1 || shots > SpecParser.MAX_SHOTS) {
            return VhmAbi.ERR_ARG;
        }
        Circuit circuit;
        try {
            circuit = QasmParser.parse(qasm, b.spec().id() + ":vhm");
        } catch (QasmParseException e) {
            return VhmAbi.ERR_QASM;
        }
        if (circuit.numQubits() > r.qubits) {
            return VhmAbi.ERR_ARG;
        }
        long seed = b.spec().q().map(ContainerSpec.QSpec::seed).orElse(SpecParser.defaultSeed(b.spec().id())) + runs;
        try {
            r.last = b.qpu().run(b.spec().tenant(), b.register().orElseThrow(), circuit, shots, seed);
        } catch (DecoherenceFault e) {
            throw new VhmFault(FaultKind.Q_DECOHERENCE, e.getMessage());
        } catch (QpuException.NotOwner e) {
            throw violation(e.getMessage());
        } catch (QpuException e) {
            throw new VhmFault(FaultKind.Q_MEASUREMENT, e.getMessage());
        }
        runs++;
        shotsRun += shots;
        return VhmAbi.OK;
    }

    private int qCounts(QReg r, int ptr, int cap) {
        if (r.last == null) {
            return VhmAbi.ERR_NO_COUNTS;
        }
        counts = r.last.counts();
        StringBuilder sb = new StringBuilder();
        r.last.counts().forEach((k, v) -> sb.append(k).append(' ').append(v).append('\n'));
        byte[] text = sb.toString().getBytes(StandardCharsets.US_ASCII);
        long c = cap & 0xffff_ffffL;
        if (c > 0) {
            int n = (int) Math.min(c, text.length);
            memory("q_counts", ptr, n).write(ptr, text, 0, n);
        }
        return text.length;
    }

    private double expectZ(QReg r, long mask) {
        if (r.last == null) {
            return Double.NaN;
        }
        counts = r.last.counts();
        double sum = 0;
        for (Map.Entry<String, Integer> e : r.last.counts().entrySet()) {
            long bits = Long.parseLong(e.getKey(), 2);
            sum += (Long.bitCount(bits & mask) % 2 == 0 ? 1 : -1) * (double) e.getValue();
        }
        return sum / r.last.shots();
    }

    private int phiHold(Envelope e, long slot) {
        if (phiReleased || slot != nextSlot || slot >= e.lengthSlots()) {
            return VhmAbi.ERR_STATE;
        }
        meter.checkControl();
        double v = b.observed().at(e.channel(), e.startSlot() + slot);
        if (v < e.stabilityFloor()) {
            throw new VhmFault(FaultKind.PHI_INSTABILITY, String.format(
                    "observed stability %.4f below floor %.4f at slot %d of envelope %s", v, e.stabilityFloor(),
                    e.startSlot() + slot, e.id()));
        }
        phiMin = Math.min(phiMin, v);
        phiSum += v;
        nextSlot++;
        if (b.slotMillis() > 0) {
            try {
                Thread.sleep(b.slotMillis());
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new Vhm.Killed("node shutdown");
            }
        }
        return VhmAbi.OK;
    }

    private Memory memory(String call, int ptr, long len) {
        Memory m = instance == null ? null : instance.memory();
        long start = ptr & 0xffff_ffffL;
        if (m == null || start + len > (long) m.pages() * Memory.PAGE_SIZE) {
            throw new VhmFault(FaultKind.K_TRAP, call + ": bytes [" + start + ", " + (start + len)
                    + ") lie outside the container's memory");
        }
        return m;
    }

    private byte[] bytes(String call, int ptr, int len) {
        return memory(call, ptr, len & 0xffff_ffffL).readBytes(ptr, len);
    }

    private String string(String call, int ptr, int len) {
        if ((len & 0xffff_ffffL) > SpecParser.MAX_SPEC_BYTES) {
            throw new VhmFault(FaultKind.K_TRAP, call + ": text of " + (len & 0xffff_ffffL) + " bytes is too long");
        }
        return new String(bytes(call, ptr, len), StandardCharsets.UTF_8);
    }

    /** What the container produced: the counts it last read, the Φ summary (with phi.sample), a detail line. */
    ContainerResult result() {
        List<String> parts = new ArrayList<>();
        if (runs == 1) {
            parts.add(shotsRun + " shots");
        } else if (runs > 1) {
            parts.add(runs + " circuits, " + shotsRun + " shots");
        }
        Optional<ContainerResult.PhiSummary> phi = Optional.empty();
        if (nextSlot > 0) {
            parts.add("held Φ " + nextSlot + " slots");
            if (b.spec().capabilities().contains(Capabilities.PHI_SAMPLE)) {
                phi = Optional.of(new ContainerResult.PhiSummary(nextSlot, phiMin, phiSum / nextSlot,
                        b.envelope().orElseThrow().stabilityFloor()));
            }
        }
        if (result != null) {
            parts.add("result: " + new String(result, StandardCharsets.UTF_8));
        }
        if (parts.isEmpty()) {
            parts.add("K program ran");
        }
        return ContainerResult.of(counts, phi, String.join(", ", parts));
    }
}
