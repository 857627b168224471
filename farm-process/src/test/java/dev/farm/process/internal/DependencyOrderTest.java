package dev.farm.process.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.farm.process.DependencyCondition;
import dev.farm.process.ServiceSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

class DependencyOrderTest {

    private static ServiceSpec spec(String name, String... dependencies) {
        ServiceSpec.Builder builder = ServiceSpec.builder(name, List.of("run"));
        for (String dependency : dependencies) {
            builder.dependsOn(dependency, DependencyCondition.READY);
        }
        return builder.build();
    }

    @Test
    void putsDependenciesFirstAndKeepsTheGivenOrderOtherwise() {
        assertThat(DependencyOrder.of(List.of(spec("web", "api"), spec("api", "db"), spec("db"), spec("docs"))))
                .containsExactly("db", "api", "web", "docs");
    }

    @Test
    void ordersARhombus() {
        assertThat(DependencyOrder.of(List.of(
                        spec("top", "left", "right"), spec("left", "base"), spec("right", "base"), spec("base"))))
                .containsExactly("base", "left", "right", "top");
    }

    @Test
    void rejectsACycle() {
        assertThatThrownBy(() -> DependencyOrder.of(List.of(spec("a", "b"), spec("b", "c"), spec("c", "a"), spec("d"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("dependencies form a cycle among a, b, c");
    }
}
