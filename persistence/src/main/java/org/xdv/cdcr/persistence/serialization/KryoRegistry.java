package org.xdv.cdcr.persistence.serialization;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Registration;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.util.DefaultClassResolver;
import com.esotericsoftware.kryo.util.DefaultInstantiatorStrategy;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import org.objenesis.strategy.StdInstantiatorStrategy;

/**
 * The table of Kryo registrations: {@code (id, class, optional serializer)}. The id is the wire format of the
 * class: it is the Pekko manifest of a top-level message and the class tag Kryo writes before a polymorphic
 * field value.
 *
 * <h2>Id ranges</h2>
 * <table>
 *   <caption>Who owns which ids</caption>
 *   <tr><th>ids</th><th>owner</th></tr>
 *   <tr><td>0–9</td><td>Kryo's built-ins: int/Integer, String, float, boolean, byte, char, short, long, double,
 *       void (with their wrappers). Refused here.</td></tr>
 *   <tr><td>10–99</td><td>{@code persistence}: {@link PersistenceKryoRegistrar} (JDK and Pekko types)</td></tr>
 *   <tr><td>100–999</td><td>{@code actors} (commands, events, replies and state of the runtime)</td></tr>
 *   <tr><td>1000–1999</td><td>{@code cluster-node}</td></tr>
 *   <tr><td>2000–9999</td><td>reserved for later modules; claim a block here before using it</td></tr>
 *   <tr><td>10000 and up</td><td>test-only types; they never reach a production journal</td></tr>
 * </table>
 *
 * <h2>Evolution rules (events stay readable forever)</h2>
 * <ol>
 *   <li>An id is never reused and never moved to another class, even after the class is deleted: leave a
 *       comment "retired" in the registrar instead.</li>
 *   <li>The fields are the wire format. Records are written component by component in <em>name</em> order
 *       (Kryo's {@code RecordSerializer}); other classes by Kryo's default serializer for their type. Adding,
 *       removing, renaming or retyping a component changes the bytes; reordering components does not.
 *       A component whose declared type is final (String, a record, an enum) is written without a class tag;
 *       an interface or non-final type is written with the registered id of the runtime class.</li>
 *   <li>Enums are written by ordinal: append new constants at the end, never reorder or remove them.</li>
 *   <li>A change that breaks the bytes of a class already written to a journal must add a <em>new</em> class
 *       with a new id (for example {@code PlacedV2}) and keep the old class readable; the event handler
 *       accepts both. The golden byte files in the tests ({@code GoldenFiles}) fail on any such change.</li>
 *   <li>Hash-ordered collections ({@code HashMap}, {@code HashSet}) are deliberately not registered: their
 *       byte order is not deterministic. Use {@code TreeMap}/{@code TreeSet}/{@code LinkedHashMap}, lists, or
 *       {@code Map.of}/{@code Set.of} with {@link Comparable} keys (written in sorted order).</li>
 * </ol>
 *
 * <p>Serializers given to the registry are shared by every pooled {@link Kryo} instance, so they must be
 * stateless and thread-safe. The registry is frozen once a {@link KryoSerializer} uses it.
 */
public final class KryoRegistry {

    /** The lowest id a registrar may use; 0–9 belong to Kryo's built-in registrations. */
    public static final int FIRST_ID = 10;

    /**
     * One registration.
     *
     * @param id             the stable id (manifest and class tag)
     * @param type           the registered class, or for {@code coversSubtypes} the base type
     * @param serializer     the serializer, or empty for Kryo's default serializer of the type
     * @param coversSubtypes true if every runtime subtype of {@code type} uses this registration
     * @param registrar      who registered it, for error messages
     */
    public record Entry(int id, Class<?> type, Optional<Serializer<?>> serializer, boolean coversSubtypes,
                        String registrar) {
        public Entry {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(serializer, "serializer");
            Objects.requireNonNull(registrar, "registrar");
        }
    }

    private final Map<Integer, Entry> byId = new TreeMap<>();
    private final Map<Class<?>, Entry> byClass = new HashMap<>();
    private String currentRegistrar = "direct registration";
    private volatile boolean frozen;

    /** An empty registry; add registrations with {@link #register} or {@link #of}. */
    public KryoRegistry() {
    }

    /** A registry filled by the given registrars, in order. */
    public static KryoRegistry of(KryoRegistrar... registrars) {
        return of(List.of(registrars));
    }

