package org.xdv.cdcr.node.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.xdv.cdcr.runtime.core.container.ContainerResult;
import org.xdv.cdcr.runtime.core.container.ContainerState;

/** Plain-text tables for people: columns sized to their content. */
public final class Tables {

    private Tables() {
    }

    public static String render(List<String> header, List<List<String>> rows) {
        int[] w = new int[header.size()];
        for (int i = 0; i < w.length; i++) {
            w[i] = header.get(i).length();
            for (List<String> r : rows) {
                w[i] = Math.max(w[i], r.get(i).length());
            }
        }
        StringBuilder sb = new StringBuilder();
        line(sb, header, w);
        List<String> rule = new ArrayList<>();
        for (int x : w) {
            rule.add("-".repeat(x));
        }
        line(sb, rule, w);
        for (List<String> r : rows) {
            line(sb, r, w);
        }
        return sb.toString();
    }

    private static void line(StringBuilder sb, List<String> cells, int[] w) {
        for (int i = 0; i < cells.size(); i++) {
            String c = cells.get(i);
            sb.append(c);
            if (i < cells.size() - 1) {
                sb.append(" ".repeat(w[i] - c.length() + 2));
            }
        }
        sb.append('\n');
    }

    public static final List<String> CONTAINER_HEADER =
            List.of("CONTAINER", "TENANT", "STATE", "NODE", "QUBITS", "Φ WINDOW", "RESULT");

    /** One row of the container table. */
    public static List<String> containerRow(ContainerState s) {
        String tenant = s.spec().map(sp -> sp.tenant()).orElse("?");
        String qubits = s.spec().flatMap(sp -> sp.q()).map(q -> String.valueOf(q.qubits())).orElse("-");
        String window = s.envelope().map(e -> "ch" + e.channel() + " [" + e.startSlot() + "," + e.endSlot() + ")")
                .orElse("-");
        return List.of(s.id(), tenant, s.state().display(), s.node().orElse("-"), qubits, window, result(s));
    }

    /** A short result: counts (most frequent first, at most four), Φ summary, or how it ended. */
    public static String result(ContainerState s) {
        if (s.termination().isEmpty()) {
            return "";
        }
        List<String> parts = new ArrayList<>();
        if (s.result().isPresent()) {
            ContainerResult r = s.result().get();
            if (!r.counts().isEmpty()) {
                List<Map.Entry<String, Integer>> top = r.counts().entrySet().stream()
                        .sorted(Map.Entry.<String, Integer>comparingByValue().reversed()
                                .thenComparing(Map.Entry.comparingByKey()))
                        .collect(Collectors.toList());
                StringBuilder c = new StringBuilder();
                for (int i = 0; i < Math.min(4, top.size()); i++) {
                    c.append(i > 0 ? " " : "").append(top.get(i).getKey()).append(':').append(top.get(i).getValue());
                }
                if (top.size() > 4) {
                    c.append(" +").append(top.size() - 4).append(" more");
                }
                parts.add(c.toString());
            }
            r.phi().ifPresent(p -> parts.add(String.format("Φ min %.3f mean %.3f over %d slots", p.minObserved(),
                    p.meanObserved(), p.slots())));
            if (parts.isEmpty()) {
                parts.add(r.detail());
            }
        }
        String how = s.termination().get().label();
        return how.equals("completed") ? String.join("; ", parts)
                : how + ": " + s.termination().get().detail();
    }
}
