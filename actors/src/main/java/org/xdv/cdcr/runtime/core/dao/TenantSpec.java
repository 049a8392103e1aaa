package org.xdv.cdcr.runtime.core.dao;

import java.util.List;
import java.util.TreeSet;

import org.xdv.cdcr.runtime.core.Quota;

/**
 * A tenant as the orchestrator knows it: its capability namespace, its quota, and the tenants it signed a Φ
 * sharing contract with (overlap needs both sides to have signed). Lists are kept sorted.
 */
public record TenantSpec(String name, List<String> capabilities, Quota quota, List<String> sharesPhiWith) {

    public TenantSpec {
        capabilities = List.copyOf(new TreeSet<>(capabilities));
        sharesPhiWith = List.copyOf(new TreeSet<>(sharesPhiWith));
    }
}
