package org.xdv.cdcr.runtime.core.spec;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.xdv.cdcr.q.circuit.Circuit;
import org.xdv.cdcr.q.qasm.QasmParseException;
import org.xdv.cdcr.q.qasm.QasmParser;
import org.xdv.cdcr.runtime.core.Capabilities;
import org.xdv.cdcr.runtime.core.dao.Affinity;

/**
 * Reads a container spec from YAML or JSON text (one schema, {@code docs/container-spec.md}) and validates
 * every field, collecting one message per problem. The QASM circuit is parsed here, so a malformed circuit is
 * refused at submission with its line and column. A WebAssembly module ({@code k.module}, {@code k.moduleBase64}) is
 * decoded and checked against the VHM host ABI ({@link VhmAbi}) here too. Pure: no I/O beyond the text it is
 * given and the module file the caller's {@link ModuleFiles} reads.
 */
public final class SpecParser {

    /** Largest spec accepted, checked before parsing. */
    public static final int MAX_SPEC_BYTES = 1 << 20;
    public static final int MAX_QUBITS = 28;
    public static final int MAX_SHOTS = 1_000_000;
    public static final long MAX_PHI_SLOTS = 1_000_000;
    /** Largest linear memory a VHM may be given: 1024 pages of 64 KiB = 64 MiB. */
    public static final int MAX_MEMORY_PAGES = 1024;
    /** Arguments of a module's entry export. */
    public static final int MAX_ARGS = 16;

