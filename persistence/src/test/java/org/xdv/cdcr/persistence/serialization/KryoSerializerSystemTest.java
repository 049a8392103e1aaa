package org.xdv.cdcr.persistence.serialization;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import java.io.Serializable;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializer;
import org.apache.pekko.serialization.Serializers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.xdv.cdcr.persistence.testtypes.TestConfigs;
import org.xdv.cdcr.persistence.testtypes.TestTypes.Endpoint;
import org.xdv.cdcr.persistence.testtypes.TestTypes.Op;
import org.xdv.cdcr.persistence.testtypes.TestTypes.Ping;
import org.xdv.cdcr.persistence.testtypes.TestTypesRegistrar;

/** The serializer as Pekko creates it from config, with ActorRefs. */
class KryoSerializerSystemTest {

    private static final ActorTestKit testKit = ActorTestKit.create("KryoSerializerSystemTest", TestConfigs.local());
    private static final Serialization serialization = SerializationExtension.get(testKit.system());

    /** A Serializable record that does not implement the marker. */
    record PlainSerializable(String text) implements Serializable {
        private static final long serialVersionUID = 1L;
    }

    /** A registrar Pekko cannot construct. */
    public static final class NeedsArgument implements KryoRegistrar {
        public NeedsArgument(String unused) {
        }

        @Override
        public void register(KryoRegistry registry) {
        }
    }

    @AfterAll
    static void shutdown() {
        testKit.shutdownTestKit();
    }

    @Test
    void markerIsBoundToTheKryoSerializer() {
        Serializer serializer = serialization.findSerializerFor(new Endpoint("h", 1));
        assertThat(serializer).isInstanceOf(KryoSerializer.class);
        assertThat(serializer.identifier()).isEqualTo(KryoSerializer.IDENTIFIER);
        assertThat(Serializers.manifestFor(serializer, new Endpoint("h", 1))).isEqualTo("10002");
    }

    @Test
    void actorRefFieldRoundTripsAndStillDelivers() {
        TestProbe<String> probe = testKit.createTestProbe("ping-reply");
        Ping ping = new Ping("hello", Op.ADD, probe.ref());
        byte[] bytes = serialization.serialize(ping).get();
        Serializer serializer = serialization.findSerializerFor(ping);
        Object back = serialization.deserialize(bytes, serializer.identifier(),
                Serializers.manifestFor(serializer, ping)).get();
        assertThat(back).isEqualTo(ping);
        ((Ping) back).replyTo().tell("pong");
        probe.expectMessage("pong");
        // the path, with the incarnation uid, is what crosses the wire
        assertThat(new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1))
                .contains(probe.ref().path().toStringWithoutAddress());
    }

    @Test
    void actorRefNeedsASerializerBoundToASystem() {
        KryoSerializer systemLess =
                new KryoSerializer(KryoRegistry.of(new PersistenceKryoRegistrar(), new TestTypesRegistrar()));
        TestProbe<String> probe = testKit.createTestProbe();
        assertThatThrownBy(() -> systemLess.toBinary(new Ping("x", Op.ADD, probe.ref())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ActorRef can only be (de)serialized");
    }

    @Test
    void javaSerializationIsOff() {
        assertThat(testKit.system().settings().config().getBoolean("pekko.actor.allow-java-serialization")).isFalse();
        assertThat(serialization.serialize(new PlainSerializable("x")).isFailure()).isTrue();
    }

    @Test
    void registrarListErrorsNameTheCulprit() {
        ExtendedActorSystem system = (ExtendedActorSystem) Adapter.toClassic(testKit.system());
        String key = KryoSerializer.REGISTRARS_KEY;
        assertThatThrownBy(() -> KryoSerializer.registryFrom(
                ConfigFactory.parseString(key + " = [\"org.example.Missing\"]"), system))
                .hasMessageContaining("org.example.Missing, which is not on the classpath");
        assertThatThrownBy(() -> KryoSerializer.registryFrom(
                ConfigFactory.parseString(key + " = [\"java.lang.String\"]"), system))
                .hasMessageContaining("does not implement " + KryoRegistrar.class.getName());
        assertThatThrownBy(() -> KryoSerializer.registryFrom(
                ConfigFactory.parseString(key + " = [\"" + NeedsArgument.class.getName() + "\"]"), system))
                .hasMessageContaining("needs a public constructor");
        // a registrar listed twice (reference.conf and node.conf) counts once
        String persistence = PersistenceKryoRegistrar.class.getName();
        KryoRegistry twice = KryoSerializer.registryFrom(ConfigFactory.parseString(
                key + " = [\"" + persistence + "\", \"" + persistence + "\"]"), system);
        assertThat(twice.entries()).hasSameSizeAs(KryoRegistry.of(new PersistenceKryoRegistrar()).entries());
    }
}
