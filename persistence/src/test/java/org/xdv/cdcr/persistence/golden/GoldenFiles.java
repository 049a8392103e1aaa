package org.xdv.cdcr.persistence.golden;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.pekko.serialization.SerializerWithStringManifest;
import org.xdv.cdcr.persistence.serialization.KryoRegistry;
import org.xdv.cdcr.persistence.serialization.KryoSerializer;

/**
 * Golden byte files: guards that what we persist today is read back the same way forever.
 *
 * <p>For a value and a name, {@code <dir>/<name>.bin} holds the serializer's bytes and {@code <dir>/<name>.manifest}
 * its manifest (the Kryo registration id). {@link #assertGolden} fails if
 * <ul>
 *   <li>either file is missing: it writes it from the current output and fails, asking the developer to review
 *       and commit it (so a new golden test never passes silently, and CI fails on a missing file);</li>
 *   <li>the manifest or the bytes differ (the wire format changed: that breaks stored events);</li>
 *   <li>the golden bytes do not deserialize to a value equal to {@code value}.</li>
 * </ul>
 * The default directory is {@code src/test/resources/golden} of the module under test (Maven runs tests in
 * the module directory); the system property {@value #DIR_PROPERTY} overrides it. Use it from another module
 * through this module's test-jar ({@code <type>test-jar</type>}, scope test).
 */
public final class GoldenFiles {

    /** System property naming the golden directory. */
    public static final String DIR_PROPERTY = "golden.dir";

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

    private GoldenFiles() {
    }

    /** {@code src/test/resources/golden}, or the directory named by {@value #DIR_PROPERTY}. */
    public static Path defaultDirectory() {
        return Path.of(System.getProperty(DIR_PROPERTY, "src/test/resources/golden"));
    }

    /** Checks {@code value} against its golden files, serialized by a serializer over {@code registry}. */
    public static void assertGolden(KryoRegistry registry, String name, Object value) {
        assertGolden(new KryoSerializer(registry), name, value);
    }

    /** Checks {@code value} against its golden files in {@link #defaultDirectory()}. */
    public static void assertGolden(SerializerWithStringManifest serializer, String name, Object value) {
        assertGolden(defaultDirectory(), serializer, name, value);
    }

    /** Checks {@code value} against {@code <directory>/<name>.bin} and {@code <directory>/<name>.manifest}. */
    public static void assertGolden(Path directory, SerializerWithStringManifest serializer, String name,
                                    Object value) {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("Golden file name '" + name + "' must match " + NAME);
        }
        byte[] bytes = serializer.toBinary(value);
        String manifest = serializer.manifest(value);
        Path binFile = directory.resolve(name + ".bin");
        Path manifestFile = directory.resolve(name + ".manifest");

        List<Path> written = new ArrayList<>();
        try {
            if (!Files.exists(binFile)) {
                Files.createDirectories(directory);
                Files.write(binFile, bytes);
                written.add(binFile);
            }
            if (!Files.exists(manifestFile)) {
                Files.createDirectories(directory);
                Files.writeString(manifestFile, manifest + "\n", StandardCharsets.UTF_8);
                written.add(manifestFile);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write golden file for " + name, e);
        }
        if (!written.isEmpty()) {
            fail("Golden file(s) missing for '" + name + "' (" + value.getClass().getName() + "); written now from "
                    + "the current serializer output:\n  " + String.join("\n  ", written.stream()
                    .map(p -> p.toAbsolutePath().toString()).toList())
                    + "\nCheck that they encode the value you meant (" + value + "), commit them with the test, "
                    + "and run the test again. From then on they guard the wire format.");
        }

        byte[] golden;
        String goldenManifest;
        try {
            golden = Files.readAllBytes(binFile);
            goldenManifest = Files.readString(manifestFile, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read golden files of " + name, e);
        }

        if (!goldenManifest.equals(manifest)) {
            fail("Manifest of '" + name + "' (" + value.getClass().getName() + ") changed: golden file says "
                    + goldenManifest + ", the serializer now says " + manifest + ". Registration ids are stored with "
                    + "every event and must never change; restore the id in the KryoRegistrar.");
        }
        if (!Arrays.equals(golden, bytes)) {
            fail("Serialized bytes of '" + name + "' (" + value.getClass().getName() + ") differ from " + binFile
                    + ": " + describeDifference(golden, bytes) + "\nThe wire format changed, so events already in a "
                    + "journal would no longer read back. Restore the class's fields (or the ids of its field types); "
                    + "for a real change add a new class with a new id and keep the old one readable (rules in "
                    + "KryoRegistry). Only a golden file that never shipped may be deleted and regenerated.");
        }
        Object decoded;
        try {
            decoded = serializer.fromBinary(golden, goldenManifest);
        } catch (Exception e) {
            throw new AssertionError("Golden bytes of '" + name + "' (" + binFile + ") no longer deserialize: " + e, e);
        }
        if (!value.equals(decoded)) {
            fail("Golden bytes of '" + name + "' deserialize to\n  " + decoded + "\nwhich is not equal to\n  " + value);
        }
    }

    private static String describeDifference(byte[] golden, byte[] now) {
        int i = 0;
        while (i < golden.length && i < now.length && golden[i] == now[i]) {
            i++;
        }
        return "golden " + golden.length + " bytes, now " + now.length + " bytes, first difference at byte " + i
                + "\n  golden: " + hex(golden) + "\n  now:    " + hex(now);
    }

    private static String hex(byte[] bytes) {
        StringBuilder sb = new StringBuilder();
        int shown = Math.min(bytes.length, 96);
        for (int i = 0; i < shown; i++) {
            sb.append(String.format("%02x", bytes[i] & 0xff));
            if (i % 4 == 3) {
                sb.append(' ');
            }
        }
        if (shown < bytes.length) {
            sb.append("…");
        }
        return sb.toString();
    }
}
