package org.xdv.cdcr.q.qpu;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.xdv.cdcr.q.circuit.Circuit;
import org.xdv.cdcr.q.sim.ShotResult;
import org.xdv.cdcr.q.sim.SimOptions;
import org.xdv.cdcr.q.sim.Simulator;

/**
 * One node's quantum processing unit: a fixed number of logical qubits handed out as tenant-owned registers
 * (spec §5.3). Every operation names the calling tenant and is refused unless that tenant owns the register;
 * a refused operation changes nothing. Each register has a decoherence budget ({@link DecoherenceCost});
 * exceeding it is a {@link DecoherenceFault} for that register only. Every run is appended to the tenant's own
 * {@link MeasurementLog}.
 *
 * <p>Allocation is deterministic: a register gets the lowest-numbered free qubits and the id
 * {@code <node>/r<n>} from a per-QPU counter, so the same sequence of calls gives the same handles.
 * Thread-safe: accounting is synchronized, simulation runs outside the lock.
 */
public final class Qpu {

    /** Largest register a single run simulates (a dense state vector of 2^28 amplitudes is 4 GiB). */
    public static final int MAX_SIMULATED_QUBITS = 28;
    public static final int MAX_SHOTS = 10_000_000;

    private final String node;
    private final int capacity;
    private final Simulator simulator;
    private final BitSet free;
    private final Map<String, Live> registers = new TreeMap<>();
    private final Map<String, MeasurementLog> logs = new TreeMap<>();
    private long nextId;

    private static final class Live {
        final RegisterHandle handle;
        long used;
        boolean decohered;

        Live(RegisterHandle handle) {
            this.handle = handle;
        }
    }

    public Qpu(String node, int capacity, SimOptions options) {
        if (capacity < 0) {
            throw new IllegalArgumentException("QPU capacity must be >= 0, was " + capacity);
        }
        this.node = node;
        this.capacity = capacity;
        this.simulator = new Simulator(options);
        this.free = new BitSet(capacity);
        this.free.set(0, capacity);
    }

    public String node() {
        return node;
    }

    public int capacity() {
        return capacity;
    }

    public synchronized int free() {
        return free.cardinality();
    }

    /** Qubits currently held by {@code tenant}. */
    public synchronized int allocated(String tenant) {
        int n = 0;
        for (Live l : registers.values()) {
            if (l.handle.tenant().equals(tenant)) {
                n += l.handle.size();
            }
        }
        return n;
    }

    /** The caller's own live registers, by id. */
    public synchronized List<RegisterHandle> registers(String tenant) {
        List<RegisterHandle> out = new ArrayList<>();
        for (Live l : registers.values()) {
            if (l.handle.tenant().equals(tenant)) {
                out.add(l.handle);
            }
        }
        return out;
    }

    /** Allocates {@code n} logical qubits to {@code tenant}'s {@code container}. */
    public synchronized RegisterHandle allocate(String tenant, String container, int n, long decoherenceBudget)
            throws QpuException {
        requireName("tenant", tenant);
        requireName("container", container);
        if (n < 1) {
            throw new QpuException.InvalidRequest("register size must be at least 1, was " + n);
        }
        if (decoherenceBudget < 1) {
            throw new QpuException.InvalidRequest("decoherence budget must be positive, was " + decoherenceBudget);
        }
        int available = free.cardinality();
        if (n > available) {
            throw new QpuException.CapacityExceeded(node, n, available);
        }
        int[] qubits = new int[n];
        int q = -1;
        for (int i = 0; i < n; i++) {
            q = free.nextSetBit(q + 1);
            qubits[i] = q;
        }
        for (int b : qubits) {
            free.clear(b);
        }
        RegisterHandle h = new RegisterHandle(node + "/r" + nextId++, node, tenant, container, qubits,
                decoherenceBudget);
        registers.put(h.id(), new Live(h));
        return h;
    }

    /** Frees the register; only its owner may. */
    public synchronized void release(String tenant, String registerId) throws QpuException {
        Live l = owned(tenant, registerId);
        for (int b : l.handle.qubits()) {
            free.set(b);
        }
        registers.remove(registerId);
    }

    /** Budget units used so far by the caller's register. */
    public synchronized long budgetUsed(String tenant, String registerId) throws QpuException {
        return owned(tenant, registerId).used;
    }

    /** True once the register has exceeded its budget; it then refuses every run until released. */
    public synchronized boolean isDecohered(String tenant, String registerId) throws QpuException {
        return owned(tenant, registerId).decohered;
    }

    /**
     * Runs {@code circuit} on the caller's register for {@code shots} shots with {@code seed}: checks ownership
     * and size, charges the decoherence budget, simulates, and appends to the tenant's measurement log.
     */
    public ShotResult run(String tenant, String registerId, Circuit circuit, int shots, long seed)
            throws QpuException {
        if (shots < 1 || shots > MAX_SHOTS) {
            throw new QpuException.InvalidRequest("shots must be in 1.." + MAX_SHOTS + ", was " + shots);
        }
        Live live;
        synchronized (this) {
            live = owned(tenant, registerId);
            int size = live.handle.size();
            if (circuit.numQubits() > size) {
                throw new QpuException.RegisterTooSmall(registerId, size, circuit.numQubits());
            }
            if (circuit.numQubits() > MAX_SIMULATED_QUBITS) {
                throw new QpuException.InvalidRequest("circuit of " + circuit.numQubits()
                        + " qubits exceeds the simulator's limit of " + MAX_SIMULATED_QUBITS);
            }
            if (live.decohered) {
                throw new DecoherenceFault(registerId, live.handle.decoherenceBudget(), live.used, 0);
            }
            long cost = DecoherenceCost.of(circuit, size);
            if (live.used + cost > live.handle.decoherenceBudget()) {
                live.decohered = true;
                throw new DecoherenceFault(registerId, live.handle.decoherenceBudget(), live.used, cost);
            }
            live.used += cost;
        }
        ShotResult result = simulator.run(circuit, shots, seed);
        logFor(tenant).append(live.handle.container(), registerId, seed, shots, digest(result));
        return result;
    }

    /** The caller's own measurement log; there is no way to ask for another tenant's. */
    public MeasurementLog measurementLog(String tenant) {
        return logFor(tenant);
    }

    private synchronized MeasurementLog logFor(String tenant) {
        return logs.computeIfAbsent(tenant, MeasurementLog::new);
    }

    private Live owned(String tenant, String registerId) throws QpuException {
        Live l = registers.get(registerId);
        if (l == null) {
            throw new QpuException.UnknownRegister(registerId);
        }
        if (!l.handle.tenant().equals(tenant)) {
            throw new QpuException.NotOwner(registerId, tenant);
        }
        return l;
    }

    private static void requireName(String what, String value) throws QpuException {
        if (value == null || value.isBlank()) {
            throw new QpuException.InvalidRequest(what + " must not be empty");
        }
    }

    /** SHA-256 over the canonical text of the counts: {@code bits=count\n} in key order. */
    static String digest(ShotResult r) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (Map.Entry<String, Integer> e : r.counts().entrySet()) {
                md.update((e.getKey() + "=" + e.getValue() + "\n").getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }
}
