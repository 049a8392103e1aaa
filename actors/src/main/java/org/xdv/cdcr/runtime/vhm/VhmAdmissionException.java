package org.xdv.cdcr.runtime.vhm;

/**
 * A module the VHM refuses before running a single instruction: not WebAssembly, too large, importing something
 * other than the {@code cdcr} host ABI, without the entry export, or asking for more memory than its limit.
 */
public final class VhmAdmissionException extends Exception {

    public VhmAdmissionException(String message) {
        super(message);
    }
}
