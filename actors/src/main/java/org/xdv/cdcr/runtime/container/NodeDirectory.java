package org.xdv.cdcr.runtime.container;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.xdv.cdcr.runtime.node.NodeAgent;

/**
 * Where each node's agent is: kept current from the receptionist (node agents register under
 * {@link NodeAgent#KEY} with the actor name {@code node-agent-<id>}). Read by entities, written by one
 * subscriber actor. This node's own agent is recorded directly ({@link #put}) and stays: the receptionist's
 * first listings may not contain it yet, and a container bound on this node must never find its own node
 * "unreachable" because the registration is still on its way.
 */
public final class NodeDirectory {

    private final Map<String, ActorRef<NodeAgent.Command>> local = new ConcurrentHashMap<>();
    private final Map<String, ActorRef<NodeAgent.Command>> agents = new ConcurrentHashMap<>();

    public Optional<ActorRef<NodeAgent.Command>> agent(String nodeId) {
        ActorRef<NodeAgent.Command> mine = local.get(nodeId);
        return Optional.ofNullable(mine != null ? mine : agents.get(nodeId));
    }

    /** Records an agent of this process (this node's own, or a test's); listings never remove it. */
    public void put(String nodeId, ActorRef<NodeAgent.Command> agent) {
        local.put(nodeId, agent);
    }

    /** The subscriber that keeps this directory current. */
    public Behavior<Receptionist.Listing> subscriber() {
        return Behaviors.setup(ctx -> {
            ctx.getSystem().receptionist().tell(Receptionist.subscribe(NodeAgent.KEY, ctx.getSelf()));
            return Behaviors.receiveMessage(listing -> {
                Map<String, ActorRef<NodeAgent.Command>> now = new java.util.TreeMap<>();
                for (ActorRef<NodeAgent.Command> a : listing.getServiceInstances(NodeAgent.KEY)) {
                    now.put(NodeAgent.nodeIdOf(a), a);
                }
                agents.keySet().retainAll(now.keySet());
                agents.putAll(now);
                return Behaviors.same();
            });
        });
    }
}
