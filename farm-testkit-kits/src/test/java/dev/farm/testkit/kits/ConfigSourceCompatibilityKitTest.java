package dev.farm.testkit.kits;

import static org.assertj.core.api.Assertions.assertThat;

import dev.farm.config.ConfigException;
import dev.farm.config.ConfigSource;
import dev.farm.config.FarmConfig;
import dev.farm.config.ServiceConfig;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/** The config-source kit catches broken sources: each case is a source with one mistake, run through the launcher. */
class ConfigSourceCompatibilityKitTest {

    @Test
    void aSourceThatDropsDependsOnFailsTheDependsOnTest() {
        KitRuns.Run run = KitRuns.run(IgnoresDependsOnCase.class);

        assertThat(run.failed())
                .containsExactlyInAnyOrder("loadsDependsOnWithEveryCondition", "loadsTheNewContentAfterTheFileChanged");
        assertThat(run.failure("loadsDependsOnWithEveryCondition"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("db");
    }

    @Test
    void aSourceThatReadsTheFileOnlyOnceFailsOnlyTheReloadTest() {
        KitRuns.Run run = KitRuns.run(ReadsOnceCase.class);

        assertThat(run.failed()).containsExactly("loadsTheNewContentAfterTheFileChanged");
        assertThat(run.failure("loadsTheNewContentAfterTheFileChanged")).hasMessageContaining("shop-v2");
    }

    @Test
    void aSourceThatThrowsAnotherExceptionTypeFailsEveryWrongFileTest() {
        KitRuns.Run run = KitRuns.run(WrapsConfigExceptionCase.class);

        assertThat(run.failed())
                .containsExactlyInAnyOrder(
                        "aWrongValueIsAConfigExceptionNamingTheFileAndTheKey",
                        "anUnknownKeyIsAConfigExceptionNamingTheFileAndTheKey",
                        "aDependencyOnAnUndeclaredServiceIsAConfigException",
                        "aDependencyCycleIsAConfigException",
                        "invalidYamlIsAConfigExceptionNamingTheFileAndTheLine",
                        "aMissingFileIsAConfigExceptionNamingIt");
        assertThat(run.summary().getTestsSucceededCount()).isEqualTo(6);
    }

    /** Loads the file, then forgets every service's {@code depends_on}. */
    @EnabledIfSystemProperty(named = KitRuns.RUNNING_CASE, matches = ".+")
    static class IgnoresDependsOnCase extends ConfigSourceCompatibilityKit {
        @Override
        protected ConfigSource source(Path farmYaml) {
            ConfigSource file = ConfigSource.file(farmYaml);
            return () -> {
                FarmConfig config = file.load();
                Map<String, ServiceConfig> services = new LinkedHashMap<>();
                config.services().forEach((name, s) -> services.put(name, withoutDependencies(s)));
                return new FarmConfig(
                        config.name(),
                        config.directory(),
                        config.source(),
                        config.profile(),
                        config.profiles(),
                        services,
                        config.proxy(),
                        config.codegen());
            };
        }

        private static ServiceConfig withoutDependencies(ServiceConfig s) {
            return new ServiceConfig(
                    s.name(),
                    s.kind(),
                    s.command(),
                    s.stop(),
                    s.workingDirectory(),
                    s.environment(),
                    s.port(),
                    s.autoPort(),
                    s.ready(),
                    s.alive(),
                    Map.of(),
                    s.restart(),
                    s.stopSignal(),
                    s.stopTimeout(),
                    s.successExitCodes(),
                    s.adopt(),
                    s.watch(),
                    s.preset(),
                    s.models(),
                    s.group(),
                    s.setup(),
                    s.optional());
        }
    }

    /** Reads the file on the first load() and returns that configuration ever after. */
    @EnabledIfSystemProperty(named = KitRuns.RUNNING_CASE, matches = ".+")
    static class ReadsOnceCase extends ConfigSourceCompatibilityKit {
        @Override
        protected ConfigSource source(Path farmYaml) {
            ConfigSource file = ConfigSource.file(farmYaml);
            FarmConfig[] cached = new FarmConfig[1];
            return () -> {
                if (cached[0] == null) {
                    cached[0] = file.load();
                }
                return cached[0];
            };
        }
    }

    /** Reports a wrong file as an IllegalArgumentException carrying farm's message. */
    @EnabledIfSystemProperty(named = KitRuns.RUNNING_CASE, matches = ".+")
    static class WrapsConfigExceptionCase extends ConfigSourceCompatibilityKit {
        @Override
        protected ConfigSource source(Path farmYaml) {
            ConfigSource file = ConfigSource.file(farmYaml);
            return () -> {
                try {
                    return file.load();
                } catch (ConfigException e) {
                    throw new IllegalArgumentException(e.getMessage(), e);
                }
            };
        }
    }
}
