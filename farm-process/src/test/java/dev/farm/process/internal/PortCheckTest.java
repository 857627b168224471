package dev.farm.process.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PortCheckTest {

    @TempDir
    Path dir;

    /** Port 8000 is 1F40: one socket listens on it, another on 8000 lingers in TIME_WAIT (06), a third is 8001. */
    static final String TCP = """
              sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
               0: 0100007F:1F40 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 4242 1 0 100 0 0 10 0
               1: 0100007F:1F40 0100007F:9C40 06 00000000:00000000 03:00000A5B 00000000     0        0 0 3 0
               2: 00000000:1F41 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 5151 1 0 100 0 0 10 0
            """;

    @Test
    void onlyListeningSocketsOnThatPortCount() throws IOException {
        Path table = Files.writeString(dir.resolve("tcp"), TCP);

        assertThat(PortCheck.listeningInodes(table, 8000)).containsExactly("4242");
        assertThat(PortCheck.listeningInodes(table, 8001)).containsExactly("5151");
        assertThat(PortCheck.listeningInodes(table, 8002)).isEmpty();
    }

    @Test
    void aMissingTableMeansNoListener() {
        assertThat(PortCheck.listeningInodes(dir.resolve("tcp6"), 8000)).isEmpty();
    }
}
