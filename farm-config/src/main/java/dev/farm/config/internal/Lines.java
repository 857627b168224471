package dev.farm.config.internal;

import java.util.ArrayList;
import java.util.List;

/** Line handling shared by the line-based formats (env files, Procfiles). */
final class Lines {

    private Lines() {}

    /**
     * Splits a file into lines without their line endings: {@code \n} and {@code \r\n} end a line, and a leading UTF-8
     * byte order mark is dropped, so columns count from the first visible character.
     *
     * @param text the whole file
     * @return the lines; a final line ending does not add a line, but an empty text is one empty line
     */
    static List<String> split(String text) {
        String body = text.startsWith("\uFEFF") ? text.substring(1) : text;
        List<String> lines = new ArrayList<>();
        int start = 0;
        while (true) {
            int end = body.indexOf('\n', start);
            if (end < 0) {
                if (start < body.length() || lines.isEmpty()) {
                    lines.add(stripCarriageReturn(body.substring(start)));
                }
                return lines;
            }
            lines.add(stripCarriageReturn(body.substring(start, end)));
            start = end + 1;
        }
    }

    private static String stripCarriageReturn(String line) {
        return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
    }

    static boolean isBlank(char c) {
        return c == ' ' || c == '\t';
    }

    /** Returns the index of the first character at or after {@code from} that is not a space or tab. */
    static int skipBlanks(String text, int from) {
        int index = from;
        while (index < text.length() && isBlank(text.charAt(index))) {
            index++;
        }
        return index;
    }

    /**
     * Returns the text from {@code from} up to an inline comment: a {@code #} after a space or tab. A {@code #} right
     * at {@code from} or after another character is kept.
     */
    static String stripComment(String text, int from) {
        for (int index = from + 1; index < text.length(); index++) {
            if (text.charAt(index) == '#' && isBlank(text.charAt(index - 1))) {
                return text.substring(from, index);
            }
        }
        return text.substring(from);
    }
}
