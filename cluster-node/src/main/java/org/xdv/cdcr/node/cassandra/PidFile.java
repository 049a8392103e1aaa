package org.xdv.cdcr.node.cassandra;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A process recorded by its id in a file, as {@code cdcr cassandra} and {@code cdcr cluster} keep them. A recorded id
 * counts only while a live process with that id still has {@code marker} in its command line, so a stale file (the
 * process died, the id was reused) never leads to signalling a stranger. Put the marker among the first arguments:
 * Linux reports at most the first 4096 characters of a command line.
 */
public record PidFile(Path file, String marker) {

    /** The live process recorded in the file, if any. */
    public Optional<ProcessHandle> process() {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        long pid;
        try {
            pid = Long.parseLong(Files.readString(file, StandardCharsets.US_ASCII).trim());
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                .filter(p -> p.info().commandLine().map(c -> c.contains(marker)).orElse(false));
    }

    public void write(long pid) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, pid + "\n", StandardCharsets.US_ASCII);
    }

    /**
     * Stops the recorded process: SIGTERM, then SIGKILL after {@code grace}; removes the file. Returns whether a
     * live process was stopped.
     */
    public boolean stop(Duration grace) throws IOException {
        Optional<ProcessHandle> p = process();
        if (p.isPresent()) {
            terminate(p.get(), grace);
        }
        Files.deleteIfExists(file);
        return p.isPresent();
    }

    /** SIGTERM, wait up to {@code grace}, then SIGKILL and wait for the exit. */
    public static void terminate(ProcessHandle p, Duration grace) {
        p.destroy();
        try {
            p.onExit().get(grace.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            p.destroyForcibly();
            try {
                p.onExit().get(10, TimeUnit.SECONDS);
            } catch (Exception ignored) {
                // reported by the caller's status check
            }
        }
    }
}
