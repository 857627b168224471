package dev.farm.testkit.kits;

import dev.farm.config.ConfigSource;
import java.nio.file.Path;

/** farm's source for a named file, {@link ConfigSource#file(Path)}, against its kit. */
class FileConfigSourceCompatibilityTest extends ConfigSourceCompatibilityKit {

    @Override
    protected ConfigSource source(Path farmYaml) {
        return ConfigSource.file(farmYaml);
    }
}
