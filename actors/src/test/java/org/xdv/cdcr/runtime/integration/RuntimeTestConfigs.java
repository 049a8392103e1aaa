package org.xdv.cdcr.runtime.integration;

import java.nio.file.Files;
import java.nio.file.Path;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.xdv.cdcr.persistence.config.CdcrConfig;

/**
 * Configs of the actors module's test actor systems. Both keep the real Kryo binding and the registrars listed in
 * the persistence and actors {@code reference.conf} ({@code cdcr.serialization.kryo.registrars}), with Java
 * serialization off, plus {@code runtime-test.conf} (quiet logs, ephemeral ports).
 */
public final class RuntimeTestConfigs {

    /** The repository's {@code conf/embedded.conf}; Maven runs the tests in the actors module directory. */
    public static final Path EMBEDDED_CONF = Path.of("..", "conf", "embedded.conf");

    private static final String TEST_OVERRIDES = "runtime-test.conf";

    private RuntimeTestConfigs() {
    }

    /** Local provider and the persistence testkit's in-memory journal, for EventSourcedBehaviorTestKit. */
    public static Config local() {
        return ConfigFactory.load(ConfigFactory.parseResources(TEST_OVERRIDES)
                .withFallback(EventSourcedBehaviorTestKit.config()));
    }

    /**
     * A node configured as {@code NodeLauncher} configures it from {@code conf/embedded.conf} (cluster provider, H2
     * file journal) with its data in {@code dataDir}; only ports, logging and JMX names are made test-friendly.
     */
    public static Config embeddedNode(Path dataDir) {
        if (!Files.isRegularFile(EMBEDDED_CONF)) {
            throw new IllegalStateException("Tests must run in the actors module directory: "
                    + EMBEDDED_CONF.toAbsolutePath() + " not found");
        }
        return ConfigFactory.parseResources(TEST_OVERRIDES)
                .withFallback(CdcrConfig.load(EMBEDDED_CONF, dataDir))
                .resolve();
    }
}
