package org.xdv.cdcr.persistence.serialization;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.NotSerializableException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.xdv.cdcr.persistence.testtypes.TestTypes.Endpoint;
import org.xdv.cdcr.persistence.testtypes.TestTypes.Envelope;
import org.xdv.cdcr.persistence.testtypes.TestTypes.Op;
import org.xdv.cdcr.persistence.testtypes.TestTypes.Placement;
import org.xdv.cdcr.persistence.testtypes.TestTypes.Priority;
import org.xdv.cdcr.persistence.testtypes.TestTypes.Tags;
import org.xdv.cdcr.persistence.testtypes.TestTypes.Unregistered;
import org.xdv.cdcr.persistence.testtypes.TestTypesRegistrar;

/** The serializer without an actor system (ActorRefs are covered by {@link KryoSerializerSystemTest}). */
class KryoSerializerTest {

    private final KryoSerializer serializer =
            new KryoSerializer(KryoRegistry.of(new PersistenceKryoRegistrar(), new TestTypesRegistrar()));

    static Placement placement() {
        TreeMap<String, Integer> quotas = new TreeMap<>(Map.of("qubits", 8, "slots", 3));
        return new Placement("tenant-a/job-1", new Endpoint("10.0.0.1", 25520),
                List.of(new Endpoint("10.0.0.2", 25520), new Endpoint("10.0.0.3", 25521)),
                Optional.of("q-heavy"), Priority.HIGH, quotas, Instant.parse("2026-01-02T03:04:05.123456789Z"));
    }

    static Stream<Object> registeredValues() {
        return Stream.of(
                placement(),
                new Placement("t/x", new Endpoint("h", 1), List.of(), Optional.empty(), Priority.LOW,
                        new TreeMap<>(), Instant.EPOCH),
                new Placement("t/y", new Endpoint("h", 1), List.of(new Endpoint("a", 1)), Optional.empty(),
                        Priority.NORMAL, new TreeMap<>(), Instant.EPOCH),
                new Tags(Set.of("b", "a", "c"), Map.of("x", 1L, "y", 2L, "z", 3L)),
                new Tags(Set.of("solo"), Map.of("k", 9L)),
                new Tags(Set.of(), Map.of()),
                new Envelope(null),
                new Envelope("text"),
                new Envelope(42),
                new Envelope(Op.SUB),
                new Envelope(Priority.NORMAL),
                new Envelope(new ArrayList<>(List.of(1, 2, 3))),
                new Envelope(Stream.of("p", "q").toList()),
                new Envelope(List.copyOf(List.of("a", "b", "c", "d"))),
                new Envelope(List.of(1, 2, 3, 4).subList(1, 3)),
                new Envelope(new TreeSet<>(Set.of("z", "y"))),
                new Envelope(new LinkedHashMap<>(Map.of("only", new Endpoint("e", 2)))),
                new Envelope(new LinkedHashSet<>(List.of(3, 1, 2))),
                new Envelope(UUID.fromString("123e4567-e89b-12d3-a456-426614174000")),
                new Envelope(new BigDecimal("12345.6789")),
                new Envelope(new BigInteger("98765432109876543210")),
                new Envelope(Duration.ofMillis(1500)),
                new Envelope(Optional.of(new Endpoint("nested", 7))),
                new Envelope(new Envelope(List.of(Optional.empty()))));
    }

    @ParameterizedTest
    @MethodSource("registeredValues")
    void registeredValuesRoundTrip(Object value) throws Exception {
        byte[] bytes = serializer.toBinary(value);
        Object back = serializer.fromBinary(bytes, serializer.manifest(value));
        assertThat(back).isEqualTo(value);
    }

    @Test
    void immutableCollectionsReadBackImmutable() throws Exception {
        Tags tags = new Tags(Set.of("a", "b", "c"), Map.of("x", 1L, "y", 2L));
        Tags back = (Tags) serializer.fromBinary(serializer.toBinary(tags), serializer.manifest(tags));
        assertThatThrownBy(() -> back.names().add("d")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> back.counters().put("z", 3L)).isInstanceOf(UnsupportedOperationException.class);
        Envelope list = new Envelope(Stream.of("p", "q").toList());
        Envelope listBack = (Envelope) serializer.fromBinary(serializer.toBinary(list), serializer.manifest(list));
        assertThat(listBack.payload()).isInstanceOf(ImmutableCollectionSerializers.LIST_1_2);
    }

    @Test
    void arraysRoundTrip() throws Exception {
        Object[] arrays = {
            new byte[] {1, -2, 3}, new int[] {7, 8}, new long[] {Long.MAX_VALUE, -1}, new double[] {0.5, -2.25},
            new String[] {"a", null, "c"}
        };
        for (Object array : arrays) {
            Envelope env = new Envelope(array);
            Envelope back = (Envelope) serializer.fromBinary(serializer.toBinary(env), serializer.manifest(env));
            assertThat(back.payload()).isInstanceOf(array.getClass());
            assertThat(Arrays.deepEquals(new Object[] {array}, new Object[] {back.payload()})).isTrue();
        }
    }

