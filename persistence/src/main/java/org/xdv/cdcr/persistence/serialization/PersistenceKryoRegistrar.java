package org.xdv.cdcr.persistence.serialization;

import com.esotericsoftware.kryo.serializers.DefaultSerializers;
import com.esotericsoftware.kryo.serializers.OptionalSerializers;
import com.esotericsoftware.kryo.serializers.TimeSerializers;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * The persistence module's registry file: ids 10–99, JDK value and collection types and Pekko's typed
 * {@link ActorRef}. Every id here is part of the journal format: never change or reuse one (rules in
 * {@link KryoRegistry}). Gaps are left so related types stay together.
 */
public final class PersistenceKryoRegistrar implements KryoRegistrar {

    private final Optional<ExtendedActorSystem> system;

    /** The registrar Pekko's serializer uses: ActorRefs resolve in {@code system}. */
    public PersistenceKryoRegistrar(ExtendedActorSystem system) {
        this.system = Optional.of(system);
    }

    /** A registrar for registries without an actor system; the ActorRef id is registered but fails on use. */
    public PersistenceKryoRegistrar() {
        this.system = Optional.empty();
    }

    @Override
    public void register(KryoRegistry r) {
        // 10-19: Pekko types and arrays
        r.registerHierarchy(10, ActorRef.class, new ActorRefKryoSerializer(system));
        r.register(11, byte[].class);
        r.register(12, int[].class);
        r.register(13, long[].class);
        r.register(14, double[].class);
        r.register(15, String[].class);
        // 20-29: mutable collections with a deterministic order (Kryo's collection/map serializers, one per
        // Kryo instance because they keep per-call generics state)
        r.register(20, ArrayList.class);
        r.register(21, LinkedHashMap.class);
        r.register(22, LinkedHashSet.class);
        r.register(23, TreeMap.class);
        r.register(24, TreeSet.class);
        // 30-39: JDK immutable collections, written as plain sequences (see ImmutableCollectionSerializers)
        r.register(30, ImmutableCollectionSerializers.LIST_1_2, new ImmutableCollectionSerializers.ListSerializer());
        r.register(31, ImmutableCollectionSerializers.LIST_N, new ImmutableCollectionSerializers.ListSerializer());
        r.register(32, ImmutableCollectionSerializers.SUB_LIST, new ImmutableCollectionSerializers.ListSerializer());
        r.register(33, ImmutableCollectionSerializers.SET_1_2, new ImmutableCollectionSerializers.SetSerializer());
        r.register(34, ImmutableCollectionSerializers.SET_N, new ImmutableCollectionSerializers.SetSerializer());
        r.register(35, ImmutableCollectionSerializers.MAP_1, new ImmutableCollectionSerializers.MapSerializer());
        r.register(36, ImmutableCollectionSerializers.MAP_N, new ImmutableCollectionSerializers.MapSerializer());
        // 40-59: value types, each with its serializer named (not left to Kryo's defaults, which can change)
        r.register(40, Optional.class, new OptionalSerializers.OptionalSerializer());
        r.register(41, Instant.class, new TimeSerializers.InstantSerializer());
        r.register(42, Duration.class, new TimeSerializers.DurationSerializer());
        r.register(43, UUID.class, new DefaultSerializers.UUIDSerializer());
        r.register(44, BigInteger.class, new DefaultSerializers.BigIntegerSerializer());
        r.register(45, BigDecimal.class, new DefaultSerializers.BigDecimalSerializer());
        // next free: 16 (arrays), 25 (collections), 37 (immutable), 46 (values)
    }
}