    // A key given twice is refused rather than silently taking the last value (e.g. two `tenant` lines).
    private static final ObjectMapper YAML = new ObjectMapper(
            new YAMLFactory().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION));
    private static final ObjectMapper JSON = new ObjectMapper(
            new JsonFactory().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION));

    /** Compiled once: {@code String.matches} would compile the pattern again on every spec. */
    private static final java.util.regex.Pattern NAME = java.util.regex.Pattern.compile("[a-z][a-z0-9-]{0,62}");
    private static final java.util.regex.Pattern ENTRY_NAME =
            java.util.regex.Pattern.compile("[A-Za-z_][A-Za-z0-9_.$-]{0,63}");
    private static final Set<String> TOP = Set.of("tenant", "name", "k", "q", "phi", "capabilities", "policy");
    private static final Set<String> K = Set.of("program", "module", "moduleBase64", "entry", "args", "slots", "fuel",
            "memoryPages");

    /** Reads the file a spec's {@code k.module} names (the submitting client resolves it, e.g. beside the spec). */
    @FunctionalInterface
    public interface ModuleFiles {
        byte[] read(String path) throws java.io.IOException;

        /** For text that arrives without a folder (the control plane): {@code k.module} must be inline. */
        ModuleFiles NONE = path -> {
            throw new java.io.IOException("module files are not readable here; inline the module with k.moduleBase64");
        };
    }
    private static final Set<String> Q = Set.of("qubits", "qasm", "shots", "decoherenceBudget", "seed");
    private static final Set<String> PHI = Set.of("slots", "stabilityFloor", "shareWith");
    private static final Set<String> POLICY = Set.of("affinity", "labels", "avoidLabels", "priority", "restart");

    private SpecParser() {
    }

    public static ContainerSpec parse(String text) throws SpecException {
        return parse(text, ModuleFiles.NONE);
    }

    /** Parses {@code text}; a {@code k.module} file is read through {@code files}. */
    public static ContainerSpec parse(String text, ModuleFiles files) throws SpecException {
        List<SpecException.FieldError> errors = new ArrayList<>();
        if (text == null || text.isBlank()) {
            throw new SpecException(List.of(new SpecException.FieldError("spec", "is empty")));
        }
        if (text.length() > MAX_SPEC_BYTES || text.getBytes(StandardCharsets.UTF_8).length > MAX_SPEC_BYTES) {
            throw new SpecException(List.of(new SpecException.FieldError("spec",
                    "is larger than " + MAX_SPEC_BYTES + " bytes")));
        }
        JsonNode root;
        try {
            root = (text.stripLeading().startsWith("{") ? JSON : YAML).readTree(text);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr();
            throw new SpecException(List.of(new SpecException.FieldError("spec",
                    "is not valid YAML or JSON" + where + ": " + e.getOriginalMessage())));
        }
        if (root == null || !root.isObject()) {
            throw new SpecException(List.of(new SpecException.FieldError("spec", "must be a mapping of fields")));
        }
        unknown(root, TOP, "", errors);
        String tenant = name(root, "tenant", errors);
        String name = name(root, "name", errors);

        JsonNode kNode = object(root, "k", errors);
        unknown(kNode, K, "k.", errors);
        String program = text(kNode, "program", "k.program", ContainerSpec.KSpec.BUILTIN, errors);
        int kSlots = (int) number(kNode, "slots", "k.slots", 1, 1, 64, errors);
        long fuel = number(kNode, "fuel", "k.fuel", 10_000_000, 1, Long.MAX_VALUE, errors);
        int pages = (int) number(kNode, "memoryPages", "k.memoryPages", 16, 1, MAX_MEMORY_PAGES, errors);
        String moduleFile = text(kNode, "module", "k.module", null, errors);
        String moduleInline = text(kNode, "moduleBase64", "k.moduleBase64", null, errors);
        if (moduleFile != null || moduleInline != null) {
            if (kNode.has("program")) {
                errors.add(new SpecException.FieldError("k.program", "is for the built-in program; a spec with a "
                        + "module leaves it out"));
            }
            program = wasmProgram(kNode, moduleFile, moduleInline, pages, files, errors);
        } else {
            if (!program.equals(ContainerSpec.KSpec.BUILTIN)) {
                errors.add(new SpecException.FieldError("k.program", "must be '" + ContainerSpec.KSpec.BUILTIN
                        + "' (or give k.module / k.moduleBase64 for a WebAssembly program)"));
            }
            for (String f : List.of("entry", "args")) {
                if (kNode != null && kNode.has(f)) {
                    errors.add(new SpecException.FieldError("k." + f, "needs k.module or k.moduleBase64"));
                }
            }
        }
        ContainerSpec.KSpec k = new ContainerSpec.KSpec(program, kSlots, fuel, pages);

        Optional<ContainerSpec.QSpec> q = Optional.empty();
        if (root.has("q") && !root.get("q").isNull()) {
            JsonNode qNode = object(root, "q", errors);
            unknown(qNode, Q, "q.", errors);
            int qubits = (int) number(qNode, "qubits", "q.qubits", -1, 1, MAX_QUBITS, errors);
            int shots = (int) number(qNode, "shots", "q.shots", 1024, 1, MAX_SHOTS, errors);
            long budget = number(qNode, "decoherenceBudget", "q.decoherenceBudget", 100_000, 1, Long.MAX_VALUE, errors);
            long seed = qNode != null && qNode.has("seed") ? number(qNode, "seed", "q.seed", 0, Long.MIN_VALUE,
                    Long.MAX_VALUE, errors) : defaultSeed(tenant + "/" + name);
            String qasm = text(qNode, "qasm", "q.qasm", null, errors);
            if (qasm == null && qNode != null && (!qNode.has("qasm") || qNode.get("qasm").isNull())
                    && program.equals(ContainerSpec.KSpec.BUILTIN)) {
                // the built-in program runs the declared circuit; a module may build its own
                errors.add(new SpecException.FieldError("q.qasm", "is required"));
            }
            if (qasm != null) {
                try {
                    Circuit c = QasmParser.parse(qasm, "q.qasm");
                    if (qubits > 0 && c.numQubits() > qubits) {
                        errors.add(new SpecException.FieldError("q.qubits", "the circuit uses " + c.numQubits()
                                + " qubits but only " + qubits + " are requested"));
                    }
                } catch (QasmParseException e) {
                    errors.add(new SpecException.FieldError("q.qasm", "line " + e.line() + ", column " + e.column()
                            + ": " + e.detail()));
                }
            }
            q = Optional.of(new ContainerSpec.QSpec(qubits, qasm == null ? "" : qasm, shots, budget, seed));
        }

        Optional<ContainerSpec.PhiSpec> phi = Optional.empty();
        if (root.has("phi") && !root.get("phi").isNull()) {
            JsonNode pNode = object(root, "phi", errors);
            unknown(pNode, PHI, "phi.", errors);
            long slots = number(pNode, "slots", "phi.slots", -1, 1, MAX_PHI_SLOTS, errors);
            double floor = 0.5;
            if (pNode != null && pNode.has("stabilityFloor")) {
                JsonNode f = pNode.get("stabilityFloor");
                if (!f.isNumber() || f.asDouble() < 0 || f.asDouble() > 1) {
                    errors.add(new SpecException.FieldError("phi.stabilityFloor", "must be a number in [0, 1]"));
                } else {
                    floor = f.asDouble();
                }
            }
            String share = text(pNode, "shareWith", "phi.shareWith", null, errors);
            phi = Optional.of(new ContainerSpec.PhiSpec(slots, floor, Optional.ofNullable(share)));
        }

        List<String> caps = strings(root, "capabilities", "capabilities", errors);
        for (String c : caps) {
            if (!Capabilities.known(c)) {
                errors.add(new SpecException.FieldError("capabilities", "unknown capability '" + c + "' (known: "
                        + String.join(", ", Capabilities.ALL) + ")"));
            }
        }

        JsonNode pol = root.has("policy") ? object(root, "policy", errors) : null;
        unknown(pol, POLICY, "policy.", errors);
        Affinity affinity = phi.isPresent() ? Affinity.PHI_COHERENT : q.isPresent() ? Affinity.Q_HEAVY : Affinity.BALANCED;
        String aff = text(pol, "affinity", "policy.affinity", null, errors);
        if (aff != null) {
            switch (aff) {
                case "balanced" -> affinity = Affinity.BALANCED;
                case "q-heavy" -> affinity = Affinity.Q_HEAVY;
                case "phi-coherent" -> affinity = Affinity.PHI_COHERENT;
                default -> errors.add(new SpecException.FieldError("policy.affinity",
                        "must be balanced, q-heavy or phi-coherent, not '" + aff + "'"));
            }
        }
        ContainerSpec.Restart restart = ContainerSpec.Restart.RESCHEDULE;
        String r = text(pol, "restart", "policy.restart", null, errors);
        if (r != null) {
            switch (r) {
                case "reschedule" -> restart = ContainerSpec.Restart.RESCHEDULE;
                case "never" -> restart = ContainerSpec.Restart.NEVER;
                default -> errors.add(new SpecException.FieldError("policy.restart",
                        "must be reschedule or never, not '" + r + "'"));
            }
        }
        int priority = (int) number(pol, "priority", "policy.priority", 0, -1000, 1000, errors);
        List<String> labels = strings(pol, "labels", "policy.labels", errors);
        List<String> avoid = strings(pol, "avoidLabels", "policy.avoidLabels", errors);

        if (!errors.isEmpty()) {
            throw new SpecException(errors);
        }
        return new ContainerSpec(tenant, name, k, q, phi, caps,
                new ContainerSpec.PolicySpec(affinity, labels, avoid, priority, restart));
    }

    /**
     * For a submitting client: if the spec's {@code k.module} names a file, returns the spec as JSON with the file's
     * bytes inlined as {@code k.moduleBase64} (the control plane reads no client files); otherwise the text itself.
     */
    public static String inlineModule(String text, ModuleFiles files) throws java.io.IOException {
        JsonNode root;
        try {
            root = (text.stripLeading().startsWith("{") ? JSON : YAML).readTree(text);
        } catch (JsonProcessingException e) {
            return text; // the control plane reports it with its position
        }
        if (root == null || !root.isObject() || !(root.get("k") instanceof com.fasterxml.jackson.databind.node.ObjectNode k)
                || !k.has("module") || !k.get("module").isTextual()) {
            return text;
        }
        byte[] bytes = files.read(k.get("module").asText());
        k.remove("module");
        k.put("moduleBase64", java.util.Base64.getEncoder().encodeToString(bytes));
        return JSON.writeValueAsString(root);
    }

    private static String wasmProgram(JsonNode kNode, String file, String inline, int pages, ModuleFiles files,
                                      List<SpecException.FieldError> errors) {
        byte[] bytes = null;
        String field = file != null ? "k.module" : "k.moduleBase64";
        if (file != null && inline != null) {
            errors.add(new SpecException.FieldError("k.module", "give either k.module or k.moduleBase64, not both"));
            return "";
        }
        if (file != null) {
            try {
                bytes = files.read(file);
            } catch (java.io.IOException | RuntimeException e) {
                errors.add(new SpecException.FieldError("k.module", "cannot read '" + file + "': " + e.getMessage()));
            }
        } else {
            try {
                bytes = java.util.Base64.getDecoder().decode(inline.replaceAll("\\s", ""));
            } catch (IllegalArgumentException e) {
                errors.add(new SpecException.FieldError("k.moduleBase64", "is not base64: " + e.getMessage()));
            }
        }
        String entry = text(kNode, "entry", "k.entry", "run", errors);
        if (!ENTRY_NAME.matcher(entry).matches()) {
            errors.add(new SpecException.FieldError("k.entry", "must be an export name of letters, digits, '_', '.',"
                    + " '$' or '-' (at most 64)"));
        }
        List<Long> args = new ArrayList<>();
        if (kNode.has("args") && !kNode.get("args").isNull()) {
            JsonNode a = kNode.get("args");
            if (!a.isArray() || a.size() > MAX_ARGS) {
                errors.add(new SpecException.FieldError("k.args", "must be a list of at most " + MAX_ARGS
                        + " whole numbers"));
            } else {
                for (JsonNode x : a) {
                    if (!x.isIntegralNumber() || !x.canConvertToLong()) {
                        errors.add(new SpecException.FieldError("k.args", "must be a list of whole numbers"));
                        break;
                    }
                    args.add(x.asLong());
                }
            }
        }
        if (bytes == null) {
            return "";
        }
        List<String> problems = new ArrayList<>();
        VhmAbi.check(bytes, entry, args.size(), pages, problems);
        for (String p : problems) {
            errors.add(new SpecException.FieldError(field, p));
        }
        return new WasmProgram(bytes, entry, args).encode();
    }

    /** Seed of a container's Q measurements when the spec gives none: the first 8 bytes of SHA-256(id). */
    public static long defaultSeed(String containerId) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(containerId.getBytes(StandardCharsets.UTF_8));
            long s = 0;
            for (int i = 0; i < 8; i++) {
                s = (s << 8) | (h[i] & 0xff);
            }
            return s;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void unknown(JsonNode node, Set<String> known, String prefix, List<SpecException.FieldError> errors) {
        if (node == null || !node.isObject()) {
            return;
        }
        Iterator<String> it = node.fieldNames();
        while (it.hasNext()) {
            String f = it.next();
            if (!known.contains(f)) {
                errors.add(new SpecException.FieldError(prefix + f, "unknown field (known: "
                        + String.join(", ", new java.util.TreeSet<>(known)) + ")"));
            }
        }
    }

    private static JsonNode object(JsonNode parent, String field, List<SpecException.FieldError> errors) {
        JsonNode n = parent.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isObject()) {
            errors.add(new SpecException.FieldError(field, "must be a mapping"));
            return null;
        }
        return n;
    }

    private static String name(JsonNode root, String field, List<SpecException.FieldError> errors) {
        String v = text(root, field, field, null, errors);
        if (v == null) {
            if (!root.has(field) || root.get(field).isNull()) { // present but not text: already reported
                errors.add(new SpecException.FieldError(field, "is required"));
            }
            return "";
        }
        if (!NAME.matcher(v).matches()) {
            errors.add(new SpecException.FieldError(field,
                    "must be 1-63 characters of a-z, 0-9 and '-', starting with a letter"));
        }
        return v;
    }

    private static String text(JsonNode node, String field, String path, String dflt,
                               List<SpecException.FieldError> errors) {
        if (node == null || !node.has(field) || node.get(field).isNull()) {
            return dflt;
        }
        JsonNode v = node.get(field);
        if (!v.isTextual()) {
            errors.add(new SpecException.FieldError(path, "must be text"));
            return dflt;
        }
        return v.asText();
    }

    private static long number(JsonNode node, String field, String path, long dflt, long min, long max,
                               List<SpecException.FieldError> errors) {
        if (node == null || !node.has(field) || node.get(field).isNull()) {
            if (dflt < min) {
                errors.add(new SpecException.FieldError(path, "is required"));
            }
            return dflt;
        }
        JsonNode v = node.get(field);
        if (!v.canConvertToLong() || !v.isIntegralNumber()) {
            errors.add(new SpecException.FieldError(path, "must be a whole number"));
            return dflt;
        }
        long x = v.asLong();
        if (x < min || x > max) {
            errors.add(new SpecException.FieldError(path, "must be in " + min + ".." + max + ", was " + x));
        }
        return x;
    }

    private static List<String> strings(JsonNode node, String field, String path,
                                        List<SpecException.FieldError> errors) {
        List<String> out = new ArrayList<>();
        if (node == null || !node.has(field) || node.get(field).isNull()) {
            return out;
        }
        JsonNode v = node.get(field);
        if (!v.isArray()) {
            errors.add(new SpecException.FieldError(path, "must be a list of text"));
            return out;
        }
        for (JsonNode e : v) {
            if (!e.isTextual()) {
                errors.add(new SpecException.FieldError(path, "must be a list of text"));
                return out;
            }
            out.add(e.asText());
        }
        return out;
    }
}
