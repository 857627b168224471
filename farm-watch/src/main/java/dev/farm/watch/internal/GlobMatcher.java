package dev.farm.watch.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One glob, compiled to a regular expression over a relative path with {@code /} separators.
 *
 * <p>{@code *} matches within one segment, {@code ?} one character but {@code /}, {@code [abc]}, {@code [a-z]} and
 * {@code [!abc]} (or {@code [^abc]}) one character of a class, {@code \} escapes the next character. {@code **} as a
 * whole segment crosses folders: {@code **}{@code /} is zero or more folders (so {@code models/**}{@code /*.py} matches
 * {@code models/user.py}, unlike Java's {@code glob:}), a trailing {@code /**} is everything below, and {@code **} alone
 * is everything; elsewhere {@code **} is just {@code *}. With braces on, {@code {a,b}} is either alternative (rule
 * globs, as in picomatch); gitignore patterns have no braces. Matching is case-sensitive and whole-path.
 */
final class GlobMatcher {

    private static final String SPECIAL = "*?[{\\";

    private final String glob;
    private final Pattern pattern;

    private GlobMatcher(String glob, Pattern pattern) {
        this.glob = glob;
        this.pattern = pattern;
    }

    /**
     * Compiles a glob anchored at the start of the relative path.
     *
     * @param glob the glob, without a leading {@code /}
     * @param braces whether {@code {a,b}} is an alternative
     */
    static GlobMatcher anchored(String glob, boolean braces) {
        return new GlobMatcher(glob, Pattern.compile(toRegex(glob, braces)));
    }

    /**
     * Compiles a glob that may match at any depth, as a gitignore pattern without a slash does.
     *
     * @param glob the glob, without any {@code /}
     */
    static GlobMatcher anywhere(String glob) {
        return new GlobMatcher(glob, Pattern.compile("(?:[^/]+/)*" + toRegex(glob, false)));
    }

    boolean matches(String relativePath) {
        return pattern.matcher(relativePath).matches();
    }

    String glob() {
        return glob;
    }

    @Override
    public String toString() {
        return glob;
    }

    /** Tells whether a segment holds a wildcard (or an escape, which a literal prefix stops at too). */
    static boolean hasWildcard(String segment) {
        for (int i = 0; i < segment.length(); i++) {
            if (SPECIAL.indexOf(segment.charAt(i)) >= 0) {
                return true;
            }
        }
        return false;
    }

    /** Splits a relative path or glob at {@code /}, dropping empty segments. */
    static List<String> segments(String path) {
        List<String> segments = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= path.length(); i++) {
            if (i == path.length() || path.charAt(i) == '/') {
                if (i > start) {
                    segments.add(path.substring(start, i));
                }
                start = i + 1;
            }
        }
        return segments;
    }

    static String toRegex(String glob, boolean braces) {
        StringBuilder re = new StringBuilder();
        boolean useBraces = braces && balancedBraces(glob);
        int depth = 0;
        int n = glob.length();
        for (int i = 0; i < n; i++) {
            char c = glob.charAt(i);
            switch (c) {
                case '\\' -> {
                    if (i + 1 < n) {
                        i++;
                        literal(re, glob.charAt(i));
                    } else {
                        literal(re, c);
                    }
                }
                case '*' -> {
                    int start = i;
                    while (i + 1 < n && glob.charAt(i + 1) == '*') {
                        i++;
                    }
                    boolean doubleStar = i > start;
                    char before = start == 0 ? '/' : glob.charAt(start - 1);
                    char after = i + 1 == n ? '/' : glob.charAt(i + 1);
                    boolean segmentStart = before == '/' || (depth > 0 && (before == '{' || before == ','));
                    boolean atEnd = i + 1 == n || (depth > 0 && (after == ',' || after == '}'));
                    if (doubleStar && segmentStart && atEnd) {
                        re.append(".*"); // "a/**": everything below a; "**": everything
                    } else if (doubleStar && segmentStart && after == '/') {
                        re.append("(?:[^/]+/)*"); // "**/": zero or more folders
                        i++;
                    } else {
                        re.append("[^/]*");
                    }
                }
                case '?' -> re.append("[^/]");
                case '[' -> {
                    int end = classEnd(glob, i);
                    if (end < 0) {
                        literal(re, c);
                    } else {
                        charClass(re, glob.substring(i + 1, end));
                        i = end;
                    }
                }
                case '{' -> {
                    if (useBraces) {
                        re.append("(?:");
                        depth++;
                    } else {
                        literal(re, c);
                    }
                }
                case '}' -> {
                    if (useBraces && depth > 0) {
                        re.append(')');
                        depth--;
                    } else {
                        literal(re, c);
                    }
                }
                case ',' -> {
                    if (useBraces && depth > 0) {
                        re.append('|');
                    } else {
                        literal(re, c);
                    }
                }
                default -> literal(re, c);
            }
        }
        return re.toString();
    }

    private static boolean balancedBraces(String glob) {
        int depth = 0;
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '[') {
                int end = classEnd(glob, i);
                if (end > 0) {
                    i = end;
                }
            } else if (c == '{') {
                depth++;
            } else if (c == '}') {
                if (--depth < 0) {
                    return false;
                }
            }
        }
        return depth == 0;
    }

    /** The index of the {@code ]} closing the class opened at {@code open}, or -1. */
    private static int classEnd(String glob, int open) {
        int i = open + 1;
        if (i < glob.length() && (glob.charAt(i) == '!' || glob.charAt(i) == '^')) {
            i++;
        }
        if (i < glob.length() && glob.charAt(i) == ']') {
            i++; // "[]abc]": a leading ] is a member
        }
        for (; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '/') {
                return -1; // a class never spans segments
            } else if (c == ']') {
                return i;
            }
        }
        return -1;
    }

    private static void charClass(StringBuilder re, String body) {
        re.append('[');
        int i = 0;
        if (!body.isEmpty() && (body.charAt(0) == '!' || body.charAt(0) == '^')) {
            re.append('^');
            i = 1;
        }
        int first = i;
        for (; i < body.length(); i++) {
            char c = body.charAt(i);
            if (c == '\\' && i + 1 < body.length()) {
                i++;
                re.append('\\').append(body.charAt(i));
            } else if (c == '-') {
                re.append(i == first || i == body.length() - 1 ? "\\-" : "-"); // a range only between two members
            } else if ("[]&^\\".indexOf(c) >= 0) {
                re.append('\\').append(c);
            } else {
                re.append(c);
            }
        }
        re.append("&&[^/]]");
    }

    private static void literal(StringBuilder re, char c) {
        if ("\\.[]{}()*+-?^$|".indexOf(c) >= 0) {
            re.append('\\');
        }
        re.append(c);
    }
}
