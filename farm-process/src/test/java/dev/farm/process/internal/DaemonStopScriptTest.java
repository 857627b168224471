package dev.farm.process.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DaemonStopScriptTest {

    @Test
    void quotesEveryWordForShIncludingQuotesSpacesAndDollars() {
        assertThat(DaemonStopScript.quote("it's $HOME and `x`")).isEqualTo("'it'\\''s $HOME and `x`'");
        assertThat(DaemonStopScript.quote("")).isEqualTo("''");
    }

    @Test
    void runsTheStopCommandInTheServicesFolderWithExactlyItsEnvironment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", "/usr/bin:/bin");
        env.put("DB_PASSWORD", "s3cr'et");

        String text = DaemonStopScript.text(
                "db", Path.of("/work/my project"), env, List.of("/bin/sh", "-c", "db/pg stop"), Duration.ofSeconds(10));

        assertThat(text.lines().toList()).hasSize(3);
        assertThat(text).startsWith("# farm: stops the daemon 'db'");
        assertThat(text).contains("\ncd '/work/my project' || exit 1\n");
        assertThat(text).contains("exec env -i 'PATH=/usr/bin:/bin' 'DB_PASSWORD=s3cr'\\''et' ");
        assertThat(text).endsWith(" '/bin/sh' '-c' 'db/pg stop'\n");
    }
}
