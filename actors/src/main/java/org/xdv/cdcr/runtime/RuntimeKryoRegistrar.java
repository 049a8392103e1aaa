package org.xdv.cdcr.runtime;

import org.xdv.cdcr.persistence.serialization.KryoRegistrar;
import org.xdv.cdcr.persistence.serialization.KryoRegistry;
import org.xdv.cdcr.phi.Envelope;
import org.xdv.cdcr.phi.EnvelopeId;
import org.xdv.cdcr.phi.PhiConfig;
import org.xdv.cdcr.runtime.container.HybridContainer;
import org.xdv.cdcr.runtime.core.Lifecycle;
import org.xdv.cdcr.runtime.core.LifecycleState;
import org.xdv.cdcr.runtime.core.Quota;
import org.xdv.cdcr.runtime.core.container.ContainerEvent;
import org.xdv.cdcr.runtime.core.container.ContainerResult;
import org.xdv.cdcr.runtime.core.container.ContainerState;
import org.xdv.cdcr.runtime.core.container.FaultKind;
import org.xdv.cdcr.runtime.core.container.Termination;
import org.xdv.cdcr.runtime.core.dao.Affinity;
import org.xdv.cdcr.runtime.core.dao.Attestation;
import org.xdv.cdcr.runtime.core.dao.DaoDecision;
import org.xdv.cdcr.runtime.core.dao.DaoInput;
import org.xdv.cdcr.runtime.core.dao.DaoSnapshot;
import org.xdv.cdcr.runtime.core.dao.Decided;
import org.xdv.cdcr.runtime.core.dao.DecidedBatch;
import org.xdv.cdcr.runtime.core.dao.Demand;
import org.xdv.cdcr.runtime.core.dao.NodeSpec;
import org.xdv.cdcr.runtime.core.dao.TenantEntry;
import org.xdv.cdcr.runtime.core.dao.TenantSpec;
import org.xdv.cdcr.runtime.core.dao.VhmContract;
import org.xdv.cdcr.runtime.core.spec.ContainerSpec;
import org.xdv.cdcr.runtime.node.NodeAgent;
import org.xdv.cdcr.runtime.node.NodeConfig;
import org.xdv.cdcr.runtime.orchestrator.Orchestrator;
import org.xdv.cdcr.runtime.orchestrator.OrchestratorFront;

/**
 * The runtime's registry file: every class of the actors module (and the Φ types it persists) that reaches a
 * journal or crosses a node, with its stable id from the range 100–999. Ids are the wire format: never reuse
 * or move one (see {@link KryoRegistry} for the evolution rules); golden byte files in the tests guard them.
 */
public final class RuntimeKryoRegistrar implements KryoRegistrar {

