package org.xdv.cdcr.persistence.serialization;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import java.util.Optional;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorRefResolver;
import org.apache.pekko.actor.typed.javadsl.Adapter;

/**
 * Writes a typed {@link ActorRef} as its serialization format (full path with address and incarnation uid,
 * from {@link ActorRefResolver}) and resolves it again when reading, so a command's {@code replyTo} works
 * across nodes. The resolver is looked up on use, not at construction: serializers are created while the
 * actor system is still starting.
 */
public final class ActorRefKryoSerializer extends Serializer<ActorRef<?>> {

    private final Optional<ExtendedActorSystem> system;

    /** A serializer that resolves refs in {@code system}. */
    public ActorRefKryoSerializer(ExtendedActorSystem system) {
        this(Optional.of(system));
    }

    /** A serializer without an actor system: it fails clearly on any ActorRef (for system-less registries). */
    public ActorRefKryoSerializer(Optional<ExtendedActorSystem> system) {
        super(false, true);
        this.system = system;
    }

    @Override
    public void write(Kryo kryo, Output output, ActorRef<?> ref) {
        output.writeString(resolver().toSerializationFormat(ref));
    }

    @Override
    public ActorRef<?> read(Kryo kryo, Input input, Class<? extends ActorRef<?>> type) {
        return resolver().resolveActorRef(input.readString());
    }

    private ActorRefResolver resolver() {
        ExtendedActorSystem sys = system.orElseThrow(() -> new KryoException(
                "An ActorRef can only be (de)serialized by the Kryo serializer that Pekko created for an actor "
                        + "system; this registry was built without one (PersistenceKryoRegistrar())."));
        return ActorRefResolver.get(Adapter.toTyped(sys));
    }
}
