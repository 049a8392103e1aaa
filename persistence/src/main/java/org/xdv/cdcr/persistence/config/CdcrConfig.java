package org.xdv.cdcr.persistence.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * Loads a node's configuration from a file such as {@code conf/embedded.conf}.
 *
 * <p>Layers, highest first: the data directory given to {@link #load(Path, Path)} (the {@code --data} option),
 * JVM system properties ({@code -Dkey=value}), the config file, then every {@code reference.conf} on the class
 * path. The file is parsed with {@link ConfigFactory#parseFile}, so its {@code include "node.conf"} is looked up
 * next to the file first and on the class path second; {@code application.conf} is not read. Substitutions such
 * as {@code ${cdcr.data-dir}} are resolved after all layers are merged, so {@code --data} reaches the H2 URL.
 *
 * <p>{@value #DATA_DIR_KEY} always ends up absolute and normalized: H2 refuses URLs with a path relative to the
 * working directory, and log lines are clearer with the full path.
 */
public final class CdcrConfig {

    /** Directory for node data (H2 journal files, ...). Default {@code ./data} from reference.conf. */
    public static final String DATA_DIR_KEY = "cdcr.data-dir";

    private CdcrConfig() {
    }

    /** Loads {@code configFile} with the data directory it (or a system property, or reference.conf) names. */
    public static Config load(Path configFile) {
        return load(configFile, null);
    }

    /**
     * Loads {@code configFile} and sets {@value #DATA_DIR_KEY} to {@code dataDir}.
     *
     * @param configFile the node's config file, for example {@code conf/embedded.conf}; must exist
     * @param dataDir    the data directory ({@code --data}), or {@code null} to keep the configured one
     * @throws IllegalArgumentException if the file is missing or the data directory cannot go into an H2 URL
     * @throws com.typesafe.config.ConfigException if the file does not parse or a substitution is unresolved
     */
    public static Config load(Path configFile, Path dataDir) {
        Objects.requireNonNull(configFile, "configFile");
        if (!Files.isRegularFile(configFile)) {
            throw new IllegalArgumentException("Config file " + configFile.toAbsolutePath() + " does not exist");
        }
        Config file = ConfigFactory.parseFile(configFile.toFile(), ConfigParseOptions.defaults().setAllowMissing(false));
        Config layered = ConfigFactory.defaultOverrides()
                .withFallback(file)
                .withFallback(ConfigFactory.defaultReference());
        Path dir = dataDir != null ? dataDir : Path.of(layered.resolve().getString(DATA_DIR_KEY));
        String absolute = dir.toAbsolutePath().normalize().toString();
        if (absolute.indexOf(';') >= 0) {
            throw new IllegalArgumentException("Data directory " + absolute + " contains ';', which would end the "
                    + "H2 database path in the JDBC URL; choose another directory");
        }
        return ConfigFactory.parseMap(Map.of(DATA_DIR_KEY, absolute), "data directory (--data)")
                .withFallback(layered)
                .resolve();
    }

    /** The absolute data directory of a config returned by {@link #load}. */
    public static Path dataDir(Config config) {
        return Path.of(config.getString(DATA_DIR_KEY));
    }
}
