package dev.farm.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.IntSupplier;

/**
 * How a configuration is read: the active profile, the environment {@code ${VAR}} falls back to, the variables given
 * with {@code --env}, and how {@code port: auto} picks a port.
 *
 * @param profile the active profile: {@code dev} for {@code farm dev}, {@code serve} for {@code farm serve}
 * @param environment farm's own environment, which {@code ${VAR}} falls back to (normally {@link System#getenv()})
 * @param overrides variables given with {@code --env}, which override every layer of every service
 * @param portAllocator returns a free port for each {@code port: auto}
 * @since 0.1
 */
public record LoadOptions(
        String profile, Map<String, String> environment, Map<String, String> overrides, IntSupplier portAllocator) {

    /** The profile {@code farm dev} activates. */
    public static final String DEV = "dev";

    /** The profile {@code farm serve} activates. */
    public static final String SERVE = "serve";

    /**
     * Validates the components and copies the maps.
     *
     * @param profile the active profile
     * @param environment farm's own environment
     * @param overrides variables given with {@code --env}
     * @param portAllocator returns a free port for each {@code port: auto}
     */
    public LoadOptions {
        Objects.requireNonNull(profile, "profile");
        environment = Collections.unmodifiableMap(new LinkedHashMap<>(environment));
        overrides = Collections.unmodifiableMap(new LinkedHashMap<>(overrides));
        Objects.requireNonNull(portAllocator, "portAllocator");
    }

    /**
     * Returns the options of {@code farm dev}: profile {@code dev}, the process's environment, no overrides, and
     * free ports from the operating system.
     *
     * @return the options
     */
    public static LoadOptions defaults() {
        return new LoadOptions(DEV, System.getenv(), Map.of(), LoadOptions::freePort);
    }

    /**
     * Returns a copy with another profile.
     *
     * @param profile the profile
     * @return the copy
     */
    public LoadOptions withProfile(String profile) {
        return new LoadOptions(profile, environment, overrides, portAllocator);
    }

    /**
     * Returns a copy with another environment for {@code ${VAR}} to fall back to.
     *
     * @param environment the environment
     * @return the copy
     */
    public LoadOptions withEnvironment(Map<String, String> environment) {
        return new LoadOptions(profile, environment, overrides, portAllocator);
    }

    /**
     * Returns a copy with the variables given with {@code --env}.
     *
     * @param overrides the variables
     * @return the copy
     */
    public LoadOptions withOverrides(Map<String, String> overrides) {
        return new LoadOptions(profile, environment, overrides, portAllocator);
    }

    /**
     * Returns a copy with another way to pick ports for {@code port: auto}.
     *
     * @param portAllocator returns a free port each time
     * @return the copy
     */
    public LoadOptions withPortAllocator(IntSupplier portAllocator) {
        return new LoadOptions(profile, environment, overrides, portAllocator);
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find a free port on the loopback interface", e);
        }
    }
}
