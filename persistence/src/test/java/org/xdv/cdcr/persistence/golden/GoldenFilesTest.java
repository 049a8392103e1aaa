package org.xdv.cdcr.persistence.golden;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorRefResolver;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.SerializerWithStringManifest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.AssertionFailedError;
import org.xdv.cdcr.persistence.journal.TestLedger;
import org.xdv.cdcr.persistence.serialization.KryoRegistry;
import org.xdv.cdcr.persistence.serialization.KryoSerializer;
import org.xdv.cdcr.persistence.serialization.PersistenceKryoRegistrar;
import org.xdv.cdcr.persistence.testtypes.TestConfigs;
import org.xdv.cdcr.persistence.testtypes.TestTypes.Endpoint;
import org.xdv.cdcr.persistence.testtypes.TestTypes.Envelope;
import org.xdv.cdcr.persistence.testtypes.TestTypes.Op;
import org.xdv.cdcr.persistence.testtypes.TestTypes.Ping;
import org.xdv.cdcr.persistence.testtypes.TestTypes.Placement;
import org.xdv.cdcr.persistence.testtypes.TestTypes.Priority;
import org.xdv.cdcr.persistence.testtypes.TestTypes.Tags;
import org.xdv.cdcr.persistence.testtypes.TestTypes.WithArray;
import org.xdv.cdcr.persistence.testtypes.TestTypesRegistrar;

/** The golden-file harness itself, and the golden files of the test types in src/test/resources/golden. */
class GoldenFilesTest {

    /** Fixed name and local provider: an ActorRef's serialized path is then the same in every run. */
    private static final ActorTestKit testKit = ActorTestKit.create("CdcrGolden", TestConfigs.local());

    private static KryoRegistry registry() {
        return KryoRegistry.of(new PersistenceKryoRegistrar(), new TestTypesRegistrar());
    }

    private static Placement placement() {
        TreeMap<String, Integer> quotas = new TreeMap<>(Map.of("qubits", 8, "slots", 3));
        return new Placement("tenant-a/job-1", new Endpoint("10.0.0.1", 25520),
                List.of(new Endpoint("10.0.0.2", 25520), new Endpoint("10.0.0.3", 25521)),
                Optional.of("q-heavy"), Priority.HIGH, quotas, Instant.parse("2026-01-02T03:04:05.123456789Z"));
    }

    @AfterAll
    static void shutdown() {
        testKit.shutdownTestKit();
    }

    // --- golden files of the test types (checked in under src/test/resources/golden) ---

    @Test
    void placementWithNestedRecordsListOptionalEnumAndSortedMap() {
        GoldenFiles.assertGolden(registry(), "placement", placement());
    }

    @Test
    void placementWithEmptyOptionalAndEmptyList() {
        GoldenFiles.assertGolden(registry(), "placement-empty", new Placement("t/x", new Endpoint("h", 1), List.of(),
                Optional.empty(), Priority.LOW, new TreeMap<>(), Instant.EPOCH));
    }

    @Test
    void immutableSetsAndMapsAreWrittenSorted() {
        // Set.of/Map.of iterate in a different order in every JVM: this file only stays stable because the
        // serializer sorts them.
        GoldenFiles.assertGolden(registry(), "tags",
                new Tags(Set.of("phi", "q", "k", "audit"), Map.of("x", 1L, "y", 20L, "z", 300L, "w", 4000L)));
    }

    @Test
    void polymorphicFieldWithNestedEnvelope() {
        GoldenFiles.assertGolden(registry(), "envelope",
                new Envelope(new Envelope(List.of(Optional.of(Op.SUB), "text", 7L))));
    }

    @Test
    void commandWithActorRefAndEnumConstantBody() throws Exception {
        ActorRef<String> ref = ActorRefResolver.get(testKit.system())
                .resolveActorRef("pekko://CdcrGolden/user/golden-reply-to");
        SerializerWithStringManifest serializer = (SerializerWithStringManifest)
                SerializationExtension.get(testKit.system()).serializerFor(Ping.class);
        GoldenFiles.assertGolden(serializer, "ping", new Ping("hello", Op.SUB, ref));
    }

    @Test
    void ledgerEventAndState() {
        GoldenFiles.assertGolden(registry(), "ledger-item-added", new TestLedger.ItemAdded("ledger-1", "first"));
        GoldenFiles.assertGolden(registry(), "ledger-state", new TestLedger.State(List.of("a", "b", "c")));
    }

    // --- the harness ---

    @Test
    void missingGoldenFileIsWrittenAndTheTestFails(@TempDir Path dir) throws Exception {
        KryoSerializer serializer = new KryoSerializer(registry());
        Endpoint value = new Endpoint("h", 1);
        assertThatThrownBy(() -> GoldenFiles.assertGolden(dir, serializer, "endpoint", value))
                .isInstanceOf(AssertionFailedError.class)
                .hasMessageContaining("Golden file(s) missing for 'endpoint'")
                .hasMessageContaining("commit them");
        assertThat(Files.readAllBytes(dir.resolve("endpoint.bin"))).isEqualTo(serializer.toBinary(value));
        assertThat(Files.readString(dir.resolve("endpoint.manifest")).strip()).isEqualTo("10002");
        // once written, the same value passes
        GoldenFiles.assertGolden(dir, serializer, "endpoint", value);
    }

    @Test
    void changedBytesFail(@TempDir Path dir) {
        KryoSerializer serializer = new KryoSerializer(registry());
        assertThatThrownBy(() -> GoldenFiles.assertGolden(dir, serializer, "e", new Endpoint("h", 1)))
                .isInstanceOf(AssertionFailedError.class);
        // same class, different field value: the bytes differ
        assertThatThrownBy(() -> GoldenFiles.assertGolden(dir, serializer, "e", new Endpoint("h", 2)))
                .isInstanceOf(AssertionFailedError.class)
                .hasMessageContaining("Serialized bytes of 'e'")
                .hasMessageContaining("first difference at byte");
    }

    @Test
    void changedManifestFails(@TempDir Path dir) throws Exception {
        KryoSerializer serializer = new KryoSerializer(registry());
        Endpoint value = new Endpoint("h", 1);
        assertThatThrownBy(() -> GoldenFiles.assertGolden(dir, serializer, "e", value));
        Files.writeString(dir.resolve("e.manifest"), "10099\n");
        assertThatThrownBy(() -> GoldenFiles.assertGolden(dir, serializer, "e", value))
                .isInstanceOf(AssertionFailedError.class)
                .hasMessageContaining("golden file says 10099, the serializer now says 10002");
    }

    @Test
    void goldenBytesMustDeserializeToAnEqualValue(@TempDir Path dir) {
        KryoSerializer serializer = new KryoSerializer(registry());
        // the bytes match, but an int[] component makes the record's equals identity-based
        WithArray value = new WithArray(new int[] {1, 2});
        assertThatThrownBy(() -> GoldenFiles.assertGolden(dir, serializer, "with-array", value));
        assertThatThrownBy(() -> GoldenFiles.assertGolden(dir, serializer, "with-array", value))
                .isInstanceOf(AssertionFailedError.class)
                .hasMessageContaining("deserialize to");
    }

    @Test
    void badNamesAreRefused(@TempDir Path dir) {
        KryoSerializer serializer = new KryoSerializer(registry());
        assertThatThrownBy(() -> GoldenFiles.assertGolden(dir, serializer, "../escape", new Endpoint("h", 1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
