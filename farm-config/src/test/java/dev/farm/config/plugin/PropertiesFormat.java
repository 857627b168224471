package dev.farm.config.plugin;

import dev.farm.config.ConfigException;
import dev.farm.config.ConfigProblem;
import dev.farm.config.spi.ConfigFormat;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * A third-party format for the tests: {@code farm.properties} with lines such as {@code api.command=run}, registered
 * in {@code META-INF/services}.
 */
public final class PropertiesFormat implements ConfigFormat {

    @Override
    public List<String> fileNames() {
        return List.of("farm.properties");
    }

    @Override
    public Map<String, Object> read(Path file) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new ConfigException(List.of(new ConfigProblem(file, 0, 0, "", "cannot be read: " + e)), e);
        }
        Map<String, Object> services = new LinkedHashMap<>();
        for (String key : properties.stringPropertyNames().stream().sorted().toList()) {
            int dot = key.indexOf('.');
            @SuppressWarnings("unchecked")
            Map<String, Object> service =
                    (Map<String, Object>) services.computeIfAbsent(key.substring(0, dot), k -> new LinkedHashMap<>());
            String value = properties.getProperty(key);
            service.put(key.substring(dot + 1), value.matches("\\d+") ? Integer.valueOf(value) : value);
        }
        return Map.of("services", services);
    }
}
