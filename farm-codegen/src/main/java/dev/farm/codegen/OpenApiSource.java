package dev.farm.codegen;

import dev.farm.codegen.internal.CommandSource;
import dev.farm.codegen.internal.FileSource;
import dev.farm.codegen.internal.UrlSource;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Where an OpenAPI document comes from: a file, a URL, or the standard output of a command.
 *
 * <p>Implementations may be called from any thread, one call at a time per instance, and hold no state between calls:
 * each {@link #read()} reads the document anew.
 *
 * @since 0.1
 */
public interface OpenApiSource {

    /**
     * Reads the document.
     *
     * @return the text, never {@code null}
     * @throws CodegenException when the document cannot be read: a missing file, a refused connection, an HTTP status
     *     other than 200, a timeout, a command that fails; the diagnostic says what to do
     */
    OpenApiText read();

    /**
     * Names the source in messages.
     *
     * @return a path, a URL or a command line, never {@code null}
     */
    String description();

    /**
     * A JSON or YAML file; relative external {@code $ref}s load the files beside it.
     *
     * @param file the file
     * @return the source, never {@code null}
     */
    static OpenApiSource file(Path file) {
        return new FileSource(file);
    }

    /**
     * A document served over HTTP, fetched with a GET.
     *
     * @param url an {@code http:} or {@code https:} URL, such as {@code http://127.0.0.1:8000/openapi.json}
     * @param timeout how long connecting and reading the whole response may take together
     * @return the source, never {@code null}
     * @throws IllegalArgumentException when the URL is not HTTP or the timeout is not positive
     */
    static OpenApiSource url(URI url, Duration timeout) {
        return new UrlSource(url, timeout);
    }

    /**
     * The standard output of a command, such as
     * {@code python -c "import json; from main import app; print(json.dumps(app.openapi()))"}; the command is killed,
     * with its descendants, when it runs past the timeout.
     *
     * @param command the program and its arguments, run without a shell
     * @param directory the working directory, which relative external {@code $ref}s resolve against
     * @param timeout how long the command may run
     * @return the source, never {@code null}
     * @throws IllegalArgumentException when the command is empty or the timeout is not positive
     */
    static OpenApiSource command(List<String> command, Path directory, Duration timeout) {
        return new CommandSource(command, directory, timeout);
    }
}
