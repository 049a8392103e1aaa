package org.xdv.cdcr.runtime.node;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.actor.typed.receptionist.ServiceKey;
import org.apache.pekko.pattern.StatusReply;
import org.xdv.cdcr.persistence.KryoSerializable;
import org.xdv.cdcr.phi.Envelope;
import org.xdv.cdcr.phi.execution.ObservedStability;
import org.xdv.cdcr.q.qpu.Qpu;
import org.xdv.cdcr.q.qpu.QpuException;
import org.xdv.cdcr.q.qpu.RegisterHandle;
import org.xdv.cdcr.q.sim.SimOptions;
import org.xdv.cdcr.runtime.core.container.ContainerResult;
import org.xdv.cdcr.runtime.core.container.Termination;
import org.xdv.cdcr.runtime.core.spec.ContainerSpec;
import org.xdv.cdcr.runtime.vhm.HostAbi;
import org.xdv.cdcr.runtime.vhm.Vhm;

/**
 * One per node: the node's physical side. It owns the node's {@link Qpu} (tenant-scoped registers) and the
 * observed stability of its Φ channels, binds containers to them, and runs each container's K part in its own
 * WebAssembly VHM ({@link Vhm}; the built-in circuit runner is a module too) on the container's tenant pool
 * ({@link TenantPools}). It never decides placement: it binds what the orchestrator
 * decided. Its state is lost with the node; the orchestrator re-places what ran here.
 */
public final class NodeAgent extends AbstractBehavior<NodeAgent.Command> {

    public static final ServiceKey<Command> KEY = ServiceKey.create(Command.class, "cdcr-node-agent");

    public sealed interface Command extends KryoSerializable {
    }

    /** Bind the K part: a slot in the tenant's VHM pool. Reply: the pool name. */
    public record BindK(String containerId, String tenant, int slots, ActorRef<StatusReply<String>> replyTo)
            implements Command {
    }

    /** Bind the Q part: allocate a register. Reply: the register id. */
    public record BindQ(String containerId, String tenant, int qubits, long decoherenceBudget,
                        ActorRef<StatusReply<String>> replyTo) implements Command {
    }

    /** Bind the Φ part: take the envelope the orchestrator reserved. Reply: the envelope id. */
    public record BindPhi(String containerId, String tenant, Envelope envelope, ActorRef<StatusReply<String>> replyTo)
            implements Command {
    }

    /** Run the container's K part; the outcome goes to {@code replyTo}. */
    public record Run(ContainerSpec spec, Optional<Envelope> envelope, ActorRef<RunFinished> replyTo)
            implements Command {
    }

    /**
     * How a run on {@code node} ended, with the lines its K program logged (and how many past the log budget were
     * dropped). The node is named so that the container can ignore the end of a run on a node it has left.
     */
    public record RunFinished(String containerId, String node, Termination termination,
                              Optional<ContainerResult> result, List<String> log, int logDropped)
            implements KryoSerializable {
        public RunFinished {
            log = List.copyOf(log);
        }

        /** A run that logged nothing (it never started, or the node could not run it). */
        public RunFinished(String containerId, String node, Termination termination, Optional<ContainerResult> result) {
            this(containerId, node, termination, result, List.of(), 0);
        }
    }

    public record Suspend(String containerId) implements Command {
    }

    public record Resume(String containerId) implements Command {
    }

    public record Kill(String containerId) implements Command {
    }

    /** Free whatever this node holds for the container (register, envelope, pool slot). */
    public record ReleaseAll(String containerId, String tenant, ActorRef<StatusReply<Done>> replyTo)
            implements Command {
    }

    /** Does this node hold bindings for the container (false after a node restart)? */
    public record Holds(String containerId, ActorRef<Boolean> replyTo) implements Command {
    }

    /** The containers this node holds bindings for, in id order. */
    public record HeldContainers(ActorRef<HeldIds> replyTo) implements Command {
    }

    /** The answer to {@link HeldContainers}. */
    public record HeldIds(List<String> containerIds) implements KryoSerializable {
        public HeldIds {
            containerIds = List.copyOf(containerIds);
        }
    }

    /** What this node is and has in use. */
    public record Describe(ActorRef<Description> replyTo) implements Command {
    }

    public record Description(NodeConfig config, int freeQubits, int boundContainers) implements KryoSerializable {
    }

    private record Finished(RunFinished outcome, ActorRef<RunFinished> replyTo) implements Command {
    }

    /** What the node holds for one container. */
    private static final class Held {
        final String tenant;
        String register;
        Envelope envelope;
        RunControl control;

        Held(String tenant) {
            this.tenant = tenant;
        }
    }

    private final NodeConfig config;
    private final Qpu qpu;
    private final ObservedStability observed;
    private final TenantPools pools;
    private final Map<String, Held> held = new TreeMap<>();

    public static Behavior<Command> create(NodeConfig config) {
        return Behaviors.setup(ctx -> new NodeAgent(ctx, config));
    }

    private NodeAgent(ActorContext<Command> ctx, NodeConfig config) {
        super(ctx);
        this.config = config;
        this.qpu = new Qpu(config.nodeId(), config.qubits(), SimOptions.defaults());
        this.observed = new ObservedStability(config.phi(), config.nodeId(), config.phiRunSeed());
        this.pools = new TenantPools(config.tenantPoolThreads());
        ctx.getSystem().receptionist().tell(Receptionist.register(KEY, ctx.getSelf()));
    }

    /** The node id of a node agent, from its actor name {@code node-agent-<id>}. */
    public static String actorName(String nodeId) {
        return "node-agent-" + nodeId;
    }

