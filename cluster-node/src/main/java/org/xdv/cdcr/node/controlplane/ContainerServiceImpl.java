package org.xdv.cdcr.node.controlplane;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BiFunction;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.apache.pekko.NotUsed;
import org.apache.pekko.grpc.javadsl.Metadata;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.xdv.cdcr.node.controlplane.auth.AuthzRequest;
import org.xdv.cdcr.node.controlplane.auth.Principal;
import org.xdv.cdcr.node.controlplane.auth.Rpc;
import org.xdv.cdcr.node.proto.Container;
import org.xdv.cdcr.node.proto.ContainerRef;
import org.xdv.cdcr.node.proto.LogsResponse;
import org.xdv.cdcr.node.proto.ContainerServicePowerApi;
import org.xdv.cdcr.node.proto.ListRequest;
import org.xdv.cdcr.node.proto.ListResponse;
import org.xdv.cdcr.node.proto.Refusal;
import org.xdv.cdcr.node.proto.ResultResponse;
import org.xdv.cdcr.node.proto.State;
import org.xdv.cdcr.node.proto.SubmitBatchRequest;
import org.xdv.cdcr.node.proto.SubmitBatchResponse;
import org.xdv.cdcr.node.proto.SubmitRequest;
import org.xdv.cdcr.node.proto.SubmitResponse;
import org.xdv.cdcr.node.proto.SubmitResult;
import org.xdv.cdcr.node.proto.Transition;
import org.xdv.cdcr.node.proto.WatchRequest;
import org.xdv.cdcr.runtime.CdcrRuntime;
import org.xdv.cdcr.runtime.core.LifecycleState;
import org.xdv.cdcr.runtime.core.container.ContainerEvent;
import org.xdv.cdcr.runtime.core.container.ContainerState;
import org.xdv.cdcr.runtime.core.spec.ContainerSpec;
import org.xdv.cdcr.runtime.core.spec.SpecException;
import org.xdv.cdcr.runtime.core.spec.SpecParser;

/**
 * {@code cdcr.v1.ContainerService}: a tenant's hybrid containers. Each call is authenticated and authorized
 * through the {@link Gate} (owner = the part of the id before the slash) before the runtime is touched, so a
 * tenant learns nothing about another tenant's containers: PERMISSION_DENIED comes before NOT_FOUND.
 *
 * <p>Submit checks the spec's size before parsing it (INVALID_ARGUMENT naming the limit), parses it (every field
 * error, INVALID_ARGUMENT), authorizes it (owner and capabilities), then hands it to the runtime: the
 * orchestrator decides admission and placement in one journal entry and only a placed container gets an
 * entity, so a rejected submission leaves no container behind.
 */
public final class ContainerServiceImpl implements ContainerServicePowerApi {

    private final CdcrRuntime runtime;
    private final Gate gate;
    private final long maxSpecBytes;
    private final int maxList;
    private final int maxBatch;
    private final SubmissionLimiter limiter;

    public ContainerServiceImpl(CdcrRuntime runtime, Gate gate, long maxRequestBytes, int maxList, int maxBatch,
                                SubmissionLimiter limiter) {
        this.runtime = runtime;
        this.gate = gate;
        this.maxSpecBytes = Math.min(maxRequestBytes, SpecParser.MAX_SPEC_BYTES);
        this.maxList = maxList;
        this.maxBatch = maxBatch;
        this.limiter = limiter;
    }

    @Override
    public CompletionStage<SubmitResponse> submit(SubmitRequest in, Metadata metadata) {
        CompletionStage<SubmitResponse> s = gate.authenticate(metadata).thenCompose(caller -> {
            ContainerSpec spec = parse(in);
            return submit(caller, spec);
        });
        return Errors.mapFailure(s, gate.timeout());
    }

