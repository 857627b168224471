package dev.farm.testkit.kits;

import static org.assertj.core.api.Assertions.assertThat;

import dev.farm.proxy.Route;
import dev.farm.proxy.RouteTable;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/** The route-table kit catches broken tables: each case is a table with one mistake, run through the launcher. */
class RouteTableCompatibilityKitTest {

    @Test
    void aTableWhereTheShortestPrefixWinsFailsTheLongestPrefixTest() {
        KitRuns.Run run = KitRuns.run(ShortestPrefixCase.class);

        assertThat(run.failed()).contains("theLongestMatchingPrefixWins", "theOrderTheRoutesWereGivenInDoesNotMatter");
        assertThat(run.failure("theLongestMatchingPrefixWins"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("models");
        assertThat(run.failed()).doesNotContain("aPrefixMatchesWholeSegmentsOnly", "aPathNoRouteMatchesGetsNone");
    }

    @Test
    void aTableMatchingPrefixesAsPlainStringsFailsTheSegmentTest() {
        KitRuns.Run run = KitRuns.run(StartsWithCase.class);

        assertThat(run.failed()).contains("aPrefixMatchesWholeSegmentsOnly", "theRootRouteCatchesEveryPath");
        assertThat(run.failure("aPrefixMatchesWholeSegmentsOnly"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("/apix");
        assertThat(run.failed()).doesNotContain("theLongestMatchingPrefixWins");
    }

    @Test
    void aTableThatListsItsRoutesUnsortedFailsOnlyTheRoutesTest() {
        KitRuns.Run run = KitRuns.run(UnsortedRoutesCase.class);

        assertThat(run.failed()).containsExactly("routesListsEveryRouteLongestPrefixFirst");
        assertThat(run.summary().getTestsSucceededCount()).isEqualTo(9);
    }

    /** Picks the shortest matching prefix. */
    @EnabledIfSystemProperty(named = KitRuns.RUNNING_CASE, matches = ".+")
    static class ShortestPrefixCase extends RouteTableCompatibilityKit {
        @Override
        protected RouteTable table(List<Route> routes) {
            List<Route> sorted = routes.stream()
                    .sorted(Comparator.comparingInt((Route r) -> r.prefix().length())
                            .reversed())
                    .collect(Collectors.toList());
            return new RouteTable() {
                @Override
                public List<Route> routes() {
                    return sorted;
                }

                @Override
                public Optional<Route> route(String path) {
                    return sorted.stream()
                            .filter(route -> route.matches(path))
                            .min(Comparator.comparingInt(route -> route.prefix().length()));
                }
            };
        }
    }

    /** The longest prefix wins, but {@code /api} matches {@code /apix}: a plain {@code startsWith}. */
    @EnabledIfSystemProperty(named = KitRuns.RUNNING_CASE, matches = ".+")
    static class StartsWithCase extends RouteTableCompatibilityKit {
        @Override
        protected RouteTable table(List<Route> routes) {
            List<Route> sorted = routes.stream()
                    .sorted(Comparator.comparingInt((Route r) -> r.prefix().length())
                            .reversed())
                    .collect(Collectors.toList());
            return new RouteTable() {
                @Override
                public List<Route> routes() {
                    return sorted;
                }

                @Override
                public Optional<Route> route(String path) {
                    return sorted.stream()
                            .filter(route -> path.startsWith(route.prefix()))
                            .findFirst();
                }
            };
        }
    }

    /** Routes correctly (the interface's default method), but lists the routes in the order given. */
    @EnabledIfSystemProperty(named = KitRuns.RUNNING_CASE, matches = ".+")
    static class UnsortedRoutesCase extends RouteTableCompatibilityKit {
        @Override
        protected RouteTable table(List<Route> routes) {
            List<Route> copy = List.copyOf(routes);
            return () -> copy;
        }
    }
}
