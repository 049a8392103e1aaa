package org.xdv.cdcr.persistence.serialization;

/**
 * One module's contribution to the Kryo registry: the module's own "registry file" of explicit, stable ids.
 *
 * <p>Implementations are listed by class name in {@code cdcr.serialization.kryo.registrars} and created by
 * {@link KryoSerializer} through a public {@code (org.apache.pekko.actor.ExtendedActorSystem)} constructor
 * if there is one, else a public no-argument constructor. Every registrar registers only ids from its
 * module's range (see {@link KryoRegistry}); the registry refuses any id or class registered twice, naming
 * both registrars.
 */
@FunctionalInterface
public interface KryoRegistrar {

    /** Registers this module's classes, each with its explicit, never reused id. */
    void register(KryoRegistry registry);
}
