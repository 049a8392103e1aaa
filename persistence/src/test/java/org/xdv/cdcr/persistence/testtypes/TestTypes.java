package org.xdv.cdcr.persistence.testtypes;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.apache.pekko.actor.typed.ActorRef;
import org.xdv.cdcr.persistence.KryoSerializable;

/**
 * Message shapes the runtime will use (nested records, lists, optionals, enums, sorted maps, ActorRefs), to
 * prove the serializer before the real events exist. Registered by {@link TestTypesRegistrar} (ids 10000+).
 */
public final class TestTypes {

    private TestTypes() {
    }

    /** Enum: written by ordinal. */
    public enum Priority { LOW, NORMAL, HIGH }

    /** Enum with a constant body (its runtime class is a subclass). */
    public enum Op {
        ADD {
            @Override
            public int apply(int a, int b) {
                return a + b;
            }
        },
        SUB {
            @Override
            public int apply(int a, int b) {
                return a - b;
            }
        };

        public abstract int apply(int a, int b);
    }

    /** A small nested record. */
    public record Endpoint(String host, int port) implements KryoSerializable {
    }

    /** An event-like record: nested record, list of records, optional, enum, sorted map, instant. */
    public record Placement(String containerId, Endpoint primary, List<Endpoint> replicas, Optional<String> label,
                            Priority priority, TreeMap<String, Integer> quotas, Instant decidedAt)
            implements KryoSerializable {
    }

    /** Immutable JDK collections ({@code Set.of}, {@code Map.of}: written in sorted order). */
    public record Tags(Set<String> names, Map<String, Long> counters) implements KryoSerializable {
    }

    /** A command with a reply address, as every runtime command has. */
    public record Ping(String text, Op op, ActorRef<String> replyTo) implements KryoSerializable {
    }

    /** A polymorphic field: holds any registered value. */
    public record Envelope(Object payload) implements KryoSerializable {
    }

    /** Implements the marker but is deliberately not registered. */
    public record Unregistered(String text) implements KryoSerializable {
    }

    /** A record whose equality is identity-based on its array: round-trips bytes but never compares equal. */
    public record WithArray(int[] values) implements KryoSerializable {
    }
}
