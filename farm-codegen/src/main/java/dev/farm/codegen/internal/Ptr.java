package dev.farm.codegen.internal;

import org.jspecify.annotations.Nullable;

/** A JSON pointer built one segment at a time; the string is only made when a message needs it. */
final class Ptr {

    static final Ptr ROOT = new Ptr(null, "");

    private final @Nullable Ptr parent;
    private final String segment;

    private Ptr(@Nullable Ptr parent, String segment) {
        this.parent = parent;
        this.segment = segment;
    }

    Ptr child(String name) {
        return new Ptr(this, name);
    }

    Ptr child(int index) {
        return new Ptr(this, Integer.toString(index));
    }

    /** Parses a decoded-on-the-fly pointer such as {@code /components/schemas/Pet}. */
    static Ptr parse(String pointer) {
        Ptr ptr = ROOT;
        if (pointer.isEmpty()) {
            return ptr;
        }
        int start = 1;
        while (start <= pointer.length()) {
            int slash = pointer.indexOf('/', start);
            int end = slash < 0 ? pointer.length() : slash;
            ptr = ptr.child(unescape(pointer.substring(start, end)));
            start = end + 1;
        }
        return ptr;
    }

    static String unescape(String segment) {
        if (segment.indexOf('~') < 0) {
            return segment;
        }
        return segment.replace("~1", "/").replace("~0", "~");
    }

    static String escape(String segment) {
        if (segment.indexOf('~') < 0 && segment.indexOf('/') < 0) {
            return segment;
        }
        return segment.replace("~", "~0").replace("/", "~1");
    }

    String last() {
        return segment;
    }

    @Override
    public String toString() {
        if (parent == null) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        append(out);
        return out.toString();
    }

    private void append(StringBuilder out) {
        if (parent == null) {
            return;
        }
        parent.append(out);
        out.append('/').append(escape(segment));
    }
}
