package org.xdv.cdcr.phi;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The Φ envelope allocator of one node, as an immutable value. Every operation is a pure function
 * {@code (state, input) → (new state, result)}: no clock, no unseeded randomness, no hash-ordered iteration, and
 * the only stability input is the seeded {@link StabilityForecast} (never the observed stream of
 * {@code org.xdv.cdcr.phi.execution}). The same sequence of calls gives equal results on every JVM, and the state
 * can be rebuilt from its events with {@link #replay}.
 *
 * <p>GOALS (spec §4.2, §5.4, §10): give each request the earliest coherence window of its length on any channel of
 * the node whose forecast stays ≥ its floor on every slot; envelopes of different tenants never overlap unless
 * both tenants signed a sharing contract naming each other and both envelopes say so; a tenant's own envelopes
 * are independent (do not overlap) unless both allow self-overlap.
 *
 * <p>CONSTRAINTS: feasibility must be cheap enough to ask every node on every placement (≥ 100k checks/s with
 * 1,000 live envelopes on a channel), and a refused call changes nothing.
 *
 * <p>ALGORITHM: per channel, the live envelopes are kept sorted with a gap index (see {@code GapIndex}). The
 * search on a channel starts at {@code t = fromSlot} and repeats: jump to the earliest conflict-free {@code t}
 * (O(log n)); if a slot of {@code [t, t+len)} is below the floor, jump past the last such slot; if a flagged envelope of a tenant without a mutual contract overlaps, jump past it; otherwise {@code t} is
 * the answer. Channels are tried in ascending order, each bounded by the best start found so far, so ties go to
 * the earliest start, then the lowest channel. The window must end by {@code fromSlot + searchHorizonSlots}.
 *
 * <p>Worked example (1 channel, forecast ≥ 0.8 everywhere): tenant {@code a} holds slots [0, 10). Tenant
 * {@code b} asks for 5 slots from slot 0 → [10, 15). If {@code a} and {@code b} signed mutually, {@code a}'s
 * envelope names {@code b} and {@code b} asks sharing with {@code a} → [0, 5). See {@code docs/phi.md}.
 */
public final class PhiAllocator {

    private final PhiConfig config;
    private final String nodeId;
    private final StabilityForecast[] forecasts;
    private final ChannelState[] channels;
    private final long watermark;
    private final long nextSeq;
    private PhiAllocator(PhiConfig config, String nodeId, StabilityForecast[] forecasts, ChannelState[] channels,
                         long watermark, long nextSeq) {
        this.config = config;
        this.nodeId = nodeId;
        this.forecasts = forecasts;
        this.channels = channels;
        this.watermark = watermark;
        this.nextSeq = nextSeq;
    }

    /** The allocator of a node with no envelopes; throws {@link PhiException} for a blank node id. */
    public static PhiAllocator empty(PhiConfig config, String nodeId) {
        Objects.requireNonNull(config, "config");
        if (nodeId == null || nodeId.isBlank()) {
            throw new PhiException(PhiError.of(PhiError.Reason.INVALID_NODE, "nodeId", "must not be blank"));
        }
        StabilityForecast[] f = new StabilityForecast[config.channels()];
        ChannelState[] c = new ChannelState[config.channels()];
        for (int ch = 0; ch < f.length; ch++) {
            f[ch] = StabilityForecast.of(config, nodeId, ch);
            c[ch] = ChannelState.EMPTY;
        }
        return new PhiAllocator(config, nodeId, f, c, 0, 0);
    }

    /**
     * Rebuilds a state from its snapshot: the compaction watermark, the sequence number the next envelope gets, and
     * the live envelopes ({@link #envelopes()}). Equal to the state the snapshot was taken of. Throws
     * {@link IllegalArgumentException} for an envelope of another node or channel.
     */
    public static PhiAllocator restore(PhiConfig config, String nodeId, long watermark, long nextSeq,
                                       List<Envelope> envelopes) {
        PhiAllocator empty = empty(config, nodeId);
        ChannelState[] channels = empty.channels.clone();
        for (Envelope e : envelopes) {
            if (!e.nodeId().equals(nodeId) || e.channel() < 0 || e.channel() >= channels.length) {
                throw new IllegalArgumentException("envelope " + e.id() + " does not belong to node " + nodeId);
            }
            channels[e.channel()] = channels[e.channel()].with(e);
        }
        return new PhiAllocator(config, nodeId, empty.forecasts, channels, watermark, nextSeq);
    }

    /** Rebuilds the state from the events it was produced by ({@code empty} then {@link #apply} each). */
    public static PhiAllocator replay(PhiConfig config, String nodeId, List<? extends PhiEvent> events) {
        PhiAllocator state = empty(config, nodeId);
        for (PhiEvent e : events) {
            state = state.apply(e);
        }
        return state;
    }

    public PhiConfig config() {
        return config;
    }

    public String nodeId() {
        return nodeId;
    }

    /** Slots before this have been compacted away; reservations must start at or after it. */
    public long watermark() {
        return watermark;
    }

    /** Sequence number the next granted envelope will get. */
    public long nextSeq() {
        return nextSeq;
    }

    /** The forecast the allocator uses for {@code channel}; {@link PhiException} if the channel is unknown. */
    public StabilityForecast forecast(int channel) {
        if (channel < 0 || channel >= channels.length) {
            throw new PhiException(unknownChannel(channel));
        }
        return forecasts[channel];
    }

    /** All live envelopes, sorted by channel, start slot, sequence number. */
    public List<Envelope> envelopes() {
        List<Envelope> out = new ArrayList<>();
        for (ChannelState c : channels) {
            out.addAll(c.envelopes());
        }
        return List.copyOf(out);
    }

    /** The live envelopes of {@code channel}, sorted by start slot then sequence number. */
    public List<Envelope> envelopes(int channel) {
        if (channel < 0 || channel >= channels.length) {
            throw new PhiException(unknownChannel(channel));
        }
        return List.copyOf(channels[channel].envelopes());
    }

    /** The live envelope with this id, if this node holds it. */
    public Optional<Envelope> envelope(EnvelopeId id) {
        if (id == null || !id.nodeId().equals(nodeId) || id.channel() < 0 || id.channel() >= channels.length) {
            return Optional.empty();
        }
        ChannelState c = channels[id.channel()];
        int i = c.indexOf(id);
        return i < 0 ? Optional.empty() : Optional.of(c.get(i));
    }

    // ------------------------------------------------------------------------------------------------- decisions

    /** {@link #reserve(EnvelopeRequest, long, SharingContracts)} with no sharing contracts. */
    public PhiOutcome<Envelope> reserve(EnvelopeRequest request, long fromSlot) {
        return reserve(request, fromSlot, SharingContracts.none());
    }

    /**
     * Grants the earliest fitting window at or after {@code fromSlot} (ties: lowest channel), or rejects with
     * a typed error: a bad field, {@code SLOT_IN_PAST}, {@code NO_SHARING_CONTRACT}, or {@code NO_WINDOW} when
     * nothing fits within the search horizon.
     */
    public PhiOutcome<Envelope> reserve(EnvelopeRequest request, long fromSlot, SharingContracts contracts) {
        PhiError invalid = validate(request, fromSlot, contracts);
        if (invalid != null) {
            return new PhiOutcome.Rejected<>(this, invalid);
        }
        Placement p = search(request, fromSlot, fromSlot + config.searchHorizonSlots(), contracts, false);
        if (p == null) {
            return new PhiOutcome.Rejected<>(this, noWindow(request, fromSlot));
        }
        Envelope envelope = new Envelope(new EnvelopeId(nodeId, p.channel(), p.startSlot(), nextSeq),
                request.lengthSlots(), request.stabilityFloor(), request.tenant(), request.containerId(),
                request.shareWithTenant(), request.allowSelfOverlap());
        PhiEvent event = new PhiEvent.Reserved(nodeId, envelope);
        return new PhiOutcome.Accepted<>(apply(event), envelope, List.of(event));
    }

    /**
     * {@code tenant} releases its envelope {@code envelopeId}; the value is the released envelope. Rejected with
     * {@code ENVELOPE_NOT_HELD} if this node holds no such envelope, {@code NOT_ENVELOPE_OWNER} if another tenant
     * holds it (the control plane may show both alike to tenants), {@code UNKNOWN_CHANNEL} for a channel this
     * node does not have.
     */
    public PhiOutcome<Envelope> release(String tenant, EnvelopeId envelopeId) {
        if (tenant == null || tenant.isBlank()) {
            return new PhiOutcome.Rejected<>(this, PhiError.of(PhiError.Reason.INVALID_TENANT, "tenant",
                    "must not be blank"));
        }
        if (envelopeId == null) {
            return new PhiOutcome.Rejected<>(this, PhiError.of(PhiError.Reason.ENVELOPE_NOT_HELD, "envelopeId",
                    "must not be null"));
        }
        if (!envelopeId.nodeId().equals(nodeId)) {
            return new PhiOutcome.Rejected<>(this, PhiError.of(PhiError.Reason.ENVELOPE_NOT_HELD, "envelopeId",
                    "envelope " + envelopeId + " is not on node " + nodeId));
        }
        if (envelopeId.channel() < 0 || envelopeId.channel() >= channels.length) {
            return new PhiOutcome.Rejected<>(this, unknownChannel(envelopeId.channel()));
        }
        ChannelState c = channels[envelopeId.channel()];
        int i = c.indexOf(envelopeId);
        if (i < 0) {
            return new PhiOutcome.Rejected<>(this, PhiError.of(PhiError.Reason.ENVELOPE_NOT_HELD, "envelopeId",
                    "node " + nodeId + " holds no envelope " + envelopeId));
        }
        Envelope e = c.get(i);
        if (!e.tenant().equals(tenant)) {
            return new PhiOutcome.Rejected<>(this, PhiError.of(PhiError.Reason.NOT_ENVELOPE_OWNER, "tenant",
                    "envelope " + envelopeId + " is not held by tenant " + tenant));
        }
        PhiEvent event = new PhiEvent.Released(nodeId, envelopeId, tenant);
        return new PhiOutcome.Accepted<>(apply(event), e, List.of(event));
    }

    /**
     * Logical time reached {@code nowSlot}: envelopes ending at or before it are dropped (the value lists them,
     * sorted by channel, start, seq) and later reservations must start at or after it. A {@code nowSlot} not
     * beyond the watermark changes nothing and yields no event.
     */
    public PhiOutcome<List<Envelope>> compact(long nowSlot) {
        if (nowSlot < 0) {
            return new PhiOutcome.Rejected<>(this, PhiError.of(PhiError.Reason.INVALID_SLOT, "nowSlot",
                    "must be >= 0, was " + nowSlot));
        }
        if (nowSlot <= watermark) {
            return new PhiOutcome.Accepted<>(this, List.of(), List.of());
        }
        List<Envelope> removed = new ArrayList<>();
        for (ChannelState c : channels) {
            for (int i = 0; i < c.size(); i++) {
                if (c.get(i).endSlot() <= nowSlot) {
                    removed.add(c.get(i));
                }
            }
        }
        PhiEvent event = new PhiEvent.Compacted(nodeId, nowSlot);
        return new PhiOutcome.Accepted<>(apply(event), List.copyOf(removed), List.of(event));
    }

    // ------------------------------------------------------------------------------------------------- queries

    /** {@link #feasible(EnvelopeRequest, long, SharingContracts)} with no sharing contracts. */
    public Optional<Placement> feasible(EnvelopeRequest request, long fromSlot) {
        return feasible(request, fromSlot, SharingContracts.none());
    }

    /**
     * Where {@link #reserve} would put this request now (same answer, no state change), or empty if nothing fits
     * within the search horizon. Throws {@link PhiException} for invalid input. Costs O(log n) per obstacle
     * skipped; see the benchmark in {@code docs/phi.md}.
     */
    public Optional<Placement> feasible(EnvelopeRequest request, long fromSlot, SharingContracts contracts) {
        PhiError invalid = validate(request, fromSlot, contracts);
        if (invalid != null) {
            throw new PhiException(invalid);
        }
        return Optional.ofNullable(search(request, fromSlot, fromSlot + config.searchHorizonSlots(), contracts,
                true));
    }

    /**
     * {@link #feasible}, for an orchestrator that asks many nodes the same request: a request this node cannot take
     * (longer than its search horizon, a channel it lacks, a slot before its watermark, no sharing contract)
     * answers empty instead of throwing, and the input is validated once. Otherwise the same answer as
     * {@code feasible}.
     */
    public Optional<Placement> feasibleOrEmpty(EnvelopeRequest request, long fromSlot, SharingContracts contracts) {
        if (validate(request, fromSlot, contracts) != null) {
            return Optional.empty();
        }
        return Optional.ofNullable(search(request, fromSlot, fromSlot + config.searchHorizonSlots(), contracts,
                true));
    }

    /**
     * Checks a request without searching: the error {@link #reserve} would answer for bad input, if any (the
     * orchestrator can check once, then ask {@link #feasible} of every node).
     */
    public Optional<PhiError> check(EnvelopeRequest request, long fromSlot, SharingContracts contracts) {
        return Optional.ofNullable(validate(request, fromSlot, contracts));
    }

    /**
     * Snapshot for the orchestrator: free capacity, longest free run and forecast range per channel over
     * {@code [fromSlot, fromSlot + horizonSlots)}, plus {@link PhiView#fit} and {@link PhiView#bestStability}.
     */
    public PhiView view(long fromSlot, long horizonSlots) {
        if (fromSlot < 0) {
            throw new PhiException(PhiError.of(PhiError.Reason.INVALID_SLOT, "fromSlot",
                    "must be >= 0, was " + fromSlot));
        }
        if (horizonSlots <= 0 || horizonSlots > PhiConfig.MAX_SEARCH_HORIZON) {
            throw new PhiException(PhiError.of(PhiError.Reason.INVALID_SLOT, "horizonSlots",
                    "must be in [1, " + PhiConfig.MAX_SEARCH_HORIZON + "], was " + horizonSlots));
        }
        if (fromSlot > Long.MAX_VALUE - horizonSlots) {
            throw new PhiException(PhiError.of(PhiError.Reason.INVALID_SLOT, "fromSlot",
                    "fromSlot + horizonSlots overflows"));
        }
        return new PhiView(this, fromSlot, horizonSlots);
    }

    // ------------------------------------------------------------------------------------------------- events

    /**
     * Folds one event into the state. Never decides and never fails on an event this node's allocator produced;
     * an event of another node is a programming error ({@link IllegalArgumentException}).
     */
    public PhiAllocator apply(PhiEvent event) {
        Objects.requireNonNull(event, "event");
        if (!event.nodeId().equals(nodeId)) {
            throw new IllegalArgumentException("event of node " + event.nodeId() + " applied to node " + nodeId);
        }
        if (event instanceof PhiEvent.Reserved r) {
            Envelope e = r.envelope();
            if (!e.nodeId().equals(nodeId) || e.channel() < 0 || e.channel() >= channels.length) {
                throw new IllegalArgumentException("envelope " + e.id() + " does not belong to node " + nodeId);
            }
            ChannelState[] next = channels.clone();
            next[e.channel()] = channels[e.channel()].with(e);
            return new PhiAllocator(config, nodeId, forecasts, next, watermark,
                    Math.max(nextSeq, e.id().seq() + 1));
        }
        if (event instanceof PhiEvent.Released r) {
            EnvelopeId id = r.envelopeId();
            if (id.channel() < 0 || id.channel() >= channels.length) {
                return this;
            }
            int i = channels[id.channel()].indexOf(id);
            if (i < 0) {
                return this;
            }
            ChannelState[] next = channels.clone();
            next[id.channel()] = channels[id.channel()].without(i);
            return new PhiAllocator(config, nodeId, forecasts, next, watermark, nextSeq);
        }
        PhiEvent.Compacted c = (PhiEvent.Compacted) event;
        if (c.nowSlot() <= watermark) {
            return this;
        }
        ChannelState[] next = new ChannelState[channels.length];
        for (int ch = 0; ch < channels.length; ch++) {
            next[ch] = channels[ch].compact(c.nowSlot());
        }
        return new PhiAllocator(config, nodeId, forecasts, next, c.nowSlot(), nextSeq);
    }

    // ------------------------------------------------------------------------------------------------- internals

    int channelCount() {
        return channels.length;
    }

    ChannelState channelState(int channel) {
        return channels[channel];
    }

    /**
     * The earliest placement ending by {@code limit}, or null. {@code withScore} adds the window's minimum
     * forecast (reserve does not need it).
     */
    Placement search(EnvelopeRequest request, long fromSlot, long limit, SharingContracts contracts,
                     boolean withScore) {
        long len = request.lengthSlots();
        if (limit - fromSlot < len) {
            return null;
        }
        String share = request.shareWithTenant().orElse(null);
        ChannelState.Ask ask = new ChannelState.Ask(request.tenant(), share, request.allowSelfOverlap(), len,
                request.stabilityFloor());
        int firstCh = request.channel().isPresent() ? request.channel().getAsInt() : 0;
        int lastCh = request.channel().isPresent() ? firstCh : channels.length - 1;
        int bestCh = -1;
        long bestStart = Long.MAX_VALUE;
        for (int ch = firstCh; ch <= lastCh; ch++) {
            long maxStart = bestCh < 0 ? limit - len : bestStart - 1;
            if (maxStart < fromSlot) {
                break;
            }
            long s = channels[ch].earliest(forecasts[ch], ask, fromSlot, maxStart);
            if (s >= 0) {
                bestCh = ch;
                bestStart = s;
            }
        }
        if (bestCh < 0) {
            return null;
        }
        double score = withScore ? forecasts[bestCh].min(bestStart, bestStart + len) : Double.NaN;
        return new Placement(bestCh, bestStart, len, score);
    }

    /** The typed error for bad input, or null. Also rejects a share-with tenant without a mutual contract. */
    PhiError validate(EnvelopeRequest request, long fromSlot, SharingContracts contracts) {
        if (request == null) {
            return PhiError.of(PhiError.Reason.INVALID_REQUEST, "request", "must not be null");
        }
        if (request.tenant() == null || request.tenant().isBlank()) {
            return PhiError.of(PhiError.Reason.INVALID_TENANT, "tenant", "must not be blank");
        }
        if (request.containerId() == null || request.containerId().isBlank()) {
            return PhiError.of(PhiError.Reason.INVALID_CONTAINER, "containerId", "must not be blank");
        }
        if (request.lengthSlots() <= 0) {
            return PhiError.of(PhiError.Reason.INVALID_LENGTH, "lengthSlots",
                    "must be > 0, was " + request.lengthSlots());
        }
        if (request.lengthSlots() > config.searchHorizonSlots()) {
            return PhiError.of(PhiError.Reason.INVALID_LENGTH, "lengthSlots", "must be <= the search horizon "
                    + config.searchHorizonSlots() + ", was " + request.lengthSlots());
        }
        double floor = request.stabilityFloor();
        if (!(floor >= 0.0 && floor <= 1.0)) {
            return PhiError.of(PhiError.Reason.INVALID_FLOOR, "stabilityFloor", "must be in [0, 1], was " + floor);
        }
        if (request.channel().isPresent()) {
            int ch = request.channel().getAsInt();
            if (ch < 0 || ch >= channels.length) {
                return unknownChannel(ch);
            }
        }
        if (request.shareWithTenant().isPresent()) {
            String other = request.shareWithTenant().get();
            if (other.isBlank() || other.equals(request.tenant())) {
                return PhiError.of(PhiError.Reason.INVALID_SHARE, "shareWithTenant",
                        "must name another tenant, was '" + other + "'");
            }
            if (contracts == null || !contracts.mutual(request.tenant(), other)) {
                return PhiError.of(PhiError.Reason.NO_SHARING_CONTRACT, "shareWithTenant", "tenants "
                        + request.tenant() + " and " + other + " have not both signed a sharing contract");
            }
        }
        if (fromSlot < 0) {
            return PhiError.of(PhiError.Reason.INVALID_SLOT, "fromSlot", "must be >= 0, was " + fromSlot);
        }
        if (fromSlot > Long.MAX_VALUE - config.searchHorizonSlots()) {
            return PhiError.of(PhiError.Reason.INVALID_SLOT, "fromSlot", "fromSlot + search horizon overflows");
        }
        if (fromSlot < watermark) {
            return PhiError.of(PhiError.Reason.SLOT_IN_PAST, "fromSlot",
                    "slot " + fromSlot + " is before the compaction watermark " + watermark);
        }
        return null;
    }

    private PhiError noWindow(EnvelopeRequest request, long fromSlot) {
        return PhiError.of(PhiError.Reason.NO_WINDOW, "lengthSlots", "no window of " + request.lengthSlots()
                + " slots with forecast >= " + request.stabilityFloor() + " free for tenant " + request.tenant()
                + " in slots [" + fromSlot + ", " + (fromSlot + config.searchHorizonSlots()) + ") on node " + nodeId);
    }

    private PhiError unknownChannel(int channel) {
        return PhiError.of(PhiError.Reason.UNKNOWN_CHANNEL, "channel",
                "node " + nodeId + " has channels [0, " + channels.length + "), not " + channel);
    }

    /** Value equality: same config, node, watermark, sequence counter and envelopes. */
    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof PhiAllocator other)) {
            return false;
        }
        if (!config.equals(other.config) || !nodeId.equals(other.nodeId) || watermark != other.watermark
                || nextSeq != other.nextSeq || channels.length != other.channels.length) {
            return false;
        }
        for (int ch = 0; ch < channels.length; ch++) {
            if (!channels[ch].sameEnvelopes(other.channels[ch])) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int h = Objects.hash(config, nodeId, watermark, nextSeq);
        for (ChannelState c : channels) {
            h = 31 * h + c.envelopesHash();
        }
        return h;
    }

    @Override
    public String toString() {
        int[] counts = new int[channels.length];
        for (int ch = 0; ch < channels.length; ch++) {
            counts[ch] = channels[ch].size();
        }
        return "PhiAllocator[node=" + nodeId + ", watermark=" + watermark + ", nextSeq=" + nextSeq
                + ", envelopesPerChannel=" + Arrays.toString(counts) + "]";
    }
}
