package dev.farm.config;

import dev.farm.config.internal.ConfigRenderer;
import dev.farm.config.internal.ConfigSchema;
import java.util.Map;

/**
 * Prints a resolved configuration the way {@code farm config show} does: {@code farm.yaml}'s key names, paths
 * relative to the project folder, and secrets masked as {@code ********}.
 *
 * <p>A service variable is a secret when one of its name's parts (split at {@code _}, {@code -}, {@code .} and
 * camelCase boundaries) is {@code SECRET}, {@code TOKEN}, {@code PASSWORD}, {@code PASSWD}, {@code PASS},
 * {@code PASSPHRASE}, {@code KEY}, {@code APIKEY}, {@code CREDENTIAL} or {@code PRIVATE}, or a plural of one: so
 * {@code API_KEY}, {@code GITHUB_TOKEN} and {@code AWS_SECRET_ACCESS_KEY} are, and {@code MONKEY},
 * {@code KEYCLOAK_URL} and {@code TOKENIZER_MODE} are not. Its value is masked in its variable and, when it has four
 * characters or more, in every other printed string (variables, commands, probe and route URLs, watch commands) of
 * every service. The password of any URL ({@code scheme://user:password@host}) is masked too. Only secrets in the
 * services' environments are known: a value a command takes straight from farm's own environment is printed.
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
     * Prints as pretty-printed JSON, also masking wherever they appear the values of secret-named variables of farm's
     * own environment, which a {@code ${VAR}} may have copied into a command or URL.
     *
     * @param config the configuration
     * @param environment farm's own environment, normally {@link System#getenv()}
     * @return the JSON text, ending with a newline
     */
    public static String json(FarmConfig config, Map<String, String> environment) {
        return ConfigRenderer.json(config, environment);
    }

    /**
     * Prints as YAML, also masking the values of secret-named variables of farm's own environment.
     *
     * @param config the configuration
     * @param environment farm's own environment, normally {@link System#getenv()}
     * @return the YAML text, ending with a newline
     */
    public static String yaml(FarmConfig config, Map<String, String> environment) {
        return ConfigRenderer.yaml(config, environment);
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
