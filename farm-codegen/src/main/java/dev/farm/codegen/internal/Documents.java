package dev.farm.codegen.internal;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.farm.codegen.CodegenException;
import dev.farm.codegen.Diagnostic;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.yaml.snakeyaml.LoaderOptions;

/** The root document and the external documents its {@code $ref}s load, parsed once per run. */
final class Documents {

    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final ObjectMapper YAML;

    static {
        LoaderOptions loader = new LoaderOptions();
        loader.setCodePointLimit(256 * 1024 * 1024); // SnakeYAML's default, 3 MB, is below Stripe's 4 MB spec
        loader.setNestingDepthLimit(1000);
        loader.setMaxAliasesForCollections(1000);
        YAML = new YAMLMapper(YAMLFactory.builder().loaderOptions(loader).build());
    }

    /** A resolved reference: the document holding the target, the target's pointer, and the target. */
    record Target(URI doc, String pointer, JsonNode node) {
        String key() {
            return doc + "#" + pointer;
        }
    }

    private final Map<URI, JsonNode> loaded = new HashMap<>();
    private final Map<URI, String> origins = new HashMap<>();
    private final URI rootUri;
    private final JsonNode root;

    Documents(URI rootUri, String rootOrigin, JsonNode root) {
        this.rootUri = withoutFragment(rootUri);
        this.root = root;
        loaded.put(this.rootUri, root);
        origins.put(this.rootUri, rootOrigin);
    }

    URI rootUri() {
        return rootUri;
    }

    JsonNode root() {
        return root;
    }

    String origin(URI doc) {
        String origin = origins.get(doc);
        return origin == null ? doc.toString() : origin;
    }

    /** Parses JSON or YAML text into a tree; HTML pages, empty bodies and syntax errors become diagnostics. */
    static JsonNode parse(String text, String origin) {
        int first = 0;
        while (first < text.length()
                && (Character.isWhitespace(text.charAt(first)) || text.charAt(first) == '\uFEFF')) {
            first++;
        }
        if (first == text.length()) {
            throw fail(
                    origin,
                    "",
                    "the document is empty. Expected OpenAPI 3 as JSON or YAML; check that the"
                            + " server or command really produces it.");
        }
        char c = text.charAt(first);
        if (c == '<') {
            int end = text.indexOf('\n', first);
            String line = text.substring(first, Math.min(end < 0 ? text.length() : end, first + 80))
                    .strip();
            throw fail(
                    origin,
                    "",
                    "got HTML or XML instead of an OpenAPI document (it starts with \"" + line
                            + "\"). Is this an error page? Check the URL's path (FastAPI serves /openapi.json) and the"
                            + " server's log.");
        }
        try {
            JsonNode node = (c == '{' || c == '[') ? JSON.readTree(text) : YAML.readTree(text);
            if (node == null || node.isMissingNode()) {
                throw fail(origin, "", "the document is empty. Expected OpenAPI 3 as JSON or YAML.");
            }
            return node;
        } catch (JacksonException e) {
            JsonLocation where = e.getLocation();
            String at = where == null ? "" : "line " + where.getLineNr() + ", column " + where.getColumnNr() + ": ";
            throw new CodegenException(
                    new Diagnostic(
                            origin,
                            "",
                            at + "not valid " + ((c == '{' || c == '[') ? "JSON" : "YAML") + " ("
                                    + e.getOriginalMessage() + "). The document may be cut short or hand-edited;"
                                    + " fix it, or check what the server sent."),
                    e);
        }
    }