    /** A registry filled by the given registrars, in order. */
    public static KryoRegistry of(Collection<? extends KryoRegistrar> registrars) {
        KryoRegistry registry = new KryoRegistry();
        for (KryoRegistrar registrar : registrars) {
            registry.apply(registrar);
        }
        return registry;
    }

    /** Lets {@code registrar} add its registrations; errors name it. */
    public KryoRegistry apply(KryoRegistrar registrar) {
        String previous = currentRegistrar;
        currentRegistrar = registrar.getClass().getName();
        try {
            registrar.register(this);
        } finally {
            currentRegistrar = previous;
        }
        return this;
    }

    /** Registers a concrete class (a record, an enum, an array, a collection) with Kryo's default serializer. */
    public KryoRegistry register(int id, Class<?> type) {
        return add(id, type, Optional.empty(), false);
    }

    /** Registers a concrete class with its own serializer (stateless, thread-safe). */
    public KryoRegistry register(int id, Class<?> type, Serializer<?> serializer) {
        return add(id, type, Optional.of(Objects.requireNonNull(serializer, "serializer")), false);
    }

    /**
     * Registers a library-owned base type whose runtime classes are not ours to name (for example Pekko's
     * typed {@code ActorRef}): every subtype that has no registration of its own is written with this id and
     * serializer, and reads back as whatever the serializer returns.
     */
    public KryoRegistry registerHierarchy(int id, Class<?> baseType, Serializer<?> serializer) {
        return add(id, baseType, Optional.of(Objects.requireNonNull(serializer, "serializer")), true);
    }

    /** All registrations, by id. */
    public List<Entry> entries() {
        synchronized (this) {
            return List.copyOf(byId.values());
        }
    }

    /** The registration with this id, if any. */
    public Optional<Entry> entry(int id) {
        synchronized (this) {
            return Optional.ofNullable(byId.get(id));
        }
    }

    /** Refuses further registrations. Called by {@link KryoSerializer}; idempotent. */
    public KryoRegistry freeze() {
        frozen = true;
        return this;
    }

    private synchronized KryoRegistry add(int id, Class<?> type, Optional<Serializer<?>> serializer,
                                          boolean coversSubtypes) {
        Objects.requireNonNull(type, "type");
        String what = describe(id, type);
        if (frozen) {
            throw new IllegalStateException("Kryo registry is frozen (already used by a serializer); cannot add "
                    + what);
        }
        if (id < FIRST_ID) {
            throw new IllegalArgumentException("Kryo id " + id + " requested for " + type.getName() + " by "
                    + currentRegistrar + " is reserved: ids 0-" + (FIRST_ID - 1) + " are Kryo's built-in "
                    + "registrations (primitives, their wrappers, String). Use the owning module's id range "
                    + "(see KryoRegistry).");
        }
        if (type.isPrimitive() || type == String.class || isPrimitiveWrapper(type)) {
            throw new IllegalArgumentException(type.getName() + " (requested by " + currentRegistrar + " as id "
                    + id + ") is one of Kryo's built-in registrations and needs no id.");
        }
        if (!coversSubtypes && !type.isArray() && !type.isEnum()
                && (type.isInterface() || Modifier.isAbstract(type.getModifiers()))) {
            throw new IllegalArgumentException("Cannot register " + (type.isInterface() ? "interface " : "abstract ")
                    + type.getName() + " as id " + id + " (by " + currentRegistrar + "): Kryo looks up the runtime "
                    + "class of a value. Register each concrete class, or use registerHierarchy for a "
                    + "library-owned base type.");
        }
        if (isEnumConstantBody(type)) {
            throw new IllegalArgumentException("Register the enum " + type.getSuperclass().getName()
                    + " rather than the body class " + type.getName() + " of one of its constants.");
        }
        Entry byThisId = byId.get(id);
        if (byThisId != null) {
            throw new IllegalArgumentException("Duplicate Kryo id " + id + ": already registered for "
                    + byThisId.type().getName() + " by " + byThisId.registrar() + "; refusing "
                    + type.getName() + " from " + currentRegistrar + ". Ids are never reused: take the next free "
                    + "id in the module's range (see KryoRegistry).");
        }
        Entry byThisClass = byClass.get(type);
        if (byThisClass != null) {
            throw new IllegalArgumentException("Duplicate Kryo registration of " + type.getName() + ": already id "
                    + byThisClass.id() + " (by " + byThisClass.registrar() + "); refusing id " + id + " from "
                    + currentRegistrar + ". A class has exactly one id.");
        }
        if (coversSubtypes) {
            for (Entry other : byId.values()) {
                if (other.coversSubtypes()
                        && (other.type().isAssignableFrom(type) || type.isAssignableFrom(other.type()))) {
                    throw new IllegalArgumentException("Hierarchy registration " + what + " from " + currentRegistrar
                            + " overlaps " + describe(other.id(), other.type()) + " from " + other.registrar()
                            + ": a runtime class must map to exactly one id.");
                }
            }
        }
        Entry entry = new Entry(id, type, serializer, coversSubtypes, currentRegistrar);
        byId.put(id, entry);
        byClass.put(type, entry);
        return this;
    }

