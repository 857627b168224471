package dev.farm.process.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.farm.process.LogLine;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class LogRingTest {

    private static LogLine line(String text) {
        return new LogLine("api", LogLine.Stream.STDOUT, text, Instant.EPOCH);
    }

    private static List<String> texts(List<LogLine> lines) {
        return lines.stream().map(LogLine::text).toList();
    }

    @Test
    void keepsTheMostRecentLinesUpToItsCapacity() {
        LogRing ring = new LogRing(3, 1000);
        for (int i = 1; i <= 5; i++) {
            ring.add(line("line " + i));
        }
        assertThat(texts(ring.all())).containsExactly("line 3", "line 4", "line 5");
        assertThat(ring.total()).isEqualTo(5);
    }

    @Test
    void startsEmpty() {
        LogRing ring = new LogRing();
        assertThat(ring.all()).isEmpty();
        assertThat(ring.last(10)).isEmpty();
        assertThat(ring.total()).isZero();
    }

    @Test
    void lastReturnsTheNewestLinesOldestFirst() {
        LogRing ring = new LogRing(10, 1000);
        for (int i = 1; i <= 7; i++) {
            ring.add(line("l" + i));
        }
        assertThat(texts(ring.last(3))).containsExactly("l5", "l6", "l7");
        assertThat(texts(ring.last(100))).hasSize(7).startsWith("l1").endsWith("l7");
        assertThat(ring.last(0)).isEmpty();
        assertThatIllegalArgumentException().isThrownBy(() -> ring.last(-1)).withMessageContaining("n: -1");
    }

    @Test
    void wrapsAroundManyTimes() {
        LogRing ring = new LogRing(4, 1000);
        for (int i = 0; i < 1003; i++) {
            ring.add(line(Integer.toString(i)));
        }
        assertThat(texts(ring.all())).containsExactly("999", "1000", "1001", "1002");
        assertThat(ring.total()).isEqualTo(1003);
    }

    @Test
    void evictsTheOldestLinesWhenTheCharacterBudgetIsExceeded() {
        LogRing ring = new LogRing(100, 100);
        ring.add(line("a".repeat(40)));
        ring.add(line("b".repeat(40)));
        ring.add(line("c".repeat(30))); // 110 chars: a goes
        assertThat(texts(ring.all())).containsExactly("b".repeat(40), "c".repeat(30));
        ring.add(line("d".repeat(100))); // exactly the budget: everything else goes
        assertThat(texts(ring.all())).containsExactly("d".repeat(100));
        ring.add(line(""));
        assertThat(ring.all()).hasSize(2);
    }

    @Test
    void cutsALineLongerThanTheWholeBudget() {
        LogRing ring = new LogRing(100, 1000);
        ring.add(line("before"));
        ring.add(line("x".repeat(5000)));

        List<LogLine> all = ring.all();
        assertThat(all).hasSize(1);
        String text = all.get(0).text();
        assertThat(text).hasSizeLessThanOrEqualTo(1000).startsWith("xxxx").matches("x+…\\[truncated \\d+ chars]");
        int kept = text.indexOf('…');
        assertThat(text).endsWith("…[truncated " + (5000 - kept) + " chars]");
        assertThat(all.get(0).service()).isEqualTo("api");
        assertThat(ring.total()).isEqualTo(2);
    }

    @Test
    void neverCutsASurrogatePairInHalf() {
        LogRing ring = new LogRing(1, 64);
        ring.add(line("🎉".repeat(100)));
        String text = ring.all().get(0).text();
        String kept = text.substring(0, text.indexOf('…'));
        assertThat(kept.codePoints()).allMatch(cp -> cp == "🎉".codePointAt(0));
        assertThat(text).hasSizeLessThanOrEqualTo(64);
    }

    @Test
    void rejectsNonsensicalLimits() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new LogRing(0, 1000))
                .withMessage("capacity: 0 (expected: >= 1)");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new LogRing(10, 10))
                .withMessage("charBudget: 10 (expected: >= 64)");
    }
}
