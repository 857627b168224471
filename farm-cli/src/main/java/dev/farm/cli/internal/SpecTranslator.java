package dev.farm.cli.internal;

import dev.farm.config.Command;
import dev.farm.config.Environment;
import dev.farm.config.FarmConfig;
import dev.farm.config.ProbeConfig;
import dev.farm.config.ServiceConfig;
import dev.farm.config.ServiceKind;
import dev.farm.process.Dependency;
import dev.farm.process.DependencyCondition;
import dev.farm.process.Liveness;
import dev.farm.process.Probes;
import dev.farm.process.RestartPolicy;
import dev.farm.process.ServiceSpec;
import dev.farm.process.StopSignal;
import dev.farm.process.spi.HealthProbe;
import java.io.File;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

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
        return translate(config, name -> Map.of());
    }

    /**
     * Translates every service, in the configuration's order, giving each the variables {@code extra} returns for it
     * over what the configuration says (the control API's {@code FARM_CONTROL_URL} and the like).
     *
     * @param config the configuration
     * @param extra the added variables of a service, by its name
     * @return the specs
     */
    public static List<ServiceSpec> translate(
            FarmConfig config, java.util.function.Function<String, Map<String, String>> extra) {
        List<ServiceSpec> specs = new ArrayList<>();
        for (ServiceConfig service : config.services().values()) {
            specs.add(translate(service, extra.apply(service.name())));
        }
        return specs;
    }

    static ServiceSpec translate(ServiceConfig service) {
        return translate(service, Map.of());
    }

    static ServiceSpec translate(ServiceConfig service, Map<String, String> extra) {
        ServiceSpec.Builder spec = service.kind() == ServiceKind.EXTERNAL
                ? ServiceSpec.external(service.name())
                : ServiceSpec.builder(service.name(), argv(service.command().orElseThrow()));
        if (service.kind() == ServiceKind.DAEMON) {
            spec.daemon(argv(service.stop().orElseThrow()));
        }
        Environment environment = service.environment();
        spec.workingDirectory(service.workingDirectory())
                .environment(withExtra(environment.values(), extra))
                .stopTimeout(service.stopTimeout())
                .stopSignal(StopSignal.valueOf(service.stopSignal()))
                .successExitCodes(Set.copyOf(service.successExitCodes()))
                .restart(restart(service.restart()))
                .adopt(service.adopt());
        if (!environment.files().isEmpty()) {
            // env files are read again at every (re)start
            spec.freshEnvironment(() -> withExtra(environment.reload(), extra));
        }
        service.port().ifPresent(spec::port);
        service.setup().ifPresent(setup -> spec.setup(argv(setup))); // npm install where node_modules is missing
        service.ready().ifPresent(ready -> {
            spec.readiness(probe(ready, service, Probes.ATTEMPT_TIMEOUT));
            spec.readyTimeout(ready.timeout());
        });
        service.alive()
                .ifPresent(alive -> spec.liveness(new Liveness(
                        probe(alive, service, alive.timeout()),
                        alive.every().orElse(ProbeConfig.DEFAULT_ALIVE_EVERY),
                        alive.failures())));
        service.dependsOn().forEach((name, dependency) -> spec.dependsOn(name, dependency(dependency)));
        return spec.build();
    }

    private static Map<String, String> withExtra(Map<String, String> values, Map<String, String> extra) {
        if (extra.isEmpty()) {
            return values;
        }
        Map<String, String> all = new java.util.LinkedHashMap<>(values);
        all.putAll(extra);
        return all;
    }

    private static HealthProbe probe(ProbeConfig probe, ServiceConfig service, Duration attemptTimeout) {
        ProbeConfig.Check check = probe.check();
        if (check instanceof ProbeConfig.Tcp tcp) {
            return Probes.tcp(tcp.port());
        }
        if (check instanceof ProbeConfig.Http http) {
            return Probes.http(http.url(), http.method(), Set.copyOf(http.statuses()), attemptTimeout);
        }
        if (check instanceof ProbeConfig.LogLine log) {
            return Probes.logLine(log.regex());
        }
        if (check instanceof ProbeConfig.Exec exec) {
            return Probes.command(
                    argv(exec.command()),
                    service.workingDirectory(),
                    service.environment().values(),
                    attemptTimeout);
        }
        ProbeConfig.Heartbeat heartbeat = (ProbeConfig.Heartbeat) check;
        return Probes.heartbeat(heartbeat.interval());
    }

    private static RestartPolicy restart(dev.farm.config.RestartPolicy policy) {
        RestartPolicy.When when = switch (policy.when()) {
            case NO -> RestartPolicy.When.NO;
            case ON_FAILURE -> RestartPolicy.When.ON_FAILURE;
            case ALWAYS -> RestartPolicy.When.ALWAYS;
        };
        return new RestartPolicy(when, policy.max(), policy.backoffMin(), policy.backoffMax(), policy.resetAfter());
    }

    /** A string command runs through the platform's shell; a list runs as it is. */
    static List<String> argv(Command command) {
        if (command instanceof Command.Shell shell) {
            boolean windows = File.separatorChar == '\\';
            return windows ? List.of("cmd.exe", "/c", shell.script()) : List.of("/bin/sh", "-c", shell.script());
        }
        return ((Command.Exec) command).argv();
    }

    private static Dependency dependency(dev.farm.config.Dependency dependency) {
        return switch (dependency.condition()) {
            case STARTED -> Dependency.on(DependencyCondition.STARTED);
            case READY -> Dependency.on(DependencyCondition.READY);
            case COMPLETED -> Dependency.on(DependencyCondition.COMPLETED);
            case SUCCEEDED -> Dependency.on(DependencyCondition.SUCCEEDED);
            case LOG -> Dependency.logLine(dependency.logPattern().orElseThrow());
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
        boolean tcpProbe = ready.isPresent() && ready.get().check() instanceof ProbeConfig.Tcp;
        if (port.isPresent() && !tcpProbe) {
            return Optional.of("http://127.0.0.1:" + port.getAsInt());
        }
        if (ready.isPresent() && ready.get().check() instanceof ProbeConfig.Tcp tcp) {
            return Optional.of("127.0.0.1:" + tcp.port());
        }
        return Optional.empty();
    }
}
