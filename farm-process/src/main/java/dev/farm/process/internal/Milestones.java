package dev.farm.process.internal;

import dev.farm.process.Dependency;
import dev.farm.process.ServiceStartException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * What one generation of a service has reached, for its dependents to wait on: a generation begins when the service is
 * started (by {@code start()}, or again after it settled) and spans its restarts. When the generation ends without
 * reaching a milestone, that milestone fails with the reason, so nothing waits for it forever.
 */
final class Milestones {

    final CompletableFuture<Void> started = new CompletableFuture<>();
    final CompletableFuture<Void> ready = new CompletableFuture<>();
    /** Completed with the exit code once the service has exited for good. */
    final CompletableFuture<Integer> exited = new CompletableFuture<>();

    private final List<LineWatch> lineWatches = new CopyOnWriteArrayList<>();

    private record LineWatch(Pattern pattern, CompletableFuture<Void> matched) {}

    /**
     * Returns a future that completes when a line of the service's output matches, looking first at the lines this
     * generation printed already.
     */
    CompletableFuture<Void> lineMatching(String regex, Supplier<List<String>> printedSoFar) {
        LineWatch watch = new LineWatch(Pattern.compile(regex), new CompletableFuture<>());
        lineWatches.add(watch);
        for (String line : printedSoFar.get()) {
            if (watch.pattern.matcher(line).find()) {
                watch.matched.complete(null);
                break;
            }
        }
        return watch.matched;
    }

    /** Looks at one output line, on the output-reading thread. */
    void line(String text) {
        for (LineWatch watch : lineWatches) {
            if (!watch.matched.isDone() && watch.pattern.matcher(text).find()) {
                watch.matched.complete(null);
            }
        }
    }

    /** Ends the generation: every milestone not reached fails with the reason. */
    void fail(ServiceStartException reason) {
        started.completeExceptionally(reason);
        ready.completeExceptionally(reason);
        exited.completeExceptionally(reason);
        lineWatches.forEach(w -> w.matched.completeExceptionally(reason));
    }

    /** What a dependent waits for. */
    CompletableFuture<?> condition(
            Dependency dependency,
            java.util.Set<Integer> successCodes,
            String service,
            String dependent,
            Supplier<List<String>> printedSoFar,
            Supplier<List<String>> lastLines) {
        return switch (dependency.condition()) {
            case STARTED -> started;
            case READY -> ready;
            case COMPLETED -> exited;
            case SUCCEEDED ->
                exited.thenApply(code -> {
                    if (!successCodes.contains(code)) {
                        throw new ServiceStartException(
                                service,
                                "service '" + service + "' exited with code " + code + ", and '" + dependent
                                        + "' waits for it to succeed " + successCodes + ". Its last lines are above.",
                                lastLines.get(),
                                null);
                    }
                    return code;
                });
            case LOG_LINE -> lineMatching(dependency.logLine().orElseThrow(), printedSoFar);
        };
    }

    /**
     * Completes when every future has completed normally, or exceptionally as soon as one of them fails (unlike {@link
     * CompletableFuture#allOf}, which waits for all).
     */
    static CompletableFuture<Void> allOrFirstFailure(List<CompletableFuture<?>> futures) {
        CompletableFuture<Void> result = new CompletableFuture<>();
        for (CompletableFuture<?> future : futures) {
            var unused = future.whenComplete((ignored, failure) -> {
                if (failure != null) {
                    result.completeExceptionally(failure);
                }
            });
        }
        var unused = CompletableFuture.allOf(futures.toArray(CompletableFuture<?>[]::new))
                .thenRun(() -> result.complete(null));
        return result;
    }
}
