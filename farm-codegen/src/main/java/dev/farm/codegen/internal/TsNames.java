package dev.farm.codegen.internal;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/** TypeScript spelling: identifiers, reserved words, string literals, JSDoc. */
final class TsNames {

    /** Words that cannot name a type or a function. */
    static final Set<String> RESERVED = Set.of(
            "break",
            "case",
            "catch",
            "class",
            "const",
            "continue",
            "debugger",
            "default",
            "delete",
            "do",
            "else",
            "enum",
            "export",
            "extends",
            "false",
            "finally",
            "for",
            "function",
            "if",
            "import",
            "in",
            "instanceof",
            "new",
            "null",
            "return",
            "super",
            "switch",
            "this",
            "throw",
            "true",
            "try",
            "typeof",
            "var",
            "void",
            "while",
            "with",
            "implements",
            "interface",
            "let",
            "package",
            "private",
            "protected",
            "public",
            "static",
            "yield",
            "await",
            "any",
            "boolean",
            "number",
            "string",
            "symbol",
            "bigint",
            "object",
            "unknown",
            "never",
            "undefined",
            "type",
            "keyof",
            "infer",
            "is",
            "as",
            "readonly",
            "unique",
            "declare",
            "namespace",
            "module",
            "abstract",
            "global",
            "asserts",
            "satisfies",
            "arguments",
            "eval");

    /** Global names the generated file refers to, and its own exported names: a schema may not shadow them. */
    static final Set<String> TAKEN_TYPES = Set.of(
            "Schemas",
            "Operations",
            "Response",
            "Request",
            "RequestInit",
            "Blob",
            "File",
            "FormData",
            "URLSearchParams",
            "Promise",
            "Headers",
            "HeadersInit",
            "BodyInit",
            "NonNullable",
            "Record",
            "Array",
            "Object",
            "String",
            "Number",
            "Boolean",
            "JSON",
            "Date",
            "globalThis",
            "Partial",
            "Omit",
            "Pick");

    private TsNames() {}

    static boolean isIdentifier(String name) {
        if (name.isEmpty()) {
            return false;
        }
        char first = name.charAt(0);
        if (!(Character.isLetter(first) || first == '_' || first == '$') || first > 127) {
            return false;
        }
        for (int i = 1; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '$')) {
                return false;
            }
        }
        return true;
    }

    /** Splits on everything but letters and digits and joins the words capitalised: {@code Body_login-x} → BodyLoginX. */
    static String words(String name, boolean upperFirst) {
        StringBuilder out = new StringBuilder(name.length());
        boolean up = upperFirst;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
                if (out.length() == 0 && !upperFirst) {
                    out.append(Character.toLowerCase(c));
                } else {
                    out.append(up ? Character.toUpperCase(c) : c);
                }
                up = false;
            } else {
                up = true;
            }
        }
        if (out.length() == 0) {
            return upperFirst ? "Schema" : "operation";
        }
        if (out.charAt(0) >= '0' && out.charAt(0) <= '9') {
            out.insert(0, '_');
        }
        return out.toString();
    }

    /** A property key: bare when it is an identifier, else a string literal. */
    static void appendKey(StringBuilder out, String key) {
        if (isIdentifier(key)) {
            out.append(key);
        } else {
            appendString(out, key);
        }
    }

    /** A double-quoted string literal valid in TypeScript and JSON. */
    static void appendString(StringBuilder out, String value) {
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\u2028' -> out.append("\\u2028");
                case '\u2029' -> out.append("\\u2029");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    static String string(String value) {
        StringBuilder out = new StringBuilder(value.length() + 2);
        appendString(out, value);
        return out.toString();
    }

    /** A JSDoc block from lines (already split), indented; nothing when there are none. */
    static void appendDoc(StringBuilder out, String indent, java.util.List<String> lines) {
        if (lines.isEmpty()) {
            return;
        }
        if (lines.size() == 1 && lines.get(0).indexOf('\n') < 0) {
            out.append(indent).append("/** ");
            appendDocText(out, lines.get(0));
            out.append(" */\n");
            return;
        }
        out.append(indent).append("/**\n");
        for (String block : lines) {
            int start = 0;
            while (start <= block.length()) {
                int nl = block.indexOf('\n', start);
                int end = nl < 0 ? block.length() : nl;
                out.append(indent).append(" *");
                if (end > start) {
                    out.append(' ');
                    appendDocText(out, block.substring(start, end));
                }
                out.append('\n');
                if (nl < 0) {
                    break;
                }
                start = nl + 1;
            }
        }
        out.append(indent).append(" */\n");
    }

    private static void appendDocText(StringBuilder out, String text) {
        int length = text.length();
        while (length > 0 && Character.isWhitespace(text.charAt(length - 1))) {
            length--;
        }
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (c == '*' && i + 1 < length && text.charAt(i + 1) == '/') {
                out.append("*\\/");
                i++;
            } else if (c != '\r') {
                out.append(c);
            }
        }
    }

    /** Gives out unique names: the first asker of a name keeps it, later ones get 2, 3, … appended. */
    static final class Allocator {
        private final Set<String> used = new HashSet<>();

        Allocator(Set<String> taken) {
            used.addAll(taken);
        }

        boolean tryTake(String name) {
            return used.add(name);
        }

        String take(String wanted) {
            if (used.add(wanted)) {
                return wanted;
            }
            for (int n = 2; ; n++) {
                String candidate = wanted + n;
                if (used.add(candidate)) {
                    return candidate;
                }
            }
        }
    }
}