    /**
     * Resolves a {@code $ref} found in {@code doc} at {@code where}.
     *
     * @throws CodegenException when the reference points at nothing
     */
    Target resolve(URI doc, String ref, Ptr where) {
        int hash = ref.indexOf('#');
        String file = hash < 0 ? ref : ref.substring(0, hash);
        String fragment = hash < 0 ? "" : ref.substring(hash + 1);
        URI target = doc;
        if (!file.isEmpty()) {
            try {
                target = withoutFragment(doc.resolve(new URI(null, null, file, null)));
            } catch (java.net.URISyntaxException | IllegalArgumentException e) {
                throw fail(
                        origin(doc),
                        where + "/$ref",
                        "$ref \"" + ref + "\" is not a valid URI reference (" + e.getMessage()
                                + "). Fix the reference.");
            }
        }
        JsonNode targetDoc = load(target, doc, ref, where);
        String pointer = decodePercent(fragment);
        if (!pointer.isEmpty() && pointer.charAt(0) != '/') {
            throw fail(
                    origin(doc),
                    where + "/$ref",
                    "$ref \"" + ref + "\" has a fragment that is not a JSON pointer"
                            + " (expected #/components/schemas/NAME or similar). Fix the reference.");
        }
        JsonNode node = at(targetDoc, pointer);
        if (node == null) {
            throw fail(
                    origin(doc),
                    where + "/$ref",
                    "$ref \"" + ref + "\" points at nothing: " + origin(target)
                            + " has no " + (pointer.isEmpty() ? "content" : pointer)
                            + ". Fix the name in the reference, or"
                            + " add what it points at.");
        }
        return new Target(target, Ptr.parse(pointer).toString(), node);
    }

    /** The node at a JSON pointer (with {@code ~0}/{@code ~1} escapes), or null. */
    static @Nullable JsonNode at(JsonNode doc, String pointer) {
        JsonNode node = doc;
        if (pointer.isEmpty()) {
            return node;
        }
        int start = 1;
        while (start <= pointer.length()) {
            int slash = pointer.indexOf('/', start);
            int end = slash < 0 ? pointer.length() : slash;
            String segment = Ptr.unescape(pointer.substring(start, end));
            if (node.isObject()) {
                node = node.get(segment);
            } else if (node.isArray()) {
                node = index(node, segment);
            } else {
                return null;
            }
            if (node == null) {
                return null;
            }
            start = end + 1;
        }
        return node;
    }

    private static @Nullable JsonNode index(JsonNode array, String segment) {
        if (segment.isEmpty() || segment.length() > 9) {
            return null;
        }
        for (int i = 0; i < segment.length(); i++) {
            if (segment.charAt(i) < '0' || segment.charAt(i) > '9') {
                return null;
            }
        }
        return array.get(Integer.parseInt(segment));
    }

    private JsonNode load(URI target, URI from, String ref, Ptr where) {
        JsonNode doc = loaded.get(target);
        if (doc != null) {
            return doc;
        }
        if (!"file".equals(target.getScheme())) {
            throw fail(
                    origin(from),
                    where + "/$ref",
                    "$ref \"" + ref + "\" points into " + target
                            + "; farm-codegen loads external documents from files only. Bundle the document into one file,"
                            + " or generate from a file source.");
        }
        Path path = Path.of(target);
        String text;
        try {
            text = new String(Files.readAllBytes(path), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw fail(
                    origin(from),
                    where + "/$ref",
                    "$ref \"" + ref + "\" points at " + path
                            + ", which does not exist. Fix the path (it is relative to the referring document).");
        } catch (IOException e) {
            throw fail(origin(from), where + "/$ref", "$ref \"" + ref + "\": cannot read " + path + ": " + e + ".");
        }
        doc = parse(text, path.toString());
        loaded.put(target, doc);
        origins.put(target, path.toString());
        return doc;
    }

    private static URI withoutFragment(URI uri) {
        if (uri.getFragment() == null) {
            return uri;
        }
        try {
            return new URI(uri.getScheme(), uri.getSchemeSpecificPart(), null);
        } catch (java.net.URISyntaxException e) {
            return uri;
        }
    }

    private static String decodePercent(String fragment) {
        if (fragment.indexOf('%') < 0) {
            return fragment;
        }
        try {
            return URLDecoder.decode(fragment.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return fragment;
        }
    }

    static CodegenException fail(String origin, String pointer, String message) {
        return new CodegenException(new Diagnostic(origin, pointer, message), null);
    }
}
