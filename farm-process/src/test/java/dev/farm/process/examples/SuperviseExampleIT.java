package dev.farm.process.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.farm.process.DependencyCondition;
import dev.farm.process.Liveness;
import dev.farm.process.Probes;
import dev.farm.process.ProcessSupervisor;
import dev.farm.process.RestartPolicy;
import dev.farm.process.ServiceSpec;
import dev.farm.process.ServiceState;
import dev.farm.testkit.fixture.FixtureProcess;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The farm-process README's example, with FixtureProcess standing in for a database and an API. */
@Timeout(60)
class SuperviseExampleIT {

    @Test
    void startsInOrderAndStopsEverything() throws IOException {
        int dbPort = FixtureProcess.freePort();
        int apiPort = FixtureProcess.freePort();
        ServiceSpec db = ServiceSpec.builder(
                        "db",
                        FixtureProcess.builder().listen(dbPort, Duration.ZERO).command())
                .readiness(Probes.tcp(dbPort))
                .build();
        ServiceSpec api = ServiceSpec.builder(
                        "api",
                        FixtureProcess.builder().listen(apiPort, Duration.ZERO).command())
                .port(apiPort)
                .readiness(Probes.http(apiPort, "/health"))
                .liveness(new Liveness(Probes.http(apiPort, "/health"), Duration.ofSeconds(10), 3))
                .restart(RestartPolicy.onFailure(5, Duration.ofMillis(200), Duration.ofSeconds(30)))
                .dependsOn("db", DependencyCondition.READY)
                .build();

        try (ProcessSupervisor supervisor = ProcessSupervisor.builder()
                .service(db)
                .service(api)
                .listener(event -> System.out.println(event.service() + " " + event.state()))
                .logSink(line -> System.out.println(line.service() + " | " + line.text()))
                .build()) {
            supervisor.start(); // returns once db, then api, is ready
            assertThat(supervisor.state("api")).isEqualTo(ServiceState.READY);
        } // api stops first, then db, each with every process it started
    }
}
