package dev.farm.cli.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntSupplier;

/**
 * Picks free ports for {@code port: auto}, and gives the same ones again, in the same order, when the config is read
 * again: a reloaded config whose services did not change resolves to the same config, so nothing is restarted for
 * having been given a new port.
 */
public final class ReplayingPorts implements IntSupplier {

    private final List<Integer> given = new ArrayList<>();
    private int next;

    /** Starts a new reading of the config: the ports handed out before come again first. */
    public synchronized void rewind() {
        next = 0;
    }

    @Override
    public synchronized int getAsInt() {
        if (next < given.size()) {
            return given.get(next++);
        }
        int port = freePort();
        given.add(port);
        next++;
        return port;
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find a free port on the loopback interface", e);
        }
    }
}
