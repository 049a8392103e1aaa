package org.xdv.cdcr.runtime.core.dao;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.xdv.cdcr.phi.PhiConfig;
import org.xdv.cdcr.runtime.core.Capabilities;
import org.xdv.cdcr.runtime.core.Quota;

/**
 * Drives {@link Orchestration#decide} the way the orchestrator does: each input is decided against the current
 * view, recorded as a {@link Decided} and applied before the next one (Kafka's ReplicationControlTestContext does
 * the same with {@code ctx.replay(result.records())}). Helpers build nodes, tenants and demands with readable
 * defaults; {@link #refused} also checks that a refusal changed nothing but {@code seq}, and
 * {@link #assertReplayReproducesTheView} folds the journal again from the start.
 */
final class DaoTestContext {

    static final Attestation TRUSTED = Attestation.operatorTrusted("sha256:test");

    private final DaoState base;
    private DaoState view;
    private final List<Decided> journal = new ArrayList<>();

    DaoTestContext() {
        this(DaoState.EMPTY);
    }

    /** A context that starts from a hand-built view (for states {@code decide} cannot reach on its own). */
    DaoTestContext(DaoState base) {
        this.base = base;
        this.view = base;
    }

    DaoState view() {
        return view;
    }

    List<Decided> journal() {
        return List.copyOf(journal);
    }

    NodeEntry node(String id) {
        return view.nodes().get(id);
    }

    TenantEntry tenantEntry(String name) {
        return view.tenants().get(name);
    }

    // ------------------------------------------------------------------------------------------ deciding

    DaoDecision decide(DaoInput input) {
        Decided e = new Decided(view.seq(), input, Orchestration.decide(view, input));
        journal.add(e);
        view = view.apply(e);
        assertThat(view.seq()).isEqualTo(e.seq() + 1);
        return e.decision();
    }

    /** Decides {@code input}, expects a refusal, and checks the view is unchanged except {@code seq}. */
    DaoDecision.Refused refused(DaoInput input) {
        DaoState before = view;
        DaoDecision d = decide(input);
        assertThat(d).as("decision for %s", input).isInstanceOf(DaoDecision.Refused.class);
        assertUnchangedExceptSeq(before, view);
        return (DaoDecision.Refused) d;
    }

