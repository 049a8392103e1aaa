package org.xdv.cdcr.persistence;

/**
 * Marker for every message, event, reply and state that Pekko serializes with the CDCR Kryo serializer.
 *
 * <p>The binding lives once in config ({@code pekko.actor.serialization-bindings}, set by this module's
 * {@code reference.conf} and repeated in {@code conf/node.conf}). Implementing the marker is not enough:
 * the class must also be registered with an explicit, stable id in its module's
 * {@link org.xdv.cdcr.persistence.serialization.KryoRegistrar}; see
 * {@link org.xdv.cdcr.persistence.serialization.KryoRegistry} for the id ranges and evolution rules.
 */
public interface KryoSerializable {
}
