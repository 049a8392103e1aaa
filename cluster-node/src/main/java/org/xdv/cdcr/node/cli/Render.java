package org.xdv.cdcr.node.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import org.xdv.cdcr.node.controlplane.ProtoMapping;
import org.xdv.cdcr.node.proto.ClusterStatus;
import org.xdv.cdcr.node.proto.Container;
import org.xdv.cdcr.node.proto.Member;
import org.xdv.cdcr.node.proto.NodeStatus;
import org.xdv.cdcr.node.proto.Quota;
import org.xdv.cdcr.node.proto.LogsResponse;
import org.xdv.cdcr.node.proto.ResultResponse;
import org.xdv.cdcr.node.proto.Tenant;
import org.xdv.cdcr.node.proto.TenantPlacements;
import org.xdv.cdcr.node.proto.Transition;

/**
 * What the client commands print: each answer as a plain map (for {@code -o json} and {@code -o yaml}, field
 * names in camelCase, states as people write them, e.g. {@code Active}) or as a table for people.
 */
final class Render {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final ObjectMapper JSON_LINE = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES).disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER));

    private Render() {
    }

    /** Prints {@code data} in the chosen format; {@code table} renders it for people. */
    static void print(PrintWriter out, OutputOptions.Format format, Object data, Supplier<String> table) {
        try {
            switch (format) {
                case json -> out.println(JSON.writeValueAsString(data));
                case yaml -> out.print(YAML.writeValueAsString(data));
                default -> out.print(table.get());
            }
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render " + data, e);
        }
        out.flush();
    }

    /** One element of a stream: a JSON line, a YAML document, or a table line. */
    static void printItem(PrintWriter out, OutputOptions.Format format, Object data, Supplier<String> line) {
        try {
            switch (format) {
                case json -> out.println(JSON_LINE.writeValueAsString(data));
                case yaml -> out.print("---\n" + YAML.writeValueAsString(data));
                default -> out.println(line.get());
            }
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render " + data, e);
        }
        out.flush();
    }

    static Map<String, Object> container(Container c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", c.getId());
        m.put("tenant", c.getTenant());
        m.put("name", c.getName());
        m.put("state", ProtoMapping.display(c.getState()));
        m.put("node", c.getNode());
        m.put("decisionSeq", c.getDecisionSeq());
        m.put("qubits", c.getQubits());
        m.put("register", c.getRegister());
        if (c.hasPhiWindow()) {
            Map<String, Object> w = new LinkedHashMap<>();
            w.put("channel", c.getPhiWindow().getChannel());
            w.put("startSlot", c.getPhiWindow().getStartSlot());
            w.put("endSlot", c.getPhiWindow().getEndSlot());
            w.put("stabilityFloor", c.getPhiWindow().getStabilityFloor());
            m.put("phiWindow", w);
        }
        m.put("capabilities", List.copyOf(c.getCapabilitiesList()));
        m.put("transitions", c.getTransitions());
        if (c.hasTermination()) {
            m.put("termination", termination(c.getTermination()));
        }
        return m;
    }

    private static Map<String, Object> termination(org.xdv.cdcr.node.proto.Termination t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", t.getKind());
        if (!t.getFault().isEmpty()) {
            m.put("fault", t.getFault());
        }
        m.put("detail", t.getDetail());
        return m;
    }

    static final List<String> CONTAINER_HEADER = List.of("CONTAINER", "STATE", "NODE", "QUBITS", "Φ WINDOW", "ENDED");

    static List<String> containerRow(Container c) {
        String window = c.hasPhiWindow() ? "ch" + c.getPhiWindow().getChannel() + " [" + c.getPhiWindow().getStartSlot()
                + "," + c.getPhiWindow().getEndSlot() + ")" : "-";
        String ended = !c.hasTermination() ? "" : c.getTermination().getKind()
                + (c.getTermination().getFault().isEmpty() ? "" : ":" + c.getTermination().getFault())
                + (c.getTermination().getKind().equals("completed") ? "" : " (" + c.getTermination().getDetail() + ")");
        return List.of(c.getId(), ProtoMapping.display(c.getState()), c.getNode().isEmpty() ? "-" : c.getNode(),
                c.getQubits() == 0 ? "-" : String.valueOf(c.getQubits()), window, ended);
    }

    static String containers(List<Container> cs) {
        List<List<String>> rows = new ArrayList<>();
        cs.forEach(c -> rows.add(containerRow(c)));
        return Tables.render(CONTAINER_HEADER, rows);
    }

    static Map<String, Object> transition(Transition t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("seq", t.getSeq());
        m.put("container", t.getContainerId());
        m.put("from", ProtoMapping.display(t.getFromState()));
        m.put("to", ProtoMapping.display(t.getToState()));
        m.put("event", t.getEvent());
        m.put("node", t.getNode());
        m.put("reason", t.getReason());
        return m;
    }

    /** {@code #3 acme/bell  Scheduled → Scheduled  node-1  K bound: ...} */
    static String transitionLine(Transition t) {
        return String.format("#%-3d %s  %-10s → %-10s %-8s %s", t.getSeq(), t.getContainerId(),
                ProtoMapping.display(t.getFromState()), ProtoMapping.display(t.getToState()),
                t.getNode().isEmpty() ? "-" : t.getNode(), t.getReason());
    }

    static Map<String, Object> result(ResultResponse r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", r.getId());
        m.put("state", ProtoMapping.display(r.getState()));
        if (r.hasTermination()) {
            m.put("termination", termination(r.getTermination()));
        }
        m.put("counts", new TreeMap<>(r.getCountsMap()));
        if (r.hasPhi()) {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("slots", r.getPhi().getSlots());
            p.put("minObserved", r.getPhi().getMinObserved());
            p.put("meanObserved", r.getPhi().getMeanObserved());
            p.put("floor", r.getPhi().getFloor());
            m.put("phi", p);
        }
        m.put("detail", r.getDetail());
        return m;
    }

    static Map<String, Object> logs(LogsResponse r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", r.getId());
        m.put("state", ProtoMapping.display(r.getState()));
        m.put("lines", List.copyOf(r.getLinesList()));
        m.put("dropped", r.getDropped());
        return m;
    }

    /** The lines as logged, one per line; a note on standard output's last line if some were dropped. */
    static String logsText(LogsResponse r) {
        StringBuilder sb = new StringBuilder();
        for (String line : r.getLinesList()) {
            sb.append(line).append('\n');
        }
        if (r.getDropped() > 0) {
            sb.append("(").append(r.getDropped()).append(" more line(s) past the log budget were dropped)\n");
        }
        return sb.toString();
    }

    static String resultTable(ResultResponse r) {
        StringBuilder sb = new StringBuilder();
        sb.append(r.getId()).append(": ").append(ProtoMapping.display(r.getState()));
        if (r.hasTermination()) {
            org.xdv.cdcr.node.proto.Termination t = r.getTermination();
            sb.append(", ").append(t.getKind()).append(t.getFault().isEmpty() ? "" : ":" + t.getFault())
                    .append(t.getDetail().equals(t.getKind()) ? "" : " — " + t.getDetail());
        }
        sb.append('\n');
        if (!r.getDetail().isEmpty()) {
            sb.append(r.getDetail()).append('\n');
        }
        if (r.getCountsCount() > 0) {
            long total = r.getCountsMap().values().stream().mapToLong(Integer::longValue).sum();
            List<Map.Entry<String, Integer>> sorted = new ArrayList<>(new TreeMap<>(r.getCountsMap()).entrySet());
            sorted.sort(Map.Entry.<String, Integer>comparingByValue().reversed()
                    .thenComparing(Map.Entry.comparingByKey()));
            List<List<String>> rows = new ArrayList<>();
            for (Map.Entry<String, Integer> e : sorted) {
                rows.add(List.of(e.getKey(), String.valueOf(e.getValue()),
                        String.format("%.4f", e.getValue() / (double) total)));
            }
            sb.append(Tables.render(List.of("OUTCOME", "COUNT", "FRACTION"), rows));
        }
        if (r.hasPhi()) {
            sb.append(String.format("Φ: %d slots, observed stability min %.3f mean %.3f (floor %.3f)%n",
                    r.getPhi().getSlots(), r.getPhi().getMinObserved(), r.getPhi().getMeanObserved(),
                    r.getPhi().getFloor()));
        }
        return sb.toString();
    }

    static Map<String, Object> quota(Quota q) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("containers", q.getContainers());
        m.put("qubits", q.getQubits());
        m.put("phiSlots", q.getPhiSlots());
        m.put("kSlots", q.getKSlots());
        return m;
    }

    static Map<String, Object> tenant(Tenant t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", t.getName());
        m.put("capabilities", List.copyOf(t.getCapabilitiesList()));
        m.put("quota", quota(t.getQuota()));
        m.put("usage", quota(t.getUsage()));
        m.put("sharesPhiWith", List.copyOf(t.getSharesPhiWithList()));
        m.put("hasCredential", t.getHasCredential());
        m.put("vhmMemoryPages", t.getVhmMemoryPages());
        m.put("vhmFuel", t.getVhmFuel());
        return m;
    }

    static String tenants(List<Tenant> ts) {
        List<List<String>> rows = new ArrayList<>();
        for (Tenant t : ts) {
            rows.add(List.of(t.getName(), String.join(",", t.getCapabilitiesList()),
                    usage(t.getUsage().getContainers(), t.getQuota().getContainers()),
                    usage(t.getUsage().getQubits(), t.getQuota().getQubits()),
                    usage(t.getUsage().getPhiSlots(), t.getQuota().getPhiSlots()),
                    usage(t.getUsage().getKSlots(), t.getQuota().getKSlots()),
                    t.getVhmMemoryPages() + " pages, " + (t.getVhmFuel() == Long.MAX_VALUE ? "∞"
                            : String.format("%,d", t.getVhmFuel())) + " fuel",
                    t.getHasCredential() ? "yes" : "no"));
        }
        return Tables.render(List.of("TENANT", "CAPABILITIES", "CONTAINERS", "QUBITS", "Φ SLOTS", "K SLOTS",
                "VHM CONTRACT", "TOKEN"), rows);
    }

    private static String usage(long used, long quota) {
        return used + "/" + (quota >= Integer.MAX_VALUE ? "∞" : String.valueOf(quota));
    }

    static Map<String, Object> status(ClusterStatus s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("answeredBy", s.getAnsweredBy());
        m.put("singletonMember", s.getSingletonMember());
        m.put("singletonNode", s.getSingletonNode());
        m.put("decisions", s.getDecisions());
        m.put("phiSlot", s.getPhiSlot());
        if (!s.getOrchestratorError().isEmpty()) {
            m.put("orchestratorError", s.getOrchestratorError());
        }
        List<Object> nodes = new ArrayList<>();
        for (NodeStatus n : s.getNodesList()) {
            Map<String, Object> nm = new LinkedHashMap<>();
            nm.put("id", n.getId());
            nm.put("member", n.getMember());
            nm.put("trusted", n.getTrusted());
            nm.put("draining", n.getDraining());
            nm.put("kSlots", n.getKSlots());
            nm.put("kUsed", n.getKUsed());
            nm.put("qubits", n.getQubits());
            nm.put("qubitsUsed", n.getQubitsUsed());
            nm.put("phiChannels", n.getPhiChannels());
            nm.put("phiEnvelopes", n.getPhiEnvelopes());
            nm.put("phiSlotsHeld", n.getPhiSlotsHeld());
            nm.put("containers", n.getContainers());
            nm.put("labels", List.copyOf(n.getLabelsList()));
            nm.put("placementsByTenant", new TreeMap<>(n.getPlacementsByTenantMap()));
            nodes.add(nm);
        }
        m.put("nodes", nodes);
        List<Object> members = new ArrayList<>();
        for (Member mb : s.getMembersList()) {
            Map<String, Object> mm = new LinkedHashMap<>();
            mm.put("address", mb.getAddress());
            mm.put("status", mb.getStatus());
            mm.put("roles", List.copyOf(mb.getRolesList()));
            mm.put("nodeId", mb.getNodeId());
            mm.put("unreachable", mb.getUnreachable());
            members.add(mm);
        }
        m.put("members", members);
        List<Object> tenants = new ArrayList<>();
        for (TenantPlacements t : s.getTenantsList()) {
            Map<String, Object> tm = new LinkedHashMap<>();
            tm.put("tenant", t.getTenant());
            tm.put("containers", t.getContainers());
            tm.put("byNode", new TreeMap<>(t.getByNodeMap()));
            tenants.add(tm);
        }
        m.put("tenants", tenants);
        return m;
    }

    static String statusTable(ClusterStatus s) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("orchestrator singleton on %s (%s); %d decisions; Φ slot %d; answered by %s%n%n",
                s.getSingletonNode().isEmpty() ? "?" : s.getSingletonNode(), s.getSingletonMember(),
                s.getDecisions(), s.getPhiSlot(), s.getAnsweredBy()));
        if (!s.getOrchestratorError().isEmpty()) {
            sb.append("orchestrator not answering (").append(s.getOrchestratorError())
                    .append("): membership only\n\n");
        }
        List<List<String>> rows = new ArrayList<>();
        for (NodeStatus n : s.getNodesList()) {
            StringBuilder byTenant = new StringBuilder();
            new TreeMap<>(n.getPlacementsByTenantMap()).forEach((t, c) ->
                    byTenant.append(byTenant.length() > 0 ? " " : "").append(t).append('=').append(c));
            String status = !n.getTrusted() ? "untrusted" : n.getDraining() ? "draining" : n.getMember().isEmpty()
                    ? "admitted (not a member)" : "up";
            rows.add(List.of(n.getId(), status, n.getKUsed() + "/" + n.getKSlots(),
                    n.getQubitsUsed() + "/" + n.getQubits(),
                    n.getPhiEnvelopes() + " on " + n.getPhiChannels() + " ch (" + n.getPhiSlotsHeld() + " slots)",
                    String.valueOf(n.getContainers()), byTenant.length() == 0 ? "-" : byTenant.toString(),
                    n.getLabelsCount() == 0 ? "-" : String.join(",", n.getLabelsList())));
        }
        sb.append(Tables.render(List.of("NODE", "STATUS", "K SLOTS", "QUBITS", "Φ ENVELOPES", "CONTAINERS",
                "BY TENANT", "LABELS"), rows));
        sb.append('\n');
        List<List<String>> members = new ArrayList<>();
        for (Member m : s.getMembersList()) {
            members.add(List.of(m.getAddress(), m.getStatus() + (m.getUnreachable() ? " (unreachable)" : ""),
                    m.getNodeId().isEmpty() ? "-" : m.getNodeId(),
                    m.getAddress().equals(s.getSingletonMember()) ? "orchestrator" : ""));
        }
        sb.append(Tables.render(List.of("MEMBER", "STATUS", "NODE", "SINGLETON"), members));
        if (s.getTenantsCount() > 0) {
            sb.append('\n');
            List<List<String>> tenants = new ArrayList<>();
            for (TenantPlacements t : s.getTenantsList()) {
                StringBuilder byNode = new StringBuilder();
                new TreeMap<>(t.getByNodeMap()).forEach((n, c) ->
                        byNode.append(byNode.length() > 0 ? " " : "").append(n).append('=').append(c));
                tenants.add(List.of(t.getTenant(), String.valueOf(t.getContainers()), byNode.toString()));
            }
            sb.append(Tables.render(List.of("TENANT", "LIVE CONTAINERS", "BY NODE"), tenants));
        }
        return sb.toString();
    }
}
