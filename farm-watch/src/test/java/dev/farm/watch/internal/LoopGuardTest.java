package dev.farm.watch.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.farm.watch.internal.LoopGuard.Verdict;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LoopGuardTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final Path GEN = Path.of("/p/gen/api.ts");
    private static final Path SPEC = Path.of("/p/openapi.json");
    private static final Path OTHER = Path.of("/p/src/other.ts");

    private final LoopGuard guard = new LoopGuard(3, Duration.ofSeconds(10));

    private static Instant at(long seconds) {
        return T0.plusSeconds(seconds);
    }

    @Test
    void runsWithinTheLimitAreDelivered() {
        assertThat(guard.admit(at(0), Set.of(GEN))).isEqualTo(Verdict.DELIVER);
        assertThat(guard.admit(at(1), Set.of(GEN))).isEqualTo(Verdict.DELIVER);
        assertThat(guard.admit(at(2), Set.of(GEN))).isEqualTo(Verdict.DELIVER);
        assertThat(guard.paused()).isFalse();
    }

    @Test
    void runsSpreadOverMoreThanTheWindowAreNoLoop() {
        for (int i = 0; i < 10; i++) {
            assertThat(guard.admit(at(i * 4L), Set.of(GEN))).isEqualTo(Verdict.DELIVER);
        }
    }

    @Test
    void oneRunTooManyPausesAndNamesThePathsThatRepeat() {
        guard.admit(at(0), Set.of(GEN, SPEC));
        guard.admit(at(1), Set.of(GEN));
        guard.admit(at(2), Set.of(GEN));
        assertThat(guard.admit(at(3), Set.of(GEN))).isEqualTo(Verdict.PAUSE);
        assertThat(guard.paused()).isTrue();
        assertThat(guard.loopPaths()).containsExactly(GEN);
        assertThat(guard.admit(at(4), Set.of(GEN))).isEqualTo(Verdict.DROP);
    }

    @Test
    void manyDifferentFilesChangingIsNoLoop() {
        // A save-all or a formatter: each file once, far more deliveries than the limit within the window.
        for (int i = 0; i < 20; i++) {
            assertThat(guard.admit(at(i / 4), Set.of(Path.of("/p/src/file-" + i + ".py"))))
                    .isEqualTo(Verdict.DELIVER);
        }
        assertThat(guard.paused()).isFalse();
    }

    @Test
    void theLoopIsOnlyThePathsThatRepeat() {
        guard.admit(at(0), Set.of(GEN));
        guard.admit(at(1), Set.of(GEN, SPEC));
        guard.admit(at(2), Set.of(GEN));
        assertThat(guard.admit(at(3), Set.of(GEN, OTHER))).isEqualTo(Verdict.PAUSE);
        assertThat(guard.loopPaths()).containsExactly(GEN);
    }

    @Test
    void aChangeOutsideTheLoopResumes() {
        pause();
        assertThat(guard.admit(at(5), Set.of(GEN))).isEqualTo(Verdict.DROP);
        assertThat(guard.admit(at(6), Set.of(GEN, OTHER))).isEqualTo(Verdict.DELIVER);
        assertThat(guard.paused()).isFalse();
        // counting starts afresh
        assertThat(guard.admit(at(7), Set.of(GEN))).isEqualTo(Verdict.DELIVER);
        assertThat(guard.admit(at(8), Set.of(GEN))).isEqualTo(Verdict.DELIVER);
        assertThat(guard.admit(at(9), Set.of(GEN))).isEqualTo(Verdict.PAUSE);
    }

    @Test
    void aWindowWithoutChangesResumesEvenForALoopPath() {
        pause(); // paused at 3
        assertThat(guard.admit(at(12), Set.of(GEN))).isEqualTo(Verdict.DROP); // the loop still going: 9 s later
        assertThat(guard.admit(at(21), Set.of(GEN))).isEqualTo(Verdict.DROP); // 9 s after the last one
        assertThat(guard.admit(at(31), Set.of(GEN))).isEqualTo(Verdict.DELIVER); // 10 s of silence: someone's edit
        assertThat(guard.paused()).isFalse();
    }

    @Test
    void aRescanWithNothingFoundNeverResumes() {
        pause();
        assertThat(guard.admit(at(4), Set.of())).isEqualTo(Verdict.DROP);
    }

    private void pause() {
        guard.admit(at(0), Set.of(GEN));
        guard.admit(at(1), Set.of(GEN));
        guard.admit(at(2), Set.of(GEN));
        assertThat(guard.admit(at(3), Set.of(GEN))).isEqualTo(Verdict.PAUSE);
    }
}
