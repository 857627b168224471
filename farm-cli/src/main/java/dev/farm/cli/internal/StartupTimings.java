package dev.farm.cli.internal;

import dev.farm.process.ServiceEvent;
import dev.farm.process.ServiceState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Records when each service started and became ready, and reports the start as {@code farm dev --timings} prints it
 * (and as farm prints it anyway when the start took longer than {@link #SLOW}): one line per service, and the
 * critical chain, the dependency path that decided the total, found as {@code systemd-analyze critical-chain} does:
 * from the service ready last, back through the dependency that was ready last, until one has none.
 *
 * <pre>
 * startup timings, from farm's start:
 *   cache  started +0.1s  ready +0.4s   took 0.3s
 *   db     started +0.1s  ready +2.1s   took 2.0s  *
 *   api    started +2.1s  ready +11.9s  took 9.8s  *
 * critical chain (*): db 2.0s → api 9.8s = 11.9s
 * </pre>
 *
 * Thread-safe: events come from the supervisor's threads.
 */
public final class StartupTimings implements Consumer<ServiceEvent> {

    /** A start slower than this prints the timings without being asked. */
    public static final Duration SLOW = Duration.ofSeconds(10);

    private final Map<String, Instant> started = new ConcurrentHashMap<>();
    private final Map<String, Instant> ready = new ConcurrentHashMap<>();

    @Override
    public void accept(ServiceEvent event) {
        if (event.state() == ServiceState.STARTING) {
            started.putIfAbsent(event.service(), event.time()); // a restart while starting counts from the first
        } else if (event.state() == ServiceState.READY || event.state() == ServiceState.EXITED) {
            ready.putIfAbsent(event.service(), event.time()); // an exited task is as good as ready to its dependents
        }
    }

    /**
     * Writes the report, without farm's prefix.
     *
     * @param begin when farm began the start
     * @param services the service names, in config order
     * @param dependencies what each service depends on, by name
     * @return the lines; empty when no service became ready
     */
    public List<String> report(Instant begin, List<String> services, Map<String, List<String>> dependencies) {
        List<String> shown = new ArrayList<>();
        for (String service : services) {
            if (started.containsKey(service) && ready.containsKey(service)) {
                shown.add(service);
            }
        }
        if (shown.isEmpty()) {
            return List.of();
        }
        List<String> chain = criticalChain(shown, dependencies);
        shown.sort(Comparator.comparing((String s) -> started.get(s)).thenComparing(s -> ready.get(s)));
        int nameWidth = shown.stream().mapToInt(String::length).max().orElse(0);
        Map<String, String> startTexts = new LinkedHashMap<>();
        Map<String, String> readyTexts = new LinkedHashMap<>();
        for (String service : shown) {
            startTexts.put(
                    service, "started +" + TerminalOutput.seconds(Duration.between(begin, started.get(service))));
            readyTexts.put(service, "ready +" + TerminalOutput.seconds(Duration.between(begin, ready.get(service))));
        }
        int startWidth =
                startTexts.values().stream().mapToInt(String::length).max().orElse(0);
        int readyWidth =
                readyTexts.values().stream().mapToInt(String::length).max().orElse(0);
        List<String> lines = new ArrayList<>();
        lines.add("startup timings, from farm's start:");
        for (String service : shown) {
            String line = "  " + pad(service, nameWidth) + "  " + pad(startTexts.get(service), startWidth) + "  "
                    + pad(readyTexts.get(service), readyWidth) + "  took " + TerminalOutput.seconds(took(service))
                    + (chain.contains(service) ? "  *" : "");
            lines.add(line);
        }
        StringBuilder critical = new StringBuilder("critical chain (*): ");
        for (int i = 0; i < chain.size(); i++) {
            if (i > 0) {
                critical.append(" → ");
            }
            critical.append(chain.get(i)).append(' ').append(TerminalOutput.seconds(took(chain.get(i))));
        }
        critical.append(" = ")
                .append(TerminalOutput.seconds(Duration.between(begin, ready.get(chain.get(chain.size() - 1)))));
        lines.add(critical.toString());
        return lines;
    }

    /** From the service ready last, back through the dependency ready last; returned first to last. */
    private List<String> criticalChain(List<String> shown, Map<String, List<String>> dependencies) {
        String last = null;
        for (String service : shown) {
            if (last == null || ready.get(service).isAfter(ready.get(last))) {
                last = service;
            }
        }
        List<String> chain = new ArrayList<>();
        for (String at = last; at != null; at = latestDependency(at, shown, dependencies)) {
            if (chain.contains(at)) {
                break; // cannot happen (the graph has no cycle), but never loop
            }
            chain.add(0, at);
        }
        return chain;
    }

    private @Nullable String latestDependency(
            String service, List<String> shown, Map<String, List<String>> dependencies) {
        String latest = null;
        for (String dependency : dependencies.getOrDefault(service, List.of())) {
            if (shown.contains(dependency)
                    && (latest == null || ready.get(dependency).isAfter(ready.get(latest)))) {
                latest = dependency;
            }
        }
        return latest;
    }

    private Duration took(String service) {
        return Duration.between(started.get(service), ready.get(service));
    }

    private static String pad(String text, int width) {
        return text + " ".repeat(Math.max(0, width - text.length()));
    }
}
