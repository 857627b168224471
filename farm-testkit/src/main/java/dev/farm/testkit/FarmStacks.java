package dev.farm.testkit;

import dev.farm.config.FarmConfig;
import dev.farm.testkit.internal.FarmStackExtension;
import dev.farm.testkit.internal.StackSettings;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.Extension;

/**
 * Makes the {@link FarmStack} extension in code, for {@code @RegisterExtension}: for a configuration that is not a
 * fixed path, such as one a test writes first.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final Extension STACK = FarmStacks.config(() -> ConfigSource.file(writeFarmYaml()).load()).build();
 * }</pre>
 *
 * <p>The extension class itself is internal, like every JUnit extension class of farm-testkit, so what this returns
 * is typed {@link Extension}; tests reach the stack through a {@link FarmStackHandle} parameter. Register it on a
 * {@code static} field, so that the stack starts before {@code @BeforeAll} methods.
 *
 * @since 0.1
 */
public final class FarmStacks {

    private FarmStacks() {}

    /**
     * Starts a builder for the stack a {@code farm.yaml} describes.
     *
     * @param path the file, or the directory that holds it; relative paths are resolved against the working directory
     * @return the builder, never {@code null}
     */
    public static Builder file(Path path) {
        Objects.requireNonNull(path, "path");
        return new Builder(path.toString(), () -> StackSettings.load(path, path.toString()));
    }

    /**
     * Starts a builder for a stack whose configuration is made when the test class starts.
     *
     * @param config makes the configuration, for example {@code () -> ConfigSource.file(file).load()}; called once
     *     per test class, before its first test
     * @return the builder, never {@code null}
     */
    public static Builder config(Supplier<FarmConfig> config) {
        Objects.requireNonNull(config, "config");
        return new Builder("a programmatic stack", config);
    }

    /**
     * Configures the extension. Every setter returns this builder.
     *
     * @since 0.1
     */
    public static final class Builder {
        private final String description;
        private final Supplier<FarmConfig> config;
        private boolean proxy = true;

        private Builder(String description, Supplier<FarmConfig> config) {
            this.description = description;
            this.config = config;
        }

        /**
         * Turns the proxy on (the default; on a free port) or off.
         *
         * @param proxy whether to run the configuration's proxy
         * @return this builder
         */
        public Builder proxy(boolean proxy) {
            this.proxy = proxy;
            return this;
        }

        /**
         * Makes the extension; it loads the configuration only when the test class starts.
         *
         * @return the extension, for a {@code @RegisterExtension} field
         */
        public Extension build() {
            return new FarmStackExtension(new StackSettings(description, config, proxy));
        }
    }
}
