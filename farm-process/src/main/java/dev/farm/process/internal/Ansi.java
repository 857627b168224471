package dev.farm.process.internal;

/**
 * Removes ANSI/VT escape sequences from a line, so that a log file shows the text a terminal would have shown without
 * its colours, cursor moves, titles and hyperlink targets. Everything else, a lone {@code \r} included, is kept.
 *
 * <p>Recognized: CSI ({@code ESC [} or U+009B, parameters and intermediates, then a final character 0x40-0x7E, such
 * as {@code ESC[1;31m} or {@code ESC[?25l}); OSC, DCS, SOS, PM and APC strings ({@code ESC ]}, {@code ESC P}, {@code
 * ESC X}, {@code ESC ^}, {@code ESC _}, up to BEL, {@code ESC \} or U+009C, or up to the next ESC); and the other escape sequences ({@code
 * ESC}, intermediates 0x20-0x2F, then one final character 0x30-0x7E, such as {@code ESC 7} or {@code ESC ( B}). A
 * sequence cut short by the end of the line is removed up to that end. A CSI broken by a character it cannot contain
 * ends just before that character, which is kept.
 */
final class Ansi {

    private static final char ESC = '\u001b';
    private static final char CSI = '\u009b';
    private static final char ST = '\u009c';
    private static final char BEL = '\u0007';

    private Ansi() {}

    /**
     * Returns the text without escape sequences.
     *
     * @param text any text
     * @return the same instance when it contains neither ESC nor U+009B, otherwise a new string
     */
    static String strip(String text) {
        int length = text.length();
        int first = -1;
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (c == ESC || c == CSI) {
                first = i;
                break;
            }
        }
        if (first < 0) {
            return text;
        }
        StringBuilder out = new StringBuilder(length);
        out.append(text, 0, first);
        int i = first;
        while (i < length) {
            char c = text.charAt(i);
            if (c == ESC || c == CSI) {
                i = skip(text, i);
            } else {
                int start = i;
                while (i < length && (c = text.charAt(i)) != ESC && c != CSI) {
                    i++;
                }
                out.append(text, start, i);
            }
        }
        return out.toString();
    }

    /**
     * Skips one escape sequence, for callers that strip while they copy.
     *
     * @param text the text
     * @param start the index of an ESC or U+009B
     * @return the index of the first character after the sequence
     */
    static int skip(String text, int start) {
        return text.charAt(start) == CSI ? skipCsi(text, start + 1) : skipEscape(text, start + 1);
    }

    /** Skips what follows an ESC at {@code i}; returns the index after the sequence. */
    private static int skipEscape(String text, int i) {
        if (i >= text.length()) {
            return i;
        }
        char c = text.charAt(i);
        if (c == '[') {
            return skipCsi(text, i + 1);
        }
        if (c == ']' || c == 'P' || c == 'X' || c == '^' || c == '_') {
            return skipString(text, i + 1);
        }
        int j = i;
        while (j < text.length() && text.charAt(j) >= 0x20 && text.charAt(j) <= 0x2f) {
            j++;
        }
        if (j < text.length() && text.charAt(j) >= 0x30 && text.charAt(j) <= 0x7e) {
            return j + 1;
        }
        // Not a sequence (ESC followed by a control or non-ASCII character, or cut short): drop what was read.
        return j;
    }

    /** Skips CSI parameters, intermediates and the final character starting at {@code i}. */
    private static int skipCsi(String text, int i) {
        int j = i;
        while (j < text.length()) {
            char c = text.charAt(j);
            if (c >= 0x40 && c <= 0x7e) {
                return j + 1;
            }
            if (c < 0x20 || c > 0x3f) {
                return j;
            }
            j++;
        }
        return j;
    }

    /** Skips a control string (OSC and the like) up to and including its terminator. */
    private static int skipString(String text, int i) {
        int j = i;
        while (j < text.length()) {
            char c = text.charAt(j);
            if (c == BEL || c == ST) {
                return j + 1;
            }
            if (c == ESC) {
                // ESC \ is the terminator; any other ESC aborts the string and starts a sequence of its own.
                return j + 1 < text.length() && text.charAt(j + 1) == '\\' ? j + 2 : j;
            }
            j++;
        }
        return j;
    }
}
