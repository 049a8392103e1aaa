package org.xdv.cdcr.runtime.orchestrator;

import org.xdv.cdcr.runtime.core.dao.Decided;

/**
 * What the orchestrator's decisions set in motion outside its own journal — telling the containers a removed node
 * held to re-bind elsewhere, or to end. The orchestrator calls it only for decisions already persisted, so every
 * input is an event before its decision is acted upon; and it calls it again after each recovery, because the
 * singleton (and whatever it had begun to tell) may have died between the write and the last tell. Acting on a
 * decision twice must therefore be harmless: the containers ignore a re-placement they already carry out.
 */
public interface Consequences {

    /** Acts on nothing (a bare orchestrator in tests). */
    Consequences NONE = new Consequences() {
        @Override
        public void decided(Decided decided) {
        }

        @Override
        public void recovered(long lastBatchSeqNr) {
        }
    };

    /** One decision, just persisted. Called on the orchestrator's thread, in decision order: must not block. */
    void decided(Decided decided);

    /**
     * The orchestrator recovered; its journal ends at batch {@code lastBatchSeqNr}. Acts again on the recent
     * decisions that may not have been acted upon. Called on the orchestrator's thread: must not block.
     */
    void recovered(long lastBatchSeqNr);
}
