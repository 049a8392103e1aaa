package org.xdv.cdcr.runtime.core.dao;

import org.xdv.cdcr.runtime.core.Quota;

/**
 * A tenant, what it holds right now (live containers, qubits, Φ slots, K slots) and its VHM contract.
 */
public record TenantEntry(TenantSpec spec, Quota usage, VhmContract vhm) {

    public TenantEntry {
        vhm = vhm == null ? VhmContract.DEFAULT : vhm;
    }

    /** A tenant under the default VHM contract. */
    public TenantEntry(TenantSpec spec, Quota usage) {
        this(spec, usage, VhmContract.DEFAULT);
    }
}
