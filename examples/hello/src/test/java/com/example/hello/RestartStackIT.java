package com.example.hello;

import static dev.farm.testkit.FarmAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.farm.testkit.FarmStackHandle;
import dev.farm.testkit.FarmStacks;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.Extension;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The farm-testkit README's {@code @RegisterExtension} example: the same stack registered in code, a service
 * restarted from a test, and a {@code @Nested} class that shares the outer class's stack.
 */
@Timeout(120)
class RestartStackIT {

    @RegisterExtension
    static final Extension STACK =
            FarmStacks.file(Path.of("farm.yaml")).proxy(false).build();

    private static FarmStackHandle outer;

    @BeforeAll
    static void remember(FarmStackHandle stack) {
        outer = stack;
    }

    @Test
    void webAnswersAgainAfterApiRestarts(FarmStackHandle stack) throws Exception {
        long before = stack.service("api").status().pid().orElseThrow();

        stack.service("api").restart(); // returns once api is ready again

        assertThat(stack.service("api")).isReady().hasRestarted(1);
        assertThat(stack.service("api").status().pid().orElseThrow()).isNotEqualTo(before);
        // web forwards /api to the new api process
        assertThat(get(stack.service("web").url().resolve("/api/greeting?name=again")))
                .contains("\"message\":\"Hello, again!\"");
    }

    @Nested
    class InANestedClass {

        @Test
        void theStackIsTheOuterClasssOne(FarmStackHandle stack) {
            assertThat(stack).isSameAs(outer);
            assertThat(stack.service("api")).isReady();
        }
    }

    private static String get(URI uri) throws Exception {
        return HttpClient.newHttpClient()
                .send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString())
                .body();
    }
}
