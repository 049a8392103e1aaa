package org.xdv.cdcr.runtime.vhm;

import org.xdv.cdcr.runtime.core.container.FaultKind;

/**
 * Thrown inside a running VHM (by a host import, the fuel meter or the memory guard) to stop the WebAssembly
 * code at once; the runner turns it into a {@code FAULT} termination of that container only.
 */
public final class VhmFault extends RuntimeException {

    private final FaultKind kind;

    public VhmFault(FaultKind kind, String message) {
        super(message, null, false, false);
        this.kind = kind;
    }

    public FaultKind kind() {
        return kind;
    }
}
