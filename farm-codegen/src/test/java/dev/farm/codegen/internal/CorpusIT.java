package dev.farm.codegen.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.farm.codegen.CodegenOptions;
import dev.farm.codegen.OpenApiSource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Every corpus document generates; the output (client and types-only) with a usage file that calls every operation
 * passes {@code tsc --noEmit --strict} with 0 errors; and every component schema is mutually assignable with
 * openapi-typescript's type for it, but for the allow-list in src/test/resources/parity-allowlist.tsv. One tsc run
 * checks everything at once.
 */
@Timeout(600)
class CorpusIT {

    private static final String SAME = """
            type Same<X, Y> = [X] extends [Y] ? ([Y] extends [X] ? true : false) : false;
            type Check<T extends true> = T;
            """;

    @Test
    void everyDocumentCompilesAndMatchesOpenapiTypescript() throws IOException {
        Path tools = NodeTools.install();
        Path work = NodeTools.MODULE.resolve("target/codegen-check");
        deleteTree(work);
        Files.createDirectories(work);
        Map<String, List<String>> allowed = allowList();
        Map<String, Map<Integer, String>> parityLines = new LinkedHashMap<>();
        List<String> otsArgs = new ArrayList<>(List.of(tools.resolve("ots.mjs").toString()));
        List<String> files = new ArrayList<>();
        for (String[] spec : Corpus.SPECS) {
            String name = spec[0];
            Path dir = work.resolve(name);
            Files.createDirectories(dir);
            var text = OpenApiSource.file(Corpus.DIR.resolve(spec[1])).read();
            TsEmitter client = DefaultTypeScriptGenerator.emitter(text, CodegenOptions.defaults());
            Files.writeString(dir.resolve("api.ts"), client.generate());
            Files.writeString(dir.resolve("usage.ts"), usage(client));
            TsEmitter types = DefaultTypeScriptGenerator.emitter(text, CodegenOptions.typesOnlyOptions());
            Files.writeString(dir.resolve("types.ts"), types.generate());
            otsArgs.add(Corpus.DIR.resolve(spec[1]).toString());
            otsArgs.add(dir.resolve("ots.ts").toString());
            Map<Integer, String> lines = new TreeMap<>();
            Files.writeString(dir.resolve("parity.ts"), parity(client, allowed.getOrDefault(name, List.of()), lines));
            parityLines.put(name, lines);
            for (String f : List.of("api.ts", "usage.ts", "types.ts", "parity.ts")) {
                files.add(name + "/" + f);
            }
        }
        NodeTools.Run ots = NodeTools.node(tools, 300, otsArgs.toArray(String[]::new));
        assertThat(ots.exitCode()).as("openapi-typescript:\n" + ots.output()).isZero();
        Files.writeString(work.resolve("tsconfig.json"), tsconfig(files));
        NodeTools.Run tsc = NodeTools.node(
                work, 600, tools.resolve("node_modules/typescript/bin/tsc").toString(), "-p", "tsconfig.json");
        Files.writeString(work.resolve("tsc.txt"), tsc.output());

        Map<String, List<String>> errors = new TreeMap<>();
        List<String> parityFailures = new ArrayList<>();
        for (String line : tsc.output().split("\n", -1)) {
            int paren = line.indexOf('(');
            if (paren < 0 || !line.contains("): error TS")) {
                continue;
            }
            String file = line.substring(0, paren);
            if (file.endsWith("/ots.ts")) {
                System.out.println("[CorpusIT] openapi-typescript's own output does not compile: " + line);
            } else if (file.endsWith("/parity.ts")) {
                String spec = file.substring(0, file.indexOf('/'));
                int lineNo = Integer.parseInt(line.substring(paren + 1, line.indexOf(',', paren)));
                String schema = parityLines.get(spec).get(lineNo);
                parityFailures.add(spec + "\t" + (schema == null ? "line " + lineNo : schema) + "\t"
                        + line.substring(line.indexOf("error TS")));
            } else {
                errors.computeIfAbsent(file, k -> new ArrayList<>()).add(line);
            }
        }
        System.out.println("[CorpusIT] tsc errors per file (outside parity): " + count(errors, files));
        System.out.println("[CorpusIT] parity differences outside the allow-list: " + parityFailures.size());
        assertThat(errors)
                .as("tsc --strict errors in generated files (see target/codegen-check/tsc.txt)")
                .isEmpty();
        assertThat(parityFailures)
                .as("schemas whose type differs from openapi-typescript's and are not in parity-allowlist.tsv;"
                        + " an allow-listed one that matches again shows as TS2578 (unused @ts-expect-error)")
                .isEmpty();
        // openapi-typescript's own output fails on the synthetic cycles (TS2502); that is the only other error allowed.
        assertThat(tsc.output().lines().filter(l -> l.contains(": error TS") && !l.contains("/ots.ts(")))
                .as(tsc.output())
                .isEmpty();
    }

