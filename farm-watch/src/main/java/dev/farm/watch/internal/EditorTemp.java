package dev.farm.watch.internal;

/**
 * Names editors give their swap, backup and temporary files; a path with such a name never counts as a change. Vim:
 * {@code .x.swp}, {@code .x.swo}, {@code .x.swn}, {@code .x.swx}, {@code x~} and {@code 4913} (its write test);
 * Emacs: {@code .#x} and {@code x~}; JetBrains safe-write: {@code x___jb_tmp___} and {@code x___jb_old___}; many
 * tools: {@code x.tmp}.
 */
final class EditorTemp {

    private EditorTemp() {}

    static boolean isTemp(String name) {
        return name.endsWith(".swp")
                || name.endsWith(".swo")
                || name.endsWith(".swn")
                || name.endsWith(".swx")
                || name.endsWith("~")
                || name.startsWith(".#")
                || name.equals("4913")
                || name.endsWith(".tmp")
                || name.endsWith("___jb_tmp___")
                || name.endsWith("___jb_old___");
    }
}
