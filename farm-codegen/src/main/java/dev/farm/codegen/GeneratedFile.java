package dev.farm.codegen;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Objects;

/**
 * A file's wanted content, written only when the file on disk differs, so an unchanged file keeps its modification
 * time and inode and a dev server watching it does not reload.
 *
 * @param path the file to write
 * @param content its content, written as UTF-8
 * @since 0.1
 */
public record GeneratedFile(Path path, String content) {

    /**
     * Validates the components.
     *
     * @param path the file
     * @param content the content
     */
    public GeneratedFile {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(content, "content");
    }

    /**
     * Writes the content unless the file already holds exactly these bytes. A write goes to a temporary file in the
     * same folder, which then replaces the file in one atomic move, so a reader sees the old or the new content and
     * never half of it. Missing parent folders are created.
     *
     * @return {@code true} when the file was written, {@code false} when it already held this content
     * @throws UncheckedIOException when the file cannot be read or written
     */
    public boolean writeIfChanged() {
        byte[] wanted = content.getBytes(StandardCharsets.UTF_8);
        try {
            try {
                if (Files.size(path) == wanted.length && Arrays.equals(Files.readAllBytes(path), wanted)) {
                    return false;
                }
            } catch (NoSuchFileException absent) {
                // written below
            }
            Path target = path.toAbsolutePath();
            Path folder = Objects.requireNonNull(target.getParent(), "parent");
            Files.createDirectories(folder);
            Path temp = Files.createTempFile(folder, "." + target.getFileName(), ".tmp");
            try {
                Files.write(temp, wanted);
                try {
                    Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException notAtomic) {
                    Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(temp);
            }
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot write " + path + ": " + e.getMessage() + ". Check that its folder is writable.", e);
        }
    }
}
