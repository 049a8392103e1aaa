package org.xdv.cdcr.runtime.vhm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

import org.junit.jupiter.api.Test;
import org.xdv.cdcr.runtime.core.container.Termination;
import org.xdv.cdcr.runtime.core.spec.ContainerSpec;
import org.xdv.cdcr.runtime.core.spec.SpecException;
import org.xdv.cdcr.runtime.core.spec.SpecParser;

/**
 * What a K program logs through {@code cdcr.log} is kept in order, within the VHM's budget per run (1000 lines,
 * 64 KiB); lines past it are counted, not kept — so a container cannot flood its journal or its node.
 */
class VhmLogTest {

    static final Path LOGGER = Path.of("src", "test", "resources", "vhm", "logger.wasm");
    /** The logger module's text, 134 bytes: a line of {@code len} bytes is its first {@code len}. */
    static final String TEXT = "logger line: the quick brown fox jumps over the lazy dog; pack my box with five dozen "
            + "liquor jugs; how vexingly quick daft zebras jump";

    private final VhmFixture node = new VhmFixture();

    /** A spec running the logger module (inline) with {@code lines} lines of {@code len} bytes. */
    static String spec(String tenant, String name, int lines, int len) {
        try {
            return "tenant: " + tenant + "\nname: " + name + "\ncapabilities: [k.exec, log.write]\nk:\n"
                    + "  moduleBase64: " + Base64.getEncoder().encodeToString(Files.readAllBytes(LOGGER)) + "\n"
                    + "  args: [" + lines + ", " + len + "]\n  fuel: 10000000\n  memoryPages: 1\n";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Vhm.Outcome run(int lines, int len) throws SpecException {
        ContainerSpec spec = SpecParser.parse(spec("acme", "logger", lines, len));
        Vhm.Outcome o = node.run(spec);
        assertThat(o.termination()).isEqualTo(Termination.completed());
        return o;
    }

    @Test
    void linesAreKeptInOrder() throws SpecException {
        Vhm.Outcome o = run(3, 20);
        assertThat(o.log()).containsExactly(TEXT.substring(0, 20), TEXT.substring(0, 20), TEXT.substring(0, 20));
        assertThat(o.logDropped()).isZero();
    }

    @Test
    void linesPastTheLineBudgetAreCountedNotKept() throws SpecException {
        Vhm.Outcome o = run(1200, 10);
        assertThat(o.log()).hasSize(HostAbi.MAX_LOG_LINES);
        assertThat(o.logDropped()).isEqualTo(200);
    }

    @Test
    void linesPastTheByteBudgetAreCountedNotKept() throws SpecException {
        Vhm.Outcome o = run(700, 100);
        int kept = HostAbi.MAX_LOG_BYTES / 100;
        assertThat(o.log()).hasSize(kept).allSatisfy(l -> assertThat(l).isEqualTo(TEXT.substring(0, 100)));
        assertThat(o.logDropped()).isEqualTo(700 - kept);
    }
}
