package dev.farm.process.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AnsiTest {

    private static final String ESC = "\u001b";

    @Test
    void returnsTheSameInstanceWhenThereIsNothingToStrip() {
        String text = "plain text, with [brackets] and a \r carriage return";
        assertThat(Ansi.strip(text)).isSameAs(text);
        assertThat(Ansi.strip("")).isSameAs("");
    }

    @Test
    void removesColoursAndKeepsTheTextAroundThem() {
        assertThat(Ansi.strip(ESC + "[1;31mERROR" + ESC + "[0m: disk " + ESC + "[38;5;208mfull" + ESC + "[m!"))
                .isEqualTo("ERROR: disk full!");
        assertThat(Ansi.strip(ESC + "[38;2;255;0;0mred" + ESC + "[39m")).isEqualTo("red");
    }

    @Test
    void removesCursorMovementAndPrivateModes() {
        assertThat(Ansi.strip(ESC + "[?25l" + ESC + "[2K" + ESC + "[1G" + "50%" + ESC + "[3A" + ESC + "[?25h"))
                .isEqualTo("50%");
        assertThat(Ansi.strip("a" + ESC + "[2J" + ESC + "[H" + "b")).isEqualTo("ab");
    }

    @Test
    void removesTitlesEndedByBelOrStringTerminator() {
        assertThat(Ansi.strip(ESC + "]0;vite dev server\u0007ready")).isEqualTo("ready");
        assertThat(Ansi.strip(ESC + "]2;title" + ESC + "\\ready")).isEqualTo("ready");
    }

    @Test
    void keepsTheTextOfAHyperlinkAndDropsItsTarget() {
        String link = ESC + "]8;;http://localhost:5173/" + ESC + "\\http://localhost:5173/" + ESC + "]8;;" + ESC + "\\";
        assertThat(Ansi.strip("  ➜  Local:   " + link)).isEqualTo("  ➜  Local:   http://localhost:5173/");
    }

    @Test
    void removesTwoCharacterAndCharsetSequences() {
        assertThat(Ansi.strip(ESC + "7saved" + ESC + "8" + ESC + "(B" + ESC + "="))
                .isEqualTo("saved");
    }

    @Test
    void removesEightBitCsi() {
        assertThat(Ansi.strip("\u009b31mred\u009b0m text")).isEqualTo("red text");
    }

    @Test
    void dropsASequenceCutShortByTheEndOfTheLine() {
        assertThat(Ansi.strip("done" + ESC + "[31")).isEqualTo("done");
        assertThat(Ansi.strip("done" + ESC)).isEqualTo("done");
        assertThat(Ansi.strip("done" + ESC + "]0;unterminated title")).isEqualTo("done");
    }

    @Test
    void keepsTheCharacterThatBrokeASequence() {
        assertThat(Ansi.strip(ESC + "[31\tx")).isEqualTo("\tx");
        assertThat(Ansi.strip(ESC + "]0;title" + ESC + "[1mbold")).isEqualTo("bold");
    }

    @Test
    void keepsNonAsciiTextAndReplacementCharacters() {
        assertThat(Ansi.strip(ESC + "[32m✓\uFFFD ünïcode 🎉" + ESC + "[0m")).isEqualTo("✓\uFFFD ünïcode 🎉");
    }
}
