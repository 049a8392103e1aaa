package org.xdv.cdcr.node.controlplane.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** The pure authorization function, rule by rule, with exact outcomes. */
class AuthorizationTest {

    static final Principal ACME = new Principal.Tenant("acme");
    static final Optional<List<String>> ACME_CAPS = Optional.of(List.of("k.exec", "q.alloc", "q.run"));

    static AuthzOutcome decide(Principal p, Optional<List<String>> caps, AuthzRequest r) {
        return Authorization.decide(p, caps, r);
    }

    @Test
    void theOperatorMayMakeEveryCall() {
        for (Rpc rpc : Rpc.values()) {
            assertThat(decide(Principal.Operator.DEFAULT, Optional.empty(), AuthzRequest.of(rpc, "acme", "acme/x")))
                    .isEqualTo(AuthzOutcome.ALLOW);
        }
    }

    @Test
    void aTenantUnknownToTheOrchestratorMayMakeNoCall() {
        assertThat(decide(ACME, Optional.empty(), AuthzRequest.of(Rpc.GET, "acme", "acme/x")))
                .isEqualTo(AuthzOutcome.deny("tenant acme is not known to the orchestrator"));
    }

    @Test
    void operatorOnlyCallsAreDeniedToTenantsEvenForThemselves() {
        for (Rpc rpc : Rpc.values()) {
            AuthzOutcome o = decide(ACME, ACME_CAPS, AuthzRequest.of(rpc, "acme", "acme"));
            assertThat(o.allowed()).as(rpc.name()).isEqualTo(!rpc.operatorOnly());
        }
        assertThat(decide(ACME, ACME_CAPS, AuthzRequest.of(Rpc.CLUSTER_STATUS, "", "")))
                .isEqualTo(AuthzOutcome.deny("ClusterStatus needs the operator credential"));
    }

    @Test
    void anotherTenantsResourceIsDeniedWhetherOrNotItExists() {
        assertThat(decide(ACME, ACME_CAPS, AuthzRequest.of(Rpc.TERMINATE, "globex", "globex/x")))
                .isEqualTo(AuthzOutcome.deny("tenant acme may not Terminate 'globex/x': it belongs to another tenant"));
        assertThat(decide(ACME, ACME_CAPS, AuthzRequest.of(Rpc.LIST, "", "")).allowed())
                .as("listing every tenant's containers").isFalse();
        assertThat(decide(ACME, ACME_CAPS, AuthzRequest.of(Rpc.LIST, "acme", "")).allowed()).isTrue();
    }

    @Test
    void submissionsNeedEveryCapabilityInsideTheNamespace() {
        AuthzRequest ok = new AuthzRequest(Rpc.SUBMIT, "acme", "acme/x", List.of("q.run", "k.exec"));
        assertThat(decide(ACME, ACME_CAPS, ok)).isEqualTo(AuthzOutcome.ALLOW);
        AuthzRequest outside = new AuthzRequest(Rpc.SUBMIT, "acme", "acme/x", List.of("q.measure", "k.exec", "phi.sample"));
        assertThat(decide(ACME, ACME_CAPS, outside)).isEqualTo(AuthzOutcome.deny(
                "capability 'phi.sample' is outside tenant acme's namespace [k.exec, q.alloc, q.run]"));
    }

    @Test
    void theSameInputsAlwaysGiveTheSameOutcome() {
        AuthzRequest r = new AuthzRequest(Rpc.SUBMIT, "acme", "acme/x", List.of("q.measure"));
        assertThat(decide(ACME, ACME_CAPS, r)).isEqualTo(decide(ACME, ACME_CAPS, r));
        assertThat(r.capabilities()).as("requests are normalised (sorted)").isEqualTo(List.of("q.measure"));
    }

    @Test
    void rpcNamesAreTheServiceMethodNames() {
        assertThat(Rpc.CLUSTER_STATUS.rpcName()).isEqualTo("ClusterStatus");
        assertThat(Rpc.SUBMIT.rpcName()).isEqualTo("Submit");
    }
}
