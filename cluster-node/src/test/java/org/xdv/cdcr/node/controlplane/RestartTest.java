package org.xdv.cdcr.node.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

import io.grpc.Status;
import org.apache.pekko.persistence.query.EventEnvelope;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.persistence.query.javadsl.CurrentEventsByPersistenceIdQuery;
import org.apache.pekko.persistence.query.javadsl.ReadJournal;
import org.apache.pekko.stream.javadsl.Sink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xdv.cdcr.node.controlplane.auth.AuthorizationLog;
import org.xdv.cdcr.node.controlplane.auth.AuthzBatch;
import org.xdv.cdcr.node.controlplane.auth.AuthzRecord;
import org.xdv.cdcr.node.proto.ContainerRef;
import org.xdv.cdcr.node.proto.CreateTenantRequest;
import org.xdv.cdcr.node.proto.ListTenantsRequest;
import org.xdv.cdcr.node.proto.State;
import org.xdv.cdcr.node.proto.SubmitRequest;
import org.xdv.cdcr.node.proto.TenantRef;
import org.xdv.cdcr.node.proto.WatchRequest;

/**
 * Credentials live in the journal: after a restart on the same data directory the operator token file and
 * every tenant token still work, revoked ones stay revoked, containers are still there, and the authorization
 * log continues its numbering.
 */
class RestartTest {

    @TempDir
    Path data;

    /** The operator token comes from {@code <data>/operator.token} (no token in config). */
    static final Map<String, Object> FROM_FILE = Map.of("cdcr.control-plane.operator-token", "");

    @Test
    void credentialsContainersAndTheAuthorizationLogSurviveARestart() throws Exception {
        String operator;
        String acme;
        String revoked;
        try (TestNode n = TestNode.start(data, FROM_FILE)) {
            Path file = data.resolve(OperatorToken.FILE);
            assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
            operator = Files.readString(file, StandardCharsets.US_ASCII).trim();
            revoked = n.call(n.tenants.createTenant(), operator, CreateTenantRequest.newBuilder().setName("acme")
                    .addAllCapabilities(List.of("k.exec", "q.alloc", "q.run", "q.measure")).build()).getToken();
            acme = n.call(n.tenants.issueToken(), operator, TenantRef.newBuilder().setName("acme").build()).getToken();
            n.call(n.containers.submit(), acme, SubmitRequest.newBuilder()
                    .setSpecText(ControlPlaneServiceTest.bell("acme", "persisted")).build());
            n.stream(n.containers.watch(), acme, WatchRequest.newBuilder().setId("persisted").build());
        }
        try (TestNode n = TestNode.start(data, FROM_FILE)) {
            assertThat(n.call(n.tenants.listTenants(), operator, ListTenantsRequest.getDefaultInstance())
                    .getTenantsList()).extracting(t -> t.getName()).containsExactly("acme");
            assertThat(n.call(n.containers.get(), acme, ContainerRef.newBuilder().setId("persisted").build())
                    .getState()).isEqualTo(State.STATE_RELEASED);
            assertThat(TestNode.code(() -> n.call(n.containers.get(), revoked,
                    ContainerRef.newBuilder().setId("persisted").build()))).isEqualTo(Status.Code.UNAUTHENTICATED);

            CurrentEventsByPersistenceIdQuery q = (CurrentEventsByPersistenceIdQuery) PersistenceQuery
                    .get(n.node.system()).getReadJournalFor(ReadJournal.class, "jdbc-read-journal");
            List<EventEnvelope> events = TestNode.await(q.currentEventsByPersistenceId(
                    AuthorizationLog.persistenceId("node-1").id(), 0, Long.MAX_VALUE).runWith(Sink.seq(),
                    n.node.system()));
            long expected = 0;
            for (EventEnvelope e : events) {
                for (AuthzRecord r : ((AuthzBatch) e.event()).records()) {
                    assertThat(r.seq()).isEqualTo(expected++);
                }
            }
            // 4 calls in the first run, 2 authenticated ones in the second (an unauthenticated call is not authorized)
            assertThat(expected).as("records of both runs, numbered without a gap").isEqualTo(6);
        }
    }
}
