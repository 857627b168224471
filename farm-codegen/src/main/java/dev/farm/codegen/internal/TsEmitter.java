package dev.farm.codegen.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.farm.codegen.CodegenException;
import dev.farm.codegen.Diagnostic;
import java.net.URI;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * One generation run: discovers the named types, then emits them, the {@code Schemas} and {@code Operations} maps, and
 * the client. Not thread-safe; one instance per run.
 */
final class TsEmitter {

    private static final String INDENT = "    ";
    private static final List<String> METHODS =
            List.of("get", "put", "post", "delete", "options", "head", "patch", "trace");

    /** Which properties a schema keeps: all, those a client may send (no readOnly), those it receives (no writeOnly). */
    enum Mode {
        ALL,
        WRITE,
        READ
    }

    /** A schema that gets a named alias: a component schema of the root document, or a hoisted external target. */
    static final class Named {
        final String key;
        final URI doc;
        final Ptr ptr;
        final JsonNode schema;
        final @Nullable String component;
        String name = "";

        @Nullable
        String writeName;

        @Nullable
        String readName;

        final Set<Named> deps = new LinkedHashSet<>();
        boolean hasReadOnly;
        boolean hasWriteOnly;

        Named(String key, URI doc, Ptr ptr, JsonNode schema, @Nullable String component) {
            this.key = key;
            this.doc = doc;
            this.ptr = ptr;
            this.schema = schema;
            this.component = component;
        }

        String name(Mode mode) {
            if (mode == Mode.WRITE && writeName != null) {
                return writeName;
            }
            if (mode == Mode.READ && readName != null) {
                return readName;
            }
            return name;
        }
    }

    record Media(String type, @Nullable JsonNode schema, URI doc, Ptr ptr) {}

    record Param(
            String in,
            String name,
            boolean required,
            JsonNode node,
            @Nullable JsonNode schema,
            URI doc,
            Ptr ptr) {}

    record Body(boolean required, List<Media> media) {}

    record Resp(String status, List<Media> media) {}

    record Op(
            String fn,
            String method,
            String path,
            JsonNode node,
            Ptr ptr,
            List<Param> params,
            @Nullable Body body,
            List<Resp> responses) {}

    private final Documents docs;
    private final String origin;
    private final boolean client;
    private final List<Diagnostic> warnings = new ArrayList<>();
    private final Map<String, Named> named = new LinkedHashMap<>();
    private final List<Named> order = new ArrayList<>();
    private final Deque<Named> toWalk = new ArrayDeque<>();
    private final TsNames.Allocator typeNames = new TsNames.Allocator(TsNames.TAKEN_TYPES);
    private final List<Op> ops = new ArrayList<>();
    private final Map<URI, Map<String, Named>> resolved = new HashMap<>();

    // Emission state: the alias being emitted, and its references outside any object or array.
    private @Nullable String current;
    private final Map<String, Set<String>> unguarded = new HashMap<>();
    private Set<String> broken = Set.of();

    TsEmitter(Documents docs, String origin, boolean client) {
        this.docs = docs;
        this.origin = origin;
        this.client = client;
    }

    List<Diagnostic> warnings() {
        return warnings;
    }

    List<Op> operations() {
        return ops;
    }

    Map<String, Named> namedTypes() {
        return named;
    }

    // ------------------------------------------------------------------------------------------------ discovery

    String generate() {
        JsonNode root = docs.root();
        if (!root.isObject()) {
            throw Documents.fail(
                    origin,
                    "",
                    "expected an OpenAPI document (a JSON object with an \"openapi\" field)," + " found " + kind(root)
                            + ". Check what the source produces.");
        }
        JsonNode version = root.get("openapi");
        if (version == null || !version.isTextual() || !version.asText().startsWith("3.")) {
            if (root.has("swagger")) {
                throw Documents.fail(
                        origin,
                        "/swagger",
                        "this is a Swagger 2.0 document; farm-codegen reads OpenAPI 3.0"
                                + " and 3.1. Convert it (for example with swagger2openapi), or serve OpenAPI 3.");
            }
            throw Documents.fail(
                    origin,
                    "/openapi",
                    "expected \"openapi\": \"3.0.x\" or \"3.1.x\", found "
                            + (version == null ? "no openapi field" : version.toString())
                            + ". Check that the source is an OpenAPI 3 document.");
        }
        URI rootUri = docs.rootUri();
        JsonNode schemas = root.path("components").path("schemas");
        Ptr schemasPtr = Ptr.ROOT.child("components").child("schemas");
        if (schemas.isObject()) {
            for (Map.Entry<String, JsonNode> e : schemas.properties()) {
                Ptr ptr = schemasPtr.child(e.getKey());
                Named n = new Named(rootUri + "#" + ptr, rootUri, ptr, e.getValue(), e.getKey());
                named.put(n.key, n);
                order.add(n);
            }
            // Valid, unreserved names keep their spelling; the others are respelt after, so they never take a name
            // a schema has as it is.
            for (Named n : order) {
                String c = java.util.Objects.requireNonNull(n.component);
                if (TsNames.isIdentifier(c) && !TsNames.RESERVED.contains(c) && typeNames.tryTake(c)) {
                    n.name = c;
                }
            }
            for (Named n : order) {
                if (n.name.isEmpty()) {
                    n.name = typeNames.take(typeName(java.util.Objects.requireNonNull(n.component)));
                }
            }
            toWalk.addAll(order);
        }
        collectOperations(root, rootUri);
        drain();
        for (Op op : ops) {
            for (Param p : op.params()) {
                if (p.schema() != null) {
                    walk(p.schema(), p.doc(), p.ptr(), null);
                }
            }
            if (op.body() != null) {
                for (Media m : op.body().media()) {
                    if (m.schema() != null) {
                        walk(m.schema(), m.doc(), m.ptr(), null);
                    }
                }
            }
            for (Resp r : op.responses()) {
                for (Media m : r.media()) {
                    if (m.schema() != null) {
                        walk(m.schema(), m.doc(), m.ptr(), null);
                    }
                }
            }
            drain();
        }
        propagate();
        for (Named n : order) {
            if (n.hasReadOnly) {
                n.writeName = typeNames.take(n.name + "Writable");
            }
            if (n.hasWriteOnly) {
                n.readName = typeNames.take(n.name + "Readable");
            }
        }
        return emit(root);
    }

