package dev.farm.watch.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GlobMatcherTest {

    @ParameterizedTest(name = "{0} ~ {1} -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            # "**/" is zero or more folders, unlike Java's glob:
            apps/api/src/models/**/*.py | apps/api/src/models/user.py     | true
            apps/api/src/models/**/*.py | apps/api/src/models/sub/user.py | true
            apps/api/src/models/**/*.py | apps/api/src/models/a/b/user.py | true
            apps/api/src/models/**/*.py | apps/api/src/user.py            | false
            **/*.py                     | user.py                         | true
            **/*.py                     | a/b/c/user.py                   | true
            **/*.py                     | user.pyc                        | false
            a/**/b                      | a/b                             | true
            a/**/b                      | a/x/y/b                         | true
            a/**/b                      | ab                              | false
            # "*" never crosses "/"
            *.py                        | user.py                         | true
            *.py                        | models/user.py                  | false
            src/*                       | src/a.ts                        | true
            src/*                       | src/a/b.ts                      | false
            src/*.ts                    | src/.ts                         | true
            # a trailing "/**" is everything below, not the folder itself
            src/**                      | src/a.ts                        | true
            src/**                      | src/a/b/c.ts                    | true
            src/**                      | src                             | false
            **                          | anything/at/all                 | true
            # "**" that is not a whole segment is "*"
            src/**.ts                   | src/a.ts                        | true
            src/**.ts                   | src/a/b.ts                      | false
            x**/y                       | xab/y                           | true
            x**/y                       | xa/b/y                          | false
            # anchored at the base
            models/*.py                 | api/models/user.py              | false
            ?.py                        | a.py                            | true
            ?.py                        | ab.py                           | false
            ?                           | /                               | false
            # classes, never "/"
            [abc].py                    | b.py                            | true
            [abc].py                    | d.py                            | false
            [!abc].py                   | d.py                            | true
            [^abc].py                   | a.py                            | false
            [a-c]x                      | bx                              | true
            [a-]x                       | -x                              | true
            a[/]b                       | a/b                             | false
            []]x                        | ]x                              | true
            # braces are alternatives
            src/**/*.{ts,tsx}           | src/App.tsx                     | true
            src/**/*.{ts,tsx}           | src/a/b.ts                      | true
            src/**/*.{ts,tsx}           | src/a/b.js                      | false
            {src,lib}/**                | lib/x.js                        | true
            {src/**,lib}/x              | src/a/b/x                       | true
            a{b                         | a{b                             | true
            # escapes and regex characters are literal
            a\\*b                       | a*b                             | true
            a\\*b                       | axb                             | false
            a+b(1).$                    | a+b(1).$                        | true
            """)
    void matches(String glob, String path, boolean expected) {
        assertThat(GlobMatcher.anchored(glob, true).matches(path)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} anywhere ~ {1} -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            node_modules | node_modules        | true
            node_modules | a/b/node_modules    | true
            node_modules | a/node_modules_x    | false
            *.log        | logs/today.log      | true
            *.log        | today.log           | true
            """)
    void matchesAnywhere(String glob, String path, boolean expected) {
        assertThat(GlobMatcher.anywhere(glob).matches(path)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"src,false", "*.py,true", "a?,true", "[ab],true", "'{a,b}',true", "a\\b,true"})
    void wildcards(String segment, boolean expected) {
        assertThat(GlobMatcher.hasWildcard(segment)).isEqualTo(expected);
    }
}
