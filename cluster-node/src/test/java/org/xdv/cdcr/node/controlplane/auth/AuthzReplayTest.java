package org.xdv.cdcr.node.controlplane.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.xdv.cdcr.runtime.core.Capabilities;

/**
 * Replaying an authorization log decides every record again on its recorded inputs: a log written by
 * {@link Authorization#decide} replays cleanly; an edited outcome, a dropped record and two swapped records are each
 * reported at the right record; a tenant scope decides again only that tenant's records.
 */
class AuthzReplayTest {

    private static final Principal ACME = new Principal.Tenant("acme");
    private static final Principal GLOBEX = new Principal.Tenant("globex");
    private static final Optional<List<String>> CAPS = Optional.of(Capabilities.ALL);

    private static List<AuthzRecord> log() {
        List<AuthzRecord> out = new ArrayList<>();
        Object[][] calls = {
                {new Principal.Operator("op"), AuthzRequest.of(Rpc.CREATE_TENANT, "acme", "acme")},
                {ACME, AuthzRequest.of(Rpc.SUBMIT, "acme", "acme/a")},
                {GLOBEX, AuthzRequest.of(Rpc.GET, "acme", "acme/a")}, // denied: another tenant's container
                {ACME, AuthzRequest.of(Rpc.CLUSTER_STATUS, "", "")},   // denied: operator only
                {GLOBEX, AuthzRequest.of(Rpc.SUBMIT, "globex", "globex/b")},
                {ACME, AuthzRequest.of(Rpc.RESULT, "acme", "acme/a")},
        };
        for (Object[] c : calls) {
            Principal p = (Principal) c[0];
            AuthzRequest r = (AuthzRequest) c[1];
            out.add(new AuthzRecord(out.size(), p, CAPS, r, Authorization.decide(p, CAPS, r)));
        }
        return out;
    }

    @Test
    void aRecordedLogReplaysAndEveryTamperingIsCaughtAtItsRecord() {
        List<AuthzRecord> log = log();
        AuthzReplay.Report ok = AuthzReplay.check("cdcr-authz-n1", log, Optional.empty());
        assertThat(ok.ok()).isTrue();
        assertThat(ok.verified()).isEqualTo(log.size());
        assertThat(log.get(2).outcome().allowed()).isFalse();

        // edited: the cross-tenant read recorded as allowed
        List<AuthzRecord> edited = new ArrayList<>(log);
        AuthzRecord r = log.get(2);
        edited.set(2, new AuthzRecord(r.seq(), r.principal(), r.tenantCapabilities(), r.request(), AuthzOutcome.ALLOW));
        assertThat(AuthzReplay.check("cdcr-authz-n1", edited, Optional.empty()).divergence())
                .hasValueSatisfying(d -> {
                    assertThat(d.seq()).isEqualTo(2);
                    assertThat(d.recomputed()).hasValueSatisfying(o -> assertThat(o.allowed()).isFalse());
                    assertThat(d.explanation()).contains("recorded ALLOW, decided again PERMISSION_DENIED");
                });

        // dropped
        List<AuthzRecord> dropped = new ArrayList<>(log);
        dropped.remove(3);
        assertThat(AuthzReplay.check("cdcr-authz-n1", dropped, Optional.empty()).divergence())
                .hasValueSatisfying(d -> assertThat(d.explanation())
                        .contains("expected authorization #3 next but the log holds #4 (a record is missing)"));

        // swapped
        List<AuthzRecord> swapped = new ArrayList<>(log);
        Collections.swap(swapped, 1, 2);
        assertThat(AuthzReplay.check("cdcr-authz-n1", swapped, Optional.empty()).divergence())
                .hasValueSatisfying(d -> assertThat(d.seq()).isEqualTo(2));
    }

    @Test
    void aTenantScopeDecidesAgainOnlyThatTenantsRecords() {
        // globex as caller (2 records) and acme's container read by globex (already counted)
        AuthzReplay.Report globex = AuthzReplay.check("cdcr-authz-n1", log(), Optional.of("globex"));
        assertThat(globex.ok()).isTrue();
        assertThat(globex.recordsRead()).isEqualTo(6);
        assertThat(globex.verified()).isEqualTo(2);
    }
}
