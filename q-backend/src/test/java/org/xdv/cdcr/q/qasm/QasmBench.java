package org.xdv.cdcr.q.qasm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Locates the QASMBench circuits of {@code shared/qasmbench} (beside the checkout, as on every developer
 * machine and in CI). A missing directory fails the test: it never silently passes.
 */
public final class QasmBench {

    /** The eight files that are not valid OpenQASM 2.0: they measure an undeclared register {@code q}. */
    public static final Set<String> INVALID = Set.of(
            "hhl_n10.qasm", "hhl_n10_transpiled.qasm",
            "vqe_uccsd_n4.qasm", "vqe_uccsd_n4_transpiled.qasm",
            "vqe_uccsd_n6.qasm", "vqe_uccsd_n6_transpiled.qasm",
            "vqe_uccsd_n8.qasm", "vqe_uccsd_n8_transpiled.qasm");

    private QasmBench() {
    }

    public static Path dir() {
        String prop = System.getProperty("cdcr.qasmbench");
        if (prop != null) {
            return Path.of(prop);
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path candidate = p.resolve("shared").resolve("qasmbench");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("shared/qasmbench not found above " + Path.of("").toAbsolutePath()
                + " (set -Dcdcr.qasmbench=DIR)");
    }

    /** Every .qasm file, sorted by path. */
    public static List<Path> all() {
        try (Stream<Path> s = Files.walk(dir())) {
            return s.filter(p -> p.toString().endsWith(".qasm")).sorted().collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static List<Path> valid() {
        return all().stream().filter(p -> !INVALID.contains(p.getFileName().toString())).collect(Collectors.toList());
    }

    public static Path file(String name) {
        return all().stream().filter(p -> p.getFileName().toString().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no QASMBench file " + name));
    }
}
