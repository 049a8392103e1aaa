package org.xdv.cdcr.node.controlplane;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.xdv.cdcr.node.proto.ContainerSpec;
import org.xdv.cdcr.node.proto.KSpec;
import org.xdv.cdcr.node.proto.PhiSpec;
import org.xdv.cdcr.node.proto.PolicySpec;
import org.xdv.cdcr.node.proto.QSpec;

/**
 * A structured {@link ContainerSpec} message as the JSON document of the same schema, so both submission forms
 * go through one validator ({@code SpecParser}) and report the same field paths. Unset optional fields are left
 * out, so the parser's defaults apply.
 */
public final class StructuredSpecs {

    private static final ObjectMapper JSON = new ObjectMapper();

    private StructuredSpecs() {
    }

    public static String toJson(ContainerSpec s) {
        ObjectNode root = JSON.createObjectNode();
        if (!s.getTenant().isEmpty()) {
            root.put("tenant", s.getTenant());
        }
        if (!s.getName().isEmpty()) {
            root.put("name", s.getName());
        }
        ArrayNode caps = root.putArray("capabilities");
        s.getCapabilitiesList().forEach(caps::add);
        if (s.hasK()) {
            KSpec k = s.getK();
            ObjectNode n = root.putObject("k");
            if (k.hasProgram()) {
                n.put("program", k.getProgram());
            }
            if (k.hasSlots()) {
                n.put("slots", k.getSlots());
            }
            if (k.hasFuel()) {
                n.put("fuel", k.getFuel());
            }
            if (k.hasMemoryPages()) {
                n.put("memoryPages", k.getMemoryPages());
            }
            if (k.hasModule()) {
                n.put("moduleBase64", java.util.Base64.getEncoder().encodeToString(k.getModule().toByteArray()));
            }
            if (k.hasEntry()) {
                n.put("entry", k.getEntry());
            }
            if (k.getArgsCount() > 0) {
                ArrayNode args = n.putArray("args");
                k.getArgsList().forEach(args::add);
            }
        }
        if (s.hasQ()) {
            QSpec q = s.getQ();
            ObjectNode n = root.putObject("q");
            if (q.hasQubits()) {
                n.put("qubits", q.getQubits());
            }
            if (!q.getQasm().isEmpty()) {
                n.put("qasm", q.getQasm());
            }
            if (q.hasShots()) {
                n.put("shots", q.getShots());
            }
            if (q.hasDecoherenceBudget()) {
                n.put("decoherenceBudget", q.getDecoherenceBudget());
            }
            if (q.hasSeed()) {
                n.put("seed", q.getSeed());
            }
        }
        if (s.hasPhi()) {
            PhiSpec p = s.getPhi();
            ObjectNode n = root.putObject("phi");
            if (p.hasSlots()) {
                n.put("slots", p.getSlots());
            }
            if (p.hasStabilityFloor()) {
                n.put("stabilityFloor", p.getStabilityFloor());
            }
            if (p.hasShareWith()) {
                n.put("shareWith", p.getShareWith());
            }
        }
        if (s.hasPolicy()) {
            PolicySpec p = s.getPolicy();
            ObjectNode n = root.putObject("policy");
            if (p.hasAffinity()) {
                n.put("affinity", p.getAffinity());
            }
            ArrayNode labels = n.putArray("labels");
            p.getLabelsList().forEach(labels::add);
            ArrayNode avoid = n.putArray("avoidLabels");
            p.getAvoidLabelsList().forEach(avoid::add);
            if (p.hasPriority()) {
                n.put("priority", p.getPriority());
            }
            if (p.hasRestart()) {
                n.put("restart", p.getRestart());
            }
        }
        return root.toString();
    }
}
