package org.xdv.cdcr.runtime.vhm;

import java.util.Deque;

import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.InterpreterMachine;
import com.dylibso.chicory.runtime.MStack;
import com.dylibso.chicory.runtime.StackFrame;
import com.dylibso.chicory.wasm.ChicoryException;
import com.dylibso.chicory.wasm.types.FunctionType;
import org.xdv.cdcr.runtime.core.container.FaultKind;

/**
 * Chicory's interpreter with a fixed limit on nested calls. Chicory runs each WebAssembly call as a Java call and
 * reports "call stack exhausted" when the Java stack overflows — a depth that depends on the thread's stack size
 * and the JIT, so the fuel at which a recursive module traps would differ between runs and machines. Every
 * call, direct or indirect, passes through {@code call(...)}; counting there makes the limit, and the fuel used
 * until it is hit, deterministic. VHM threads get a stack large enough that the limit comes first
 * ({@code TenantPools}).
 */
final class DepthLimitedMachine extends InterpreterMachine {

    private final int maxDepth;
    private int depth;

    DepthLimitedMachine(Instance instance, int maxDepth) {
        super(instance);
        this.maxDepth = maxDepth;
    }

    @Override
    protected long[] call(MStack stack, Instance instance, Deque<StackFrame> callStack, int funcId, long[] args,
                          FunctionType callType, boolean popResults) throws ChicoryException {
        if (depth >= maxDepth) {
            throw new VhmFault(FaultKind.K_TRAP, "trap: call stack exhausted (more than " + maxDepth
                    + " nested calls)");
        }
        depth++;
        try {
            return super.call(stack, instance, callStack, funcId, args, callType, popResults);
        } finally {
            depth--;
        }
    }
}
