package org.xdv.cdcr.persistence.serialization;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.Registration;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.util.Pool;
import com.typesafe.config.Config;
import java.io.NotSerializableException;
import java.lang.reflect.InvocationTargetException;
import java.util.LinkedHashSet;
import java.util.List;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.serialization.SerializerWithStringManifest;

/**
 * Pekko serializer for everything that implements {@link org.xdv.cdcr.persistence.KryoSerializable}.
 *
 * <ul>
 *   <li>Manifest = the class's registration id (decimal), never the class name: classes can be renamed or
 *       moved without touching stored events.</li>
 *   <li>Registrations come from the {@link KryoRegistrar}s listed in {@value #REGISTRARS_KEY}; Kryo runs with
 *       {@code registrationRequired = true}, so an unregistered class, even nested deep in a field, fails at
 *       serialization time with a message naming it. Nothing ever falls back to Java serialization.</li>
 *   <li>Kryo instances are not thread-safe: they come from a {@link Pool}. An instance that threw is dropped.</li>
 * </ul>
 *
 * <p>The serializer identifier {@value #IDENTIFIER} is stored next to every event and snapshot in the journal;
 * it must never change.
 */
public final class KryoSerializer extends SerializerWithStringManifest {

    /** Pekko serializer id, stored in the journal ({@code event_ser_id}). Never change it. */
    public static final int IDENTIFIER = 4310;

    /** Config key: list of {@link KryoRegistrar} class names, applied in order. */
    public static final String REGISTRARS_KEY = "cdcr.serialization.kryo.registrars";

    private static final int INITIAL_BUFFER = 256;

    private final KryoRegistry registry;
    private final Pool<Kryo> pool;

    /** The constructor Pekko calls: registrars from {@value #REGISTRARS_KEY}. */
    public KryoSerializer(ExtendedActorSystem system) {
        this(registryFromConfig(system), system.dynamicAccess().classLoader());
    }

    /** A serializer over an explicit registry (tests, tools); the registry is frozen. */
    public KryoSerializer(KryoRegistry registry) {
        this(registry, KryoSerializer.class.getClassLoader());
    }

    private KryoSerializer(KryoRegistry registry, ClassLoader classLoader) {
        this.registry = registry.freeze();
        int capacity = Math.max(4, 2 * Runtime.getRuntime().availableProcessors());
        this.pool = new Pool<>(true, false, capacity) {
            @Override
            protected Kryo create() {
                return registry.newKryo(classLoader);
            }
        };
        // Build one instance now: a registration Kryo cannot handle fails at start-up, not on the first message.
        pool.free(pool.obtain());
    }

    /** The registry this serializer uses (frozen). */
    public KryoRegistry registry() {
        return registry;
    }

    @Override
    public int identifier() {
        return IDENTIFIER;
    }

    @Override
    public String manifest(Object o) {
        Kryo kryo = pool.obtain();
        try {
            Registration registration = kryo.getRegistration(o.getClass());
            return Integer.toString(registration.getId());
        } catch (IllegalArgumentException | KryoException e) {
            throw cannotSerialize(o, e);
        } finally {
            pool.free(kryo);
        }
    }

    @Override
    public byte[] toBinary(Object o) {
        Kryo kryo = pool.obtain();
        boolean healthy = false;
        try {
            Output output = new Output(INITIAL_BUFFER, -1);
            kryo.writeObject(output, o);
            healthy = true;
            return output.toBytes();
        } catch (IllegalArgumentException | KryoException e) {
            throw cannotSerialize(o, e);
        } finally {
            if (healthy) {
                pool.free(kryo);
            }
        }
    }

    @Override
    public Object fromBinary(byte[] bytes, String manifest) throws NotSerializableException {
        int id;
        try {
            id = Integer.parseInt(manifest);
        } catch (NumberFormatException e) {
            throw new NotSerializableException("Kryo manifest '" + manifest + "' is not a registration id");
        }
        Kryo kryo = pool.obtain();
        boolean healthy = true;
        try {
            Registration registration = kryo.getRegistration(id);
            if (registration == null) {
                throw new NotSerializableException("No class is registered with Kryo id " + id + " (is the module's "
                        + "KryoRegistrar missing from " + REGISTRARS_KEY + "?)");
            }
            Class<?> type = registration.getType();
            Input input = new Input(bytes);
            Object value;
            try {
                value = kryo.readObject(input, type);
            } catch (KryoException | IllegalArgumentException e) {
                healthy = false;
                throw new IllegalArgumentException("Kryo cannot read id " + id + " ("
                        + registration.getType().getName() + ") from " + bytes.length + " bytes: " + e.getMessage(), e);
            }
            if (input.position() != bytes.length) {
                throw new IllegalArgumentException("Kryo read id " + id + " (" + registration.getType().getName()
                        + ") but left " + (bytes.length - input.position()) + " of " + bytes.length + " bytes unread:"
                        + " the bytes were written with a different field list");
            }
            return value;
        } finally {
            if (healthy) {
                pool.free(kryo);
            }
        }
    }

    private static IllegalArgumentException cannotSerialize(Object o, RuntimeException cause) {
        return new IllegalArgumentException("Kryo cannot serialize " + o.getClass().getName() + ": "
                + cause.getMessage(), cause);
    }

    /** The registry built from {@value #REGISTRARS_KEY} of the system's config. */
    public static KryoRegistry registryFromConfig(ExtendedActorSystem system) {
        return registryFrom(system.settings().config(), system);
    }

    /**
     * The registry built from {@value #REGISTRARS_KEY} of {@code config}: each class is created with its
     * {@code (ExtendedActorSystem)} constructor if it has one, else its no-argument constructor. A class name
     * listed twice counts once (reference.conf and node.conf may both name it).
     */
    public static KryoRegistry registryFrom(Config config, ExtendedActorSystem system) {
        List<String> names = config.getStringList(REGISTRARS_KEY);
        KryoRegistry registry = new KryoRegistry();
        for (String name : new LinkedHashSet<>(names)) {
            registry.apply(instantiate(name, system));
        }
        return registry;
    }

    private static KryoRegistrar instantiate(String className, ExtendedActorSystem system) {
        Class<?> type;
        try {
            type = Class.forName(className, true, system.dynamicAccess().classLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalArgumentException(REGISTRARS_KEY + " lists " + className
                    + ", which is not on the classpath", e);
        }
        if (!KryoRegistrar.class.isAssignableFrom(type)) {
            throw new IllegalArgumentException(REGISTRARS_KEY + " lists " + className + ", which does not implement "
                    + KryoRegistrar.class.getName());
        }
        try {
            try {
                return (KryoRegistrar) type.getConstructor(ExtendedActorSystem.class).newInstance(system);
            } catch (NoSuchMethodException e) {
                return (KryoRegistrar) type.getConstructor().newInstance();
            }
        } catch (NoSuchMethodException e) {
            throw new IllegalArgumentException("Kryo registrar " + className + " needs a public constructor taking "
                    + "ExtendedActorSystem, or a public no-argument constructor", e);
        } catch (InvocationTargetException e) {
            throw new IllegalArgumentException("Kryo registrar " + className + " failed in its constructor: "
                    + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalArgumentException("Cannot create Kryo registrar " + className + ": " + e, e);
        }
    }
}
