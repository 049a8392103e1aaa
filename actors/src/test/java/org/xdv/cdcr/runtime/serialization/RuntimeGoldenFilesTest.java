package org.xdv.cdcr.runtime.serialization;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.NotSerializableException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializer;
import org.apache.pekko.serialization.SerializerWithStringManifest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.xdv.cdcr.persistence.golden.GoldenFiles;
import org.xdv.cdcr.persistence.serialization.KryoSerializer;
import org.xdv.cdcr.persistence.serialization.PersistenceKryoRegistrar;
import org.xdv.cdcr.runtime.RuntimeKryoRegistrar;
import org.xdv.cdcr.runtime.core.LifecycleState;
import org.xdv.cdcr.runtime.core.container.ContainerEvent;
import org.xdv.cdcr.runtime.core.container.ContainerState;
import org.xdv.cdcr.runtime.core.container.Termination;
import org.xdv.cdcr.runtime.core.dao.DaoDecision;
import org.xdv.cdcr.runtime.core.dao.DaoInput;
import org.xdv.cdcr.runtime.core.dao.Decided;
import org.xdv.cdcr.runtime.core.dao.DecidedBatch;
import org.xdv.cdcr.runtime.integration.RuntimeTestConfigs;

/**
 * Golden byte files of everything the runtime persists (files in {@code src/test/resources/golden}): every
 * container event, a full container state, the orchestrator's {@link Decided} with every input, decision and
 * refusal reason, and its journal event {@link DecidedBatch} (one write of consecutive decisions). Each value is
 * serialized by the Kryo serializer Pekko builds from the registrars in config; the bytes and manifest must equal
 * the golden file and the golden bytes must read back to an equal value. A missing file is written and the test
 * fails once, asking for it to be reviewed and committed.
 */
class RuntimeGoldenFilesTest {

    private static final ActorTestKit testKit = ActorTestKit.create("RuntimeGolden", RuntimeTestConfigs.local());

    @AfterAll
    static void shutdown() {
        testKit.shutdownTestKit();
    }

    static Stream<Arguments> persisted() {
        List<Arguments> out = new ArrayList<>();
        RuntimeSamples.containerEvents().forEach((name, e) -> out.add(Arguments.of(name, e)));
        RuntimeSamples.vhmEvents().forEach((name, e) -> out.add(Arguments.of(name, e)));
        out.add(Arguments.of("container-state-full", RuntimeSamples.fullState()));
        RuntimeSamples.decided().forEach((name, d) -> out.add(Arguments.of(name, d)));
        out.add(Arguments.of("decided-batch", RuntimeSamples.decidedBatch()));
        out.add(Arguments.of("dao-snapshot", RuntimeSamples.daoSnapshot()));
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("persisted")
    void persistedValueMatchesItsGoldenFileAndRoundTrips(String name, Object value) throws NotSerializableException {
        SerializerWithStringManifest serializer = kryoOf(value);
        GoldenFiles.assertGolden(serializer, name, value);

        byte[] bytes = serializer.toBinary(value);
        assertThat(serializer.fromBinary(bytes, serializer.manifest(value))).isEqualTo(value);
    }

    @Test
    void theSerializerInUseIsKryoBuiltFromBothRegistrarsInConfig() {
        List<String> registrars = testKit.system().settings().config()
                .getStringList(KryoSerializer.REGISTRARS_KEY);
        assertThat(registrars).contains(PersistenceKryoRegistrar.class.getName(),
                RuntimeKryoRegistrar.class.getName());
        assertThat(testKit.system().settings().config().getBoolean("pekko.actor.allow-java-serialization")).isFalse();
        KryoSerializer kryo = kryoOf(RuntimeSamples.fullState());
        assertThat(kryo.registry().entries()).anySatisfy(e ->
                assertThat(e.registrar()).isEqualTo(RuntimeKryoRegistrar.class.getName()));
    }

    @Test
    void fullStateHoldsEverythingAStateCanHold() {
        ContainerState s = RuntimeSamples.fullState();
        assertThat(s.state()).isEqualTo(LifecycleState.TERMINATED);
        assertThat(s.spec()).contains(RuntimeSamples.spec());
        assertThat(s.node()).contains(RuntimeSamples.NODE);
        assertThat(s.register()).contains("node-1/r0");
        assertThat(s.envelope()).contains(RuntimeSamples.envelope(RuntimeSamples.NODE));
        assertThat(s.termination()).contains(Termination.completed());
        assertThat(s.result()).contains(RuntimeSamples.result());
        assertThat(s.bindings().complete()).isTrue();
    }

    /** A new event, input, decision or reason must get a golden file: these lists must stay complete. */
    @Test
    void goldenFilesCoverEverySubtypeAndEveryReason() {
        Set<String> events = names(Stream.concat(RuntimeSamples.containerEvents().values().stream(),
                RuntimeSamples.vhmEvents().values().stream()).map(Object::getClass));
        assertThat(events).isEqualTo(names(Stream.of(ContainerEvent.class.getPermittedSubclasses())));

        Map<String, Decided> decided = RuntimeSamples.decided();
        assertThat(names(decided.values().stream().map(d -> d.input().getClass())))
                .isEqualTo(names(Stream.of(DaoInput.class.getPermittedSubclasses())));
        assertThat(names(decided.values().stream().map(d -> d.decision().getClass())))
                .isEqualTo(names(Stream.of(DaoDecision.class.getPermittedSubclasses())));

        EnumSet<DaoDecision.Reason> reasons = EnumSet.noneOf(DaoDecision.Reason.class);
        for (Decided d : decided.values()) {
            if (d.decision() instanceof DaoDecision.Refused r) {
                reasons.add(r.reason());
            }
            if (d.decision() instanceof DaoDecision.NodeRemoved n) {
                assertThat(n.moved()).as("NodeRemoved sample moves containers").isNotEmpty();
                assertThat(n.stranded()).as("NodeRemoved sample strands a container").isNotEmpty();
                n.stranded().forEach(r -> reasons.add(r.reason()));
            }
            if (d.decision() instanceof DaoDecision.Placed p) {
                assertThat(p.envelope()).as("Placed sample holds an envelope").isPresent();
            }
        }
        assertThat(reasons).isEqualTo(EnumSet.allOf(DaoDecision.Reason.class));
    }

    private static KryoSerializer kryoOf(Object value) {
        Serializer s = SerializationExtension.get(testKit.system()).findSerializerFor(value);
        assertThat(s).as("serializer bound to %s", value.getClass().getName()).isInstanceOf(KryoSerializer.class);
        return (KryoSerializer) s;
    }

    private static Set<String> names(Stream<Class<?>> classes) {
        TreeSet<String> out = new TreeSet<>();
        classes.forEach(c -> out.add(c.getName()));
        return out;
    }
}
