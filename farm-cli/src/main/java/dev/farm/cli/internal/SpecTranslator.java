package dev.farm.cli.internal;

import dev.farm.config.Command;
import dev.farm.config.ConfigException;
import dev.farm.config.ConfigProblem;
import dev.farm.config.FarmConfig;
import dev.farm.config.ProbeConfig;
import dev.farm.config.ServiceConfig;
import dev.farm.config.ServiceKind;
import dev.farm.process.DependencyCondition;
import dev.farm.process.Probes;
import dev.farm.process.ServiceSpec;
import dev.farm.process.StopSignal;
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
        List<ConfigProblem> unsupported = new ArrayList<>();
        for (ServiceConfig service : config.services().values()) {
            List<String> missing = unsupported(service);
            for (String what : missing) {
                unsupported.add(new ConfigProblem(
                        config.source(),
                        0,
                        0,
                        "services." + service.name(),
                        what + " is valid configuration, but this farm dev cannot run it yet (the supervisor gains"
                                + " it with issue 4). Remove it for now."));
            }
            if (missing.isEmpty()) {
                specs.add(translate(service));
            }
        }
        if (!unsupported.isEmpty()) {
            throw new ConfigException(unsupported, null);
        }
        return specs;
    }

    /** What the supervisor cannot run yet: each entry names the key. */
    static List<String> unsupported(ServiceConfig service) {
        List<String> missing = new ArrayList<>();
        if (service.kind() != ServiceKind.PROCESS) {
            missing.add("kind: " + service.kind().keyword());
        }
        if (service.stop().isPresent()) {
            missing.add("stop");
        }
        service.ready()
                .filter(r -> !(r.check() instanceof ProbeConfig.Tcp
                        || r.check() instanceof ProbeConfig.Http
                        || r.check() instanceof ProbeConfig.LogLine))
                .ifPresent(r -> missing.add("ready: " + r.check().getClass().getSimpleName()));
        service.ready()
                .filter(r -> r.check() instanceof ProbeConfig.Http http && !isSimpleHttp(http))
                .ifPresent(r -> missing.add("ready: http with a method, status or URL"));
        service.alive().ifPresent(a -> missing.add("alive"));
        service.dependsOn().forEach((name, dependency) -> {
            if (dependency.condition() == dev.farm.config.DependencyCondition.LOG) {
                missing.add("depends_on." + name + ": " + dependency.condition().keyword());
            }
        });
        if (service.adopt()) {
            missing.add("adopt");
        }
        return missing;
    }

    private static boolean isSimpleHttp(ProbeConfig.Http http) {
        return http.isLoopback()
                && http.method().equals("GET")
                && http.statuses().isEmpty()
                && http.url().getPort() > 0;
    }

    static ServiceSpec translate(ServiceConfig service) {
        ServiceSpec.Builder spec = ServiceSpec.builder(
                        service.name(), argv(service.command().orElseThrow()))
                .workingDirectory(service.workingDirectory())
                .environment(service.environment().values())
                .stopTimeout(service.stopTimeout())
                .stopSignal(StopSignal.valueOf(service.stopSignal()))
                .successExitCodes(java.util.Set.copyOf(service.successExitCodes()));
        service.port().ifPresent(spec::port);
        service.ready().ifPresent(ready -> {
            if (ready.check() instanceof ProbeConfig.Tcp tcp) {
                spec.readiness(Probes.tcp(tcp.port()));
            } else if (ready.check() instanceof ProbeConfig.LogLine log) {
                spec.readiness(Probes.logLine(log.regex()));
            } else if (ready.check() instanceof ProbeConfig.Http http) {
                String path = http.url().getRawPath()
                        + (http.url().getRawQuery() == null
                                ? ""
                                : "?" + http.url().getRawQuery());
                spec.readiness(Probes.http(http.url().getPort(), path.isEmpty() ? "/" : path));
            }
            spec.readyTimeout(ready.timeout());
        });
        service.dependsOn().forEach((name, dependency) -> spec.dependsOn(name, condition(dependency.condition())));
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
            case COMPLETED -> DependencyCondition.COMPLETED;
            case SUCCEEDED -> DependencyCondition.SUCCEEDED;
            default ->
                throw new IllegalArgumentException(
                        "condition: " + condition + " (expected: STARTED, READY, COMPLETED or SUCCEEDED)");
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