    /**
     * Every submission of the batch goes the way of {@link #submit(SubmitRequest, Metadata)}: parsed, then
     * authorized and recorded, placed and created, concurrently within the node's bound on submissions at once
     * (started in request order). Each is answered on its own; a refused one (its status as a {@link Refusal})
     * leaves nothing behind and does not affect the others. The call itself fails only when the caller is not authenticated or the batch is empty,
     * larger than {@code cdcr.control-plane.max-batch} or names one container twice.
     */
    @Override
    public CompletionStage<SubmitBatchResponse> submitBatch(SubmitBatchRequest in, Metadata metadata) {
        CompletionStage<SubmitBatchResponse> s = gate.authenticate(metadata).thenCompose(caller -> {
            int n = in.getSubmissionsCount();
            if (n == 0 || n > maxBatch) {
                throw Errors.of(Status.Code.INVALID_ARGUMENT, "submissions: " + n + " given; a batch holds 1 to "
                        + maxBatch + " (cdcr.control-plane.max-batch)");
            }
            Map<String, Integer> firstOf = new TreeMap<>();
            List<CompletableFuture<SubmitResult>> results = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                CompletionStage<SubmitResponse> one;
                try {
                    ContainerSpec spec = parse(in.getSubmissions(i));
                    Integer first = firstOf.putIfAbsent(spec.id(), i);
                    if (first != null) {
                        throw Errors.of(Status.Code.INVALID_ARGUMENT, "submissions[" + i + "]: container "
                                + spec.id() + " is also submissions[" + first + "]; a batch names each container once");
                    }
                    one = submit(caller, spec);
                } catch (StatusRuntimeException e) {
                    one = CompletableFuture.failedFuture(e);
                }
                results.add(one.handle((ok, err) -> ok != null ? SubmitResult.newBuilder().setAccepted(ok).build()
                        : SubmitResult.newBuilder().setRefused(refusal(Errors.toGrpc(err, gate.timeout()))).build())
                        .toCompletableFuture());
            }
            return CompletableFuture.allOf(results.toArray(CompletableFuture[]::new)).thenApply(done -> {
                SubmitBatchResponse.Builder out = SubmitBatchResponse.newBuilder();
                results.forEach(r -> out.addResults(r.join()));
                return out.build();
            });
        });
        return Errors.mapFailure(s, gate.timeout());
    }

    private static Refusal refusal(StatusRuntimeException e) {
        Status st = e.getStatus();
        return Refusal.newBuilder().setCode(st.getCode().value()).setCodeName(st.getCode().name())
                .setMessage(st.getDescription() == null ? "" : st.getDescription()).build();
    }

    /**
     * Authorizes (recorded) and submits one parsed spec for an authenticated caller, within the node's bound on
     * submissions at once ({@link SubmissionLimiter}).
     */
    private CompletionStage<SubmitResponse> submit(Principal caller, ContainerSpec spec) {
        AuthzRequest request = new AuthzRequest(Rpc.SUBMIT, spec.tenant(), spec.id(), spec.capabilities());
        CompletionStage<CdcrRuntime.Submission> submitted = limiter.submit(() ->
                gate.authorize(caller, request).thenCompose(rec -> runtime.submit(spec)));
        return submitted.thenApply(sub -> {
            if (sub instanceof CdcrRuntime.Rejected r) {
                throw Errors.refused(r.reason(), r.message());
            }
            CdcrRuntime.Accepted a = (CdcrRuntime.Accepted) sub;
            if (a.existed() && !a.state().spec().map(stored -> stored.isSubmissionOf(spec)).orElse(false)) {
                throw Errors.of(Status.Code.ALREADY_EXISTS, "container " + a.containerId()
                        + " already exists (" + a.state().state().display() + ") with a different spec");
            }
            return SubmitResponse.newBuilder().setContainer(ProtoMapping.container(a.state()))
                    .setExisted(a.existed()).build();
        });
    }

    private ContainerSpec parse(SubmitRequest in) {
        String text;
        switch (in.getSpecCase()) {
            case SPEC_TEXT -> text = in.getSpecText();
            case STRUCTURED -> text = StructuredSpecs.toJson(in.getStructured());
            default -> throw Errors.of(Status.Code.INVALID_ARGUMENT,
                    "spec: give the spec as spec_text (YAML or JSON) or as a structured message");
        }
        // the size limit is checked on the text as received, before any parsing
        if (text.length() > maxSpecBytes || text.getBytes(StandardCharsets.UTF_8).length > maxSpecBytes) {
            throw Errors.of(Status.Code.INVALID_ARGUMENT, "spec: is larger than the limit of " + maxSpecBytes
                    + " bytes (" + text.getBytes(StandardCharsets.UTF_8).length + " bytes)");
        }
        try {
            return SpecParser.parse(text);
        } catch (SpecException e) {
            throw Errors.invalidSpec(e);
        }
    }

    @Override
    public CompletionStage<Container> get(ContainerRef in, Metadata metadata) {
        return onContainer(in.getId(), Rpc.GET, metadata, (caller, state) ->
                Gate.done(ProtoMapping.container(state)));
    }

    @Override
    public CompletionStage<ListResponse> list(ListRequest in, Metadata metadata) {
        Set<LifecycleState> states = EnumSet.noneOf(LifecycleState.class);
        for (State s : in.getStatesList()) {
            if (ProtoMapping.state(s) == LifecycleState.NONE) {
                return CompletableFuture.failedFuture(Errors.of(Status.Code.INVALID_ARGUMENT,
                        "states: " + s + " is not a lifecycle state"));
            }
            states.add(ProtoMapping.state(s));
        }
        return gate.call(metadata, caller -> {
            String tenant = in.getTenant().isEmpty() && caller instanceof Principal.Tenant t ? t.name() : in.getTenant();
            return AuthzRequest.of(Rpc.LIST, tenant, "");
        }, caller -> {
            String tenant = in.getTenant().isEmpty() && caller instanceof Principal.Tenant t ? t.name() : in.getTenant();
            String prefix = tenant.isEmpty() ? "" : tenant + "/";
            return runtime.containerIds().thenCompose(ids -> Source.from(ids)
                    .filter(id -> id.startsWith(prefix))
                    .mapAsync(8, runtime::get)
                    .filter(st -> st.state() != LifecycleState.NONE
                            && (states.isEmpty() || states.contains(st.state())))
                    .take(maxList)
                    .map(ProtoMapping::container)
                    .runWith(Sink.seq(), runtime.system()))
                    .thenApply(cs -> ListResponse.newBuilder().addAllContainers(cs).build());
        });
    }

    @Override
    public Source<Transition, NotUsed> watch(WatchRequest in, Metadata metadata) {
        long from = Math.max(1, in.getFromSeq());
        CompletionStage<Source<Transition, NotUsed>> stage = gate.call(metadata,
                caller -> request(Rpc.WATCH, caller, in.getId()),
                caller -> {
                    String id = ContainerIds.resolve(caller, in.getId());
                    return runtime.get(id).thenApply(now -> {
                        if (now.state() == LifecycleState.NONE) {
                            throw notFound(id);
                        }
                        if (now.state() == LifecycleState.RELEASED && from > now.transitions()) {
                            return Source.<Transition>empty();
                        }
                        return transitions(id, from);
                    });
                });
        return Source.completionStageSource(stage).mapMaterializedValue(m -> NotUsed.getInstance());
    }

    /** Every event from the first, folded into states, sent from {@code from} on, ending after Released. */
    private Source<Transition, NotUsed> transitions(String id, long from) {
        return runtime.watch(id, 1)
                .scan(new Folded(0, null, ContainerState.empty(id), ContainerState.empty(id)),
                        (acc, e) -> new Folded(acc.seq() + 1, e, acc.after(), acc.after().apply(e)))
                .drop(1)
                .takeWhile(f -> !(f.event() instanceof ContainerEvent.Released), true)
                // log lines: the Logs RPC; a placement given up before creation: no transition of this container
                .filter(f -> f.seq() >= from && !(f.event() instanceof ContainerEvent.Logged)
                        && !(f.event() instanceof ContainerEvent.Abandoned))
                .map(f -> ProtoMapping.transition(f.seq(), f.event(), f.before(), f.after()));
    }

    private record Folded(long seq, ContainerEvent event, ContainerState before, ContainerState after) {
    }

    @Override
    public CompletionStage<Container> suspend(ContainerRef in, Metadata metadata) {
        return onContainer(in.getId(), Rpc.SUSPEND, metadata, (caller, state) ->
                runtime.suspend(state.id(), caller.label()).thenApply(ProtoMapping::container));
    }

    @Override
    public CompletionStage<Container> resume(ContainerRef in, Metadata metadata) {
        return onContainer(in.getId(), Rpc.RESUME, metadata, (caller, state) ->
                runtime.resume(state.id(), caller.label()).thenApply(ProtoMapping::container));
    }

    @Override
    public CompletionStage<Container> terminate(ContainerRef in, Metadata metadata) {
        return onContainer(in.getId(), Rpc.TERMINATE, metadata, (caller, state) ->
                runtime.terminate(state.id(), caller.label()).thenApply(ProtoMapping::container));
    }

    @Override
    public CompletionStage<ResultResponse> result(ContainerRef in, Metadata metadata) {
        return onContainer(in.getId(), Rpc.RESULT, metadata, (caller, state) -> {
            if (!state.state().isTerminal()) {
                throw Errors.of(Status.Code.FAILED_PRECONDITION, "container " + state.id() + " is "
                        + state.state().display() + ": it has a result once it has terminated");
            }
            return Gate.done(ProtoMapping.result(state));
        });
    }

    @Override
    public CompletionStage<LogsResponse> logs(ContainerRef in, Metadata metadata) {
        return onContainer(in.getId(), Rpc.LOGS, metadata, (caller, state) ->
                runtime.logs(state.id()).thenApply(runs -> {
                    LogsResponse.Builder b = LogsResponse.newBuilder().setId(state.id())
                            .setState(ProtoMapping.state(state.state()));
                    for (ContainerEvent.Logged run : runs) {
                        b.addAllLines(run.lines()).setDropped(b.getDropped() + run.dropped());
                    }
                    return b.build();
                }));
    }

    /** Authenticate, authorize {@code rpc} on the container, look it up (NOT_FOUND if it never existed), act. */
    private <T> CompletionStage<T> onContainer(String text, Rpc rpc, Metadata metadata,
                                               BiFunction<Principal, ContainerState, CompletionStage<T>> action) {
        return gate.call(metadata, caller -> request(rpc, caller, text), caller -> {
            String id = ContainerIds.resolve(caller, text);
            return runtime.get(id).thenCompose(state -> {
                if (state.state() == LifecycleState.NONE) {
                    throw notFound(id);
                }
                return action.apply(caller, state);
            });
        });
    }

    private static AuthzRequest request(Rpc rpc, Principal caller, String text) {
        String id = ContainerIds.resolve(caller, text);
        return AuthzRequest.of(rpc, ContainerIds.tenantOf(id), id);
    }

    private static RuntimeException notFound(String id) {
        return Errors.of(Status.Code.NOT_FOUND, "no container " + id);
    }
}
