package dev.farm.config;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The variables farm adds to a service's environment, and a way to compute them again.
 *
 * <p>{@link #values()} is what they were when the configuration was read. Env files may change while farm runs, so
 * a supervisor calls {@link #reload()} before each (re)start: it reads the env files again and repeats the
 * interpolation. Layers, each overriding the one before: farm's defaults, the project's {@code env_file}s and
 * {@code env}, the service's {@code env_file}s and {@code env}, then the variables given with {@code --env}.
 *
 * @since 0.1
 */
public final class Environment {

    private final Map<String, String> values;
    private final List<Path> files;
    private final Supplier<Map<String, String>> reloader;

    /**
     * Creates an environment.
     *
     * @param values the variables as read, in layer order
     * @param files the env files that feed it, in layer order, absolute
     * @param reloader computes the variables again; throws {@link ConfigException} when an env file has become wrong
     */
    public Environment(Map<String, String> values, List<Path> files, Supplier<Map<String, String>> reloader) {
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
        this.files = List.copyOf(files);
        this.reloader = reloader;
    }

    /**
     * Returns an environment of fixed variables, with no env file.
     *
     * @param values the variables
     * @return the environment
     */
    public static Environment of(Map<String, String> values) {
        Map<String, String> copy = Collections.unmodifiableMap(new LinkedHashMap<>(values));
        return new Environment(copy, List.of(), () -> copy);
    }

    /**
     * Returns the variables as they were when the configuration was read.
     *
     * @return the variables in layer order, never {@code null}
     */
    public Map<String, String> values() {
        return values;
    }

    /**
     * Returns the env files that feed this environment.
     *
     * @return absolute paths in layer order
     */
    public List<Path> files() {
        return files;
    }

    /**
     * Reads the env files again and returns the variables as they are now.
     *
     * @return the variables, never {@code null}
     * @throws ConfigException when an env file is now missing or wrong, or a variable is now undefined
     */
    public Map<String, String> reload() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(reloader.get()));
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Environment that && values.equals(that.values) && files.equals(that.files);
    }

    @Override
    public int hashCode() {
        return values.hashCode() * 31 + files.hashCode();
    }

    @Override
    public String toString() {
        return "Environment" + values;
    }
}