    private static String count(Map<String, List<String>> errors, List<String> files) {
        StringBuilder out = new StringBuilder();
        for (String f : files) {
            if (!f.endsWith("parity.ts")) {
                out.append(f)
                        .append('=')
                        .append(errors.getOrDefault(f, List.of()).size())
                        .append(' ');
            }
        }
        return out.toString().strip();
    }

    /** Calls every operation once with arguments of its own parameter type, and reads every named type. */
    static String usage(TsEmitter emitter) {
        StringBuilder out = new StringBuilder();
        out.append("import * as api from \"./api\";\n\n");
        out.append("declare const schemas: api.Schemas;\n");
        int i = 0;
        for (TsEmitter.Named n : emitter.namedTypes().values()) {
            if (n.component != null) {
                out.append("export const s")
                        .append(i++)
                        .append(": api.")
                        .append(n.name)
                        .append(" = schemas[");
                TsNames.appendString(out, n.component);
                out.append("];\n");
            }
        }
        out.append('\n');
        i = 0;
        for (TsEmitter.Op op : emitter.operations()) {
            out.append("declare const a")
                    .append(i)
                    .append(": Parameters<typeof api.")
                    .append(op.fn())
                    .append(">[0];\n");
            out.append("export const r")
                    .append(i)
                    .append(" = api.")
                    .append(op.fn())
                    .append("(a")
                    .append(i)
                    .append(").then((r) => r.status);\n");
            if (requiresArgs(op)) {
                out.append("// @ts-expect-error its arguments are required\n");
                out.append("void api.").append(op.fn()).append("();\n");
            }
            i++;
        }
        return out.toString();
    }

    private static boolean requiresArgs(TsEmitter.Op op) {
        return op.params().stream().anyMatch(TsEmitter.Param::required)
                || (op.body() != null && op.body().required());
    }

    static String parity(TsEmitter emitter, List<String> allowed, Map<Integer, String> lines) {
        StringBuilder out = new StringBuilder();
        out.append("import type { components as R } from \"./ots\";\n");
        out.append("import type { Schemas as O } from \"./api\";\n");
        out.append(SAME);
        int line = 5;
        int i = 0;
        for (TsEmitter.Named n : emitter.namedTypes().values()) {
            if (n.component == null) {
                continue;
            }
            String key = TsNames.string(n.component);
            if (allowed.contains(n.component)) {
                out.append("// @ts-expect-error allow-listed in parity-allowlist.tsv\n");
                lines.put(line + 1, n.component + " (allow-listed)");
                line++;
            }
            out.append("type _")
                    .append(i++)
                    .append(" = Check<Same<O[")
                    .append(key)
                    .append("], R[\"schemas\"][")
                    .append(key)
                    .append("]>>;\n");
            lines.put(line + 1, n.component);
            line++;
        }
        return out.toString();
    }

    private static String tsconfig(List<String> files) {
        StringBuilder out = new StringBuilder();
        out.append("{\n  \"compilerOptions\": {\n");
        out.append("    \"strict\": true, \"noEmit\": true, \"target\": \"es2022\", \"module\": \"esnext\",\n");
        out.append("    \"moduleResolution\": \"bundler\", \"lib\": [\"es2022\", \"dom\", \"dom.iterable\"],\n");
        out.append("    \"skipLibCheck\": true, \"noUnusedLocals\": false, \"types\": []\n  },\n  \"files\": [\n");
        for (int i = 0; i < files.size(); i++) {
            out.append("    \"").append(files.get(i)).append('"').append(i + 1 < files.size() ? ",\n" : "\n");
        }
        out.append("  ]\n}\n");
        return out.toString();
    }

    private static Map<String, List<String>> allowList() throws IOException {
        Map<String, List<String>> out = new LinkedHashMap<>();
        Path file = NodeTools.MODULE.resolve("src/test/resources/parity-allowlist.tsv");
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] cells = line.split("\t", -1);
            out.computeIfAbsent(cells[0], k -> new ArrayList<>()).add(cells[1]);
        }
        return out;
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
