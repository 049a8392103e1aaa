package org.xdv.cdcr.node.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.xdv.cdcr.node.controlplane.TestNode.code;
import static org.xdv.cdcr.node.controlplane.TestNode.failure;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.google.rpc.BadRequest;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.protobuf.StatusProto;
import org.apache.pekko.persistence.query.EventEnvelope;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.persistence.query.javadsl.CurrentEventsByPersistenceIdQuery;
import org.apache.pekko.persistence.query.javadsl.ReadJournal;
import org.apache.pekko.stream.javadsl.Sink;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.xdv.cdcr.node.controlplane.auth.Authorization;
import org.xdv.cdcr.node.controlplane.auth.AuthorizationLog;
import org.xdv.cdcr.node.controlplane.auth.AuthzBatch;
import org.xdv.cdcr.node.controlplane.auth.AuthzOutcome;
import org.xdv.cdcr.node.controlplane.auth.AuthzRecord;
import org.xdv.cdcr.node.controlplane.auth.Principal;
import org.xdv.cdcr.node.controlplane.auth.Rpc;
import org.xdv.cdcr.node.proto.ClusterStatus;
import org.xdv.cdcr.node.proto.Container;
import org.xdv.cdcr.node.proto.ContainerRef;
import org.xdv.cdcr.node.proto.ContainerSpec;
import org.xdv.cdcr.node.proto.CreateTenantRequest;
import org.xdv.cdcr.node.proto.CreateTenantResponse;
import org.xdv.cdcr.node.proto.ListRequest;
import org.xdv.cdcr.node.proto.LogsResponse;
import org.xdv.cdcr.node.proto.ListTenantsRequest;
import org.xdv.cdcr.node.proto.NodeStatus;
import org.xdv.cdcr.node.proto.QSpec;
import org.xdv.cdcr.node.proto.Quota;
import org.xdv.cdcr.node.proto.ResultResponse;
import org.xdv.cdcr.node.proto.SetCapabilitiesRequest;
import org.xdv.cdcr.node.proto.SetQuotaRequest;
import org.xdv.cdcr.node.proto.State;
import org.xdv.cdcr.node.proto.StatusRequest;
import org.xdv.cdcr.node.proto.Refusal;
import org.xdv.cdcr.node.proto.SubmitBatchRequest;
import org.xdv.cdcr.node.proto.SubmitBatchResponse;
import org.xdv.cdcr.node.proto.SubmitRequest;
import org.xdv.cdcr.node.proto.SubmitResponse;
import org.xdv.cdcr.node.proto.SubmitResult;
import org.xdv.cdcr.node.proto.Tenant;
import org.xdv.cdcr.node.proto.TenantRef;
import org.xdv.cdcr.node.proto.Transition;
import org.xdv.cdcr.node.proto.WatchRequest;

