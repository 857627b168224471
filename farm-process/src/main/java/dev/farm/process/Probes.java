package dev.farm.process;

import dev.farm.process.internal.HttpProbe;
import dev.farm.process.internal.LogLineProbe;
import dev.farm.process.internal.TcpProbe;
import dev.farm.process.spi.HealthProbe;
import java.time.Duration;

/**
 * The built-in readiness probes. The network ones check the loopback interface, IPv4 first and then IPv6, because
 * servers bound to {@code localhost} often listen on {@code ::1} only (Vite on Node 17+ does).
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

    /**
     * Passes once a line the service prints (on stdout or stderr) matches the regular expression, for servers that
     * announce readiness but have no port to probe. The supervisor feeds the probe its service's output; use one probe
     * per service.
     *
     * @param regex a Java regular expression, found anywhere in a line
     * @return the probe
     * @throws java.util.regex.PatternSyntaxException when the expression is invalid
     */
    public static HealthProbe logLine(String regex) {
        return new LogLineProbe(regex);
    }
}
