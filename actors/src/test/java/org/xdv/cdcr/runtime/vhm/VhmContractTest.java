package org.xdv.cdcr.runtime.vhm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.xdv.cdcr.runtime.integration.EmbeddedNode.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xdv.cdcr.runtime.CdcrRuntime;
import org.xdv.cdcr.runtime.core.container.ContainerState;
import org.xdv.cdcr.runtime.core.container.FaultKind;
import org.xdv.cdcr.runtime.core.container.Termination;
import org.xdv.cdcr.runtime.core.dao.DaoDecision;
import org.xdv.cdcr.runtime.core.dao.DaoInput;
import org.xdv.cdcr.runtime.core.dao.VhmContract;
import org.xdv.cdcr.runtime.core.spec.ContainerSpec;
import org.xdv.cdcr.runtime.integration.EmbeddedNode;
import org.xdv.cdcr.runtime.integration.Specs;

/**
 * A tenant's VHM contract is an orchestrator input; a submitted container's {@code k.fuel} and
 * {@code k.memoryPages} are clamped to it, the clamped values are what its journal records and what its VHM runs
 * with, and resubmitting the original spec finds the container.
 */
class VhmContractTest {

    @Test
    void submissionsAreClampedToTheTenantsContract(@TempDir Path data) {
        try (EmbeddedNode node = EmbeddedNode.start(data)) {
            CdcrRuntime rt = node.runtime();
            await(rt.upsertTenant(Specs.tenant("acme", 10)));
            assertThat(await(rt.vhmContract("acme"))).isEqualTo(VhmContract.DEFAULT);

            // refused: unknown tenant, values out of range (nothing changes)
            assertThat(await(rt.decide(new DaoInput.SetVhmContract("initech", new VhmContract(4, 1000)))).decision())
                    .isInstanceOfSatisfying(DaoDecision.Refused.class, r ->
                            assertThat(r.reason()).isEqualTo(DaoDecision.Reason.UNKNOWN_TENANT));
            assertThat(await(rt.decide(new DaoInput.SetVhmContract("acme", new VhmContract(0, 1000)))).decision())
                    .isInstanceOfSatisfying(DaoDecision.Refused.class, r -> {
                        assertThat(r.reason()).isEqualTo(DaoDecision.Reason.INVALID);
                        assertThat(r.message()).contains("VHM memory must be 1-1024 pages, was 0");
                    });
            assertThat(await(rt.vhmContract("acme"))).isEqualTo(VhmContract.DEFAULT);

            // a contract of 200,000 fuel: the primes job (50,000,000 asked) runs out of fuel under it
            VhmContract tight = new VhmContract(1, 200_000);
            assertThat(await(rt.decide(new DaoInput.SetVhmContract("acme", tight))).decision())
                    .isEqualTo(new DaoDecision.VhmContractSet("acme"));
            assertThat(await(rt.vhmContract("acme"))).isEqualTo(tight);
            ContainerSpec primes = VhmFixture.example("k-only.yaml");
            assertThat(primes.k().fuel()).isEqualTo(50_000_000);
            assertThat(await(rt.submit(primes))).isInstanceOf(CdcrRuntime.Accepted.class);
            ContainerState clamped = node.awaitReleased(List.of(primes.id()), Duration.ofSeconds(60)).get(0);
            assertThat(clamped.spec().orElseThrow().k().fuel()).isEqualTo(200_000);
            assertThat(clamped.spec().orElseThrow().isSubmissionOf(primes)).isTrue();
            assertThat(clamped.termination().orElseThrow().fault()).as("termination %s", clamped.termination())
                    .contains(FaultKind.FUEL_EXHAUSTED);
            // the original spec again: the same container (recorded clamped), not a new one
            CdcrRuntime.Submission again = await(rt.submit(primes));
            assertThat(again).isInstanceOfSatisfying(CdcrRuntime.Accepted.class, a -> assertThat(a.existed()).isTrue());

            // a generous contract: the same job completes with the fuel it asked for
            await(rt.decide(new DaoInput.SetVhmContract("acme", new VhmContract(8, 100_000_000))));
            ContainerSpec primes2 = VhmFixture.parse(VhmFixture.text("k-only.yaml")
                    .replace("name: primes", "name: primes-2"));
            await(rt.submit(primes2));
            ContainerState ok = node.awaitReleased(List.of(primes2.id()), Duration.ofSeconds(60)).get(0);
            assertThat(ok.spec().orElseThrow().k().fuel()).isEqualTo(50_000_000);
            assertThat(ok.termination().orElseThrow()).as("termination %s", ok.termination())
                    .isEqualTo(Termination.completed());
        }
    }
}
