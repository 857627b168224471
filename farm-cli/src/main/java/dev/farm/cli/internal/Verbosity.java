package dev.farm.cli.internal;

import java.util.List;

/** Sets the level of farm's diagnostics from {@code -v} / {@code -q} before any logger is created. */
public final class Verbosity {

    private static final String LEVEL_PROPERTY = "org.slf4j.simpleLogger.defaultLogLevel";

    private Verbosity() {}

    /**
     * Reads {@code -v}/{@code --verbose} and {@code -q}/{@code --quiet} from the arguments and sets the SLF4J level:
     * debug, error, or warn by default. Does nothing when the level was set explicitly with a system property.
     *
     * @param args the command line
     */
    public static void configure(String[] args) {
        if (System.getProperty(LEVEL_PROPERTY) != null) {
            return;
        }
        List<String> list = List.of(args);
        if (list.contains("-v") || list.contains("--verbose")) {
            System.setProperty(LEVEL_PROPERTY, "debug");
        } else if (list.contains("-q") || list.contains("--quiet")) {
            System.setProperty(LEVEL_PROPERTY, "error");
        }
    }
}
