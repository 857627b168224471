package dev.farm.process.internal;

import dev.farm.process.LogLine;
import dev.farm.process.spi.HealthProbe;
import dev.farm.process.spi.ProbeResult;
import java.util.regex.Pattern;

/**
 * Passes once a line of the service's output matches: for servers that announce readiness ("Listening on ...",
 * "ready to accept connections") but expose no port farm could probe. The supervisor hands it every output line of its
 * service as the line arrives ({@link #accept(LogLine)}), on the output-reading thread; {@link #check()} may run on
 * another thread.
 */
public final class LogLineProbe implements HealthProbe {

    private final Pattern pattern;
    private volatile boolean matched;

    /**
     * Creates the probe.
     *
     * @param regex a Java regular expression, found anywhere in a line
     */
    public LogLineProbe(String regex) {
        this.pattern = Pattern.compile(regex);
    }

    /** Forgets what an earlier incarnation printed. */
    void reset() {
        matched = false;
    }

    /** Looks at one output line of the service. */
    void accept(LogLine line) {
        if (!matched && pattern.matcher(line.text()).find()) {
            matched = true;
        }
    }

    @Override
    public ProbeResult check() {
        return matched ? ProbeResult.pass() : ProbeResult.fail("no line matched yet");
    }

    @Override
    public String description() {
        return "a line of its output should match /" + pattern.pattern() + "/";
    }
}
