package dev.farm.codegen;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Runs one code generation job: read the document, generate TypeScript, write the file if its content changed.
 *
 * @since 0.1
 */
public final class Codegen {

    private Codegen() {}

    /**
     * Reads the document from {@code source}, generates TypeScript and writes it to {@code out} only when the content
     * differs from the file's. Never throws for a bad document, an unreachable server or an unwritable file: the
     * outcome is {@link CodegenOutcome.Status#FAILED} with a diagnostic, and {@code out} is left exactly as it was.
     *
     * @param source where the document comes from
     * @param out the {@code .ts} file to write
     * @param options what to emit
     * @return what happened, never {@code null}
     */
    public static CodegenOutcome run(OpenApiSource source, Path out, CodegenOptions options) {
        long start = System.nanoTime();
        CodegenResult result;
        try {
            result = TypeScriptGenerator.create(options).generate(source);
        } catch (CodegenException e) {
            return failed(out, e.diagnostic(), start);
        } catch (RuntimeException | StackOverflowError e) {
            return failed(
                    out,
                    new Diagnostic(
                            source.description(),
                            "",
                            "farm-codegen failed on this document (" + e
                                    + "). Please report it with the document; the last output is kept."),
                    start);
        }
        try {
            boolean changed = new GeneratedFile(out, result.source()).writeIfChanged();
            return new CodegenOutcome(
                    changed ? CodegenOutcome.Status.CHANGED : CodegenOutcome.Status.UNCHANGED,
                    out,
                    null,
                    Duration.ofNanos(System.nanoTime() - start),
                    result.warnings());
        } catch (UncheckedIOException e) {
            return failed(out, new Diagnostic(out.toString(), "", String.valueOf(e.getMessage())), start);
        }
    }

    private static CodegenOutcome failed(Path out, Diagnostic diagnostic, long start) {
        return new CodegenOutcome(
                CodegenOutcome.Status.FAILED, out, diagnostic, Duration.ofNanos(System.nanoTime() - start), List.of());
    }
}
