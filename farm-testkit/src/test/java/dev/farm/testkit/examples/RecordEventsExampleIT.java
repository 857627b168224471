package dev.farm.testkit.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.farm.process.ProcessSupervisor;
import dev.farm.process.ServiceSpec;
import dev.farm.process.ServiceState;
import dev.farm.testkit.ServiceEventRecorder;
import dev.farm.testkit.fixture.FixtureProcess;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The farm-testkit README's example. */
@Timeout(60)
class RecordEventsExampleIT {

    @Test
    void waitsForWhatTheSupervisorReports() throws InterruptedException {
        ServiceEventRecorder events = new ServiceEventRecorder();
        ServiceSpec crasher = ServiceSpec.builder(
                        "crasher",
                        FixtureProcess.builder()
                                .print("bye")
                                .exit(3, Duration.ofMillis(200))
                                .command())
                .build();

        try (ProcessSupervisor supervisor =
                ProcessSupervisor.builder().service(crasher).listener(events).build()) {
            supervisor.start();
            assertThat(events.await("crasher", ServiceState.FAILED, Duration.ofSeconds(30))
                            .exitCode())
                    .hasValue(3);
        }
        assertThat(events.states("crasher"))
                .containsExactly(ServiceState.STARTING, ServiceState.READY, ServiceState.FAILED);
    }
}
