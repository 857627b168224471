package dev.farm.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.farm.process.ServiceEvent;
import dev.farm.process.ServiceState;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class ServiceEventRecorderTest {

    private final ServiceEventRecorder recorder = new ServiceEventRecorder();

    private static ServiceEvent event(String service, ServiceState state) {
        return new ServiceEvent(service, state, Instant.EPOCH, OptionalLong.empty(), OptionalInt.empty(), "");
    }

    @Test
    void keepsEventsInOrderPerService() {
        recorder.accept(event("api", ServiceState.STARTING));
        recorder.accept(event("web", ServiceState.STARTING));
        recorder.accept(event("api", ServiceState.READY));

        assertThat(recorder.states("api")).containsExactly(ServiceState.STARTING, ServiceState.READY);
        assertThat(recorder.states("web")).containsExactly(ServiceState.STARTING);
        assertThat(recorder.events()).hasSize(3);
    }

    @Test
    void awaitReturnsAnEventRecordedEarlier() throws InterruptedException {
        ServiceEvent ready = event("api", ServiceState.READY);
        recorder.accept(ready);

        assertThat(recorder.await("api", ServiceState.READY, Duration.ZERO)).isSameAs(ready);
    }

    @Test
    void awaitWakesUpWhenAnotherThreadRecords() throws InterruptedException {
        ServiceEvent ready = event("api", ServiceState.READY);
        Thread supervisor = new Thread(() -> recorder.accept(ready));

        supervisor.start();

        assertThat(recorder.await("api", ServiceState.READY, Duration.ofSeconds(30)))
                .isSameAs(ready);
        supervisor.join();
    }

    @Test
    void awaitFailsWithWhatTheServiceDidInstead() {
        recorder.accept(event("api", ServiceState.STARTING));
        recorder.accept(event("api", ServiceState.FAILED));

        assertThatThrownBy(() -> recorder.await("api", ServiceState.READY, Duration.ZERO))
                .isInstanceOf(AssertionError.class)
                .hasMessage("service 'api' did not reach READY within PT0S; its states so far: [STARTING, FAILED]");
    }
}