    private void drain() {
        while (!toWalk.isEmpty()) {
            Named n = toWalk.poll();
            walk(n.schema, n.doc, n.ptr, n);
        }
    }

    private static String typeName(String component) {
        if (TsNames.isIdentifier(component)) {
            return Character.toUpperCase(component.charAt(0)) + component.substring(1);
        }
        return TsNames.words(component, true);
    }

    /** Records the named types a schema refers to, creating hoisted ones, and where readOnly/writeOnly occur. */
    private void walk(JsonNode node, URI doc, Ptr ptr, @Nullable Named owner) {
        if (!node.isObject()) {
            return;
        }
        JsonNode ref = node.get("$ref");
        if (ref != null && ref.isTextual()) {
            Named target = namedFor(doc, ref.asText(), ptr);
            if (owner != null) {
                owner.deps.add(target);
            }
            return;
        }
        JsonNode props = node.get("properties");
        if (props != null && props.isObject()) {
            Ptr pp = ptr.child("properties");
            for (Map.Entry<String, JsonNode> e : props.properties()) {
                JsonNode p = e.getValue();
                if (owner != null && p.isObject()) {
                    if (p.path("readOnly").asBoolean(false)) {
                        owner.hasReadOnly = true;
                    }
                    if (p.path("writeOnly").asBoolean(false)) {
                        owner.hasWriteOnly = true;
                    }
                }
                walk(p, doc, pp.child(e.getKey()), owner);
            }
        }
        walkChild(node, "additionalProperties", doc, ptr, owner);
        walkChild(node, "items", doc, ptr, owner);
        walkChild(node, "not", doc, ptr, owner);
        walkList(node, "prefixItems", doc, ptr, owner);
        walkList(node, "allOf", doc, ptr, owner);
        walkList(node, "anyOf", doc, ptr, owner);
        walkList(node, "oneOf", doc, ptr, owner);
    }

    private void walkChild(JsonNode node, String key, URI doc, Ptr ptr, @Nullable Named owner) {
        JsonNode child = node.get(key);
        if (child == null) {
            return;
        }
        if (child.isArray()) {
            walkList(node, key, doc, ptr, owner);
        } else {
            walk(child, doc, ptr.child(key), owner);
        }
    }

    private void walkList(JsonNode node, String key, URI doc, Ptr ptr, @Nullable Named owner) {
        JsonNode list = node.get(key);
        if (list == null || !list.isArray()) {
            return;
        }
        Ptr lp = ptr.child(key);
        for (int i = 0; i < list.size(); i++) {
            walk(list.get(i), doc, lp.child(i), owner);
        }
    }

    private Named namedFor(URI doc, String ref, Ptr where) {
        Map<String, Named> known = resolved.computeIfAbsent(doc, k -> new HashMap<>());
        Named hit = known.get(ref);
        if (hit != null) {
            return hit;
        }
        Named n = resolveNamed(doc, ref, where);
        known.put(ref, n);
        return n;
    }

    private Named resolveNamed(URI doc, String ref, Ptr where) {
        Documents.Target target = docs.resolve(doc, ref, where);
        String key = target.key();
        Named n = named.get(key);
        if (n == null) {
            Ptr ptr = Ptr.parse(target.pointer());
            String last = ptr.last().isEmpty() ? "Root" : ptr.last();
            n = new Named(key, target.doc(), ptr, target.node(), null);
            n.name = typeNames.take(typeName(last));
            named.put(key, n);
            order.add(n);
            toWalk.add(n);
        }
        return n;
    }

