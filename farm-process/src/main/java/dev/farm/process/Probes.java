package dev.farm.process;

import dev.farm.process.internal.HttpProbe;
import dev.farm.process.internal.TcpProbe;
import dev.farm.process.spi.HealthProbe;
import java.time.Duration;

/**
 * The built-in readiness probes. Each checks the loopback interface, IPv4 first and then IPv6, because servers bound
 * to {@code localhost} often listen on {@code ::1} only (Vite on Node 17+ does).
 *
 * @since 0.1
 */
public final class Probes {

    /** How long one attempt of a built-in probe may take. */
    public static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(1);

    private Probes() {}

    /**
     * Passes once a TCP connection to the port succeeds.
     *
     * @param port 1-65535
     * @return the probe
     */
    public static HealthProbe tcp(int port) {
        return new TcpProbe(port, ATTEMPT_TIMEOUT);
    }

    /**
     * Passes once {@code GET http://127.0.0.1:PORT/PATH} answers with a 2xx or 3xx status.
     *
     * @param port 1-65535
     * @param path the request path, starting with {@code /}
     * @return the probe
     */
    public static HealthProbe http(int port, String path) {
        return new HttpProbe(port, path, ATTEMPT_TIMEOUT);
    }
}