    @Override
    public void register(KryoRegistry r) {
        // 100-119 container spec
        r.register(100, ContainerSpec.class);
        r.register(101, ContainerSpec.KSpec.class);
        r.register(102, ContainerSpec.QSpec.class);
        r.register(103, ContainerSpec.PhiSpec.class);
        r.register(104, ContainerSpec.PolicySpec.class);
        r.register(105, ContainerSpec.Restart.class);
        r.register(106, Affinity.class);
        // 120-139 container events and state
        r.register(120, ContainerEvent.Created.class);
        r.register(121, ContainerEvent.Scheduled.class);
        r.register(122, ContainerEvent.KBound.class);
        r.register(123, ContainerEvent.QBound.class);
        r.register(124, ContainerEvent.PhiBound.class);
        r.register(125, ContainerEvent.Activated.class);
        r.register(126, ContainerEvent.Suspended.class);
        r.register(127, ContainerEvent.Resumed.class);
        r.register(128, ContainerEvent.Terminated.class);
        r.register(129, ContainerEvent.Rescheduled.class);
        r.register(130, ContainerEvent.Released.class);
        r.register(131, ContainerState.class);
        r.register(132, LifecycleState.class);
        r.register(133, Lifecycle.Bindings.class);
        r.register(134, Termination.class);
        r.register(135, Termination.Kind.class);
        r.register(136, FaultKind.class);
        r.register(137, ContainerResult.class);
        r.register(138, ContainerResult.PhiSummary.class);
        r.register(139, ContainerEvent.Logged.class);
        // 140-169 orchestrator journal
        r.register(140, Decided.class);
        r.register(148, DecidedBatch.class);
        r.register(141, DaoInput.UpsertTenant.class);
        r.register(142, DaoInput.AdmitNode.class);
        r.register(143, DaoInput.RemoveNode.class);
        r.register(144, DaoInput.DrainNode.class);
        r.register(145, DaoInput.Place.class);
        r.register(146, DaoInput.Release.class);
        r.register(147, DaoInput.Tick.class);
        r.register(149, DaoInput.SetCredential.class);
        r.register(150, DaoDecision.TenantSet.class);
        r.register(151, DaoDecision.NodeAdmitted.class);
        r.register(152, DaoDecision.Draining.class);
        r.register(153, DaoDecision.Placed.class);
        r.register(154, DaoDecision.Refused.class);
        r.register(155, DaoDecision.Freed.class);
        r.register(156, DaoDecision.NodeRemoved.class);
        r.register(157, DaoDecision.Advanced.class);
        r.register(158, DaoDecision.Reason.class);
        r.register(159, DaoDecision.CredentialSet.class);
        r.register(160, Demand.class);
        r.register(161, NodeSpec.class);
        r.register(162, Attestation.class);
        r.register(163, TenantSpec.class);
        r.register(164, Quota.class);
        // 170-179 Φ backend types held in events
        r.register(170, PhiConfig.class);
        r.register(171, Envelope.class);
        r.register(172, EnvelopeId.class);
        // 180-199 container entity commands
        r.register(180, HybridContainer.Create.class);
        r.register(181, HybridContainer.Get.class);
        r.register(182, HybridContainer.Suspend.class);
        r.register(183, HybridContainer.Resume.class);
        r.register(184, HybridContainer.Terminate.class);
        r.register(185, HybridContainer.Reschedule.class);
        r.register(186, HybridContainer.Strand.class);
        r.register(187, HybridContainer.Advance.class);
        r.register(188, HybridContainer.Finished.class);
        r.register(189, HybridContainer.Abandon.class);
        // 200-219 node agent protocol
        r.register(200, NodeAgent.BindK.class);
        r.register(201, NodeAgent.BindQ.class);
        r.register(202, NodeAgent.BindPhi.class);
        r.register(203, NodeAgent.Run.class);
        r.register(204, NodeAgent.RunFinished.class);
        r.register(205, NodeAgent.Suspend.class);
        r.register(206, NodeAgent.Resume.class);
        r.register(207, NodeAgent.Kill.class);
        r.register(208, NodeAgent.ReleaseAll.class);
        r.register(209, NodeAgent.Holds.class);
        r.register(210, NodeAgent.Describe.class);
        r.register(211, NodeAgent.Description.class);
        r.register(212, NodeConfig.class);
        r.register(213, NodeAgent.HeldContainers.class);
        r.register(214, NodeAgent.HeldIds.class);
        // 220-229 orchestrator protocol
        r.register(220, OrchestratorFront.Decide.class);
        r.register(221, OrchestratorFront.GetView.class);
        r.register(222, OrchestratorFront.Stop.class);
        r.register(223, Orchestrator.Request.class);
        r.register(224, Orchestrator.DecideBatch.class);
        r.register(225, Orchestrator.BatchWritten.class);
        r.register(226, Orchestrator.GetView.class);
        r.register(227, Orchestrator.GetPlacementsOn.class);
        r.register(228, Orchestrator.Placements.class);
        r.register(229, OrchestratorFront.PlacementsOn.class);
        // 230-239 cluster mode: journal-following views
        r.register(230, OrchestratorFront.CurrentSeq.class);
        r.register(231, Orchestrator.GetSeq.class);
        r.register(232, Orchestrator.Seq.class);
        // 240-243 orchestrator snapshots
        r.register(240, DaoSnapshot.class);
        r.register(241, DaoSnapshot.NodeSnapshot.class);
        r.register(242, DaoSnapshot.Credential.class);
        r.register(243, TenantEntry.class);
        // 244-249 tenant VHM contracts
        r.register(244, VhmContract.class);
        r.register(245, DaoInput.SetVhmContract.class);
        r.register(246, DaoDecision.VhmContractSet.class);
        r.register(247, Orchestrator.GetVhmContract.class);
        r.register(248, OrchestratorFront.VhmContractOf.class);
        // 250-259 container events (continued from 120-139)
        r.register(250, ContainerEvent.Abandoned.class);
    }
}
