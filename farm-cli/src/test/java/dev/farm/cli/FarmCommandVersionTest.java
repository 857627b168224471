package dev.farm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.farm.cli.internal.Cli;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** {@code farm --version} skips picocli's model and prints what picocli would. */
class FarmCommandVersionTest {

    @Test
    void theFastVersionIsWhatPicocliPrints() {
        StringWriter picocli = new StringWriter();
        int expectedCode = Cli.create().setOut(new PrintWriter(picocli, true)).execute("--version");

        for (String flag : new String[] {"--version", "-V"}) {
            PrintStream original = System.out;
            ByteArrayOutputStream captured = new ByteArrayOutputStream();
            int code;
            try {
                System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
                code = FarmCommand.run(flag);
            } finally {
                System.setOut(original);
            }

            assertThat(code).isEqualTo(expectedCode).isZero();
            assertThat(captured.toString(StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n"))
                    .as(flag)
                    .isEqualTo(picocli.toString().replace(System.lineSeparator(), "\n"));
        }
    }
}
