package dev.farm.process.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OutputPumpTest {

    private static List<String> pump(byte[] bytes) {
        List<String> lines = new ArrayList<>();
        OutputPump pump = new OutputPump(new ByteArrayInputStream(bytes), lines::add);
        pump.run();
        assertThat(pump.done()).isCompleted();
        return lines;
    }

    @Test
    void splitsLinesAndDropsTheirBreaks() {
        assertThat(pump("a\nb\r\n\nc\n".getBytes(StandardCharsets.UTF_8))).containsExactly("a", "b", "", "c");
    }

    @Test
    void keepsTheLastLineWithoutABreak() {
        assertThat(pump("first\nlast words".getBytes(StandardCharsets.UTF_8))).containsExactly("first", "last words");
    }

    @Test
    void replacesInvalidUtf8AndKeepsTheRest() {
        byte[] bytes = {'o', 'k', (byte) 0xff, (byte) 0xfe, '!', '\n', (byte) 0xc3, (byte) 0xa9, '\n'};
        assertThat(pump(bytes)).containsExactly("ok\uFFFD\uFFFD!", "é");
    }

    @Test
    void keepsALineLongerThanTheReadBufferWhole() {
        String mebibyte = "x".repeat(1024 * 1024);
        assertThat(pump((mebibyte + "\nnext\n").getBytes(StandardCharsets.UTF_8)))
                .containsExactly(mebibyte, "next");
    }

    @Test
    void cutsAnEndlessLineIntoBoundedPieces() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] chunk = "y".repeat(1024 * 1024).getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < 9; i++) {
            out.writeBytes(chunk);
        }
        List<String> lines = pump(out.toByteArray());
        assertThat(lines).allMatch(line -> line.length() <= OutputPump.MAX_LINE);
        assertThat(lines.stream().mapToInt(String::length).sum()).isEqualTo(9 * 1024 * 1024);
    }
}
