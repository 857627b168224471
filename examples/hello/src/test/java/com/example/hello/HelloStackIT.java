package com.example.hello;

import static dev.farm.testkit.FarmAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.farm.testkit.FarmStack;
import dev.farm.testkit.FarmStackHandle;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The farm-testkit README's example: this folder's farm.yaml, run by {@code @FarmStack}, checked through its proxy. */
@Timeout(120)
@FarmStack("farm.yaml")
class HelloStackIT {

    @Test
    void greetsThroughTheProxy(FarmStackHandle stack) throws Exception {
        assertThat(stack.service("api")).isReady().hasUrl("http://127.0.0.1:7081");
        assertThat(stack.service("web")).isReady().isListening();

        URI greeting = stack.proxyUrl().orElseThrow().resolve("/api/greeting?name=farm");
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(HttpRequest.newBuilder(greeting).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.body()).contains("\"message\":\"Hello, farm!\"");
    }
}
