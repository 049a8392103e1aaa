package org.xdv.cdcr.phi;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * What the orchestrator sees of one node's Φ resources over the slots {@code [fromSlot, fromSlot + horizonSlots)}:
 * per channel the free (unreserved) slots, the longest free run and the forecast range, plus {@link #fit}
 * ("could this request fit, and where", same answer as a reservation limited to the horizon) and
 * {@link #bestStability} (the most stable free window of a length). Immutable; built from an allocator state.
 */
public final class PhiView {

    /**
     * One channel over the horizon.
     *
     * @param channel        channel number
     * @param liveEnvelopes  envelopes held on the channel (whole channel, not only the horizon)
     * @param freeSlots      slots in the horizon covered by no envelope
     * @param longestFreeRun longest run of consecutive free slots in the horizon
     * @param worstForecast  lowest forecast in the horizon
     * @param bestForecast   highest forecast in the horizon
     */
    public record ChannelView(int channel, int liveEnvelopes, long freeSlots, long longestFreeRun,
                              double worstForecast, double bestForecast) {
    }

    private final PhiAllocator state;
    private final long fromSlot;
    private final long horizonSlots;
    private final List<ChannelView> channels;

    PhiView(PhiAllocator state, long fromSlot, long horizonSlots) {
        this.state = state;
        this.fromSlot = fromSlot;
        this.horizonSlots = horizonSlots;
        long to = fromSlot + horizonSlots;
        List<ChannelView> views = new ArrayList<>(state.channelCount());
        for (int ch = 0; ch < state.channelCount(); ch++) {
            ChannelState c = state.channelState(ch);
            StabilityForecast f = state.forecast(ch);
            views.add(new ChannelView(ch, c.size(), horizonSlots - c.all().busyWithin(fromSlot, to),
                    c.all().longestFreeWithin(fromSlot, to), f.min(fromSlot, to), f.max(fromSlot, to)));
        }
        this.channels = List.copyOf(views);
    }

    public String nodeId() {
        return state.nodeId();
    }

    public long fromSlot() {
        return fromSlot;
    }

    public long horizonSlots() {
        return horizonSlots;
    }

    /** One entry per channel, in channel order. */
    public List<ChannelView> channels() {
        return channels;
    }

    /** Free slots summed over all channels. */
    public long totalFreeSlots() {
        long sum = 0;
        for (ChannelView c : channels) {
            sum += c.freeSlots();
        }
        return sum;
    }

    /** {@link #fit(EnvelopeRequest, SharingContracts)} with no sharing contracts. */
    public Optional<Placement> fit(EnvelopeRequest request) {
        return fit(request, SharingContracts.none());
    }

    /**
     * Where the request would be placed if reserved from {@link #fromSlot()}, provided the window ends within
     * the horizon; empty otherwise. Same rules and tie-breaks as {@link PhiAllocator#reserve}. Throws
     * {@link PhiException} for invalid input.
     */
    public Optional<Placement> fit(EnvelopeRequest request, SharingContracts contracts) {
        PhiError invalid = state.validate(request, fromSlot, contracts);
        if (invalid != null) {
            throw new PhiException(invalid);
        }
        long limit = fromSlot + Math.min(horizonSlots, state.config().searchHorizonSlots());
        return Optional.ofNullable(state.search(request, fromSlot, limit, contracts, true));
    }

    /**
     * The highest "minimum forecast over the window" of any window of {@code lengthSlots} free slots (covered by
     * no envelope) within the horizon, over all channels; empty if no such window exists. Costs O(horizon) per
     * channel (sliding-window minimum).
     */
    public OptionalDouble bestStability(long lengthSlots) {
        OptionalDouble best = OptionalDouble.empty();
        for (int ch = 0; ch < channels.size(); ch++) {
            OptionalDouble b = bestStability(ch, lengthSlots);
            if (b.isPresent() && (best.isEmpty() || b.getAsDouble() > best.getAsDouble())) {
                best = b;
            }
        }
        return best;
    }

    /** {@link #bestStability(long)} restricted to one channel. */
    public OptionalDouble bestStability(int channel, long lengthSlots) {
        if (channel < 0 || channel >= channels.size()) {
            throw new PhiException(PhiError.of(PhiError.Reason.UNKNOWN_CHANNEL, "channel",
                    "node " + state.nodeId() + " has channels [0, " + channels.size() + "), not " + channel));
        }
        if (lengthSlots <= 0 || lengthSlots > horizonSlots) {
            throw new PhiException(PhiError.of(PhiError.Reason.INVALID_LENGTH, "lengthSlots",
                    "must be in [1, " + horizonSlots + "], was " + lengthSlots));
        }
        StabilityForecast f = state.forecast(channel);
        long[] runs = state.channelState(channel).all().freeRunsWithin(fromSlot, fromSlot + horizonSlots);
        double best = Double.NEGATIVE_INFINITY;
        for (int r = 0; r < runs.length; r += 2) {
            long start = runs[r];
            long end = runs[r + 1];
            if (end - start >= lengthSlots) {
                best = Math.max(best, bestWindowMin(f, start, end, (int) lengthSlots));
            }
        }
        return best == Double.NEGATIVE_INFINITY ? OptionalDouble.empty() : OptionalDouble.of(best);
    }

    /** Max over windows of {@code len} inside [start, end) of the window minimum (monotone deque). */
    private static double bestWindowMin(StabilityForecast f, long start, long end, int len) {
        int n = (int) (end - start);
        int[] idx = new int[n];
        double[] val = new double[n];
        int head = 0;
        int tail = 0;
        double best = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            double v = f.at(start + i);
            while (tail > head && val[tail - 1] >= v) {
                tail--;
            }
            idx[tail] = i;
            val[tail] = v;
            tail++;
            if (idx[head] <= i - len) {
                head++;
            }
            if (i >= len - 1) {
                best = Math.max(best, val[head]);
            }
        }
        return best;
    }

    @Override
    public String toString() {
        return "PhiView[node=" + state.nodeId() + ", from=" + fromSlot + ", horizon=" + horizonSlots + ", channels="
                + channels + "]";
    }
}
