package org.xdv.cdcr.persistence.testtypes;

import org.xdv.cdcr.persistence.journal.TestLedger;
import org.xdv.cdcr.persistence.serialization.KryoRegistrar;
import org.xdv.cdcr.persistence.serialization.KryoRegistry;

/** Test-only registrations (ids 10000 and up, never in a production journal). */
public final class TestTypesRegistrar implements KryoRegistrar {

    @Override
    public void register(KryoRegistry r) {
        r.register(10_000, TestTypes.Priority.class);
        r.register(10_001, TestTypes.Op.class);
        r.register(10_002, TestTypes.Endpoint.class);
        r.register(10_003, TestTypes.Placement.class);
        r.register(10_004, TestTypes.Tags.class);
        r.register(10_005, TestTypes.Ping.class);
        r.register(10_006, TestTypes.Envelope.class);
        r.register(10_007, TestTypes.WithArray.class);
        r.register(10_008, TestLedger.State.class);
        r.register(10_009, TestLedger.Add.class);
        r.register(10_010, TestLedger.AddAll.class);
        r.register(10_011, TestLedger.Get.class);
        r.register(10_012, TestLedger.ItemAdded.class);
    }
}