    /** {@code after} is {@code before} with {@code seq} advanced by one: every other component is equal. */
    static void assertUnchangedExceptSeq(DaoState before, DaoState after) {
        assertThat(after.seq()).isEqualTo(before.seq() + 1);
        try {
            for (RecordComponent c : DaoState.class.getRecordComponents()) {
                if (!c.getName().equals("seq")) {
                    assertThat(c.getAccessor().invoke(after)).as("view.%s", c.getName())
                            .isEqualTo(c.getAccessor().invoke(before));
                }
            }
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    DaoDecision.Refused refused(DemandBuilder d) {
        return refused(new DaoInput.Place(d.build()));
    }

    DaoDecision.Placed place(DemandBuilder d) {
        return place(d.build());
    }

    DaoDecision.Placed place(Demand d) {
        DaoDecision r = decide(new DaoInput.Place(d));
        assertThat(r).as("placing %s", d).isInstanceOf(DaoDecision.Placed.class);
        return (DaoDecision.Placed) r;
    }

    DaoTestContext tenant(String name, String... sharesWith) {
        return tenant(new TenantSpec(name, Capabilities.ALL, Quota.UNLIMITED, List.of(sharesWith)));
    }

    DaoTestContext tenant(TenantSpec t) {
        assertThat(decide(new DaoInput.UpsertTenant(t))).isEqualTo(new DaoDecision.TenantSet(t.name()));
        return this;
    }

    DaoTestContext admit(NodeSpec... nodes) {
        for (NodeSpec n : nodes) {
            assertThat(decide(new DaoInput.AdmitNode(n, TRUSTED))).isEqualTo(new DaoDecision.NodeAdmitted(n.id()));
        }
        return this;
    }

    /** Folds the journal again from the starting view: it must give the live view and the same decisions. */
    void assertReplayReproducesTheView() {
        DaoState s = base;
        for (Decided e : journal) {
            assertThat(e.seq()).isEqualTo(s.seq());
            assertThat(Orchestration.decide(s, e.input())).as("re-deciding %s", e.input()).isEqualTo(e.decision());
            s = s.apply(e);
        }
        assertThat(s).isEqualTo(view);
    }

    // ------------------------------------------------------------------------------------------ nodes

    /** A K-only node (no qubits, no Φ channels). */
    static NodeSpec kNode(String id, int kSlots, String... labels) {
        return new NodeSpec(id, kSlots, 0, 0, PhiConfig.defaults(1), List.of(labels));
    }

    static NodeSpec qNode(String id, int kSlots, int qubits, String... labels) {
        return new NodeSpec(id, kSlots, qubits, 0, PhiConfig.defaults(1), List.of(labels));
    }

    /**
     * A Φ node whose forecast is exactly {@code mean} on every slot of every channel (no volatility, full
     * reversion), so window scores are known in advance.
     */
    static NodeSpec phiNode(String id, int kSlots, int channels, double mean, String... labels) {
        return new NodeSpec(id, kSlots, 0, channels, flat(channels, mean), List.of(labels));
    }

    static PhiConfig flat(int channels, double mean) {
        return PhiConfig.defaults(channels).withForecast(mean, 1.0, 0.0);
    }

    // ------------------------------------------------------------------------------------------ demands

    static DemandBuilder demand(String containerId) {
        return new DemandBuilder(containerId);
    }

    /**
     * A demand with defaults: tenant from the id ({@code tenant/name}), 1 K slot, no Q, no Φ, floor 0.5, affinity
     * derived like the spec parser (Φ, then Q, else balanced), capabilities exactly those the domains need.
     */
    static final class DemandBuilder {
        private final String id;
        private String tenant;
        private int k = 1;
        private int q;
        private long phi;
        private double floor = 0.5;
        private Optional<String> share = Optional.empty();
        private Affinity affinity;
        private List<String> labels = List.of();
        private List<String> avoid = List.of();
        private List<String> caps;

        DemandBuilder(String id) {
            this.id = id;
            this.tenant = id.substring(0, id.indexOf('/'));
        }

        DemandBuilder tenant(String t) {
            tenant = t;
            return this;
        }

        DemandBuilder k(int slots) {
            k = slots;
            return this;
        }

        DemandBuilder q(int qubits) {
            q = qubits;
            return this;
        }

        DemandBuilder phi(long slots) {
            phi = slots;
            return this;
        }

        DemandBuilder floor(double f) {
            floor = f;
            return this;
        }

        DemandBuilder shareWith(String t) {
            share = Optional.of(t);
            return this;
        }

        DemandBuilder affinity(Affinity a) {
            affinity = a;
            return this;
        }

        DemandBuilder labels(String... l) {
            labels = List.of(l);
            return this;
        }

        DemandBuilder avoid(String... l) {
            avoid = List.of(l);
            return this;
        }

        DemandBuilder caps(String... c) {
            caps = List.of(c);
            return this;
        }

        Demand build() {
            Affinity a = affinity != null ? affinity
                    : phi > 0 ? Affinity.PHI_COHERENT : q > 0 ? Affinity.Q_HEAVY : Affinity.BALANCED;
            List<String> c = caps;
            if (c == null) {
                c = new ArrayList<>(List.of(Capabilities.K_EXEC));
                if (q > 0) {
                    c.add(Capabilities.Q_ALLOC);
                    c.add(Capabilities.Q_RUN);
                }
                if (phi > 0) {
                    c.add(Capabilities.PHI_ENVELOPE);
                }
            }
            return new Demand(id, tenant, k, q, phi, floor, share, a, labels, avoid, c);
        }
    }
}
