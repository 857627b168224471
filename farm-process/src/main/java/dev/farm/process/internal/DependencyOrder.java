package dev.farm.process.internal;

import dev.farm.process.ServiceSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Orders services so each comes after its dependencies, keeping the given order where dependencies allow it. */
final class DependencyOrder {

    private DependencyOrder() {}

    /**
     * Returns the names in start order.
     *
     * @throws IllegalArgumentException naming the services on a cycle, when there is one
     */
    static List<String> of(List<ServiceSpec> specs) {
        Map<String, ServiceSpec> remaining = new LinkedHashMap<>();
        specs.forEach(spec -> remaining.put(spec.name(), spec));
        List<String> order = new ArrayList<>();
        while (!remaining.isEmpty()) {
            ServiceSpec next = remaining.values().stream()
                    .filter(spec -> spec.dependencies().keySet().stream().noneMatch(remaining::containsKey))
                    .findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("dependencies form a cycle among "
                            + remaining.keySet().stream().sorted().collect(Collectors.joining(", "))));
            order.add(next.name());
            remaining.remove(next.name());
        }
        return order;
    }
}
