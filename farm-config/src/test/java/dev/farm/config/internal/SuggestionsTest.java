package dev.farm.config.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SuggestionsTest {

    private static final List<String> KEYS = List.of("command", "cwd", "env", "port", "ready", "depends_on");

    @Test
    void suggestsTheNearestKnownWord() {
        assertThat(Suggestions.nearest("comand", KEYS)).contains("command");
        assertThat(Suggestions.nearest("dependsOn", KEYS)).contains("depends_on");
        assertThat(Suggestions.nearest("depends-on", KEYS)).contains("depends_on");
        assertThat(Suggestions.nearest("raedy", KEYS)).contains("ready");
        assertThat(Suggestions.nearest("prot", KEYS)).contains("port");
    }

    @Test
    void staysQuietWhenNothingIsClose() {
        assertThat(Suggestions.nearest("replicas", KEYS)).isEmpty();
        assertThat(Suggestions.nearest("x", List.of("services"))).isEmpty();
    }

    @Test
    void countsAnAdjacentSwapAsOneEdit() {
        assertThat(Suggestions.distance("raedy", "ready")).isEqualTo(1);
        assertThat(Suggestions.distance("", "abc")).isEqualTo(3);
    }
}
