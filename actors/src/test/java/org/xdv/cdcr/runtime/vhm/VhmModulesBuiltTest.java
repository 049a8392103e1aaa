package org.xdv.cdcr.runtime.vhm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every committed {@code .wasm} (examples, built-in runner, benchmark and test modules) is what its {@code .wat} source
 * builds to — checked where {@code wat2wasm} is installed (skipped elsewhere: {@code mvn -B verify} needs no tool),
 * and each source has its module.
 */
class VhmModulesBuiltTest {

    static final List<Path> FOLDERS = List.of(VhmFixture.EXAMPLES, Path.of("src", "main", "resources", "vhm"),
            Path.of("..", "cluster-node", "src", "main", "resources", "vhm-bench"), Path.of("src", "test", "resources", "vhm"));

    static List<Path> sources() throws IOException {
        List<Path> out = new ArrayList<>();
        for (Path dir : FOLDERS) {
            try (Stream<Path> s = Files.list(dir)) {
                s.filter(p -> p.toString().endsWith(".wat")).sorted().forEach(out::add);
            }
        }
        return out;
    }

    static Path wasmOf(Path wat) {
        String name = wat.getFileName().toString();
        return wat.resolveSibling(name.substring(0, name.length() - 4) + ".wasm");
    }

    @Test
    void everySourceHasItsModule() throws IOException {
        assertThat(sources()).hasSizeGreaterThanOrEqualTo(10);
        for (Path wat : sources()) {
            assertThat(wasmOf(wat)).as("module of " + wat).exists();
        }
    }

    @Test
    void committedModulesAreWhatTheirSourcesBuild(@TempDir Path tmp) throws Exception {
        assumeTrue(onPath("wat2wasm"), "wat2wasm is not installed");
        for (Path wat : sources()) {
            Path out = tmp.resolve(wasmOf(wat).getFileName());
            Process p = new ProcessBuilder("wat2wasm", wat.toString(), "-o", out.toString()).redirectErrorStream(true)
                    .start();
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(new String(p.getInputStream().readAllBytes())).isZero();
            assertThat(Files.readAllBytes(wasmOf(wat))).as(wat + " was edited without examples/vhm/build.sh")
                    .isEqualTo(Files.readAllBytes(out));
        }
    }

    private static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }
}
