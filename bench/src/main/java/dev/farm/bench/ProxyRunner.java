package dev.farm.bench;

import dev.farm.proxy.ProxyServer;
import dev.farm.proxy.Route;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.RuntimeMXBean;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs farm-proxy's {@link ProxyServer} with one I/O thread and one route, {@code /} to an upstream URL, for the
 * proxy benchmark in {@code bench/bench.py}, which loads it with wrk from the outside exactly as it loads nginx and
 * http-proxy-middleware.
 *
 * <p>Usage: {@code ProxyRunner LISTEN_PORT UPSTREAM_URL} ({@code 0} for an ephemeral port). Standard output, one
 * line each: {@code jvm KEY=VALUE...} (the JVM's version, its flags and its garbage collectors, for the report),
 * then {@code ready PORT} once the proxy is bound, and {@code closed} when it has closed. It runs until standard
 * input ends or the JVM gets SIGTERM; either closes the proxy.
 */
public final class ProxyRunner {

    private ProxyRunner() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: ProxyRunner LISTEN_PORT UPSTREAM_URL");
            System.exit(2);
        }
        int listenPort = Integer.parseInt(args[0]);
        String upstream = args[1];
        PrintStream stdout = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        stdout.println(jvmLine());

        ProxyServer proxy = ProxyServer.builder()
                .port(listenPort)
                .ioThreads(1)
                .routes(List.of(new Route("/", upstream)))
                .build()
                .start();
        AtomicBoolean closed = new AtomicBoolean();
        Runnable close = () -> {
            if (closed.compareAndSet(false, true)) {
                try {
                    proxy.close();
                } catch (Exception e) {
                    System.err.println("close failed: " + e);
                }
                stdout.println("closed");
            }
        };
        Runtime.getRuntime().addShutdownHook(new Thread(close, "bench-close"));
        stdout.println("ready " + proxy.port());

        InputStream in = System.in;
        byte[] buffer = new byte[256];
        try {
            while (in.read(buffer) >= 0) {
                // nothing to do with input: its end is the signal to stop
            }
        } catch (IOException e) {
            System.err.println("stdin: " + e);
        }
        close.run();
        System.exit(0);
    }

    private static String jvmLine() {
        RuntimeMXBean runtime = ManagementFactory.getRuntimeMXBean();
        StringBuilder gcs = new StringBuilder();
        ManagementFactory.getGarbageCollectorMXBeans().forEach(gc -> {
            if (gcs.length() > 0) {
                gcs.append(',');
            }
            gcs.append(gc.getName().replace(' ', '_'));
        });
        return "jvm version=" + System.getProperty("java.vm.version")
                + " vm=" + System.getProperty("java.vm.name").replace(' ', '_')
                + " cpus=" + Runtime.getRuntime().availableProcessors()
                + " gc=" + gcs
                + " flags=" + String.join(",", runtime.getInputArguments()).replace(' ', '_');
    }
}
