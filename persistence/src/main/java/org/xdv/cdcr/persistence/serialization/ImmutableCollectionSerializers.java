package org.xdv.cdcr.persistence.serialization;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Serializers for the JDK-internal classes behind {@code List.of}, {@code List.copyOf}, {@code Stream.toList},
 * {@code Set.of} and {@code Map.of}. They write a plain size-prefixed sequence (each element with its class
 * id) and read back an immutable {@code List.of}/{@code Set.of}/{@code Map.of} copy, so the bytes do not
 * depend on the JDK's private classes.
 *
 * <p>{@code Set.of}/{@code Map.of} iterate in an order that changes from one JVM run to the next, so elements
 * (keys) are written in their natural order and must be {@link Comparable}; anything else is refused when
 * writing, never when reading. Null elements are refused as well (only {@code Stream.toList} allows them).
 */
public final class ImmutableCollectionSerializers {

    private ImmutableCollectionSerializers() {
    }

    /** Runtime class of {@code List.of(a)} and {@code List.of(a, b)}. */
    public static final Class<?> LIST_1_2 = List.of(1).getClass();
    /** Runtime class of {@code List.of()}, {@code List.of(a, b, c, ...)}, {@code List.copyOf}, {@code Stream.toList}. */
    public static final Class<?> LIST_N = List.of().getClass();
    /** Runtime class of {@code subList} of an immutable list. */
    public static final Class<?> SUB_LIST = List.of(1, 2, 3).subList(0, 1).getClass();
    /** Runtime class of {@code Set.of(a)} and {@code Set.of(a, b)}. */
    public static final Class<?> SET_1_2 = Set.of(1).getClass();
    /** Runtime class of {@code Set.of()}, {@code Set.of(a, b, c, ...)}, {@code Set.copyOf}. */
    public static final Class<?> SET_N = Set.of().getClass();
    /** Runtime class of {@code Map.of(k, v)}. */
    public static final Class<?> MAP_1 = Map.of(1, 1).getClass();
    /** Runtime class of {@code Map.of()}, {@code Map.of(k1, v1, k2, v2, ...)}, {@code Map.copyOf}. */
    public static final Class<?> MAP_N = Map.of().getClass();

    /** Immutable list: size, then each element with its class id. */
    public static final class ListSerializer extends Serializer<List<?>> {
        public ListSerializer() {
            super(false, true);
        }

        @Override
        public void write(Kryo kryo, Output output, List<?> list) {
            output.writeVarInt(list.size(), true);
            for (Object element : list) {
                if (element == null) {
                    throw new KryoException("Immutable list with a null element cannot be serialized (read back "
                            + "it would be List.of, which refuses nulls): " + list);
                }
                kryo.writeClassAndObject(output, element);
            }
        }

        @Override
        public List<?> read(Kryo kryo, Input input, Class<? extends List<?>> type) {
            Object[] elements = new Object[input.readVarInt(true)];
            for (int i = 0; i < elements.length; i++) {
                elements[i] = kryo.readClassAndObject(input);
            }
            return List.of(elements);
        }
    }

    /** Immutable set: size, then each element with its class id, in natural order. */
    public static final class SetSerializer extends Serializer<Set<?>> {
        public SetSerializer() {
            super(false, true);
        }

        @Override
        public void write(Kryo kryo, Output output, Set<?> set) {
            Object[] elements = set.toArray();
            try {
                Arrays.sort(elements);
            } catch (ClassCastException e) {
                throw new KryoException("Set.of/Set.copyOf iterates in a different order on every JVM run, so its "
                        + "elements are written sorted and must be mutually Comparable; they are not (" + e.getMessage()
                        + "). Use a TreeSet with Comparable elements, or a List.", e);
            }
            output.writeVarInt(elements.length, true);
            for (Object element : elements) {
                kryo.writeClassAndObject(output, element);
            }
        }

        @Override
        public Set<?> read(Kryo kryo, Input input, Class<? extends Set<?>> type) {
            Object[] elements = new Object[input.readVarInt(true)];
            for (int i = 0; i < elements.length; i++) {
                elements[i] = kryo.readClassAndObject(input);
            }
            return Set.of(elements);
        }
    }

    /** Immutable map: size, then key and value (each with its class id) per entry, in natural key order. */
    public static final class MapSerializer extends Serializer<Map<?, ?>> {
        public MapSerializer() {
            super(false, true);
        }

        @Override
        public void write(Kryo kryo, Output output, Map<?, ?> map) {
            TreeMap<Object, Object> sorted;
            try {
                sorted = new TreeMap<>(map);
            } catch (ClassCastException e) {
                throw new KryoException("Map.of/Map.copyOf iterates in a different order on every JVM run, so its "
                        + "entries are written sorted by key and the keys must be mutually Comparable; they are not ("
                        + e.getMessage() + "). Use a TreeMap with Comparable keys, or a LinkedHashMap.", e);
            }
            output.writeVarInt(sorted.size(), true);
            for (Map.Entry<Object, Object> entry : sorted.entrySet()) {
                kryo.writeClassAndObject(output, entry.getKey());
                kryo.writeClassAndObject(output, entry.getValue());
            }
        }

        @Override
        public Map<?, ?> read(Kryo kryo, Input input, Class<? extends Map<?, ?>> type) {
            int size = input.readVarInt(true);
            Map<Object, Object> entries = new LinkedHashMap<>();
            for (int i = 0; i < size; i++) {
                Object key = kryo.readClassAndObject(input);
                Object value = kryo.readClassAndObject(input);
                if (entries.put(key, value) != null) {
                    throw new KryoException("Duplicate key in serialized immutable map: " + key);
                }
            }
            return Map.copyOf(entries);
        }
    }
}
