package org.xdv.cdcr.runtime.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.xdv.cdcr.runtime.integration.EmbeddedNode.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;

import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.cluster.sharding.ShardRegion;
import org.apache.pekko.cluster.sharding.typed.GetShardRegionState;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.stream.javadsl.Sink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xdv.cdcr.runtime.CdcrRuntime;
import org.xdv.cdcr.runtime.core.LifecycleState;
import org.xdv.cdcr.runtime.core.container.ContainerEvent;
import org.xdv.cdcr.runtime.core.spec.ContainerSpec;
import org.xdv.cdcr.runtime.integration.EmbeddedNode;
import org.xdv.cdcr.runtime.integration.Specs;

/**
 * A Released container has nothing left to do: its entity leaves memory at once rather than after sharding's idle
 * timeout (minutes), so a node that runs many short containers does not hold them all. Asked later, it comes back
 * from its journal.
 */
class ReleasedPassivationTest {

    @Test
    void aReleasedContainerIsPassivatedAndAnsweredFromItsJournalLater(@TempDir Path data) {
        try (EmbeddedNode node = EmbeddedNode.start(data)) {
            CdcrRuntime rt = node.runtime();
            await(rt.upsertTenant(Specs.tenant("acme", 10)));
            ContainerSpec spec = Specs.kOnly("acme", "short");
            assertThat(await(rt.submit(spec))).isInstanceOf(CdcrRuntime.Accepted.class);
            // followed in its journal, not asked: a query would start the entity again
            await(rt.watch(spec.id(), 1).takeWhile(e -> !(e instanceof ContainerEvent.Released), true)
                    .runWith(Sink.ignore(), node.system()));

            TestProbe<ShardRegion.CurrentShardRegionState> probe = node.probe();
            probe.awaitAssert(Duration.ofSeconds(10), () -> {
                ClusterSharding.get(node.system()).shardState()
                        .tell(new GetShardRegionState(HybridContainer.ENTITY_KEY, probe.ref()));
                assertThat(liveEntities(probe.receiveMessage(Duration.ofSeconds(3)))).doesNotContain(spec.id());
                return null;
            });

            assertThat(await(rt.get(spec.id())).state()).isEqualTo(LifecycleState.RELEASED);
        }
    }

    private static Set<String> liveEntities(ShardRegion.CurrentShardRegionState state) {
        Set<String> ids = new TreeSet<>();
        for (ShardRegion.ShardState shard : state.getShards()) {
            ids.addAll(shard.getEntityIds());
        }
        return ids;
    }
}
