package org.xdv.cdcr.persistence.testtypes;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.xdv.cdcr.persistence.config.CdcrConfig;

/** Configs for test actor systems, all with the test types registered. */
public final class TestConfigs {

    /** The repository's {@code conf/embedded.conf}; Maven runs the tests in the module directory. */
    public static final Path EMBEDDED_CONF = Path.of("..", "conf", "embedded.conf");

    private static final String TEST_TYPES = "cdcr-persistence-test.conf";

    private TestConfigs() {
    }

    /** Local provider, in-memory journal of the persistence testkit, Kryo binding from reference.conf. */
    public static Config local() {
        return ConfigFactory.load(ConfigFactory.parseResources(TEST_TYPES)
                .withFallback(EventSourcedBehaviorTestKit.config()));
    }

    /**
     * A node started from the real {@code conf/embedded.conf} (cluster provider, H2 file journal) with data in
     * {@code dataDir}; only the Artery port is made ephemeral so tests never collide.
     */
    public static Config embeddedNode(Path dataDir) {
        if (!Files.isRegularFile(EMBEDDED_CONF)) {
            throw new IllegalStateException("Tests must run in the persistence module directory: "
                    + EMBEDDED_CONF.toAbsolutePath() + " not found");
        }
        return ConfigFactory.parseResources(TEST_TYPES)
                .withFallback(ConfigFactory.parseString("""
                        pekko.remote.artery.canonical.port = 0
                        pekko.cluster.jmx.multi-mbeans-in-same-jvm = on
                        """))
                .withFallback(CdcrConfig.load(EMBEDDED_CONF, dataDir))
                .resolve();
    }
}
