package dev.farm.config;

import dev.farm.config.internal.ConfigRenderer;
import dev.farm.config.internal.ConfigSchema;

/**
 * Prints a resolved configuration the way {@code farm config show} does: {@code farm.yaml}'s key names, paths
 * relative to the project folder, and the values of variables whose names contain {@code SECRET}, {@code TOKEN},
 * {@code PASSWORD} or {@code KEY} masked.
 *
 * @since 0.1
 */
public final class ConfigPrinter {

    private ConfigPrinter() {}

    /**
     * Prints as pretty-printed JSON.
     *
     * @param config the configuration
     * @return the JSON text, ending with a newline
     */
    public static String json(FarmConfig config) {
        return ConfigRenderer.json(config);
    }

    /**
     * Prints as YAML.
     *
     * @param config the configuration
     * @return the YAML text, ending with a newline
     */
    public static String yaml(FarmConfig config) {
        return ConfigRenderer.yaml(config);
    }

    /**
     * Returns the JSON Schema (draft 2020-12) of the {@code farm.yaml} format, for editors.
     *
     * @return the schema as pretty-printed JSON, ending with a newline
     */
    public static String schema() {
        return ConfigSchema.json();
    }
}
