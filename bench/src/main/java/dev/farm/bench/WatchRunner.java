package dev.farm.bench;

import dev.farm.watch.ChangeBatch;
import dev.farm.watch.ChangeWatcher;
import dev.farm.watch.WatchRule;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.stream.Collectors;

/**
 * Watches a project folder with farm-watch's {@link ChangeWatcher} for {@code bench/bench.py}, which writes files and
 * measures from the outside exactly as it measures chokidar and inotifywait.
 *
 * <p>Usage: {@code WatchRunner [--loop-runs N] ROOT QUIET_MS MAX_WAIT_MS GLOB...}: one rule named {@code src} with
 * those globs, relative to {@code ROOT}, the watcher's default ignores ({@code node_modules} among them) and the given
 * debounce ({@code 0 0} delivers every change at once). {@code --loop-runs N} sets {@code feedbackLoop(N, 10s)}
 * instead of the default 10 runs in 10 s, which pauses the rule during a benchmark's steady stream of writes.
 *
 * <p>Standard output, one line each, times in epoch nanoseconds ({@link Instant#now()}, the wall clock Python's {@code
 * time.time_ns()} reads) followed by {@link System#nanoTime()} (the monotonic clock): {@code starting WALL MONO} just
 * before {@code start()}, {@code watching WALL MONO} once it returned, {@code batch WALL MONO RESCAN PATH...} for every
 * batch (taken on entry to the listener, paths relative to {@code ROOT}; printed by a separate thread, so the listener
 * never blocks), {@code paused WALL MONO PATH...}, {@code error MESSAGE}. End of input closes the watcher and prints
 * {@code end}.
 */
public final class WatchRunner {

    private final BlockingQueue<String> out = new LinkedBlockingQueue<>();
    private final Path root;

    private WatchRunner(Path root) {
        this.root = root;
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        List<String> rest = List.of(args);
        int loopRuns = 0;
        if (rest.size() >= 2 && rest.get(0).equals("--loop-runs")) {
            loopRuns = Integer.parseInt(rest.get(1));
            rest = rest.subList(2, rest.size());
        }
        if (rest.size() < 4) {
            System.err.println("usage: WatchRunner [--loop-runs N] ROOT QUIET_MS MAX_WAIT_MS GLOB...");
            System.exit(2);
        }
        Path root = Path.of(rest.get(0)).toAbsolutePath().normalize();
        Duration quiet = Duration.ofMillis(Long.parseLong(rest.get(1)));
        Duration maxWait = Duration.ofMillis(Long.parseLong(rest.get(2)));
        List<String> globs = rest.subList(3, rest.size());
        new WatchRunner(root).run(quiet, maxWait, loopRuns, globs);
    }

    private void run(Duration quiet, Duration maxWait, int loopRuns, List<String> globs)
            throws IOException, InterruptedException {
        PrintStream stdout = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        Thread printer = new Thread(() -> print(stdout), "bench-printer");
        printer.setDaemon(true);
        printer.start();
        ChangeWatcher.Builder builder = ChangeWatcher.builder(root)
                .rule(new WatchRule("src", root, globs, List.of()))
                .debounce(quiet, maxWait);
        if (loopRuns > 0) {
            builder.feedbackLoop(loopRuns, Duration.ofSeconds(10));
        }
        try (ChangeWatcher watcher = builder.build()) {
            out.add("starting " + now());
            watcher.start(new ChangeWatcher.Listener() {
                @Override
                public void changed(ChangeBatch batch) {
                    String stamp = now();
                    out.add("batch " + stamp + " " + batch.rescan() + " " + relative(batch.paths()));
                }

                @Override
                public void paused(String rule, Set<Path> paths) {
                    out.add("paused " + now() + " " + relative(paths));
                }
            });
            out.add("watching " + now());
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            while (in.readLine() != null) {
                // nothing to do: the watcher works on its own threads until end of input
            }
        } catch (RuntimeException e) {
            out.add("error " + String.valueOf(e).replace('\n', ' '));
        } finally {
            out.add("end");
            printer.join(Duration.ofSeconds(5).toMillis());
        }
    }

    private String relative(Set<Path> paths) {
        return paths.stream()
                .map(p -> p.startsWith(root) ? root.relativize(p).toString() : p.toString())
                .sorted()
                .collect(Collectors.joining(" "));
    }

    private void print(PrintStream stdout) {
        try {
            while (true) {
                String line = out.take();
                stdout.println(line);
                if (line.equals("end")) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The wall clock in epoch nanoseconds, then the monotonic clock, taken back to back. */
    private static String now() {
        Instant wall = Instant.now();
        long mono = System.nanoTime();
        return (wall.getEpochSecond() * 1_000_000_000L + wall.getNano()) + " " + mono;
    }
}
