package org.xdv.cdcr.phi;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * The Φ sharing contracts tenants have signed, as an immutable value. A tenant signs a contract <em>naming</em>
 * another tenant ({@link #sign}); two tenants may have overlapping envelopes only while each has signed one naming
 * the other ({@link #mutual}). The allocator takes this value as an input of {@code reserve}/{@code feasible};
 * the orchestrator owns it (it is cluster-wide, not per node).
 *
 * <p>Revoking a contract does not touch envelopes already granted (the allocator never rewrites history); the
 * owner of the contract (the orchestrator) releases or re-places them, as spec §9 asks.
 */
public final class SharingContracts {

    private static final SharingContracts NONE = new SharingContracts(new TreeSet<>());

    /** One signature: {@code signer} agrees to share Φ envelopes with {@code named}. */
    public record Signature(String signer, String named) implements Comparable<Signature> {
        public Signature {
            Objects.requireNonNull(signer, "signer");
            Objects.requireNonNull(named, "named");
        }

        @Override
        public int compareTo(Signature o) {
            int c = signer.compareTo(o.signer);
            return c != 0 ? c : named.compareTo(o.named);
        }
    }

    private final TreeSet<Signature> signatures;

    private SharingContracts(TreeSet<Signature> signatures) {
        this.signatures = signatures;
    }

    /** No contracts at all. */
    public static SharingContracts none() {
        return NONE;
    }

    /** Contracts in which each pair {@code {a, b}} signed mutually; {@code pairs} = a1, b1, a2, b2, … */
    public static SharingContracts mutualPairs(String... pairs) {
        if (pairs.length % 2 != 0) {
            throw new PhiException(PhiError.of(PhiError.Reason.INVALID_SHARE, "pairs",
                    "needs an even number of tenant names, got " + pairs.length));
        }
        SharingContracts c = none();
        for (int i = 0; i < pairs.length; i += 2) {
            c = c.sign(pairs[i], pairs[i + 1]).sign(pairs[i + 1], pairs[i]);
        }
        return c;
    }

    /** {@code signer} signs a contract naming {@code named}. Idempotent. */
    public SharingContracts sign(String signer, String named) {
        Signature s = checked(signer, named);
        if (signatures.contains(s)) {
            return this;
        }
        TreeSet<Signature> copy = new TreeSet<>(signatures);
        copy.add(s);
        return new SharingContracts(copy);
    }

    /** {@code signer} withdraws its contract naming {@code named}. Idempotent. */
    public SharingContracts revoke(String signer, String named) {
        Signature s = checked(signer, named);
        if (!signatures.contains(s)) {
            return this;
        }
        TreeSet<Signature> copy = new TreeSet<>(signatures);
        copy.remove(s);
        return new SharingContracts(copy);
    }

    /** Whether {@code a} and {@code b} have each signed a contract naming the other. */
    public boolean mutual(String a, String b) {
        if (a == null || b == null || a.equals(b)) {
            return false;
        }
        return signatures.contains(new Signature(a, b)) && signatures.contains(new Signature(b, a));
    }

    /** All signatures, sorted by signer then named tenant. */
    public List<Signature> signatures() {
        return Collections.unmodifiableList(new ArrayList<>(signatures));
    }

    private static Signature checked(String signer, String named) {
        if (signer == null || signer.isBlank()) {
            throw new PhiException(PhiError.of(PhiError.Reason.INVALID_TENANT, "signer", "must not be blank"));
        }
        if (named == null || named.isBlank()) {
            throw new PhiException(PhiError.of(PhiError.Reason.INVALID_SHARE, "named", "must not be blank"));
        }
        if (signer.equals(named)) {
            throw new PhiException(PhiError.of(PhiError.Reason.INVALID_SHARE, "named",
                    "a tenant cannot sign a sharing contract with itself (" + signer + ")"));
        }
        return new Signature(signer, named);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SharingContracts other && signatures.equals(other.signatures);
    }

    @Override
    public int hashCode() {
        return signatures.hashCode();
    }

    @Override
    public String toString() {
        return "SharingContracts" + signatures;
    }
}
