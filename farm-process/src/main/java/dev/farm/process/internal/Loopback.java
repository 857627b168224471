package dev.farm.process.internal;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/** The loopback addresses a local service may listen on, IPv4 first. */
final class Loopback {

    static final List<InetAddress> ADDRESSES = List.of(ipv4(), ipv6());

    private Loopback() {}

    private static InetAddress ipv4() {
        try {
            return Inet4Address.getByAddress("127.0.0.1", new byte[] {127, 0, 0, 1});
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private static InetAddress ipv6() {
        try {
            return Inet6Address.getByAddress("::1", new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1});
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Rejects a port outside 1-65535, the way every probe must. */
    static int checkPort(int port) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port: " + port + " (expected: 1-65535)");
        }
        return port;
    }

    /** Says what a connection failure means in a few words: {@code connection refused}, {@code timed out after 1s}. */
    static String describe(Exception e) {
        String message = e.getMessage() == null ? "" : e.getMessage();
        if (e instanceof java.net.ConnectException || message.contains("Connection refused")) {
            return "connection refused";
        }
        if (e instanceof java.net.SocketTimeoutException) {
            return "no answer within the attempt's timeout";
        }
        if (e instanceof java.net.NoRouteToHostException || message.contains("Cannot assign requested address")) {
            return "address not available";
        }
        return e.getClass().getSimpleName() + (message.isEmpty() ? "" : ": " + message);
    }
}
