package org.xdv.cdcr.node.controlplane;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

import org.xdv.cdcr.node.controlplane.auth.Tokens;

/**
 * The operator credential of a node: {@code cdcr.control-plane.operator-token} when set, else the token in
 * {@code <data-dir>/operator.token}, generated (mode 0600) at the first start. Only the hash leaves this class.
 */
public final class OperatorToken {

    public static final String FILE = "operator.token";

    /** Where the token came from and its SHA-256. */
    public record Loaded(String sha256, String source, boolean generated) {
    }

    private OperatorToken() {
    }

    public static Loaded load(String configured, Path dataDir) throws IOException {
        if (configured != null && !configured.isBlank()) {
            return new Loaded(Tokens.sha256(configured.trim()), "cdcr.control-plane.operator-token", false);
        }
        Path file = dataDir.resolve(FILE);
        if (!Files.exists(file)) {
            Files.createDirectories(dataDir);
            String token = Tokens.generate();
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.writeString(file, token + "\n", StandardCharsets.US_ASCII, StandardOpenOption.TRUNCATE_EXISTING);
                return new Loaded(Tokens.sha256(token), file.toString(), true);
            } catch (FileAlreadyExistsException raced) {
                // another process created it first: read theirs below
            }
        }
        String token = Files.readString(file, StandardCharsets.US_ASCII).trim();
        if (token.isEmpty()) {
            throw new IOException(file + " is empty: delete it to generate a new operator token");
        }
        return new Loaded(Tokens.sha256(token), file.toString(), false);
    }
}