    private void propagate() {
        boolean changed = true;
        while (changed) {
            changed = false;
            for (Named n : order) {
                for (Named d : n.deps) {
                    if (d.hasReadOnly && !n.hasReadOnly) {
                        n.hasReadOnly = true;
                        changed = true;
                    }
                    if (d.hasWriteOnly && !n.hasWriteOnly) {
                        n.hasWriteOnly = true;
                        changed = true;
                    }
                }
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ operations

    private void collectOperations(JsonNode root, URI rootUri) {
        JsonNode paths = root.get("paths");
        if (paths == null || !paths.isObject()) {
            return;
        }
        TsNames.Allocator fnNames = new TsNames.Allocator(Set.of());
        Ptr pathsPtr = Ptr.ROOT.child("paths");
        for (Map.Entry<String, JsonNode> e : paths.properties()) {
            String path = e.getKey();
            Ptr itemPtr = pathsPtr.child(path);
            Located item = deref(e.getValue(), rootUri, itemPtr);
            if (!item.node().isObject()) {
                continue;
            }
            for (String method : METHODS) {
                JsonNode op = item.node().get(method);
                if (op == null || !op.isObject()) {
                    continue;
                }
                Ptr opPtr = item.ptr().child(method);
                String id = op.path("operationId").asText("");
                String wanted;
                if (id.isEmpty()) {
                    wanted = TsNames.words(
                            method + " " + path.replace("{", " by ").replace("}", " "), false);
                } else if (TsNames.isIdentifier(id) && !TsNames.RESERVED.contains(id)) {
                    wanted = id;
                } else {
                    wanted = TsNames.words(id, false);
                    if (TsNames.RESERVED.contains(wanted)) {
                        wanted = wanted + "_";
                    }
                }
                if (wanted.startsWith("$")) {
                    wanted = "_" + wanted;
                }
                String fn = fnNames.take(wanted);
                ops.add(new Op(
                        fn,
                        method,
                        path,
                        op,
                        opPtr,
                        params(item, op, opPtr, path),
                        body(op, item.doc(), opPtr),
                        responses(op, item.doc(), opPtr)));
            }
        }
    }

    record Located(JsonNode node, URI doc, Ptr ptr) {}

    /** Follows a chain of non-schema {@code $ref}s (parameters, bodies, responses, path items). */
    private Located deref(JsonNode node, URI doc, Ptr ptr) {
        Set<String> seen = new HashSet<>();
        JsonNode current = node;
        URI currentDoc = doc;
        Ptr currentPtr = ptr;
        while (current.isObject()
                && current.get("$ref") != null
                && current.get("$ref").isTextual()) {
            Documents.Target t = docs.resolve(currentDoc, current.get("$ref").asText(), currentPtr);
            if (!seen.add(t.key())) {
                throw Documents.fail(
                        docs.origin(currentDoc),
                        currentPtr + "/$ref",
                        "$ref \""
                                + current.get("$ref").asText()
                                + "\" is part of a reference loop that never reaches a value."
                                + " Point one of the references at a real object.");
            }
            current = t.node();
            currentDoc = t.doc();
            currentPtr = Ptr.parse(t.pointer());
        }
        return new Located(current, currentDoc, currentPtr);
    }

    private List<Param> params(Located item, JsonNode op, Ptr opPtr, String path) {
        Map<String, Param> byKey = new LinkedHashMap<>();
        addParams(byKey, item.node().get("parameters"), item.doc(), item.ptr().child("parameters"));
        addParams(byKey, op.get("parameters"), item.doc(), opPtr.child("parameters"));
        // Path template variables nobody declared: still required, typed loosely (hey-api full.yaml has 43).
        int open = path.indexOf('{');
        while (open >= 0) {
            int close = path.indexOf('}', open);
            if (close < 0) {
                break;
            }
            String name = path.substring(open + 1, close);
            if (!byKey.containsKey("path " + name)) {
                warnings.add(new Diagnostic(
                        origin,
                        opPtr.toString(),
                        "path parameter {" + name + "} is not declared;"
                                + " typed as string | number. Declare it under parameters with in: path."));
                byKey.put(
                        "path " + name,
                        new Param(
                                "path",
                                name,
                                true,
                                com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode(),
                                null,
                                item.doc(),
                                opPtr));
            }
            open = path.indexOf('{', close);
        }
        return List.copyOf(byKey.values());
    }

    private void addParams(Map<String, Param> byKey, @Nullable JsonNode list, URI doc, Ptr ptr) {
        if (list == null || !list.isArray()) {
            return;
        }
        for (int i = 0; i < list.size(); i++) {
            Located p = deref(list.get(i), doc, ptr.child(i));
            JsonNode node = p.node();
            String in = node.path("in").asText("");
            String name = node.path("name").asText("");
            if (name.isEmpty()
                    || !(in.equals("path") || in.equals("query") || in.equals("header") || in.equals("cookie"))) {
                warnings.add(new Diagnostic(
                        docs.origin(p.doc()),
                        p.ptr().toString(),
                        "parameter without a name or with" + " in: \"" + in
                                + "\" (expected path, query, header or cookie); left out."));
                continue;
            }
            JsonNode schema = node.get("schema");
            Ptr schemaPtr = p.ptr().child("schema");
            if (schema == null
                    && node.path("content").isObject()
                    && node.path("content").size() > 0) {
                Map.Entry<String, JsonNode> first =
                        node.path("content").properties().iterator().next();
                schema = first.getValue().get("schema");
                schemaPtr = p.ptr().child("content").child(first.getKey()).child("schema");
            }
            boolean required = in.equals("path") || node.path("required").asBoolean(false);
            byKey.put(in + " " + name, new Param(in, name, required, node, schema, p.doc(), schemaPtr));
        }
    }

    private @Nullable Body body(JsonNode op, URI doc, Ptr opPtr) {
        JsonNode body = op.get("requestBody");
        if (body == null) {
            return null;
        }
        Located b = deref(body, doc, opPtr.child("requestBody"));
        List<Media> media = media(b);
        if (media.isEmpty()) {
            return null;
        }
        return new Body(b.node().path("required").asBoolean(false), media);
    }

    private List<Resp> responses(JsonNode op, URI doc, Ptr opPtr) {
        JsonNode responses = op.get("responses");
        List<Resp> out = new ArrayList<>();
        if (responses == null || !responses.isObject()) {
            return out;
        }
        Ptr rp = opPtr.child("responses");
        for (Map.Entry<String, JsonNode> e : responses.properties()) {
            String status = e.getKey();
            if (!isStatus(status)) {
                if (!status.startsWith("x-")) {
                    warnings.add(new Diagnostic(
                            origin,
                            rp.child(status).toString(),
                            "response key \"" + status
                                    + "\" is not a status code, a range like 2XX or default; left out."));
                }
                continue;
            }
            out.add(new Resp(status, media(deref(e.getValue(), doc, rp.child(status)))));
        }
        return out;
    }

    private static boolean isStatus(String s) {
        if (s.equals("default")) {
            return true;
        }
        if (s.length() != 3 || s.charAt(0) < '1' || s.charAt(0) > '5') {
            return false;
        }
        boolean range = (s.charAt(1) == 'X' || s.charAt(1) == 'x') && (s.charAt(2) == 'X' || s.charAt(2) == 'x');
        return range || (Character.isDigit(s.charAt(1)) && Character.isDigit(s.charAt(2)));
    }

    private static List<Media> media(Located holder) {
        JsonNode content = holder.node().get("content");
        List<Media> out = new ArrayList<>();
        if (content == null || !content.isObject()) {
            return out;
        }
        Ptr cp = holder.ptr().child("content");
        for (Map.Entry<String, JsonNode> e : content.properties()) {
            JsonNode schema = e.getValue().get("schema");
            out.add(new Media(
                    e.getKey(), schema, holder.doc(), cp.child(e.getKey()).child("schema")));
        }
        return out;
    }

    // ------------------------------------------------------------------------------------------------ emission

    private String emit(JsonNode root) {
        StringBuilder out = new StringBuilder(1 << 20);
        JsonNode info = root.path("info");
        out.append("// Generated by farm-codegen from ");
        String title = info.path("title").asText("an OpenAPI document");
        out.append(oneLine(title));
        if (info.hasNonNull("version")) {
            out.append(' ').append(oneLine(info.path("version").asText()));
        }
        out.append(" (OpenAPI ").append(oneLine(root.path("openapi").asText())).append(").\n");
        out.append("// Do not edit: farm regenerates this file from the document.\n");
        out.append("/* eslint-disable */\n\n");

        // Every alias in a chunk of its own, so an alias caught in an unguarded cycle can be emitted again.
        List<String> aliasNames = new ArrayList<>();
        List<Named> aliasOf = new ArrayList<>();
        List<Mode> aliasMode = new ArrayList<>();
        for (Named n : order) {
            aliasNames.add(n.name);
            aliasOf.add(n);
            aliasMode.add(Mode.ALL);
        }
        for (Named n : order) {
            if (n.writeName != null) {
                aliasNames.add(n.writeName);
                aliasOf.add(n);
                aliasMode.add(Mode.WRITE);
            }
            if (n.readName != null) {
                aliasNames.add(n.readName);
                aliasOf.add(n);
                aliasMode.add(Mode.READ);
            }
        }
        List<String> chunks = new ArrayList<>(aliasNames.size());
        for (int i = 0; i < aliasNames.size(); i++) {
            chunks.add(alias(aliasNames.get(i), aliasOf.get(i), aliasMode.get(i)));
        }
        Set<String> cyclic = cyclicAliases();
        if (!cyclic.isEmpty()) {
            broken = cyclic;
            for (int i = 0; i < aliasNames.size(); i++) {
                if (cyclic.contains(aliasNames.get(i))) {
                    chunks.set(i, alias(aliasNames.get(i), aliasOf.get(i), aliasMode.get(i)));
                }
            }
            broken = Set.of();
        }
        for (String chunk : chunks) {
            out.append(chunk);
        }

        out.append("/** Every component schema, by its name in the document. */\n");
        out.append("export interface Schemas {\n");
        for (Named n : order) {
            if (n.component != null) {
                out.append(INDENT);
                TsNames.appendString(out, n.component);
                out.append(": ").append(n.name).append(";\n");
            }
        }
        out.append("}\n\n");
        current = null;
        emitOperations(out);
        if (client) {
            ClientEmitter.emit(out, ops, this);
        }
        return out.toString();
    }

    private static String oneLine(String text) {
        return text.replace('\n', ' ').replace('\r', ' ');
    }

    private String alias(String name, Named n, Mode mode) {
        current = name;
        unguarded.put(name, new LinkedHashSet<>());
        StringBuilder sb = new StringBuilder(256);
        List<String> doc = docLines(n.schema);
        if (n.component == null) {
            List<String> withOrigin = new ArrayList<>(doc);
            withOrigin.add("From " + docs.origin(n.doc) + "#" + n.ptr);
            doc = withOrigin;
        }
        TsNames.appendDoc(sb, "", doc);
        sb.append("export type ").append(name).append(" = ");
        type(sb, n.schema, n.doc, n.ptr, mode, 0, 0, n);
        sb.append(";\n\n");
        current = null;
        return sb.toString();
    }

    private static List<String> docLines(JsonNode schema) {
        if (!schema.isObject()) {
            return List.of();
        }
        List<String> lines = new ArrayList<>(2);
        JsonNode description = schema.get("description");
        if (description != null
                && description.isTextual()
                && !description.asText().isBlank()) {
            lines.add(description.asText().strip());
        } else {
            JsonNode title = schema.get("title");
            if (title != null && title.isTextual() && !title.asText().isBlank()) {
                lines.add(title.asText().strip());
            }
        }
        if (schema.path("deprecated").asBoolean(false)) {
            lines.add("@deprecated");
        }
        return lines;
    }

    /** Finds the aliases on a cycle of references that never pass through an object or an array (TS2456). */
    private Set<String> cyclicAliases() {
        Set<String> result = new HashSet<>();
        // Tarjan's strongly connected components, iteratively small enough: the graphs have at most a few thousand.
        Map<String, Integer> index = new HashMap<>();
        Map<String, Integer> low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        Set<String> onStack = new HashSet<>();
        int[] counter = {0};
        for (String v : unguarded.keySet()) {
            if (!index.containsKey(v)) {
                strongConnect(v, index, low, stack, onStack, counter, result);
            }
        }
        return result;
    }

    private void strongConnect(
            String v,
            Map<String, Integer> index,
            Map<String, Integer> low,
            Deque<String> stack,
            Set<String> onStack,
            int[] counter,
            Set<String> result) {
        index.put(v, counter[0]);
        low.put(v, counter[0]);
        counter[0]++;
        stack.push(v);
        onStack.add(v);
        for (String w : unguarded.getOrDefault(v, Set.of())) {
            if (!index.containsKey(w)) {
                strongConnect(w, index, low, stack, onStack, counter, result);
                low.put(v, Math.min(low.get(v), low.get(w)));
            } else if (onStack.contains(w)) {
                low.put(v, Math.min(low.get(v), index.get(w)));
            }
        }
        if (low.get(v).equals(index.get(v))) {
            List<String> component = new ArrayList<>();
            String w;
            do {
                w = stack.pop();
                onStack.remove(w);
                component.add(w);
            } while (!w.equals(v));
            if (component.size() > 1 || unguarded.getOrDefault(v, Set.of()).contains(v)) {
                result.addAll(component);
            }
        }
    }

    /**
     * Appends the TypeScript type of a schema.
     *
     * @param guard how many objects or arrays enclose this place in the current alias (0: a bare reference here
     *     would make the alias refer to itself directly)
     * @param top the named type whose own top-level schema this is, or null
     */
    void type(
            StringBuilder sb,
            @Nullable JsonNode node,
            URI doc,
            Ptr ptr,
            Mode mode,
            int indent,
            int guard,
            @Nullable Named top) {
        if (node == null) {
            sb.append("unknown");
            return;
        }
        if (node.isBoolean()) {
            sb.append(node.asBoolean() ? "unknown" : "never");
            return;
        }
        if (!node.isObject()) {
            warnings.add(new Diagnostic(
                    docs.origin(doc),
                    ptr.toString(),
                    "expected a schema object, found " + kind(node) + "; typed as unknown."));
            sb.append("unknown");
            return;
        }
        boolean nullable = node.path("nullable").asBoolean(false);
        JsonNode ref = node.get("$ref");
        if (ref != null && ref.isTextual()) {
            int start = sb.length();
            reference(sb, doc, ref.asText(), ptr, mode, guard);
            if (nullable && !sb.substring(start).equals("unknown")) {
                sb.append(" | null");
            }
            return;
        }
        int start = sb.length();
        int parts = 0;
        boolean composed = node.has("allOf") || node.has("anyOf") || node.has("oneOf");
        // The value part: const, enum, or the type(s).
        JsonNode constant = node.get("const");
        JsonNode en = node.get("enum");
        JsonNode t = node.get("type");
        if (constant != null) {
            literal(sb, constant);
            parts++;
        } else if (en != null && en.isArray()) {
            enumType(sb, en, nullable);
            parts++;
        } else if (t != null && t.isArray()) {
            int before = sb.length();
            int n = 0;
            for (JsonNode each : t) {
                int mark = sb.length();
                if (n > 0) {
                    sb.append(" | ");
                }
                if (!singleType(sb, each.asText(""), node, doc, ptr, mode, indent, guard, composed)) {
                    // type: [object, null] beside a composition: any object, narrowed by the members
                    sb.setLength(mark);
                    sb.append(n > 0 ? " | " : "").append("{ [key: string]: unknown }");
                }
                n++;
            }
            if (n == 0) {
                sb.append("unknown");
            } else if (n > 1 && composed) {
                sb.insert(before, '(').append(')');
            }
            parts++;
        } else if (t != null && t.isTextual()) {
            int before = sb.length();
            if (singleType(sb, t.asText(), node, doc, ptr, mode, indent, guard, composed)) {
                parts++;
            } else {
                sb.setLength(before);
            }
        } else if (node.has("properties") || (node.has("additionalProperties") && !composed)) {
            // Without a type, additionalProperties only constrains objects: beside anyOf [X, null] it must not
            // exclude null, so it alone does not make the schema an object there.
            if (singleType(sb, "object", node, doc, ptr, mode, indent, guard, composed)) {
                parts++;
            }
        } else if (node.has("items") || node.has("prefixItems")) {
            singleType(sb, "array", node, doc, ptr, mode, indent, guard, composed);
            parts++;
        }
        // Composition.
        JsonNode allOf = node.get("allOf");
        if (allOf != null && allOf.isArray() && allOf.size() > 0) {
            if (parts > 0) {
                sb.append(" & ");
            }
            composition(sb, allOf, " & ", doc, ptr.child("allOf"), mode, indent, guard, node, top, parts > 0);
            parts++;
            requiredFromMembers(sb, node);
        }
        for (String key : new String[] {"oneOf", "anyOf"}) {
            JsonNode list = node.get(key);
            if (list != null && list.isArray() && list.size() > 0) {
                if (parts > 0) {
                    sb.append(" & ");
                }
                composition(sb, list, " | ", doc, ptr.child(key), mode, indent, guard, node, top, parts > 0);
                parts++;
            }
        }
        if (parts == 0) {
            sb.append("unknown");
            return;
        }
        if (nullable && en == null && !endsWithNull(sb, start)) {
            if (parts > 1) {
                sb.insert(start, '(').append(')');
            }
            sb.append(" | null");
        }
    }

    /** {@code required} naming properties that only the allOf members declare makes them required here. */
    private static void requiredFromMembers(StringBuilder sb, JsonNode node) {
        JsonNode req = node.get("required");
        if (req == null || !req.isArray() || req.isEmpty()) {
            return;
        }
        JsonNode props = node.get("properties");
        boolean any = false;
        for (JsonNode r : req) {
            String name = r.asText();
            if (props != null && props.has(name)) {
                continue;
            }
            sb.append(any ? "; " : " & { ");
            TsNames.appendKey(sb, name);
            sb.append(": {} | null"); // anything but undefined: the member's optional property becomes required
            any = true;
        }
        if (any) {
            sb.append(" }");
        }
    }

    private static boolean endsWithNull(StringBuilder sb, int start) {
        int len = sb.length();
        return len - start >= 4 && sb.substring(len - 4).equals("null");
    }

    private void reference(StringBuilder sb, URI doc, String ref, Ptr ptr, Mode mode, int guard) {
        Named target = namedFor(doc, ref, ptr);
        String name = target.name(mode);
        if (current != null && guard == 0) {
            if (broken.contains(current) && broken.contains(name)) {
                warnings.add(new Diagnostic(
                        docs.origin(doc),
                        ptr.toString(),
                        "$ref \"" + ref + "\" makes "
                                + current + " refer to itself without an object or array in between, which TypeScript"
                                + " rejects (TS2456); typed as unknown here."));
                sb.append("unknown");
                return;
            }
            unguarded.computeIfAbsent(current, k -> new LinkedHashSet<>()).add(name);
        }
        sb.append(name);
    }

    private void composition(
            StringBuilder sb,
            JsonNode list,
            String op,
            URI doc,
            Ptr ptr,
            Mode mode,
            int indent,
            int guard,
            JsonNode parent,
            @Nullable Named top,
            boolean inIntersection) {
        int start = sb.length();
        JsonNode discriminator = parent.get("discriminator");
        String tagProperty =
                discriminator == null ? "" : discriminator.path("propertyName").asText("");
        boolean union = op.equals(" | ");
        int n = 0;
        Set<String> seen = new LinkedHashSet<>();
        for (int i = 0; i < list.size(); i++) {
            JsonNode member = list.get(i);
            StringBuilder one = new StringBuilder();
            Ptr mp = ptr.child(i);
            if (union && !tagProperty.isEmpty() && member.isObject() && member.has("$ref")) {
                String tag = tagFor(discriminator, doc, member.get("$ref").asText(), mp);
                if (tag != null) {
                    one.append("({ ");
                    TsNames.appendKey(one, tagProperty);
                    one.append(": ");
                    TsNames.appendString(one, tag);
                    one.append(" } & ");
                    type(one, member, doc, mp, mode, indent, guard, null);
                    one.append(')');
                } else {
                    type(one, member, doc, mp, mode, indent, guard, null);
                }
            } else {
                type(one, member, doc, mp, mode, indent, guard, null);
                if (!union && top != null && top.component != null && member.isObject() && member.has("$ref")) {
                    // allOf: [Parent] where Parent has a discriminator: this schema's tag narrows the property.
                    Documents.Target parentTarget =
                            docs.resolve(doc, member.get("$ref").asText(), mp);
                    JsonNode pd = parentTarget.node().get("discriminator");
                    String prop = pd == null ? "" : pd.path("propertyName").asText("");
                    if (!prop.isEmpty()
                            && !parentTarget.node().has("oneOf")
                            && !parentTarget.node().has("anyOf")) {
                        String tag = tagForSelf(pd, parentTarget.doc(), top);
                        one.append(" & { ");
                        TsNames.appendKey(one, prop);
                        one.append(": ");
                        TsNames.appendString(one, tag);
                        one.append(" }");
                    }
                }
            }
            String text = one.toString();
            if (!seen.add(text)) {
                continue;
            }
            if (n > 0) {
                sb.append(op);
            }
            if (needsParens(text)) {
                sb.append('(').append(text).append(')');
            } else {
                sb.append(text);
            }
            n++;
        }
        if ((n > 1 && inIntersection)
                || (n > 1 && union && parent.path("nullable").asBoolean(false))) {
            sb.insert(start, '(').append(')');
        }
    }

    private @Nullable String tagFor(JsonNode discriminator, URI doc, String memberRef, Ptr where) {
        Documents.Target member = docs.resolve(doc, memberRef, where);
        JsonNode mapping = discriminator.get("mapping");
        if (mapping != null && mapping.isObject()) {
            for (Map.Entry<String, JsonNode> e : mapping.properties()) {
                String value = e.getValue().asText("");
                String ref = value.contains("/") || value.contains("#") ? value : "#/components/schemas/" + value;
                Documents.Target t;
                try {
                    t = docs.resolve(doc, ref, where);
                } catch (CodegenException dangling) {
                    continue;
                }
                if (t.key().equals(member.key())) {
                    return e.getKey();
                }
            }
        }
        Named n = named.get(member.key());
        return n == null ? null : n.component;
    }

    private String tagForSelf(JsonNode discriminator, URI parentDoc, Named self) {
        JsonNode mapping = discriminator.get("mapping");
        if (mapping != null && mapping.isObject()) {
            for (Map.Entry<String, JsonNode> e : mapping.properties()) {
                String value = e.getValue().asText("");
                String ref = value.contains("/") || value.contains("#") ? value : "#/components/schemas/" + value;
                try {
                    if (docs.resolve(parentDoc, ref, Ptr.ROOT).key().equals(self.key)) {
                        return e.getKey();
                    }
                } catch (CodegenException dangling) {
                    // not this one
                }
            }
        }
        return java.util.Objects.requireNonNull(self.component);
    }

    /** Appends one JSON type; returns false when it adds nothing (a bare object beside a composition). */
    private boolean singleType(
            StringBuilder sb,
            String t,
            JsonNode node,
            URI doc,
            Ptr ptr,
            Mode mode,
            int indent,
            int guard,
            boolean composed) {
        switch (t) {
            case "string" -> sb.append("binary".equals(node.path("format").asText("")) ? "Blob" : "string");
            case "integer", "number" -> sb.append("number");
            case "boolean" -> sb.append("boolean");
            case "null" -> sb.append("null");
            case "array" -> array(sb, node, doc, ptr, mode, indent, guard);
            case "object" -> {
                return object(sb, node, doc, ptr, mode, indent, guard, composed);
            }
            default -> {
                warnings.add(
                        new Diagnostic(
                                docs.origin(doc),
                                ptr + "/type",
                                "unknown type \"" + t
                                        + "\" (expected string, number, integer, boolean, array, object or null); typed as unknown."));
                sb.append("unknown");
            }
        }
        return true;
    }

    private void array(StringBuilder sb, JsonNode node, URI doc, Ptr ptr, Mode mode, int indent, int guard) {
        JsonNode prefix = node.get("prefixItems");
        JsonNode items = node.get("items");
        if (prefix == null && items != null && items.isArray()) {
            prefix = items; // draft-04 style tuples
            items = null;
        }
        if (prefix != null && prefix.isArray()) {
            sb.append('[');
            Ptr pp = ptr.child(node.has("prefixItems") ? "prefixItems" : "items");
            for (int i = 0; i < prefix.size(); i++) {
                if (i > 0) {
                    sb.append(", ");
                }
                type(sb, prefix.get(i), doc, pp.child(i), mode, indent, guard + 1, null);
            }
            if (items != null && !(items.isBoolean() && !items.asBoolean())) {
                if (prefix.size() > 0) {
                    sb.append(", ");
                }
                sb.append("...");
                elementArray(sb, items, doc, ptr.child("items"), mode, indent, guard);
            }
            sb.append(']');
            return;
        }
        elementArray(sb, items, doc, ptr.child("items"), mode, indent, guard);
    }

    private void elementArray(
            StringBuilder sb, @Nullable JsonNode items, URI doc, Ptr ptr, Mode mode, int indent, int guard) {
        int start = sb.length();
        type(sb, items, doc, ptr, mode, indent, guard + 1, null);
        if (needsParens(sb, start)) {
            sb.insert(start, '(').append(')');
        }
        sb.append("[]");
    }

    private boolean object(
            StringBuilder sb, JsonNode node, URI doc, Ptr ptr, Mode mode, int indent, int guard, boolean composed) {
        JsonNode props = node.get("properties");
        JsonNode additional = node.get("additionalProperties");
        boolean hasProps = props != null && props.isObject() && props.size() > 0;
        if (!hasProps && additional == null && composed) {
            return false; // type: object beside allOf/oneOf/anyOf adds nothing the members do not say
        }
        Set<String> required = new HashSet<>();
        JsonNode req = node.get("required");
        if (req != null && req.isArray()) {
            for (JsonNode r : req) {
                required.add(r.asText());
            }
        }
        String pad = INDENT.repeat(indent + 1);
        boolean additionalTyped = additional != null && additional.isObject() && additional.size() > 0;
        boolean additionalOpen = additional == null ? !hasProps : !(additional.isBoolean() && !additional.asBoolean());
        if (!hasProps) {
            if (!additionalOpen) {
                sb.append("{ [key: string]: never }");
                return true;
            }
            sb.append("{ [key: string]: ");
            if (additionalTyped) {
                type(sb, additional, doc, ptr.child("additionalProperties"), mode, indent, guard + 1, null);
            } else {
                sb.append("unknown");
            }
            sb.append(" }");
            return true;
        }
        boolean intersect = additionalTyped;
        if (intersect) {
            sb.append('(');
        }
        sb.append("{\n");
        Ptr pp = ptr.child("properties");
        for (Map.Entry<String, JsonNode> e : props.properties()) {
            JsonNode p = e.getValue();
            boolean readOnly = p.path("readOnly").asBoolean(false);
            boolean writeOnly = p.path("writeOnly").asBoolean(false);
            if ((mode == Mode.WRITE && readOnly) || (mode == Mode.READ && writeOnly)) {
                continue;
            }
            TsNames.appendDoc(sb, pad, docLines(p));
            sb.append(pad);
            if (readOnly) {
                sb.append("readonly ");
            }
            TsNames.appendKey(sb, e.getKey());
            if (!required.contains(e.getKey())) {
                sb.append('?');
            }
            sb.append(": ");
            type(sb, p, doc, pp.child(e.getKey()), mode, indent + 1, guard + 1, null);
            sb.append(";\n");
        }
        if (additionalOpen && !additionalTyped) {
            sb.append(pad).append("[key: string]: unknown;\n");
        }
        sb.append(INDENT.repeat(indent)).append('}');
        if (intersect) {
            sb.append(" & { [key: string]: ");
            type(sb, additional, doc, ptr.child("additionalProperties"), mode, indent, guard + 1, null);
            sb.append(" })");
        }
        return true;
    }

    private static void enumType(StringBuilder sb, JsonNode en, boolean nullable) {
        if (en.size() == 0) {
            sb.append("never");
            return;
        }
        Set<String> seen = new LinkedHashSet<>();
        for (JsonNode v : en) {
            StringBuilder one = new StringBuilder();
            literal(one, v);
            seen.add(one.toString());
        }
        if (nullable) {
            seen.add("null");
        }
        sb.append(String.join(" | ", seen));
    }

    private static void literal(StringBuilder sb, JsonNode v) {
        if (v.isTextual()) {
            TsNames.appendString(sb, v.asText());
        } else if (v.isNumber()) {
            String text = v.asText();
            sb.append(text);
        } else if (v.isBoolean()) {
            sb.append(v.asBoolean());
        } else if (v.isNull()) {
            sb.append("null");
        } else {
            sb.append("unknown");
        }
    }

    static boolean needsParens(CharSequence text) {
        return needsParens(text, 0);
    }

    /** Whether a type text has a top-level union or intersection (so {@code T[]} or {@code T & U} needs brackets). */
    static boolean needsParens(CharSequence text, int start) {
        int depth = 0;
        boolean inString = false;
        for (int i = start; i < text.length(); i++) {
            char c = text.charAt(i);
            if (inString) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    inString = false;
                }
                continue;
            }
            switch (c) {
                case '"' -> inString = true;
                case '{', '(', '[', '<' -> depth++;
                case '}', ')', ']', '>' -> depth--;
                case '|', '&' -> {
                    if (depth == 0) {
                        return true;
                    }
                }
                default -> {
                    if (depth == 0 && c == '/' && i + 1 < text.length() && text.charAt(i + 1) == '*') {
                        return true; // a comment at the top: keep it inside brackets
                    }
                }
            }
        }
        return false;
    }

    private static String kind(JsonNode node) {
        if (node.isArray()) {
            return "an array";
        }
        if (node.isTextual()) {
            return "a string";
        }
        if (node.isNumber()) {
            return "a number";
        }
        if (node.isBoolean()) {
            return "a boolean";
        }
        if (node.isNull()) {
            return "null";
        }
        return "an object";
    }

    // ------------------------------------------------------------------------------------------------ Operations map

    private void emitOperations(StringBuilder out) {
        out.append(
                "/** Every operation's parameters, request bodies and responses, by the client function's name. */\n");
        out.append("export interface Operations {\n");
        String p1 = INDENT;
        String p2 = INDENT.repeat(2);
        String p3 = INDENT.repeat(3);
        for (Op op : ops) {
            TsNames.appendDoc(out, p1, opDoc(op));
            out.append(p1).append(op.fn()).append(": {\n");
            out.append(p2).append("parameters: {\n");
            for (String in : new String[] {"path", "query", "header", "cookie"}) {
                List<Param> group = group(op, in);
                if (group.isEmpty()) {
                    continue;
                }
                boolean anyRequired = group.stream().anyMatch(Param::required);
                out.append(p3).append(in).append(anyRequired ? "" : "?").append(": {\n");
                for (Param p : group) {
                    TsNames.appendDoc(out, INDENT.repeat(4), docLines(p.node()));
                    out.append(INDENT.repeat(4));
                    TsNames.appendKey(out, p.name());
                    out.append(p.required() ? ": " : "?: ");
                    if (p.schema() == null) {
                        out.append(in.equals("path") ? "string | number" : "unknown");
                    } else {
                        type(out, p.schema(), p.doc(), p.ptr(), Mode.WRITE, 4, 1, null);
                    }
                    out.append(";\n");
                }
                out.append(p3).append("};\n");
            }
            out.append(p2).append("};\n");
            if (op.body() != null) {
                out.append(p2).append("requestBody: {\n");
                for (Media m : op.body().media()) {
                    out.append(p3);
                    TsNames.appendString(out, m.type());
                    out.append(": ");
                    mediaType(out, m, Mode.WRITE, 3);
                    out.append(";\n");
                }
                out.append(p2).append("};\n");
            }
            out.append(p2).append("responses: {\n");
            for (Resp r : op.responses()) {
                out.append(p3);
                if (Character.isDigit(r.status().charAt(1))) {
                    out.append(r.status());
                } else {
                    TsNames.appendKey(
                            out,
                            r.status().equals("default")
                                    ? "default"
                                    : r.status().toUpperCase(java.util.Locale.ROOT));
                }
                out.append(": {");
                if (r.media().isEmpty()) {
                    out.append("};\n");
                    continue;
                }
                out.append('\n');
                for (Media m : r.media()) {
                    out.append(INDENT.repeat(4));
                    TsNames.appendString(out, m.type());
                    out.append(": ");
                    mediaType(out, m, Mode.READ, 4);
                    out.append(";\n");
                }
                out.append(p3).append("};\n");
            }
            out.append(p2).append("};\n");
            out.append(p1).append("};\n");
        }
        out.append("}\n");
    }

    private void mediaType(StringBuilder out, Media m, Mode mode, int indent) {
        if (m.schema() == null) {
            out.append(isJson(m.type()) ? "unknown" : isText(m.type()) ? "string" : "Blob");
            return;
        }
        type(out, m.schema(), m.doc(), m.ptr(), mode, indent, 1, null);
    }

    static boolean isJson(String mediaType) {
        String t = mediaType.toLowerCase(java.util.Locale.ROOT);
        int semi = t.indexOf(';');
        if (semi >= 0) {
            t = t.substring(0, semi).strip();
        }
        return t.equals("application/json")
                || t.endsWith("+json")
                || t.equals("text/json")
                || t.equals("*/*")
                || t.equals("application/*");
    }

    static boolean isText(String mediaType) {
        String t = mediaType.toLowerCase(java.util.Locale.ROOT);
        return t.startsWith("text/") || t.contains("xml") || t.equals("application/x-www-form-urlencoded");
    }

    static List<Param> group(Op op, String in) {
        List<Param> out = new ArrayList<>();
        for (Param p : op.params()) {
            if (p.in().equals(in)) {
                out.add(p);
            }
        }
        return out;
    }

    static List<String> opDoc(Op op) {
        List<String> lines = new ArrayList<>(3);
        String summary = op.node().path("summary").asText("").strip();
        String description = op.node().path("description").asText("").strip();
        if (!summary.isEmpty()) {
            lines.add(summary);
        }
        if (!description.isEmpty() && !description.equals(summary)) {
            lines.add(description);
        }
        lines.add(op.method().toUpperCase(java.util.Locale.ROOT) + " " + op.path());
        if (op.node().path("deprecated").asBoolean(false)) {
            lines.add("@deprecated");
        }
        return lines;
    }
}
