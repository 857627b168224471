package dev.farm.testkit.kits;

import static org.assertj.core.api.Assertions.assertThat;

import dev.farm.proxy.Route;
import dev.farm.proxy.RouteTable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The contract of a {@link RouteTable}: the longest matching prefix wins, prefixes match on segment boundaries,
 * {@code /} catches every path, a path no route matches gets none, and {@link RouteTable#routes()} lists every route,
 * longest prefix first.
 *
 * <p>Extend it with a test class that makes a table of your implementation from a list of routes:
 *
 * <pre>{@code
 * class MyRouteTableCompatibilityTest extends RouteTableCompatibilityKit {
 *     @Override
 *     protected RouteTable table(List<Route> routes) {
 *         return new MyRouteTable(routes);
 *     }
 * }
 * }</pre>
 *
 * <p>Every test is pure: no socket, no thread of the table's own, no file. A test that does not apply to an
 * implementation can be turned off by overriding its method without {@code @Test}.
 *
 * @since 0.1
 */
public abstract class RouteTableCompatibilityKit {

    /** For subclasses. */
    protected RouteTableCompatibilityKit() {}

    /**
     * Makes a table of the implementation under test that serves exactly these routes.
     *
     * @param routes the routes, each prefix at most once, in no particular order
     * @return the table, never {@code null}
     */
    protected abstract RouteTable table(List<Route> routes);

    private static String target(RouteTable table, String path) {
        return table.route(path).map(Route::target).orElse("(none)");
    }

    /** Checks that, among the routes that match a path, the one with the longest prefix wins, whatever the order. */
    @Test
    public void theLongestMatchingPrefixWins() {
        RouteTable table = table(List.of(
                new Route("/", "web"),
                new Route("/api", "api"),
                new Route("/api/ai", "ai"),
                new Route("/api/ai/models", "models")));

        assertThat(target(table, "/api/ai/models/llama")).isEqualTo("models");
        assertThat(target(table, "/api/ai/chat")).isEqualTo("ai");
        assertThat(target(table, "/api/ai")).isEqualTo("ai");
        assertThat(target(table, "/api/users")).isEqualTo("api");
        assertThat(target(table, "/index.html")).isEqualTo("web");
    }

    /** Checks that the longest prefix wins in whatever order the routes were given, shortest first included. */
    @Test
    public void theOrderTheRoutesWereGivenInDoesNotMatter() {
        List<Route> shortestFirst = List.of(new Route("/", "web"), new Route("/a", "a"), new Route("/a/b", "ab"));
        List<Route> longestFirst = List.of(new Route("/a/b", "ab"), new Route("/a", "a"), new Route("/", "web"));

        for (List<Route> routes : List.of(shortestFirst, longestFirst)) {
            RouteTable table = table(routes);
            assertThat(target(table, "/a/b/c")).as("routes given as %s", routes).isEqualTo("ab");
            assertThat(target(table, "/a/c")).as("routes given as %s", routes).isEqualTo("a");
            assertThat(target(table, "/c")).as("routes given as %s", routes).isEqualTo("web");
        }
    }

    /**
     * Checks that a prefix matches on segment boundaries: {@code /api} matches {@code /api}, {@code /api/x}, {@code
     * /api?x=1} and {@code /api#x}, never {@code /apix} or {@code /ap} (see {@link Route#matches(String)}).
     */
    @Test
    public void aPrefixMatchesWholeSegmentsOnly() {
        RouteTable table = table(List.of(new Route("/api", "api")));

        assertThat(target(table, "/api")).isEqualTo("api");
        assertThat(target(table, "/api/")).isEqualTo("api");
        assertThat(target(table, "/api/x")).isEqualTo("api");
        assertThat(target(table, "/api?x=1")).isEqualTo("api");
        assertThat(target(table, "/api#x")).isEqualTo("api");
        assertThat(table.route("/apix")).as("/apix").isEmpty();
        assertThat(table.route("/apiary/x")).as("/apiary/x").isEmpty();
        assertThat(table.route("/ap")).as("/ap").isEmpty();
    }

    /** Checks that a path that only starts like a longer prefix falls back to the shorter one that really matches. */
    @Test
    public void aPathThatStartsLikeALongerPrefixFallsBackToTheShorterOne() {
        RouteTable table = table(List.of(new Route("/", "web"), new Route("/api", "api"), new Route("/api/ai", "ai")));

        assertThat(target(table, "/api/aim")).isEqualTo("api");
        assertThat(target(table, "/api?q=/api/ai")).isEqualTo("api");
        assertThat(target(table, "/apiary")).isEqualTo("web");
        assertThat(target(table, "/api/ai?x=1")).isEqualTo("ai");
    }

    /** Checks that {@code /} is the catch-all: it matches every path, and loses to every other matching prefix. */
    @Test
    public void theRootRouteCatchesEveryPath() {
        RouteTable table = table(List.of(new Route("/", "web"), new Route("/api", "api")));

        for (String path : List.of("/", "/x", "/a/b/c", "/?q=1", "/apix", "/favicon.ico")) {
            assertThat(target(table, path)).as(path).isEqualTo("web");
        }
        assertThat(target(table, "/api/x")).isEqualTo("api");
    }

    /** Checks that a path no route matches gets no route, and that an empty table matches nothing. */
    @Test
    public void aPathNoRouteMatchesGetsNone() {
        RouteTable table = table(List.of(new Route("/api", "api"), new Route("/ws", "ws")));

        assertThat(table.route("/")).as("/").isEmpty();
        assertThat(table.route("/web/index.html")).as("/web/index.html").isEmpty();
        assertThat(table.route("/wsx")).as("/wsx").isEmpty();
        assertThat(table(List.of()).route("/")).as("an empty table").isEmpty();
        assertThat(table(List.of()).routes()).as("an empty table's routes").isEmpty();
    }

    /** Checks that the route returned is the route given, with its rewrite, host, WebSocket and timing settings. */
    @Test
    public void theRouteReturnedIsTheOneGivenWithAllItsSettings() {
        Route ollama = new Route("/ollama", "ollama")
                .withRewrite("/api")
                .withHost(Route.HOST_TARGET)
                .withWebSocket(false)
                .withHold(Duration.ofMinutes(5))
                .withResponseTimeout(Duration.ofSeconds(90));
        Route legacy = new Route("/legacy", "http://127.0.0.1:9000");
        RouteTable table = table(List.of(new Route("/", "web"), ollama, legacy));

        assertThat(table.route("/ollama/tags")).contains(ollama);
        assertThat(table.route("/legacy/x")).contains(legacy);
    }

    /** Checks that {@link RouteTable#routes()} returns every route once, longest prefix first. */
    @Test
    public void routesListsEveryRouteLongestPrefixFirst() {
        List<Route> given = List.of(
                new Route("/", "web"),
                new Route("/api/ai", "ai"),
                new Route("/ws", "ws"),
                new Route("/api", "api"),
                new Route("/ollama", "ollama").withRewrite("/api"));
        RouteTable table = table(given);

        List<Route> routes = table.routes();

        assertThat(routes).containsExactlyInAnyOrderElementsOf(given);
        assertThat(routes)
                .extracting(route -> route.prefix().length())
                .as("prefix lengths of %s", routes)
                .isSortedAccordingTo((a, b) -> Integer.compare(b, a));
        assertThat(table.routes()).as("asked again").isEqualTo(routes);
    }

    /** Checks that the answer for a path does not change from one call to the next. */
    @Test
    public void theSamePathAlwaysGetsTheSameRoute() {
        RouteTable table = table(List.of(new Route("/", "web"), new Route("/api", "api")));

        Optional<Route> first = table.route("/api/users");
        for (int i = 0; i < 100; i++) {
            assertThat(table.route("/api/users")).isEqualTo(first);
            assertThat(target(table, "/users")).isEqualTo("web");
        }
    }

    /**
     * Checks that the table answers correctly when several threads ask at once, as the proxy's event loops do.
     *
     * @throws Exception when a thread fails or is interrupted
     */
    @Test
    public void itAnswersManyThreadsAtOnce() throws Exception {
        List<Route> routes = new ArrayList<>();
        routes.add(new Route("/", "web"));
        for (int i = 0; i < 50; i++) {
            routes.add(new Route("/s" + i, "s" + i));
            routes.add(new Route("/s" + i + "/deep", "deep" + i));
        }
        RouteTable table = table(routes);
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            List<Callable<Void>> askers = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                askers.add(() -> {
                    for (int round = 0; round < 200; round++) {
                        int i = round % 50;
                        assertThat(target(table, "/s" + i + "/deep/x")).isEqualTo("deep" + i);
                        assertThat(target(table, "/s" + i + "/x")).isEqualTo("s" + i);
                        assertThat(target(table, "/s" + i + "x")).isEqualTo("web");
                    }
                    return null;
                });
            }
            for (Future<Void> result : threads.invokeAll(askers, 30, TimeUnit.SECONDS)) {
                result.get();
            }
        } finally {
            threads.shutdownNow();
        }
    }
}