    public static String nodeIdOf(ActorRef<?> agent) {
        return agent.path().name().substring("node-agent-".length());
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(BindK.class, this::onBindK)
                .onMessage(BindQ.class, this::onBindQ)
                .onMessage(BindPhi.class, this::onBindPhi)
                .onMessage(Run.class, this::onRun)
                .onMessage(Finished.class, this::onFinished)
                .onMessage(Suspend.class, m -> control(m.containerId(), RunControl::suspend))
                .onMessage(Resume.class, m -> control(m.containerId(), RunControl::resume))
                .onMessage(Kill.class, m -> control(m.containerId(), RunControl::kill))
                .onMessage(ReleaseAll.class, this::onRelease)
                .onMessage(Holds.class, m -> {
                    m.replyTo().tell(held.containsKey(m.containerId()));
                    return this;
                })
                .onMessage(HeldContainers.class, m -> {
                    m.replyTo().tell(new HeldIds(List.copyOf(held.keySet())));
                    return this;
                })
                .onMessage(Describe.class, m -> {
                    m.replyTo().tell(new Description(config, qpu.free(), held.size()));
                    return this;
                })
                .onSignal(PostStop.class, s -> {
                    pools.close();
                    return this;
                })
                .build();
    }

    private Behavior<Command> onBindK(BindK m) {
        Held h = held.get(m.containerId());
        if (h != null && !h.tenant.equals(m.tenant())) {
            m.replyTo().tell(StatusReply.error("container " + m.containerId() + " is bound to another tenant"));
            return this;
        }
        held.putIfAbsent(m.containerId(), new Held(m.tenant()));
        m.replyTo().tell(StatusReply.success(pools.poolName(m.tenant()) + "@" + config.nodeId()));
        return this;
    }

    private Behavior<Command> onBindQ(BindQ m) {
        Held h = held.get(m.containerId());
        if (h == null || !h.tenant.equals(m.tenant())) {
            m.replyTo().tell(StatusReply.error("Q binds after K: container " + m.containerId() + " holds no K binding"));
            return this;
        }
        if (h.register != null) {
            m.replyTo().tell(StatusReply.success(h.register));
            return this;
        }
        try {
            RegisterHandle r = qpu.allocate(m.tenant(), m.containerId(), m.qubits(), m.decoherenceBudget());
            h.register = r.id();
            m.replyTo().tell(StatusReply.success(r.id()));
        } catch (QpuException e) {
            m.replyTo().tell(StatusReply.error(e.getMessage()));
        }
        return this;
    }

    private Behavior<Command> onBindPhi(BindPhi m) {
        Held h = held.get(m.containerId());
        if (h == null || !h.tenant.equals(m.tenant()) || !m.envelope().tenant().equals(m.tenant())
                || !m.envelope().nodeId().equals(config.nodeId())
                || m.envelope().channel() >= config.phiChannels()) {
            m.replyTo().tell(StatusReply.error("envelope " + m.envelope().id() + " cannot bind to container "
                    + m.containerId() + " on node " + config.nodeId()));
            return this;
        }
        h.envelope = m.envelope();
        m.replyTo().tell(StatusReply.success(m.envelope().id().toString()));
        return this;
    }

    private Behavior<Command> onRun(Run m) {
        String id = m.spec().id();
        Held h = held.get(id);
        if (h == null) {
            m.replyTo().tell(new RunFinished(id, config.nodeId(), Termination.failed("node " + config.nodeId()
                    + " holds no bindings for " + id), Optional.empty()));
            return this;
        }
        if (h.control != null) {
            return this; // already running: the outcome will be reported once
        }
        RunControl control = new RunControl();
        h.control = control;
        Optional<String> register = Optional.ofNullable(h.register);
        Optional<Envelope> envelope = Optional.ofNullable(h.envelope);
        ActorRef<Command> self = getContext().getSelf();
        boolean accepted = pools.submit(h.tenant, () -> {
            RunFinished out;
            try {
                Vhm.Outcome o = Vhm.run(new HostAbi.Bindings(m.spec(), qpu, register, envelope, observed,
                        config.phi().slotMillis()), control);
                out = new RunFinished(id, config.nodeId(), o.termination(), o.result(), o.log(), o.logDropped());
            } catch (RuntimeException | OutOfMemoryError | StackOverflowError e) {
                out = new RunFinished(id, config.nodeId(), Termination.failed("VHM crashed: " + e), Optional.empty());
            }
            self.tell(new Finished(out, m.replyTo()));
        });
        if (!accepted) {
            h.control = null;
            m.replyTo().tell(new RunFinished(id, config.nodeId(), Termination.failed("tenant pool of " + h.tenant
                    + " on node " + config.nodeId() + " is full"), Optional.empty()));
        }
        return this;
    }

    private Behavior<Command> onFinished(Finished f) {
        Held h = held.get(f.outcome().containerId());
        if (h != null) {
            h.control = null;
        }
        f.replyTo().tell(f.outcome());
        return this;
    }

    private Behavior<Command> control(String containerId, java.util.function.Consumer<RunControl> action) {
        Held h = held.get(containerId);
        if (h != null && h.control != null) {
            action.accept(h.control);
        }
        return this;
    }

    private Behavior<Command> onRelease(ReleaseAll m) {
        Held h = held.get(m.containerId());
        if (h != null) {
            if (!h.tenant.equals(m.tenant())) {
                m.replyTo().tell(StatusReply.error("container " + m.containerId() + " belongs to another tenant"));
                return this;
            }
            if (h.control != null) {
                h.control.kill();
            }
            if (h.register != null) {
                try {
                    qpu.release(m.tenant(), h.register);
                } catch (QpuException e) {
                    getContext().getLog().warn("releasing {} of {}: {}", h.register, m.containerId(), e.getMessage());
                }
            }
            held.remove(m.containerId());
        }
        m.replyTo().tell(StatusReply.ack());
        return this;
    }
}
