package dev.farm.testkit;

import dev.farm.process.ServiceState;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.util.List;
import java.util.OptionalInt;
import org.assertj.core.api.AbstractAssert;

/**
 * Assertions on a {@link ServiceHandle}; get them from {@link FarmAssertions#assertThat(ServiceHandle)}. Each failure
 * message names the service, what was expected and what was found, and ends with the service's last lines.
 *
 * @since 0.1
 */
public final class ServiceHandleAssert extends AbstractAssert<ServiceHandleAssert, ServiceHandle> {

    private static final int SHOWN_LINES = 20;

    ServiceHandleAssert(ServiceHandle actual) {
        super(actual, ServiceHandleAssert.class);
    }

    /**
     * Verifies that the service is ready: its process runs and its readiness probe passed.
     *
     * @return this
     */
    public ServiceHandleAssert isReady() {
        return isInState(ServiceState.READY);
    }

    /**
     * Verifies that the service is in a state now.
     *
     * @param expected the state
     * @return this
     */
    public ServiceHandleAssert isInState(ServiceState expected) {
        isNotNull();
        ServiceState state = actual.state();
        if (state != expected) {
            failWithMessage(
                    "%s",
                    describe(
                            "to be " + expected,
                            "it is " + state + " (" + actual.status().message() + ")"));
        }
        return this;
    }

    /**
     * Verifies how often farm started the service again, see {@link ServiceHandle#restarts()}.
     *
     * @param times the expected number of restarts
     * @return this
     */
    public ServiceHandleAssert hasRestarted(int times) {
        isNotNull();
        int restarts = actual.restarts();
        if (restarts != times) {
            failWithMessage(
                    "%s", describe("to have restarted " + times + " times", "it restarted " + restarts + " times"));
        }
        return this;
    }

    /**
     * Verifies that one of the service's recent lines contains a text.
     *
     * @param text the text to find
     * @return this
     */
    public ServiceHandleAssert logContains(String text) {
        isNotNull();
        if (actual.recentLines().stream().noneMatch(line -> line.contains(text))) {
            failWithMessage(
                    "%s", describe("to have written a line containing \"" + text + "\"", "none of its lines does"));
        }
        return this;
    }

    /**
     * Verifies the service's port.
     *
     * @param port the expected port
     * @return this
     */
    public ServiceHandleAssert hasPort(int port) {
        isNotNull();
        OptionalInt found = actual.port();
        if (found.isEmpty() || found.getAsInt() != port) {
            failWithMessage(
                    "%s",
                    describe("to have port " + port, found.isEmpty() ? "it has none" : "it has " + found.getAsInt()));
        }
        return this;
    }

    /**
     * Verifies the service's base URL.
     *
     * @param url the expected URL, such as {@code http://127.0.0.1:8080}
     * @return this
     */
    public ServiceHandleAssert hasUrl(String url) {
        isNotNull();
        hasPortAssigned();
        URI found = actual.url();
        if (!found.toString().equals(url)) {
            failWithMessage("%s", describe("to have URL " + url, "it has " + found));
        }
        return this;
    }

    /**
     * Verifies that something accepts connections on the service's port, on 127.0.0.1.
     *
     * @return this
     */
    public ServiceHandleAssert isListening() {
        isNotNull();
        hasPortAssigned();
        int port = actual.port().getAsInt();
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2_000);
        } catch (IOException e) {
            failWithMessage(
                    "%s",
                    describe("to accept connections on 127.0.0.1:" + port, "connecting failed: " + e.getMessage()));
        }
        return this;
    }

    private void hasPortAssigned() {
        if (actual.port().isEmpty()) {
            failWithMessage("%s", describe("to have a port", "its configuration gives none"));
        }
    }

    private String describe(String expected, String found) {
        StringBuilder message = new StringBuilder()
                .append("Expected service '")
                .append(actual.name())
                .append("' ")
                .append(expected)
                .append(", but ")
                .append(found)
                .append('.');
        List<String> lines = actual.recentLines();
        List<String> last = lines.subList(Math.max(0, lines.size() - SHOWN_LINES), lines.size());
        if (last.isEmpty()) {
            message.append(" It has written nothing.");
        } else {
            message.append(" Its last lines:");
            last.forEach(line -> message.append("\n  ").append(line));
        }
        return message.toString();
    }
}
