package org.xdv.cdcr.phi;

import java.util.List;
import java.util.Optional;

/**
 * Slot-by-slot restatement of the allocation rules, written independently of the allocator's indexes, used as the
 * test oracle. Slow (O(horizon × channels + Σ lengths)) and obviously correct.
 */
final class NaivePhi {

    private NaivePhi() {
    }

    /** Whether the rules allow envelopes {@code a} and {@code b} (same channel) to overlap. */
    static boolean overlapAllowed(Envelope a, Envelope b, SharingContracts contracts) {
        if (a.tenant().equals(b.tenant())) {
            return a.allowSelfOverlap() && b.allowSelfOverlap();
        }
        return a.shareWithTenant().equals(Optional.of(b.tenant()))
                && b.shareWithTenant().equals(Optional.of(a.tenant()))
                && contracts.mutual(a.tenant(), b.tenant());
    }

    static boolean overlaps(Envelope a, Envelope b) {
        return a.channel() == b.channel() && a.startSlot() < b.endSlot() && b.startSlot() < a.endSlot();
    }

    /**
     * The earliest (start, then lowest channel) window ending by {@code limit} that the rules allow, or empty.
     * The request is assumed valid.
     */
    static Optional<Placement> place(PhiAllocator a, EnvelopeRequest r, long from, long limit,
                                     SharingContracts contracts) {
        int len = (int) r.lengthSlots();
        int width = (int) (limit - from);
        Placement best = null;
        for (int ch = 0; ch < a.config().channels(); ch++) {
            if (r.channel().isPresent() && r.channel().getAsInt() != ch) {
                continue;
            }
            boolean[] ok = new boolean[width];
            StabilityForecast f = a.forecast(ch);
            for (int i = 0; i < width; i++) {
                ok[i] = f.at(from + i) >= r.stabilityFloor();
            }
            Envelope probe = new Envelope(new EnvelopeId(a.nodeId(), ch, 0, -1), 1, r.stabilityFloor(), r.tenant(),
                    r.containerId(), r.shareWithTenant(), r.allowSelfOverlap());
            List<Envelope> held = a.envelopes(ch);
            for (Envelope e : held) {
                if (overlapAllowed(probe, e, contracts)) {
                    continue;
                }
                for (long s = Math.max(from, e.startSlot()); s < Math.min(limit, e.endSlot()); s++) {
                    ok[(int) (s - from)] = false;
                }
            }
            int run = 0;
            for (int i = 0; i < width; i++) {
                run = ok[i] ? run + 1 : 0;
                if (run == len) {
                    long start = from + i - len + 1;
                    if (best == null || start < best.startSlot()) {
                        best = new Placement(ch, start, len, f.min(start, start + len));
                    }
                    break;
                }
            }
        }
        return Optional.ofNullable(best);
    }
}
