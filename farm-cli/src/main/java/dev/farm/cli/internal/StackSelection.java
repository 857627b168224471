package dev.farm.cli.internal;

import dev.farm.config.CodegenConfig;
import dev.farm.config.Dependency;
import dev.farm.config.DependencyCondition;
import dev.farm.config.FarmConfig;
import dev.farm.config.RestartPolicy;
import dev.farm.config.ServiceConfig;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Which part of a stack {@code farm dev SERVICE...}, {@code --frontend-only} and {@code --backend-only} run, and what
 * {@code farm serve} changes: the config cut down to those services (what they depend on included, unless
 * {@code --no-deps}).
 */
public final class StackSelection {

    /** The names farm takes for a frontend when the config gives no {@code group: frontend}. */
    static final Set<String> FRONTEND_NAMES = Set.of("web", "frontend", "ui", "client");

    private StackSelection() {}

    /**
     * Tells whether a service is a frontend: in group {@code frontend}, or named {@code web}, {@code frontend},
     * {@code ui} or {@code client}.
     *
     * @param service the service
     * @return whether {@code --frontend-only} runs it and {@code --backend-only} does not
     */
    public static boolean isFrontend(ServiceConfig service) {
        return service.group().map(g -> g.equalsIgnoreCase("frontend")).orElse(false)
                || FRONTEND_NAMES.contains(service.name().toLowerCase(Locale.ROOT));
    }

    /**
     * Cuts a config down to the named services.
     *
     * @param config the whole config
     * @param names the services to run; empty means all
     * @param withDependencies whether what they depend on runs too (the default), or only they do and their
     *     dependencies on services left out are dropped ({@code --no-deps})
     * @return the config with only those services, and only the codegen jobs whose source runs
     * @throws IllegalArgumentException naming a service the config does not have
     */
    public static FarmConfig select(FarmConfig config, List<String> names, boolean withDependencies) {
        if (names.isEmpty()) {
            return config;
        }
        for (String name : names) {
            if (!config.services().containsKey(name)) {
                throw new IllegalArgumentException(
                        "no service '" + name + "' in " + config.source().getFileName() + " (services: "
                                + String.join(", ", config.services().keySet()) + ")");
            }
        }
        Set<String> chosen = new LinkedHashSet<>(names);
        if (withDependencies) {
            Deque<String> work = new ArrayDeque<>(names);
            while (!work.isEmpty()) {
                ServiceConfig service = config.services().get(work.pop());
                for (String dependency : service.dependsOn().keySet()) {
                    if (chosen.add(dependency)) {
                        work.push(dependency);
                    }
                }
            }
        }
        Map<String, ServiceConfig> services = new LinkedHashMap<>();
        for (ServiceConfig service : config.services().values()) { // config order, not the command line's
            if (chosen.contains(service.name())) {
                services.put(service.name(), withDependencies ? service : withoutMissing(service, chosen));
            }
        }
        Map<String, CodegenConfig> codegen = new LinkedHashMap<>();
        config.codegen().forEach((name, job) -> {
            if (!(job.from() instanceof CodegenConfig.FromService from) || chosen.contains(from.service())) {
                codegen.put(name, job);
            }
        });
        return with(config, services, codegen);
    }

    private static FarmConfig with(
            FarmConfig config, Map<String, ServiceConfig> services, Map<String, CodegenConfig> codegen) {
        return new FarmConfig(
                config.name(),
                config.directory(),
                config.source(),
                config.profile(),
                config.profiles(),
                services,
                config.proxy(),
                codegen);
    }

    /**
     * Applies what {@code farm serve} means beyond its profile: every service restarts always (within its budget and
     * backoff), except one-shot tasks another service waits to complete, and no codegen job runs.
     *
     * @param config the config, read with the {@code serve} profile
     * @return the config to serve
     */
    public static FarmConfig serve(FarmConfig config) {
        Set<String> tasks = new LinkedHashSet<>();
        for (ServiceConfig service : config.services().values()) {
            service.dependsOn().forEach((name, dependency) -> {
                if (dependency.condition() == DependencyCondition.COMPLETED
                        || dependency.condition() == DependencyCondition.SUCCEEDED) {
                    tasks.add(name);
                }
            });
        }
        Map<String, ServiceConfig> services = new LinkedHashMap<>();
        for (ServiceConfig service : config.services().values()) {
            services.put(
                    service.name(),
                    tasks.contains(service.name())
                            ? service
                            : copy(service, service.dependsOn(), restartAlways(service.restart())));
        }
        return with(config, services, Map.of());
    }

    /**
     * Names the services of a config that match a predicate.
     *
     * @param config the config
     * @param filter which to take
     * @return their names, in config order
     */
    public static List<String> names(FarmConfig config, Function<ServiceConfig, Boolean> filter) {
        return config.services().values().stream()
                .filter(filter::apply)
                .map(ServiceConfig::name)
                .toList();
    }

    private static RestartPolicy restartAlways(RestartPolicy policy) {
        return new RestartPolicy(
                RestartPolicy.When.ALWAYS, policy.max(), policy.backoffMin(), policy.backoffMax(), policy.resetAfter());
    }

    private static ServiceConfig withoutMissing(ServiceConfig service, Set<String> chosen) {
        Map<String, Dependency> kept = new LinkedHashMap<>();
        service.dependsOn().forEach((name, dependency) -> {
            if (chosen.contains(name)) {
                kept.put(name, dependency);
            }
        });
        return kept.size() == service.dependsOn().size() ? service : copy(service, kept, service.restart());
    }

    private static ServiceConfig copy(ServiceConfig s, Map<String, Dependency> dependsOn, RestartPolicy restart) {
        return copy(s, dependsOn, restart, s.models());
    }

    /** A service's config with other dependencies, restart policy and models, the rest as it is. */
    static ServiceConfig copy(
            ServiceConfig s, Map<String, Dependency> dependsOn, RestartPolicy restart, List<String> models) {
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
                dependsOn,
                restart,
                s.stopSignal(),
                s.stopTimeout(),
                s.successExitCodes(),
                s.adopt(),
                s.watch(),
                s.preset(),
                models,
                s.group(),
                s.setup(),
                s.optional());
    }
}
