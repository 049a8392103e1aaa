package org.xdv.cdcr.persistence.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xdv.cdcr.persistence.journal.EmbeddedJournal;
import org.xdv.cdcr.persistence.serialization.KryoSerializer;
import org.xdv.cdcr.persistence.serialization.PersistenceKryoRegistrar;
import org.xdv.cdcr.persistence.testtypes.TestConfigs;

/** {@link CdcrConfig} over the repository's real conf/embedded.conf and conf/node.conf. */
class CdcrConfigTest {

    private static final Path EMBEDDED = TestConfigs.EMBEDDED_CONF;

    @Test
    void dataDirReachesTheH2Url(@TempDir Path tmp) {
        Path data = tmp.resolve("node-1");
        Config config = CdcrConfig.load(EMBEDDED, data);
        String absolute = data.toAbsolutePath().normalize().toString();
        assertThat(config.getString(CdcrConfig.DATA_DIR_KEY)).isEqualTo(absolute);
        assertThat(CdcrConfig.dataDir(config)).isEqualTo(data.toAbsolutePath().normalize());
        assertThat(config.getString("pekko-persistence-jdbc.shared-databases.slick.db.url"))
                .isEqualTo("jdbc:h2:file:" + absolute + "/journal;AUTO_SERVER=TRUE");
        assertThat(config.getString("pekko-persistence-jdbc.shared-databases.slick.profile"))
                .isEqualTo("slick.jdbc.H2Profile$");
    }

    @Test
    void embeddedSelectsTheJdbcPluginsOnOneSharedDatabase(@TempDir Path tmp) {
        Config config = CdcrConfig.load(EMBEDDED, tmp);
        assertThat(config.getString("pekko.persistence.journal.plugin")).isEqualTo(EmbeddedJournal.JOURNAL_PLUGIN_ID);
        assertThat(config.getString("pekko.persistence.snapshot-store.plugin"))
                .isEqualTo(EmbeddedJournal.SNAPSHOT_PLUGIN_ID);
        assertThat(config.getString("pekko.persistence.state.plugin"))
                .isEqualTo(EmbeddedJournal.DURABLE_STATE_PLUGIN_ID);
        for (String plugin : List.of(EmbeddedJournal.JOURNAL_PLUGIN_ID, EmbeddedJournal.SNAPSHOT_PLUGIN_ID,
                EmbeddedJournal.READ_JOURNAL_PLUGIN_ID, EmbeddedJournal.DURABLE_STATE_PLUGIN_ID)) {
            assertThat(config.getString(plugin + ".use-shared-db")).as(plugin).isEqualTo("slick");
        }
    }

    @Test
    void nodeConfIsIncludedWithSerializationAndClusterDefaults(@TempDir Path tmp) {
        Config config = CdcrConfig.load(EMBEDDED, tmp);
        assertThat(config.getString("pekko.actor.provider")).isEqualTo("cluster");
        assertThat(config.getBoolean("pekko.actor.allow-java-serialization")).isFalse();
        assertThat(config.getString("pekko.actor.serializers.cdcr-kryo")).isEqualTo(KryoSerializer.class.getName());
        assertThat(config.getString(
                "pekko.actor.serialization-bindings.\"org.xdv.cdcr.persistence.KryoSerializable\""))
                .isEqualTo("cdcr-kryo");
        assertThat(config.getString("pekko.cluster.downing-provider-class"))
                .isEqualTo("org.apache.pekko.cluster.sbr.SplitBrainResolverProvider");
        assertThat(config.getString("pekko.remote.artery.canonical.hostname")).isEqualTo("127.0.0.1");
        assertThat(new LinkedHashSet<>(config.getStringList(KryoSerializer.REGISTRARS_KEY)))
                .containsExactly(PersistenceKryoRegistrar.class.getName());
    }

    @Test
    void includeIsResolvedNextToTheFileNotTheWorkingDirectory(@TempDir Path tmp) throws Exception {
        Path confDir = Files.createDirectories(tmp.resolve("elsewhere/conf"));
        Files.copy(EMBEDDED, confDir.resolve("embedded.conf"));
        Files.writeString(confDir.resolve("node.conf"), "pekko.remote.artery.canonical.hostname = \"10.9.8.7\"\n");
        Config config = CdcrConfig.load(confDir.resolve("embedded.conf"), tmp.resolve("data"));
        assertThat(config.getString("pekko.remote.artery.canonical.hostname")).isEqualTo("10.9.8.7");
    }

    @Test
    void withoutDataDirTheConfiguredOneIsMadeAbsolute() {
        Config config = CdcrConfig.load(EMBEDDED);
        Path expected = Path.of("data").toAbsolutePath().normalize();
        assertThat(CdcrConfig.dataDir(config)).isEqualTo(expected);
        assertThat(config.getString("pekko-persistence-jdbc.shared-databases.slick.db.url"))
                .isEqualTo("jdbc:h2:file:" + expected + "/journal;AUTO_SERVER=TRUE");
    }

    @Test
    void systemPropertyOverridesTheFileAndTheDataOptionOverridesBoth(@TempDir Path tmp) {
        Path fromProperty = tmp.resolve("from-property");
        System.setProperty(CdcrConfig.DATA_DIR_KEY, fromProperty.toString());
        ConfigFactory.invalidateCaches();
        try {
            assertThat(CdcrConfig.dataDir(CdcrConfig.load(EMBEDDED))).isEqualTo(fromProperty);
            Path fromOption = tmp.resolve("from-option");
            assertThat(CdcrConfig.dataDir(CdcrConfig.load(EMBEDDED, fromOption))).isEqualTo(fromOption);
        } finally {
            System.clearProperty(CdcrConfig.DATA_DIR_KEY);
            ConfigFactory.invalidateCaches();
        }
    }

    @Test
    void relativeDataDirIsResolvedAgainstTheWorkingDirectory() {
        Config config = CdcrConfig.load(EMBEDDED, Path.of("target", "..", "target", "rel-data"));
        assertThat(CdcrConfig.dataDir(config)).isEqualTo(Path.of("target/rel-data").toAbsolutePath());
    }

    @Test
    void badInputFailsClearly(@TempDir Path tmp) {
        Path missing = tmp.resolve("nope.conf");
        assertThatThrownBy(() -> CdcrConfig.load(missing, tmp))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(missing.toAbsolutePath().toString())
                .hasMessageContaining("does not exist");
        assertThatThrownBy(() -> CdcrConfig.load(EMBEDDED, tmp.resolve("a;b")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("contains ';'");
    }
}
