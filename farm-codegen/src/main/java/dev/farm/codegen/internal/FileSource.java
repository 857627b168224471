package dev.farm.codegen.internal;

import dev.farm.codegen.CodegenException;
import dev.farm.codegen.Diagnostic;
import dev.farm.codegen.OpenApiSource;
import dev.farm.codegen.OpenApiText;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;

/** {@link OpenApiSource#file}. */
public final class FileSource implements OpenApiSource {

    private final Path file;

    /**
     * Creates the source.
     *
     * @param file the file
     */
    public FileSource(Path file) {
        this.file = Objects.requireNonNull(file, "file");
    }

    @Override
    public OpenApiText read() {
        Path absolute = file.toAbsolutePath().normalize();
        try {
            String text = new String(Files.readAllBytes(absolute), StandardCharsets.UTF_8);
            return new OpenApiText(text, absolute.toUri(), file.toString());
        } catch (NoSuchFileException e) {
            throw new CodegenException(
                    new Diagnostic(
                            file.toString(),
                            "",
                            "no such file (" + absolute + "). Check the path, or generate the document first."),
                    e);
        } catch (IOException e) {
            throw new CodegenException(
                    new Diagnostic(file.toString(), "", "cannot read the file: " + e + ". Check its permissions."), e);
        }
    }

    @Override
    public String description() {
        return file.toString();
    }

    @Override
    public String toString() {
        return "file " + file;
    }
}
