package org.xdv.cdcr.runtime.node;

/**
 * Execution controls of one running container, set by the node agent and read by the K program between
 * steps: suspended (wait), killed (stop now).
 */
public final class RunControl {

    private boolean suspended;
    private boolean killed;

    public synchronized void suspend() {
        suspended = true;
    }

    public synchronized void resume() {
        suspended = false;
        notifyAll();
    }

    public synchronized void kill() {
        killed = true;
        notifyAll();
    }

    public synchronized boolean killed() {
        return killed;
    }

    /** Blocks while suspended; returns false once killed. */
    public synchronized boolean proceed() throws InterruptedException {
        while (suspended && !killed) {
            wait();
        }
        return !killed;
    }
}