/**
 * Every RPC of the control plane, in process, against one real node (H2 journal, real orchestrator and
 * containers) through the generated gRPC clients: success, each failure code, and cross-tenant denial.
 * Tenants: {@code acme} (every capability), {@code globex} ({@code k.exec} only, 2 containers).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ControlPlaneServiceTest {

    /** Static: a per-instance @TempDir is not injected before a PER_CLASS @BeforeAll. */
    @TempDir
    static Path data;

    TestNode n;
    String acme;
    String globex;

    static String bell(String tenant, String name) {
        return "tenant: " + tenant + "\nname: " + name + "\ncapabilities: [k.exec, q.alloc, q.run, q.measure]\n"
                + "q:\n  qubits: 2\n  shots: 1000\n  seed: 7\n  qasm: |\n    OPENQASM 2.0;\n    include \"qelib1.inc\";\n"
                + "    qreg q[2];\n    creg c[2];\n    h q[0];\n    cx q[0], q[1];\n    measure q -> c;\n";
    }

    /** A container that stays Active for minutes: it holds a 60,000-slot Φ envelope (5 ms a slot). */
    static String longRunning(String name) {
        return "tenant: acme\nname: " + name + "\ncapabilities: [k.exec, phi.envelope]\n"
                + "phi:\n  slots: 60000\n  stabilityFloor: 0.0\n";
    }

    static SubmitRequest text(String spec) {
        return SubmitRequest.newBuilder().setSpecText(spec).build();
    }

    static ContainerRef ref(String id) {
        return ContainerRef.newBuilder().setId(id).build();
    }

    @BeforeAll
    void start() throws Exception {
        n = TestNode.start(data);
        acme = n.call(n.tenants.createTenant(), TestNode.OPERATOR, CreateTenantRequest.newBuilder().setName("acme")
                .addAllCapabilities(List.of("k.exec", "q.alloc", "q.run", "q.measure", "phi.envelope", "phi.sample",
                        "log.write"))
                .setQuota(Quota.newBuilder().setContainers(50).setQubits(8).setPhiSlots(1_000_000).setKSlots(12))
                .build()).getToken();
        globex = n.call(n.tenants.createTenant(), TestNode.OPERATOR, CreateTenantRequest.newBuilder()
                .setName("globex").addCapabilities("k.exec")
                .setQuota(Quota.newBuilder().setContainers(2).setQubits(0).setPhiSlots(0).setKSlots(2)).build())
                .getToken();
    }

    @AfterAll
    void stop() {
        if (n != null) {
            n.close();
        }
    }

    private Container submit(String token, String spec) {
        return n.call(n.containers.submit(), token, text(spec)).getContainer();
    }

    private List<Transition> watch(String token, String id, long from) {
        return n.stream(n.containers.watch(), token, WatchRequest.newBuilder().setId(id).setFromSeq(from).build());
    }

    private void awaitActive(String token, String id) {
        TestNode.await(n.containers.watch().addHeader("authorization", "Bearer " + token)
                .invoke(WatchRequest.newBuilder().setId(id).build())
                .takeWhile(t -> t.getToState() != State.STATE_ACTIVE, true)
                .runWith(Sink.seq(), n.clientSystem));
    }

    // ---- tenants ----

    @Test
    void operatorCreatesListsDescribesAndChangesTenants() {
        CreateTenantResponse created = n.call(n.tenants.createTenant(), TestNode.OPERATOR,
                CreateTenantRequest.newBuilder().setName("initech").addCapabilities("k.exec").build());
        assertThat(created.getToken()).hasSize(43).matches("[A-Za-z0-9_-]+");
        assertThat(created.getTenant().getHasCredential()).isTrue();
        assertThat(created.getTenant().getQuota().getContainers()).as("default quota").isEqualTo(100);

        List<String> names = n.call(n.tenants.listTenants(), TestNode.OPERATOR, ListTenantsRequest.getDefaultInstance())
                .getTenantsList().stream().map(Tenant::getName).toList();
        assertThat(names).contains("acme", "globex", "initech").isSorted();

        Tenant q = n.call(n.tenants.setQuota(), TestNode.OPERATOR,
                SetQuotaRequest.newBuilder().setName("initech").setQubits(4).build());
        assertThat(q.getQuota().getQubits()).isEqualTo(4);
        assertThat(q.getQuota().getContainers()).as("limits not given stay").isEqualTo(100);
        assertThat(q.getVhmMemoryPages()).as("default VHM contract").isEqualTo(1024);

        Tenant v = n.call(n.tenants.setQuota(), TestNode.OPERATOR,
                SetQuotaRequest.newBuilder().setName("initech").setVhmMemoryPages(8).setVhmFuel(1_000_000).build());
        assertThat(v.getVhmMemoryPages()).isEqualTo(8);
        assertThat(v.getVhmFuel()).isEqualTo(1_000_000);
        assertThat(v.getQuota().getQubits()).as("the quota stays").isEqualTo(4);
        Status bad = failure(() -> n.call(n.tenants.setQuota(), TestNode.OPERATOR,
                SetQuotaRequest.newBuilder().setName("initech").setVhmMemoryPages(4096).build()));
        assertThat(bad.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(bad.getDescription()).contains("VHM memory must be 1-1024 pages, was 4096");

        Tenant c = n.call(n.tenants.setCapabilities(), TestNode.OPERATOR, SetCapabilitiesRequest.newBuilder()
                .setName("initech").addCapabilities("q.run").addCapabilities("k.exec").build());
        assertThat(c.getCapabilitiesList()).containsExactly("k.exec", "q.run");
        assertThat(c.getQuota().getQubits()).as("the quota change was not lost").isEqualTo(4);

        Tenant d = n.call(n.tenants.describeTenant(), created.getToken(), TenantRef.newBuilder().setName("initech")
                .build());
        assertThat(d).as("a tenant may describe itself").isEqualTo(c);
    }

    @Test
    void issuingATokenRevokesThePreviousOne() {
        String first = n.call(n.tenants.createTenant(), TestNode.OPERATOR,
                CreateTenantRequest.newBuilder().setName("hooli").addCapabilities("k.exec").build()).getToken();
        TenantRef hooli = TenantRef.newBuilder().setName("hooli").build();
        assertThat(n.call(n.tenants.describeTenant(), first, hooli).getName()).isEqualTo("hooli");
        String second = n.call(n.tenants.issueToken(), TestNode.OPERATOR, hooli).getToken();
        assertThat(second).isNotEqualTo(first);
        assertThat(failure(() -> n.call(n.tenants.describeTenant(), first, hooli)).getCode())
                .isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(n.call(n.tenants.describeTenant(), second, hooli).getName()).isEqualTo("hooli");
    }

    @Test
    void tenantAdministrationRefusesBadInputWithMeaningfulCodes() {
        Status dup = failure(() -> n.call(n.tenants.createTenant(), TestNode.OPERATOR,
                CreateTenantRequest.newBuilder().setName("acme").build()));
        assertThat(dup.getCode()).isEqualTo(Status.Code.ALREADY_EXISTS);
        Status badName = failure(() -> n.call(n.tenants.createTenant(), TestNode.OPERATOR,
                CreateTenantRequest.newBuilder().setName("Bad_Name").build()));
        assertThat(badName.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(badName.getDescription()).contains("tenant name must be");
        Status badCap = failure(() -> n.call(n.tenants.createTenant(), TestNode.OPERATOR,
                CreateTenantRequest.newBuilder().setName("umbrella").addCapabilities("q.teleport").build()));
        assertThat(badCap.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(badCap.getDescription()).contains("unknown capability 'q.teleport'");
        assertThat(code(() -> n.call(n.tenants.describeTenant(), TestNode.OPERATOR,
                TenantRef.newBuilder().setName("umbrella").build()))).as("nothing was left behind")
                .isEqualTo(Status.Code.NOT_FOUND);
        Status negative = failure(() -> n.call(n.tenants.setQuota(), TestNode.OPERATOR,
                SetQuotaRequest.newBuilder().setName("acme").setQubits(-1).build()));
        assertThat(negative.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        TenantRef nobody = TenantRef.newBuilder().setName("nobody").build();
        assertThat(code(() -> n.call(n.tenants.issueToken(), TestNode.OPERATOR, nobody)))
                .isEqualTo(Status.Code.NOT_FOUND);
        assertThat(code(() -> n.call(n.tenants.setQuota(), TestNode.OPERATOR,
                SetQuotaRequest.newBuilder().setName("nobody").setQubits(1).build()))).isEqualTo(Status.Code.NOT_FOUND);
        assertThat(code(() -> n.call(n.tenants.setCapabilities(), TestNode.OPERATOR,
                SetCapabilitiesRequest.newBuilder().setName("nobody").build()))).isEqualTo(Status.Code.NOT_FOUND);
    }

    @Test
    void missingMalformedOrUnknownCredentialsAreUnauthenticatedOnEveryService() {
        for (String token : new String[] {null, "", "not-a-token"}) {
            assertThat(code(() -> n.call(n.containers.get(), token, ref("acme/x"))))
                    .isEqualTo(Status.Code.UNAUTHENTICATED);
            assertThat(code(() -> n.call(n.tenants.listTenants(), token, ListTenantsRequest.getDefaultInstance())))
                    .isEqualTo(Status.Code.UNAUTHENTICATED);
            assertThat(code(() -> n.call(n.cluster.status(), token, StatusRequest.getDefaultInstance())))
                    .isEqualTo(Status.Code.UNAUTHENTICATED);
            assertThat(code(() -> watch(token, "acme/x", 1))).isEqualTo(Status.Code.UNAUTHENTICATED);
            assertThat(code(() -> n.call(n.containers.submitBatch(), token, SubmitBatchRequest.newBuilder()
                    .addSubmissions(text(bell("acme", "unauthenticated"))).build())))
                    .isEqualTo(Status.Code.UNAUTHENTICATED);
        }
        Status s = failure(() -> TestNode.await(n.containers.get().addHeader("authorization", "Basic abc")
                .invoke(ref("acme/x"))));
        assertThat(s.getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
    }

    // ---- containers ----

    @Test
    void aSubmittedContainerRunsToReleasedAndWatchStreamsEveryTransition() {
        Container c = submit(acme, bell("acme", "bell"));
        assertThat(c.getId()).isEqualTo("acme/bell");
        assertThat(c.getState()).isEqualTo(State.STATE_SCHEDULED);
        List<Transition> ts = watch(acme, "bell", 0);
        assertThat(ts).extracting(Transition::getSeq).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L);
        assertThat(ts).extracting(Transition::getEvent).containsExactly("Created", "Scheduled", "KBound", "QBound",
                "Activated", "Terminated", "Released");
        assertThat(ts).extracting(Transition::getToState).containsExactly(State.STATE_CREATED,
                State.STATE_SCHEDULED, State.STATE_SCHEDULED, State.STATE_BOUND, State.STATE_ACTIVE,
                State.STATE_TERMINATED, State.STATE_RELEASED);
        for (int i = 1; i < ts.size(); i++) {
            assertThat(ts.get(i).getFromState()).isEqualTo(ts.get(i - 1).getToState());
        }
        assertThat(ts.get(1).getReason()).contains("placed by the orchestrator");

        ResultResponse r = n.call(n.containers.result(), acme, ref("acme/bell"));
        assertThat(r.getTermination().getKind()).isEqualTo("completed");
        assertThat(r.getCountsMap().keySet()).containsExactlyInAnyOrder("00", "11");
        assertThat(r.getCountsMap().values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(1000);

        Container got = n.call(n.containers.get(), acme, ref("bell"));
        assertThat(got.getState()).isEqualTo(State.STATE_RELEASED);
        assertThat(got.getTransitions()).isEqualTo(7);

        List<Transition> tail = watch(acme, "acme/bell", 5);
        assertThat(tail).extracting(Transition::getSeq).containsExactly(5L, 6L, 7L);
        assertThat(tail.get(0).getFromState()).as("the state before #5 is folded, not guessed")
                .isEqualTo(State.STATE_BOUND);
        assertThat(watch(acme, "acme/bell", 100)).as("nothing after Released").isEmpty();
    }

    @Test
    void resubmittingTheSameSpecIsIdempotentAndADifferentSpecIsAlreadyExists() {
        SubmitResponse first = n.call(n.containers.submit(), acme, text(bell("acme", "again")));
        SubmitResponse second = n.call(n.containers.submit(), acme, text(bell("acme", "again")));
        assertThat(first.getExisted()).isFalse();
        assertThat(second.getExisted()).isTrue();
        assertThat(second.getContainer().getId()).isEqualTo("acme/again");
        Status other = failure(() -> submit(acme, bell("acme", "again").replace("shots: 1000", "shots: 10")));
        assertThat(other.getCode()).isEqualTo(Status.Code.ALREADY_EXISTS);
        assertThat(other.getDescription()).contains("acme/again already exists");
    }

    @Test
    void aStructuredSpecGoesThroughTheSameValidator() {
        ContainerSpec spec = ContainerSpec.newBuilder().setTenant("acme").setName("structured")
                .addAllCapabilities(List.of("k.exec", "q.alloc", "q.run", "q.measure"))
                .setQ(QSpec.newBuilder().setQubits(1).setShots(10).setQasm("OPENQASM 2.0;\ninclude \"qelib1.inc\";\n"
                        + "qreg q[1];\ncreg c[1];\nx q[0];\nmeasure q -> c;\n")).build();
        Container c = n.call(n.containers.submit(), acme, SubmitRequest.newBuilder().setStructured(spec).build())
                .getContainer();
        assertThat(c.getId()).isEqualTo("acme/structured");
        assertThat(watch(acme, c.getId(), 1)).last().extracting(Transition::getToState)
                .isEqualTo(State.STATE_RELEASED);
        assertThat(n.call(n.containers.result(), acme, ref(c.getId())).getCountsMap()).containsEntry("1", 10);

        Status bad = failure(() -> n.call(n.containers.submit(), acme, SubmitRequest.newBuilder()
                .setStructured(spec.toBuilder().setName("structured-bad").setQ(spec.getQ().toBuilder().setQubits(99)))
                .build()));
        assertThat(bad.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(bad.getDescription()).contains("q.qubits: must be in 1..28, was 99");
        assertThat(code(() -> n.call(n.containers.submit(), acme, SubmitRequest.getDefaultInstance())))
                .as("no spec at all").isEqualTo(Status.Code.INVALID_ARGUMENT);
    }

    @Test
    void aStructuredSpecCarriesAWebAssemblyModule() throws Exception {
        byte[] primes = java.nio.file.Files.readAllBytes(Path.of("..", "examples", "vhm", "k-only.wasm"));
        ContainerSpec spec = ContainerSpec.newBuilder().setTenant("acme").setName("structured-wasm")
                .addCapabilities("k.exec").setK(org.xdv.cdcr.node.proto.KSpec.newBuilder()
                        .setModule(com.google.protobuf.ByteString.copyFrom(primes)).setEntry("run").addArgs(1000)
                        .setFuel(10_000_000).setMemoryPages(1)).build();
        Container c = n.call(n.containers.submit(), acme, SubmitRequest.newBuilder().setStructured(spec).build())
                .getContainer();
        assertThat(watch(acme, c.getId(), 1)).last().extracting(Transition::getToState)
                .isEqualTo(State.STATE_RELEASED);
        assertThat(n.call(n.containers.result(), acme, ref(c.getId())).getDetail())
                .isEqualTo("result: primes below 1000: 168");
    }

    /** What a container's program logged is its tenant's to read, in order, with the count past the budget. */
    @Test
    void logsReturnTheLinesTheProgramLogged() throws Exception {
        byte[] logger = java.nio.file.Files.readAllBytes(Path.of("..", "actors", "src", "test", "resources", "vhm",
                "logger.wasm"));
        ContainerSpec spec = ContainerSpec.newBuilder().setTenant("acme").setName("logger")
                .addCapabilities("k.exec").addCapabilities("log.write")
                .setK(org.xdv.cdcr.node.proto.KSpec.newBuilder().setModule(com.google.protobuf.ByteString.copyFrom(
                        logger)).setEntry("run").addArgs(1003).addArgs(12).setFuel(10_000_000).setMemoryPages(1))
                .build();
        Container c = n.call(n.containers.submit(), acme, SubmitRequest.newBuilder().setStructured(spec).build())
                .getContainer();
        List<Transition> lifecycle = watch(acme, c.getId(), 1);
        assertThat(lifecycle).last().extracting(Transition::getToState).isEqualTo(State.STATE_RELEASED);
        assertThat(lifecycle).as("log lines are not lifecycle transitions").extracting(Transition::getToState)
                .containsExactly(State.STATE_CREATED, State.STATE_SCHEDULED, State.STATE_BOUND, State.STATE_ACTIVE,
                        State.STATE_TERMINATED, State.STATE_RELEASED);

        LogsResponse logs = n.call(n.containers.logs(), acme, ref("logger"));
        assertThat(logs.getId()).isEqualTo("acme/logger");
        assertThat(logs.getState()).isEqualTo(State.STATE_RELEASED);
        assertThat(logs.getLinesList()).hasSize(1000).allSatisfy(l -> assertThat(l).isEqualTo("logger line:"));
        assertThat(logs.getDropped()).isEqualTo(3);

        assertThat(failure(() -> n.call(n.containers.logs(), globex, ref("acme/logger"))).getDescription())
                .isEqualTo("tenant globex may not Logs 'acme/logger': it belongs to another tenant");
        assertThat(code(() -> n.call(n.containers.logs(), acme, ref("never-submitted"))))
                .isEqualTo(Status.Code.NOT_FOUND);
    }

    @Test
    void anInvalidSpecIsInvalidArgumentWithEveryFieldErrorAndLeavesNothing() throws Exception {
        String spec = "tenant: acme\nname: broken\ncapabilities: [k.exec, q.alloc, q.run, q.teleport]\n"
                + "q:\n  qubits: 2\n  qasm: |\n    OPENQASM 2.0;\n    qreg q[2];\n    measure r[0] -> c[0];\n"
                + "colour: blue\n";
        try {
            submit(acme, spec);
            throw new AssertionError("accepted an invalid spec");
        } catch (io.grpc.StatusRuntimeException e) {
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(e.getStatus().getDescription())
                    .contains("q.qasm: line 3, column 9: undeclared quantum register 'r'")
                    .contains("capabilities: unknown capability 'q.teleport'")
                    .contains("colour: unknown field");
            com.google.rpc.Status details = StatusProto.fromThrowable(e);
            assertThat(details).as("google.rpc.Status details").isNotNull();
            BadRequest br = details.getDetails(0).unpack(BadRequest.class);
            assertThat(br.getFieldViolationsList()).extracting(BadRequest.FieldViolation::getField)
                    .contains("q.qasm", "capabilities", "colour");
        }
        assertThat(code(() -> n.call(n.containers.get(), acme, ref("acme/broken")))).isEqualTo(Status.Code.NOT_FOUND);
    }

    @Test
    void aCapabilityOutsideTheTenantsNamespaceIsPermissionDeniedAndLeavesNothing() {
        Status s = failure(() -> submit(globex, bell("globex", "sneaky")));
        assertThat(s.getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
        assertThat(s.getDescription()).contains("capability 'q.alloc' is outside tenant globex's namespace");
        assertThat(code(() -> n.call(n.containers.get(), globex, ref("sneaky")))).isEqualTo(Status.Code.NOT_FOUND);
    }

    @Test
    void overQuotaIsResourceExhaustedAndLeavesNothing() {
        String big = "tenant: acme\nname: too-big\ncapabilities: [k.exec, q.alloc, q.run]\nq:\n  qubits: 12\n"
                + "  qasm: |\n    OPENQASM 2.0;\n    qreg q[12];\n";
        Status s = failure(() -> submit(acme, big));
        assertThat(s.getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
        assertThat(s.getDescription()).contains("QUOTA").contains("qubits 12 > quota 8");
        assertThat(code(() -> n.call(n.containers.get(), acme, ref("too-big")))).isEqualTo(Status.Code.NOT_FOUND);
    }

    @Test
    void oversizedSpecsAreRefusedBeforeTheyAreParsed() {
        String twoMiB = "tenant: acme\nname: huge\n# " + "x".repeat(2 << 20) + "\n";
        Status s = failure(() -> submit(acme, twoMiB));
        assertThat(s.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(s.getDescription()).contains("larger than the limit of 1048576 bytes");

        String hundredMiB = "x".repeat(100 << 20);
        Status h = failure(() -> submit(acme, hundredMiB));
        assertThat(h.getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
        assertThat(h.getDescription()).contains("larger than the limit of 4194304 bytes");
        assertThat(code(() -> n.call(n.containers.get(), acme, ref("huge")))).as("the server still answers")
                .isEqualTo(Status.Code.NOT_FOUND);
    }

    @Test
    void aBatchAnswersEachSubmissionOnItsOwnInOrderAndARefusedOneLeavesNothing() {
        String broken = "tenant: acme\nname: batch-broken\ncapabilities: [k.exec, q.teleport]\n";
        SubmitBatchResponse r = n.call(n.containers.submitBatch(), acme, SubmitBatchRequest.newBuilder()
                .addSubmissions(text(bell("acme", "batch-one")))
                .addSubmissions(text(broken))
                .addSubmissions(text(bell("globex", "batch-planted")))
                .addSubmissions(text(bell("acme", "batch-two")))
                .addSubmissions(text(bell("acme", "batch-one")))
                .build());
        assertThat(r.getResultsList()).hasSize(5);
        assertThat(r.getResults(0).getAccepted().getContainer().getId()).isEqualTo("acme/batch-one");
        assertThat(r.getResults(3).getAccepted().getContainer().getId()).isEqualTo("acme/batch-two");
        Refusal invalid = r.getResults(1).getRefused();
        assertThat(invalid.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT.value());
        assertThat(invalid.getCodeName()).isEqualTo("INVALID_ARGUMENT");
        assertThat(invalid.getMessage()).contains("capabilities: unknown capability 'q.teleport'");
        Refusal denied = r.getResults(2).getRefused();
        assertThat(denied.getCodeName()).isEqualTo("PERMISSION_DENIED");
        assertThat(denied.getMessage()).contains("belongs to another tenant");
        Refusal twice = r.getResults(4).getRefused();
        assertThat(twice.getCodeName()).isEqualTo("INVALID_ARGUMENT");
        assertThat(twice.getMessage()).isEqualTo("submissions[4]: container acme/batch-one is also submissions[0]; "
                + "a batch names each container once");

        // the accepted ones run like any submission; the refused ones left nothing behind
        List<Transition> one = watch(acme, "acme/batch-one", 1);
        assertThat(one.get(one.size() - 1).getToState()).isEqualTo(State.STATE_RELEASED);
        assertThat(code(() -> n.call(n.containers.get(), acme, ref("batch-broken")))).isEqualTo(Status.Code.NOT_FOUND);
        assertThat(code(() -> n.call(n.containers.get(), globex, ref("batch-planted"))))
                .isEqualTo(Status.Code.NOT_FOUND);
        // submitted again, the same spec is the existing container, as with Submit
        SubmitResult again = n.call(n.containers.submitBatch(), acme, SubmitBatchRequest.newBuilder()
                .addSubmissions(text(bell("acme", "batch-two"))).build()).getResults(0);
        assertThat(again.getAccepted().getExisted()).isTrue();
    }

    @Test
    void anEmptyOrOversizedBatchIsInvalidArgument() {
        Status empty = failure(() -> n.call(n.containers.submitBatch(), acme, SubmitBatchRequest.getDefaultInstance()));
        assertThat(empty.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(empty.getDescription()).isEqualTo("submissions: 0 given; a batch holds 1 to 1000 "
                + "(cdcr.control-plane.max-batch)");
        SubmitBatchRequest.Builder big = SubmitBatchRequest.newBuilder();
        for (int i = 0; i < 1001; i++) {
            big.addSubmissions(text(bell("acme", "over-" + i)));
        }
        Status over = failure(() -> n.call(n.containers.submitBatch(), acme, big.build()));
        assertThat(over.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(over.getDescription()).startsWith("submissions: 1001 given");
        assertThat(code(() -> n.call(n.containers.get(), acme, ref("over-0")))).as("nothing of it was submitted")
                .isEqualTo(Status.Code.NOT_FOUND);
    }

    @Test
    void suspendResumeTerminateFollowTheLifecycleAndIllegalStepsAreFailedPrecondition() {
        submit(acme, longRunning("worker"));
        awaitActive(acme, "acme/worker");
        Status early = failure(() -> n.call(n.containers.result(), acme, ref("worker")));
        assertThat(early.getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
        assertThat(early.getDescription()).contains("is Active");
        Status resume = failure(() -> n.call(n.containers.resume(), acme, ref("worker")));
        assertThat(resume.getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
        assertThat(resume.getDescription()).contains("cannot resume a container that is Active");

        assertThat(n.call(n.containers.suspend(), acme, ref("worker")).getState()).isEqualTo(State.STATE_SUSPENDED);
        assertThat(code(() -> n.call(n.containers.suspend(), acme, ref("worker"))))
                .isEqualTo(Status.Code.FAILED_PRECONDITION);
        assertThat(n.call(n.containers.resume(), acme, ref("worker")).getState()).isEqualTo(State.STATE_ACTIVE);
        assertThat(n.call(n.containers.terminate(), acme, ref("acme/worker")).getState())
                .isEqualTo(State.STATE_TERMINATED);

        List<Transition> ts = watch(acme, "worker", 1);
        assertThat(ts).extracting(Transition::getEvent).endsWith("Activated", "Suspended", "Resumed", "Terminated",
                "Released");
        assertThat(ts.get(ts.size() - 4).getReason()).isEqualTo("suspended by tenant:acme");
        ResultResponse r = n.call(n.containers.result(), acme, ref("worker"));
        assertThat(r.getTermination().getKind()).isEqualTo("killed");
        assertThat(r.getTermination().getDetail()).isEqualTo("killed by tenant:acme");
        assertThat(code(() -> n.call(n.containers.terminate(), acme, ref("worker"))))
                .isEqualTo(Status.Code.FAILED_PRECONDITION);
    }

    @Test
    void aMissingContainerOfOnesOwnTenantIsNotFoundForEveryRpc() {
        ContainerRef none = ref("acme/none");
        assertThat(code(() -> n.call(n.containers.get(), acme, none))).isEqualTo(Status.Code.NOT_FOUND);
        assertThat(code(() -> n.call(n.containers.suspend(), acme, none))).isEqualTo(Status.Code.NOT_FOUND);
        assertThat(code(() -> n.call(n.containers.resume(), acme, none))).isEqualTo(Status.Code.NOT_FOUND);
        assertThat(code(() -> n.call(n.containers.terminate(), acme, none))).isEqualTo(Status.Code.NOT_FOUND);
        assertThat(code(() -> n.call(n.containers.result(), acme, none))).isEqualTo(Status.Code.NOT_FOUND);
        assertThat(code(() -> watch(acme, "acme/none", 1))).isEqualTo(Status.Code.NOT_FOUND);
    }

    @Test
    void malformedContainerIdsAreInvalidArgument() {
        for (String id : new String[] {"", "acme/", "ACME/x", "acme/x/y", "a b"}) {
            assertThat(code(() -> n.call(n.containers.get(), acme, ref(id)))).as(id)
                    .isEqualTo(Status.Code.INVALID_ARGUMENT);
        }
        assertThat(code(() -> n.call(n.containers.get(), TestNode.OPERATOR, ref("bell"))))
                .as("the operator has no tenant to complete a bare name").isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(code(() -> n.call(n.containers.list(), acme,
                ListRequest.newBuilder().addStates(State.STATE_UNSPECIFIED).build())))
                .isEqualTo(Status.Code.INVALID_ARGUMENT);
    }

    @Test
    void listShowsOnlyTheCallersContainersFilteredByState() {
        submit(acme, bell("acme", "listed"));
        watch(acme, "acme/listed", 1);
        submit(globex, "tenant: globex\nname: k-job\ncapabilities: [k.exec]\n");
        watch(globex, "globex/k-job", 1);

        List<Container> mine = n.call(n.containers.list(), acme, ListRequest.getDefaultInstance()).getContainersList();
        assertThat(mine).extracting(Container::getTenant).containsOnly("acme");
        assertThat(mine).extracting(Container::getId).contains("acme/listed").isSorted();
        List<Container> theirs = n.call(n.containers.list(), globex, ListRequest.getDefaultInstance())
                .getContainersList();
        assertThat(theirs).extracting(Container::getId).contains("globex/k-job").allMatch(i -> i.startsWith("globex/"));

        List<Container> released = n.call(n.containers.list(), acme,
                ListRequest.newBuilder().addStates(State.STATE_RELEASED).build()).getContainersList();
        assertThat(released).extracting(Container::getState).containsOnly(State.STATE_RELEASED);
        assertThat(released).extracting(Container::getId).contains("acme/listed");
        assertThat(n.call(n.containers.list(), acme, ListRequest.newBuilder().addStates(State.STATE_BOUND).build())
                .getContainersList()).extracting(Container::getId).doesNotContain("acme/listed");

        List<String> all = n.call(n.containers.list(), TestNode.OPERATOR, ListRequest.getDefaultInstance())
                .getContainersList().stream().map(Container::getId).toList();
        assertThat(all).contains("acme/listed", "globex/k-job");
        List<String> onlyGlobex = n.call(n.containers.list(), TestNode.OPERATOR,
                ListRequest.newBuilder().setTenant("globex").build()).getContainersList().stream()
                .map(Container::getId).toList();
        assertThat(onlyGlobex).contains("globex/k-job").allMatch(i -> i.startsWith("globex/"));
    }

    @Test
    void aTenantCanNeverReachAnotherTenantsContainersOrTheAdministration() {
        submit(acme, longRunning("private"));
        awaitActive(acme, "acme/private");
        for (String id : new String[] {"acme/private", "acme/does-not-exist"}) {
            ContainerRef r = ref(id);
            assertThat(failure(() -> n.call(n.containers.get(), globex, r)).getDescription())
                    .isEqualTo("tenant globex may not Get '" + id + "': it belongs to another tenant");
            assertThat(code(() -> n.call(n.containers.suspend(), globex, r))).isEqualTo(Status.Code.PERMISSION_DENIED);
            assertThat(code(() -> n.call(n.containers.resume(), globex, r))).isEqualTo(Status.Code.PERMISSION_DENIED);
            assertThat(code(() -> n.call(n.containers.terminate(), globex, r)))
                    .isEqualTo(Status.Code.PERMISSION_DENIED);
            assertThat(code(() -> n.call(n.containers.result(), globex, r))).isEqualTo(Status.Code.PERMISSION_DENIED);
            assertThat(code(() -> n.call(n.containers.logs(), globex, r))).isEqualTo(Status.Code.PERMISSION_DENIED);
            assertThat(code(() -> watch(globex, id, 1))).isEqualTo(Status.Code.PERMISSION_DENIED);
        }
        assertThat(code(() -> n.call(n.containers.list(), globex, ListRequest.newBuilder().setTenant("acme").build())))
                .isEqualTo(Status.Code.PERMISSION_DENIED);
        assertThat(code(() -> submit(globex, bell("acme", "planted")))).isEqualTo(Status.Code.PERMISSION_DENIED);
        SubmitBatchResponse planted = n.call(n.containers.submitBatch(), globex, SubmitBatchRequest.newBuilder()
                .addSubmissions(text(bell("acme", "planted"))).build());
        assertThat(planted.getResults(0).getRefused().getCodeName()).isEqualTo("PERMISSION_DENIED");
        assertThat(code(() -> n.call(n.containers.get(), acme, ref("planted")))).isEqualTo(Status.Code.NOT_FOUND);

        TenantRef acmeRef = TenantRef.newBuilder().setName("acme").build();
        assertThat(code(() -> n.call(n.tenants.describeTenant(), globex, acmeRef)))
                .isEqualTo(Status.Code.PERMISSION_DENIED);
        assertThat(code(() -> n.call(n.tenants.issueToken(), globex, acmeRef))).isEqualTo(Status.Code.PERMISSION_DENIED);
        assertThat(code(() -> n.call(n.tenants.issueToken(), globex, TenantRef.newBuilder().setName("globex")
                .build()))).as("not even its own token").isEqualTo(Status.Code.PERMISSION_DENIED);
        assertThat(code(() -> n.call(n.tenants.setQuota(), globex, SetQuotaRequest.newBuilder().setName("globex")
                .setContainers(1000).build()))).isEqualTo(Status.Code.PERMISSION_DENIED);
        assertThat(code(() -> n.call(n.tenants.setCapabilities(), globex, SetCapabilitiesRequest.newBuilder()
                .setName("globex").addCapabilities("q.run").build()))).isEqualTo(Status.Code.PERMISSION_DENIED);
        assertThat(code(() -> n.call(n.tenants.createTenant(), globex, CreateTenantRequest.newBuilder()
                .setName("globex-2").build()))).isEqualTo(Status.Code.PERMISSION_DENIED);
        assertThat(code(() -> n.call(n.tenants.listTenants(), globex, ListTenantsRequest.getDefaultInstance())))
                .isEqualTo(Status.Code.PERMISSION_DENIED);
        assertThat(code(() -> n.call(n.cluster.status(), globex, StatusRequest.getDefaultInstance())))
                .isEqualTo(Status.Code.PERMISSION_DENIED);

        Container after = n.call(n.containers.get(), acme, ref("private"));
        assertThat(after.getState()).as("globex's attempts changed nothing").isEqualTo(State.STATE_ACTIVE);
        n.call(n.containers.terminate(), acme, ref("private"));
    }

    @Test
    void clusterStatusReportsNodesCapacityUseAndTheSingleton() {
        submit(acme, longRunning("status-probe"));
        awaitActive(acme, "acme/status-probe");
        ClusterStatus s = n.call(n.cluster.status(), TestNode.OPERATOR, StatusRequest.getDefaultInstance());
        assertThat(s.getAnsweredBy()).isEqualTo("node-1");
        assertThat(s.getSingletonNode()).isEqualTo("node-1");
        assertThat(s.getDecisions()).isPositive();
        NodeStatus node = s.getNodes(0);
        assertThat(node.getId()).isEqualTo("node-1");
        assertThat(node.getKSlots()).isEqualTo(16);
        assertThat(node.getQubits()).isEqualTo(32);
        assertThat(node.getPhiChannels()).isEqualTo(4);
        assertThat(node.getPhiEnvelopes()).isGreaterThanOrEqualTo(1);
        assertThat(node.getPhiSlotsHeld()).isGreaterThanOrEqualTo(60000);
        assertThat(node.getPlacementsByTenantMap()).containsKey("acme");
        assertThat(node.getMember()).isEqualTo(s.getSingletonMember());
        assertThat(s.getMembersList()).extracting(m -> m.getNodeId()).containsExactly("node-1");
        assertThat(s.getTenantsList()).extracting(t -> t.getTenant()).contains("acme");
        n.call(n.containers.terminate(), acme, ref("status-probe"));
    }

    @Test
    void serverReflectionListsTheServices() throws Exception {
        ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", n.port).usePlaintext().build();
        try {
            MethodDescriptor.Marshaller<byte[]> bytes = new MethodDescriptor.Marshaller<>() {
                @Override
                public InputStream stream(byte[] value) {
                    return new ByteArrayInputStream(value);
                }

                @Override
                public byte[] parse(InputStream stream) {
                    try {
                        return stream.readAllBytes();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            };
            MethodDescriptor<byte[], byte[]> method = MethodDescriptor.<byte[], byte[]>newBuilder()
                    .setType(MethodDescriptor.MethodType.BIDI_STREAMING)
                    .setFullMethodName("grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo")
                    .setRequestMarshaller(bytes).setResponseMarshaller(bytes).build();
            ClientCall<byte[], byte[]> call = channel.newCall(method, CallOptions.DEFAULT);
            List<byte[]> answers = new ArrayList<>();
            CompletableFuture<Status> closed = new CompletableFuture<>();
            call.start(new ClientCall.Listener<>() {
                @Override
                public void onMessage(byte[] message) {
                    answers.add(message);
                }

                @Override
                public void onClose(Status status, io.grpc.Metadata trailers) {
                    closed.complete(status);
                }
            }, new io.grpc.Metadata());
            call.request(10);
            call.sendMessage(new byte[] {0x3a, 0x00}); // ServerReflectionRequest { list_services: "" }
            call.halfClose();
            assertThat(closed.get(TestNode.WAIT_SECONDS, TimeUnit.SECONDS).isOk()).isTrue();
            String text = new String(answers.get(0), StandardCharsets.ISO_8859_1);
            assertThat(text).contains("cdcr.v1.ContainerService", "cdcr.v1.TenantAdminService",
                    "cdcr.v1.ClusterService");
        } finally {
            channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    // ---- authorization log ----

    @Test
    void replayingTheAuthorizationLogReproducesEveryOutcome() {
        // two recognisable calls at the end of the log: one denied, one allowed
        code(() -> n.call(n.containers.get(), globex, ref("acme/replay-marker")));
        code(() -> n.call(n.containers.get(), acme, ref("acme/replay-marker")));

        CurrentEventsByPersistenceIdQuery q = (CurrentEventsByPersistenceIdQuery) PersistenceQuery
                .get(n.node.system()).getReadJournalFor(ReadJournal.class, "jdbc-read-journal");
        List<EventEnvelope> events = TestNode.await(q.currentEventsByPersistenceId(
                        AuthorizationLog.persistenceId("node-1").id(), 0, Long.MAX_VALUE)
                .runWith(Sink.seq(), n.node.system()));
        List<AuthzRecord> records = new ArrayList<>();
        for (EventEnvelope e : events) {
            records.addAll(((AuthzBatch) e.event()).records());
        }
        assertThat(records.size()).isGreaterThan(10);
        int denied = 0;
        for (int i = 0; i < records.size(); i++) {
            AuthzRecord r = records.get(i);
            assertThat(r.seq()).as("records are numbered in decision order").isEqualTo(i);
            AuthzOutcome again = Authorization.decide(r.principal(), r.tenantCapabilities(), r.request());
            assertThat(again).as("replay of %s", r).isEqualTo(r.outcome());
            denied += r.outcome().allowed() ? 0 : 1;
        }
        assertThat(denied).isPositive();
        AuthzRecord last = records.get(records.size() - 1);
        AuthzRecord beforeLast = records.get(records.size() - 2);
        assertThat(beforeLast.principal()).isEqualTo(new Principal.Tenant("globex"));
        assertThat(beforeLast.request().rpc()).isEqualTo(Rpc.GET);
        assertThat(beforeLast.request().resource()).isEqualTo("acme/replay-marker");
        assertThat(beforeLast.outcome().allowed()).isFalse();
        assertThat(last.principal()).isEqualTo(new Principal.Tenant("acme"));
        assertThat(last.outcome().allowed()).isTrue();
        assertThat(last.tenantCapabilities()).hasValueSatisfying(c -> assertThat(c).contains("q.run"));
    }
}
