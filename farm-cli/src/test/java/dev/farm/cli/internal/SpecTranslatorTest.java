package dev.farm.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.farm.config.Command;
import dev.farm.config.DependencyCondition;
import dev.farm.config.ProbeConfig;
import dev.farm.config.ServiceConfig;
import dev.farm.process.ServiceSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class SpecTranslatorTest {

    private static final Path DIR = Path.of("/project/apps/api");

    @Test
    void aStringCommandRunsThroughTheShellAndAListAsItIs() {
        assertThat(SpecTranslator.argv(new Command.Shell("npm run dev -- --port 3000")))
                .containsExactly("/bin/sh", "-c", "npm run dev -- --port 3000");
        assertThat(SpecTranslator.argv(new Command.Exec(List.of("java", "Api.java"))))
                .containsExactly("java", "Api.java");
    }

    @Test
    void carriesEveryKeyOver() {
        ServiceConfig config = new ServiceConfig(
                "api",
                new Command.Exec(List.of("uvicorn", "main:app")),
                DIR,
                Map.of("LOG_LEVEL", "debug"),
                OptionalInt.of(8000),
                Optional.of(new ProbeConfig.Http("/health", Duration.ofSeconds(5))),
                Map.of("db", DependencyCondition.READY, "cache", DependencyCondition.STARTED));

        ServiceSpec spec = SpecTranslator.translate(config);

        assertThat(spec.name()).isEqualTo("api");
        assertThat(spec.command()).containsExactly("uvicorn", "main:app");
        assertThat(spec.workingDirectory()).isEqualTo(DIR);
        assertThat(spec.environment()).containsExactly(Map.entry("LOG_LEVEL", "debug"));
        assertThat(spec.port()).hasValue(8000);
        assertThat(spec.readiness())
                .get()
                .extracting(p -> p.description())
                .isEqualTo("GET http://127.0.0.1:8000/health should return 2xx or 3xx");
        assertThat(spec.readyTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(spec.dependencies())
                .containsEntry("db", dev.farm.process.DependencyCondition.READY)
                .containsEntry("cache", dev.farm.process.DependencyCondition.STARTED);
    }

    @Test
    void addressIsAUrlForHttpAndHostPortForTcp() {
        ServiceConfig web =
                service(OptionalInt.of(3000), Optional.of(new ProbeConfig.Http("/", Duration.ofSeconds(1))));
        ServiceConfig db = service(OptionalInt.empty(), Optional.of(new ProbeConfig.Tcp(5432, Duration.ofSeconds(1))));
        ServiceConfig worker = service(OptionalInt.empty(), Optional.empty());

        assertThat(SpecTranslator.address(web)).contains("http://127.0.0.1:3000");
        assertThat(SpecTranslator.address(db)).contains("127.0.0.1:5432");
        assertThat(SpecTranslator.address(worker)).isEmpty();
    }

    private static ServiceConfig service(OptionalInt port, Optional<ProbeConfig> ready) {
        return new ServiceConfig("s", new Command.Shell("run"), DIR, Map.of(), port, ready, Map.of());
    }
}
