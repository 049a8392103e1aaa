package org.xdv.cdcr.runtime.core.dao;

import org.xdv.cdcr.runtime.core.Quota;

/** A tenant and what it holds right now (live containers, qubits, Φ slots, K slots). */
public record TenantEntry(TenantSpec spec, Quota usage) {
}
