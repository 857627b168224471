package dev.farm.testkit.kits;

import dev.farm.process.ProcessSupervisor;
import dev.farm.process.ServiceEvent;
import dev.farm.process.ServiceSpec;
import java.util.List;
import java.util.function.Consumer;

/** farm's default supervisor, from {@link ProcessSupervisor#builder()}, against its kit. */
class DefaultProcessSupervisorCompatibilityIT extends ProcessSupervisorCompatibilityKit {

    @Override
    protected ProcessSupervisor supervisor(List<ServiceSpec> services, Consumer<ServiceEvent> listener) {
        return ProcessSupervisor.builder().services(services).listener(listener).build();
    }
}
