package dev.farm.bench;

import dev.farm.process.LogSinks;
import dev.farm.process.Probes;
import dev.farm.process.ProcessSupervisor;
import dev.farm.process.RestartPolicy;
import dev.farm.process.ServiceEvent;
import dev.farm.process.ServiceSpec;
import dev.farm.process.spi.HealthProbe;
import dev.farm.process.spi.ProbeResult;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Runs a set of services under farm's {@link ProcessSupervisor} for {@code bench/bench.py}, which measures from the
 * outside exactly as it measures the peer tools.
 *
 * <p>Usage: {@code FarmRunner SPEC_FILE [--logs DIR]}. Each line of the spec file is one service, tab-separated:
 * {@code name}, a comma-separated option list ({@code -} for none: {@code tcp=PORT} readiness probe, {@code
 * restart=MAX} restart on failure with zero backoff), then the program and its arguments. With {@code --logs}, output
 * goes to {@link LogSinks#files(Path)} in that folder.
 *
 * <p>Standard output, one line each: {@code event EPOCH_NANOS SERVICE STATE INCARNATION PID} for every state change
 * (printed by a separate thread, so the listener never blocks), {@code probe EPOCH_NANOS SERVICE pass|fail} for
 * every readiness attempt (when it began), {@code started T0 T1} once {@code start()} returned,
 * {@code stats k=v...} and {@code closing T CPU} / {@code closed T CPU} (with the JVM's CPU time so far) on
 * request. Standard input takes {@code stats}, {@code
 * restart NAME} and {@code close}; end of input means {@code close}.
 */
public final class FarmRunner {

    private final BlockingQueue<String> out = new LinkedBlockingQueue<>();

    private FarmRunner() {}

    public static void main(String[] args) throws IOException, InterruptedException {
        if (args.length != 1 && !(args.length == 3 && args[1].equals("--logs"))) {
            System.err.println("usage: FarmRunner SPEC_FILE [--logs DIR]");
            System.exit(2);
        }
        Optional<Path> logs = args.length == 3 ? Optional.of(Path.of(args[2])) : Optional.empty();
        FarmRunner runner = new FarmRunner();
        runner.run(runner.readSpecs(Path.of(args[0])), logs);
    }

    private void run(List<ServiceSpec> specs, Optional<Path> logs) throws IOException, InterruptedException {
        PrintStream stdout = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        Thread printer = new Thread(() -> print(stdout), "bench-printer");
        printer.setDaemon(true);
        printer.start();

        Optional<LogSinks.Handle> files = logs.map(LogSinks::files);
        ProcessSupervisor.Builder builder =
                ProcessSupervisor.builder().services(specs).listener(this::onEvent);
        files.ifPresent(builder::logSink);
        ProcessSupervisor supervisor = builder.build();
        try {
            long before = nanos(Instant.now());
            supervisor.start();
            out.add("started " + before + " " + nanos(Instant.now()));
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String command;
            while ((command = in.readLine()) != null && !command.equals("close")) {
                if (command.equals("stats")) {
                    out.add(stats());
                } else if (command.startsWith("restart ")) {
                    var unused = supervisor.restart(command.substring("restart ".length()));
                } else {
                    out.add("error unknown command: " + command);
                }
            }
        } catch (RuntimeException e) {
            out.add("error " + e.getMessage().replace('\n', ' '));
        } finally {
            out.add("closing " + nanos(Instant.now()) + " " + cpuNanos());
            supervisor.close();
            out.add("closed " + nanos(Instant.now()) + " " + cpuNanos());
            files.ifPresent(LogSinks.Handle::close);
            out.add("end");
            printer.join(Duration.ofSeconds(5).toMillis());
        }
    }

    private void onEvent(ServiceEvent event) {
        out.add("event " + nanos(event.time()) + " " + event.service() + " " + event.state() + " " + event.incarnation()
                + " " + event.pid().orElse(0));
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

    /** Heap after a full collection, the JVM's resident set and its thread count. */
    private static String stats() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        for (int i = 0; i < 3; i++) {
            System.gc(); // G1 runs a full collection for System.gc() unless -XX:+ExplicitGCInvokesConcurrent
        }
        return "stats heapUsed=" + memory.getHeapMemoryUsage().getUsed()
                + " heapCommitted=" + memory.getHeapMemoryUsage().getCommitted()
                + " nonHeapUsed=" + memory.getNonHeapMemoryUsage().getUsed()
                + " rssKiB=" + residentKiB()
                + " threads=" + ManagementFactory.getThreadMXBean().getThreadCount();
    }

    /** CPU time this JVM has used so far, all threads, user and system. */
    private static long cpuNanos() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime()
                : -1;
    }

    private static long residentKiB() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"), StandardCharsets.UTF_8)) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException e) {
            // not Linux: report 0, bench.py reads /proc itself anyway
        }
        return 0;
    }

    /** Farm's probe, unchanged, reporting when each attempt began and how it ended: {@code probe T SERVICE RESULT}. */
    private HealthProbe recorded(String service, HealthProbe probe) {
        return new HealthProbe() {
            @Override
            public ProbeResult check() throws InterruptedException {
                long begin = nanos(Instant.now());
                ProbeResult result = probe.check();
                out.add("probe " + begin + " " + service + " " + (result.passed() ? "pass" : "fail"));
                return result;
            }

            @Override
            public String description() {
                return probe.description();
            }
        };
    }

    private List<ServiceSpec> readSpecs(Path file) throws IOException {
        List<ServiceSpec> specs = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (line.isBlank()) {
                continue;
            }
            String[] fields = line.split("\t", -1);
            if (fields.length < 3) {
                throw new IllegalArgumentException(file + ": expected NAME<TAB>OPTIONS<TAB>ARGV..., found: " + line);
            }
            ServiceSpec.Builder spec =
                    ServiceSpec.builder(fields[0], List.of(fields).subList(2, fields.length));
            for (String option : fields[1].split(",", -1)) {
                if (option.startsWith("tcp=")) {
                    spec.readiness(recorded(fields[0], Probes.tcp(Integer.parseInt(option.substring(4)))));
                } else if (option.startsWith("restart=")) {
                    int max = Integer.parseInt(option.substring("restart=".length()));
                    spec.restart(RestartPolicy.onFailure(max, Duration.ZERO, Duration.ZERO));
                } else if (!option.equals("-")) {
                    throw new IllegalArgumentException(file + ": unknown option " + option);
                }
            }
            specs.add(spec.build());
        }
        return specs;
    }

    private static long nanos(Instant time) {
        return time.getEpochSecond() * 1_000_000_000L + time.getNano();
    }
}
