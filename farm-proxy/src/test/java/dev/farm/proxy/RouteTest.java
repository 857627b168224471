package dev.farm.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class RouteTest {

    @Test
    void matchesOnSegmentBoundariesOnly() {
        Route api = new Route("/api", "api");

        assertThat(api.matches("/api")).isTrue();
        assertThat(api.matches("/api/users")).isTrue();
        assertThat(api.matches("/api?x=1")).isTrue();
        assertThat(api.matches("/apiary")).isFalse();
        assertThat(api.matches("/ap")).isFalse();
        assertThat(new Route("/", "web").matches("/anything")).isTrue();
    }

    @Test
    void theLongestMatchingPrefixWins() {
        RouteTable table = () -> List.of(new Route("/", "web"), new Route("/api", "api"), new Route("/api/ai", "ai"));

        assertThat(table.route("/api/ai/models")).map(Route::target).contains("ai");
        assertThat(table.route("/api/users")).map(Route::target).contains("api");
        assertThat(table.route("/apiary")).map(Route::target).contains("web");
        assertThat(((RouteTable) List::of).route("/x")).isEmpty();
    }

    @Test
    void rejectsPrefixesThatCannotMatchCleanly() {
        assertThatThrownBy(() -> new Route("api", "api")).hasMessageContaining("prefix: api");
        assertThatThrownBy(() -> new Route("/api/", "api")).hasMessageContaining("prefix: /api/");
    }
}
