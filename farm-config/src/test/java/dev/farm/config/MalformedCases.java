package dev.farm.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The malformed-config table in {@code src/test/resources/malformed/cases.txt}: sections of {@code ### title}, the
 * file's text, {@code >>>}, and the expected message without the file name ({@code {dir}} and {@code {file}} stand
 * for the project folder and the file).
 */
record MalformedCases(String title, String yaml, String expected) {

    /** No variables from the machine, so the messages do not depend on who runs the test. */
    static final LoadOptions OPTIONS =
            LoadOptions.defaults().withEnvironment(Map.of()).withPortAllocator(() -> 45678);

    static List<MalformedCases> read() throws IOException {
        Path table = Path.of("src/test/resources/malformed/cases.txt");
        String text = Files.readString(table, StandardCharsets.UTF_8);
        List<MalformedCases> cases = new ArrayList<>();
        for (String section : text.split("(?m)^### ")) {
            if (section.isBlank()) {
                continue;
            }
            int titleEnd = section.indexOf('\n');
            String title = section.substring(0, titleEnd);
            String rest = section.substring(titleEnd + 1);
            int marker = rest.indexOf(">>>\n");
            if (marker < 0) {
                throw new IllegalStateException("case '" + title + "' has no >>> line in " + table);
            }
            cases.add(new MalformedCases(
                    title, rest.substring(0, marker), rest.substring(marker + 4).strip()));
        }
        return cases;
    }
}
