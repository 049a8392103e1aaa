package org.xdv.cdcr.persistence.serialization;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.AbstractList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xdv.cdcr.persistence.testtypes.TestTypes;
import org.xdv.cdcr.persistence.testtypes.TestTypesRegistrar;

class KryoRegistryTest {

    @Test
    void duplicateIdIsRefusedNamingBothClassesAndRegistrars() {
        KryoRegistrar clash = r -> r.register(20, TestTypes.Endpoint.class);
        assertThatThrownBy(() -> KryoRegistry.of(new PersistenceKryoRegistrar(), clash))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Duplicate Kryo id 20")
                .hasMessageContaining("java.util.ArrayList")
                .hasMessageContaining(PersistenceKryoRegistrar.class.getName())
                .hasMessageContaining(TestTypes.Endpoint.class.getName())
                .hasMessageContaining(clash.getClass().getName());
    }

    @Test
    void secondIdForTheSameClassIsRefused() {
        KryoRegistry registry = new KryoRegistry().register(10_002, TestTypes.Endpoint.class);
        assertThatThrownBy(() -> registry.register(10_050, TestTypes.Endpoint.class))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Duplicate Kryo registration of " + TestTypes.Endpoint.class.getName())
                .hasMessageContaining("already id 10002");
    }

    @Test
    void kryoBuiltInIdsAndTypesAreRefused() {
        assertThatThrownBy(() -> new KryoRegistry().register(9, TestTypes.Endpoint.class))
                .hasMessageContaining("Kryo id 9")
                .hasMessageContaining("reserved");
        assertThatThrownBy(() -> new KryoRegistry().register(50, String.class))
                .hasMessageContaining("built-in");
        assertThatThrownBy(() -> new KryoRegistry().register(50, Long.class))
                .hasMessageContaining("built-in");
    }

    @Test
    void interfacesAbstractClassesAndEnumConstantBodiesAreRefused() {
        assertThatThrownBy(() -> new KryoRegistry().register(50, List.class))
                .hasMessageContaining("interface java.util.List")
                .hasMessageContaining("registerHierarchy");
        assertThatThrownBy(() -> new KryoRegistry().register(50, AbstractList.class))
                .hasMessageContaining("abstract java.util.AbstractList");
        assertThatThrownBy(() -> new KryoRegistry().register(50, TestTypes.Op.ADD.getClass()))
                .hasMessageContaining("Register the enum " + TestTypes.Op.class.getName());
    }

    @Test
    void overlappingHierarchiesAreRefused() {
        KryoRegistry registry = new KryoRegistry()
                .registerHierarchy(50, CharSequence.class, new ImmutableCollectionSerializers.ListSerializer());
        assertThatThrownBy(() -> registry.registerHierarchy(51, StringBuilder.class,
                new ImmutableCollectionSerializers.ListSerializer()))
                .hasMessageContaining("overlaps id 50 (java.lang.CharSequence)");
    }

    @Test
    void aRegistryInUseIsFrozen() {
        KryoRegistry registry = KryoRegistry.of(new PersistenceKryoRegistrar());
        new KryoSerializer(registry);
        assertThatThrownBy(() -> registry.register(50, TestTypes.Endpoint.class))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("frozen");
    }

    @Test
    void entriesAreOrderedByIdAndRememberTheirRegistrar() {
        KryoRegistry registry = KryoRegistry.of(new TestTypesRegistrar(), new PersistenceKryoRegistrar());
        List<KryoRegistry.Entry> entries = registry.entries();
        assertThat(entries).extracting(KryoRegistry.Entry::id).isSorted();
        assertThat(registry.entry(10)).hasValueSatisfying(e -> {
            assertThat(e.coversSubtypes()).isTrue();
            assertThat(e.registrar()).isEqualTo(PersistenceKryoRegistrar.class.getName());
        });
        assertThat(registry.entry(10_003)).hasValueSatisfying(e ->
                assertThat(e.type()).isEqualTo(TestTypes.Placement.class));
    }

    @Test
    void eachRegistrarStaysInItsIdRange() {
        assertThat(KryoRegistry.of(new PersistenceKryoRegistrar()).entries())
                .extracting(KryoRegistry.Entry::id)
                .allSatisfy(id -> assertThat(id).isBetween(10, 99));
        assertThat(KryoRegistry.of(new TestTypesRegistrar()).entries())
                .extracting(KryoRegistry.Entry::id)
                .allSatisfy(id -> assertThat(id).isGreaterThanOrEqualTo(10_000));
    }
}