    /** A new Kryo instance with every registration applied; Kryo instances are not thread-safe. */
    Kryo newKryo(ClassLoader classLoader) {
        List<Entry> all = entries();
        List<Class<?>> roots = new ArrayList<>();
        for (Entry e : all) {
            if (e.coversSubtypes()) {
                roots.add(e.type());
            }
        }
        Kryo kryo = new CdcrKryo(new HierarchyClassResolver(roots));
        kryo.setRegistrationRequired(true);
        kryo.setReferences(false);
        kryo.setClassLoader(classLoader);
        // Records use their canonical constructor and collections their no-arg constructor; the fallback only
        // matters for registered classes without one.
        kryo.setInstantiatorStrategy(new DefaultInstantiatorStrategy(new StdInstantiatorStrategy()));
        for (Entry e : all) {
            try {
                if (e.serializer().isPresent()) {
                    kryo.register(e.type(), e.serializer().get(), e.id());
                } else {
                    kryo.register(e.type(), e.id());
                }
            } catch (RuntimeException failure) {
                throw new IllegalArgumentException("Kryo cannot handle " + describe(e.id(), e.type())
                        + " registered by " + e.registrar() + ": " + failure
                        + ". Register it with an explicit serializer, or register a type Kryo can serialize.", failure);
            }
        }
        return kryo;
    }

    private static String describe(int id, Class<?> type) {
        return "id " + id + " (" + type.getName() + ")";
    }

    private static boolean isPrimitiveWrapper(Class<?> type) {
        return type == Integer.class || type == Float.class || type == Boolean.class || type == Byte.class
                || type == Character.class || type == Short.class || type == Long.class || type == Double.class
                || type == Void.class;
    }

    private static boolean isEnumConstantBody(Class<?> type) {
        return !type.isEnum() && type.getSuperclass() != null && type.getSuperclass().isEnum();
    }

    /** Kryo whose "class is not registered" error says where to register it. */
    private static final class CdcrKryo extends Kryo {
        CdcrKryo(DefaultClassResolver classResolver) {
            super(classResolver, null);
        }

        @Override
        @SuppressWarnings("rawtypes")
        protected String unregisteredClassMessage(Class type) {
            String hint = "";
            if (type.getName().startsWith("java.")) {
                hint = " Of the JDK types only those in PersistenceKryoRegistrar are registered: copy the value into"
                        + " an ArrayList, List.copyOf, TreeMap, TreeSet or LinkedHashMap (HashMap and HashSet are"
                        + " refused on purpose: their byte order is not deterministic).";
            }
            return "Class is not registered for CDCR Kryo serialization: " + type.getName()
                    + ". Register it with an explicit, stable id in its module's KryoRegistrar (listed in "
                    + "cdcr.serialization.kryo.registrars); see KryoRegistry for the id ranges." + hint;
        }
    }

    /** Maps runtime subtypes of hierarchy registrations (such as ActorRef implementations) to their base. */
    private static final class HierarchyClassResolver extends DefaultClassResolver {
        private final List<Class<?>> roots;

        HierarchyClassResolver(List<Class<?>> roots) {
            this.roots = List.copyOf(roots);
        }

        @Override
        @SuppressWarnings({"rawtypes", "unchecked"})
        public Registration getRegistration(Class type) {
            Registration registration = super.getRegistration(type);
            if (registration != null || roots.isEmpty()) {
                return registration;
            }
            for (Class<?> root : roots) {
                if (root.isAssignableFrom(type)) {
                    Registration rootRegistration = super.getRegistration(root);
                    if (rootRegistration != null) {
                        classToRegistration.put(type, rootRegistration);
                    }
                    return rootRegistration;
                }
            }
            return null;
        }
    }
}
