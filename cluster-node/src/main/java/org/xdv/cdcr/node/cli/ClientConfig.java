package org.xdv.cdcr.node.cli;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Properties;

/**
 * The client's settings file, {@code ~/.cdcr/config} ({@code CDCR_CLIENT_CONFIG} or {@code --client-config} name
 * another): Java properties with {@code endpoint = HOST:PORT} and {@code token = <bearer token>}. Written by
 * {@code cdcr tenants create NAME --save} (mode 0600) or by hand.
 *
 * <p>Precedence for each setting: the command-line option, then the environment ({@code CDCR_ENDPOINT},
 * {@code CDCR_TOKEN}), then this file, then the default endpoint {@value #DEFAULT_ENDPOINT}.
 */
public record ClientConfig(String endpoint, String token) {

    public static final String DEFAULT_ENDPOINT = "127.0.0.1:8470";

    /** The settings file to use. */
    public static Path file(Path option) {
        if (option != null) {
            return option;
        }
        String env = System.getenv("CDCR_CLIENT_CONFIG");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        return Path.of(System.getProperty("user.home"), ".cdcr", "config");
    }

    /** The file's settings (nulls when the file or a key is missing). */
    public static ClientConfig read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            return new ClientConfig(null, null);
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        }
        return new ClientConfig(blankToNull(p.getProperty("endpoint")), blankToNull(p.getProperty("token")));
    }

    /** Writes endpoint and token, readable by the owner only. */
    public static void write(Path file, String endpoint, String token) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        if (!Files.exists(file)) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } else {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        }
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("# cdcr client settings (see docs/control-plane.md)\n");
            w.write("endpoint = " + endpoint + "\n");
            w.write("token = " + token + "\n");
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
