package dev.farm.cli.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine;

/** {@code farm --version}: the version Maven wrote into {@code version.properties}. */
public final class VersionProvider implements CommandLine.IVersionProvider {

    /**
     * Returns farm's version.
     *
     * @return such as {@code 0.1.0}
     */
    public static String version() {
        try (InputStream in = VersionProvider.class.getResourceAsStream("/dev/farm/cli/version.properties")) {
            Properties properties = new Properties();
            if (in != null) {
                properties.load(in);
            }
            return properties.getProperty("version", "unknown");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String[] getVersion() {
        return new String[] {
            "farm " + version(),
            "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + "), "
                    + System.getProperty("os.name") + " " + System.getProperty("os.arch")
        };
    }
}
