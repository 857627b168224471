package dev.farm.cli.internal;

import dev.farm.config.Command;
import dev.farm.config.FarmConfig;
import dev.farm.config.ProbeConfig;
import dev.farm.config.ServiceConfig;
import dev.farm.process.DependencyCondition;
import dev.farm.process.Probes;
import dev.farm.process.ServiceSpec;
import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/** Turns the configuration records into what the supervisor runs: the one place the two modules meet. */
public final class SpecTranslator {

    private SpecTranslator() {}

    /**
     * Translates every service, in the configuration's order.
     *
     * @param config the configuration
     * @return the specs
     */
    public static List<ServiceSpec> translate(FarmConfig config) {
        List<ServiceSpec> specs = new ArrayList<>();
        for (ServiceConfig service : config.services().values()) {
            specs.add(translate(service));
        }
        return specs;
    }

    static ServiceSpec translate(ServiceConfig service) {
        ServiceSpec.Builder spec = ServiceSpec.builder(service.name(), argv(service.command()))
                .workingDirectory(service.workingDirectory())
                .environment(service.environment());
        service.port().ifPresent(spec::port);
        service.ready().ifPresent(ready -> {
            if (ready instanceof ProbeConfig.Tcp tcp) {
                spec.readiness(Probes.tcp(tcp.port()));
            } else if (ready instanceof ProbeConfig.Http http) {
                // The reader guarantees a port for http probes.
                spec.readiness(Probes.http(service.port().orElseThrow(), http.path()));
            }
            spec.readyTimeout(ready.timeout());
        });
        service.dependsOn().forEach((name, condition) -> spec.dependsOn(name, condition(condition)));
        return spec.build();
    }

    /** A string command runs through the platform's shell; a list runs as it is. */
    static List<String> argv(Command command) {
        if (command instanceof Command.Shell shell) {
            boolean windows = File.separatorChar == '\\';
            return windows ? List.of("cmd.exe", "/c", shell.script()) : List.of("/bin/sh", "-c", shell.script());
        }
        return ((Command.Exec) command).argv();
    }

    private static DependencyCondition condition(dev.farm.config.DependencyCondition condition) {
        return switch (condition) {
            case STARTED -> DependencyCondition.STARTED;
            case READY -> DependencyCondition.READY;
        };
    }

    /**
     * Where a user reaches the service: an {@code http://} URL when it serves HTTP or declares a port, {@code
     * 127.0.0.1:PORT} when only a TCP probe names its port.
     *
     * @param service the service
     * @return the address, or empty when the service names no port
     */
    public static Optional<String> address(ServiceConfig service) {
        OptionalInt port = service.port();
        Optional<ProbeConfig> ready = service.ready();
        if (port.isPresent() && !(ready.isPresent() && ready.get() instanceof ProbeConfig.Tcp)) {
            return Optional.of("http://127.0.0.1:" + port.getAsInt());
        }
        if (ready.isPresent() && ready.get() instanceof ProbeConfig.Tcp tcp) {
            return Optional.of("127.0.0.1:" + tcp.port());
        }
        return Optional.empty();
    }
}