    @Test
    void setOfIsWrittenInSortedOrder() {
        // Set.of iterates in a per-JVM order; the serializer writes the elements sorted, in the same layout as a
        // list, so the bytes equal those of the sorted List.of except for the collection's own class id.
        List<String> sorted = List.of("k1", "k2", "k3", "k4", "k5", "k6", "k7", "k8", "k9");
        byte[] asSet = serializer.toBinary(new Envelope(Set.copyOf(sorted)));
        byte[] asList = serializer.toBinary(new Envelope(sorted));
        assertThat(asSet).hasSameSizeAs(asList);
        int differing = 0;
        for (int i = 0; i < asSet.length; i++) {
            if (asSet[i] != asList[i]) {
                differing++;
            }
        }
        assertThat(differing).as("only the class id byte differs").isEqualTo(1);
    }

    @Test
    void manifestIsTheRegistrationId() {
        assertThat(serializer.manifest(placement())).isEqualTo("10003");
        assertThat(serializer.manifest(Op.ADD)).isEqualTo("10001");
        assertThat(serializer.identifier()).isEqualTo(KryoSerializer.IDENTIFIER);
    }

    @Test
    void enumConstantWithBodyRoundTripsAtTopLevel() throws Exception {
        assertThat(serializer.fromBinary(serializer.toBinary(Op.SUB), serializer.manifest(Op.SUB))).isSameAs(Op.SUB);
    }

    @Test
    void unregisteredClassFailsNamingTheClass() {
        Unregistered value = new Unregistered("x");
        assertThatThrownBy(() -> serializer.toBinary(value))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not registered")
                .hasMessageContaining(Unregistered.class.getName())
                .hasMessageContaining("KryoRegistrar");
        assertThatThrownBy(() -> serializer.manifest(value))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(Unregistered.class.getName());
    }

    @Test
    void unregisteredNestedClassFailsNamingItAndTheOuterClass() {
        assertThatThrownBy(() -> serializer.toBinary(new Envelope(List.of(new Unregistered("deep")))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Kryo cannot serialize " + Envelope.class.getName())
                .hasMessageContaining("not registered for CDCR Kryo serialization: " + Unregistered.class.getName());
    }

    @Test
    void hashOrderedAndNonDeterministicCollectionsAreRefused() {
        assertThatThrownBy(() -> serializer.toBinary(new Envelope(new HashMap<>(Map.of("a", 1)))))
                .hasMessageContaining("java.util.HashMap")
                .hasMessageContaining("deterministic");
        assertThatThrownBy(() -> serializer.toBinary(
                new Envelope(Set.of(new Endpoint("a", 1), new Endpoint("b", 2)))))
                .hasMessageContaining("Comparable");
        assertThatThrownBy(() -> serializer.toBinary(new Envelope(Stream.of("a", null).toList())))
                .hasMessageContaining("null element");
    }

    @Test
    void serializerStillWorksAfterAFailure() throws Exception {
        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> serializer.toBinary(new Envelope(new Unregistered("x"))));
            Placement p = placement();
            assertThat(serializer.fromBinary(serializer.toBinary(p), serializer.manifest(p))).isEqualTo(p);
        }
    }

    @Test
    void unknownManifestIsNotSerializable() {
        byte[] bytes = serializer.toBinary(new Endpoint("h", 1));
        assertThatThrownBy(() -> serializer.fromBinary(bytes, "99999"))
                .isInstanceOf(NotSerializableException.class)
                .hasMessageContaining("No class is registered with Kryo id 99999");
        assertThatThrownBy(() -> serializer.fromBinary(bytes, "org.example.Endpoint"))
                .isInstanceOf(NotSerializableException.class)
                .hasMessageContaining("not a registration id");
    }

    @Test
    void truncatedOrTrailingBytesFailClearly() {
        Placement p = placement();
        byte[] bytes = serializer.toBinary(p);
        String manifest = serializer.manifest(p);
        assertThatThrownBy(() -> serializer.fromBinary(Arrays.copyOf(bytes, bytes.length - 3), manifest))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Kryo cannot read id 10003 (" + Placement.class.getName() + ")");
        assertThatThrownBy(() -> serializer.fromBinary(Arrays.copyOf(bytes, bytes.length + 2), manifest))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("left 2 of");
    }

    @Test
    void pooledInstancesAreSafeAcrossThreads() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < 6; t++) {
                int thread = t;
                results.add(pool.submit(() -> {
                    int ok = 0;
                    for (int i = 0; i < 300; i++) {
                        Endpoint e = new Endpoint("host-" + thread, i);
                        Envelope env = new Envelope(List.of(e, Optional.of(thread), Set.of(i, i + 1)));
                        if (serializer.fromBinary(serializer.toBinary(env), serializer.manifest(env)).equals(env)) {
                            ok++;
                        }
                    }
                    return ok;
                }));
            }
            for (Future<Integer> result : results) {
                assertThat(result.get()).isEqualTo(300);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
