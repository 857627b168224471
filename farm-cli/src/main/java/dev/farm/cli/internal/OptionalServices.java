package dev.farm.cli.internal;

import dev.farm.config.FarmConfig;
import dev.farm.config.ServiceConfig;
import dev.farm.process.Probes;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.IntPredicate;
import java.util.stream.Collectors;

/**
 * The {@code optional: true} services a stack runs without: those whose program is not installed while nothing
 * answers on their port (the ollama preset's "the stack continues without local AI").
 */
public final class OptionalServices {

    /**
     * An optional service left out.
     *
     * @param service its config, as the file gave it
     * @param program the program that is not installed
     * @param dependents the services that depended on it, which now start without waiting for it
     */
    public record Absent(ServiceConfig service, String program, List<String> dependents) {

        /**
         * Returns what farm says about it: what is missing, what happens instead, and what to do.
         *
         * @return one line, without the {@code farm} prefix
         */
        public String message() {
            String name = service.name();
            StringBuilder text = new StringBuilder();
            text.append(name).append(": '").append(program).append("' is not installed");
            service.port()
                    .ifPresent(port ->
                            text.append(" and nothing answers on 127.0.0.1:").append(port));
            text.append("; the stack runs without ").append(name);
            if (isOllama()) {
                text.append(", without local AI");
            }
            if (!dependents.isEmpty()) {
                text.append(" (")
                        .append(String.join(", ", dependents))
                        .append(dependents.size() == 1 ? " starts" : " start")
                        .append(" without waiting for it)");
            }
            text.append(". ");
            if (isOllama()) {
                text.append("Install Ollama (https://ollama.com/download) or start the Ollama app, then run farm dev"
                        + " again.");
            } else {
                text.append("Install ")
                        .append(program)
                        .append(" or start ")
                        .append(name)
                        .append(" yourself, then run farm dev again.");
            }
            return text.toString();
        }

        /**
         * Returns why the proxy cannot reach it, for the 502 its routes answer.
         *
         * @return a short reason
         */
        public String reason() {
            return "'" + program + "' is not installed, and farm runs the stack without it";
        }

        private boolean isOllama() {
            return service.preset().filter("ollama"::equals).isPresent();
        }
    }

    private OptionalServices() {}

    /**
     * Finds the optional services of a config that are not installed and that nothing stands in for.
     *
     * @param config the config
     * @param env the environment whose {@code PATH} is searched
     * @param windows whether this is Windows
     * @param answers whether something accepts connections on a port of 127.0.0.1
     * @return the services to leave out, in config order
     */
    public static List<Absent> find(FarmConfig config, Map<String, String> env, boolean windows, IntPredicate answers) {
        List<Absent> absent = new ArrayList<>();
        for (ServiceConfig service : config.services().values()) {
            if (!service.optional() || service.command().isEmpty()) {
                continue;
            }
            Optional<String> program = Programs.first(service.command().get());
            if (program.isEmpty() || Programs.installed(env, windows, service.workingDirectory(), program.get())) {
                continue;
            }
            OptionalInt port = service.port();
            if (port.isPresent() && answers.test(port.getAsInt())) {
                continue; // an instance runs already (the Ollama app, say): the service adopts or meets it
            }
            List<String> dependents = config.services().values().stream()
                    .filter(other -> other.dependsOn().containsKey(service.name()))
                    .map(ServiceConfig::name)
                    .toList();
            absent.add(new Absent(service, program.get(), dependents));
        }
        return absent;
    }

    /**
     * Finds them with this machine's {@code PATH} and real connections.
     *
     * @param config the config
     * @return the services to leave out
     */
    public static List<Absent> find(FarmConfig config) {
        boolean windows =
                System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
        return find(config, System.getenv(), windows, OptionalServices::answers);
    }

    /**
     * Cuts the absent services out of a config: their dependents' dependencies on them are dropped, and codegen jobs
     * reading from them are left out.
     *
     * @param config the config
     * @param absent the names to leave out
     * @return the config without them; the same config when there are none, or when none would be left
     */
    public static FarmConfig without(FarmConfig config, Set<String> absent) {
        List<String> kept = config.services().keySet().stream()
                .filter(name -> !absent.contains(name))
                .collect(Collectors.toList());
        if (kept.size() == config.services().size() || kept.isEmpty()) {
            return config; // nothing to leave out, or nothing would be left: then the start says what is wrong
        }
        return StackSelection.select(config, kept, false);
    }

    /**
     * Names the absent services.
     *
     * @param absent what {@link #find} returned
     * @return their names
     */
    public static Set<String> names(List<Absent> absent) {
        return absent.stream()
                .map(a -> a.service().name())
                .collect(Collectors.toCollection(java.util.LinkedHashSet::new));
    }

    static boolean answers(int port) {
        try {
            return Probes.tcp(port).check().passed(); // 127.0.0.1 and ::1, a self-connection not counted
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
