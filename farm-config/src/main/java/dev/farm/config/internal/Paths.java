package dev.farm.config.internal;

/** Dotted key paths such as {@code services.api.port}, as messages show them. */
final class Paths {

    private Paths() {}

    static String child(String parent, String key) {
        return parent.isEmpty() ? key : parent + "." + key;
    }
}
