package dev.farm.watch.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EditorTempTest {

    @ParameterizedTest
    @ValueSource(
            strings = {
                ".user.py.swp",
                ".user.py.swo",
                ".user.py.swx",
                "user.py~",
                ".#user.py",
                "4913",
                "user.py.tmp",
                "user.py___jb_tmp___",
                "user.py___jb_old___"
            })
    void temporaries(String name) {
        assertThat(EditorTemp.isTemp(name)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"user.py", "swap.py", "49131", "template.tmpl", ".env", "movie.swf"})
    void realFiles(String name) {
        assertThat(EditorTemp.isTemp(name)).isFalse();
    }
}
