package dev.farm.testkit.kits;

import dev.farm.config.ConfigSource;
import java.nio.file.Path;

/** farm's source for a project folder, {@link ConfigSource#directory(Path)}, against its kit. */
class DirectoryConfigSourceCompatibilityTest extends ConfigSourceCompatibilityKit {

    @Override
    protected ConfigSource source(Path farmYaml) {
        return ConfigSource.directory(farmYaml.getParent());
    }
}
