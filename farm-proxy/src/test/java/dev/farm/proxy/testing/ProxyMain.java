package dev.farm.proxy.testing;

import dev.farm.proxy.ProxyServer;
import dev.farm.proxy.Route;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.List;

/**
 * A proxy in its own JVM, for tests that bound its memory with {@code -Xmx}: routes {@code /} to the URL in args[0],
 * prints {@code ready PORT}, and when stdin closes prints {@code peak-heap BYTES} and exits.
 */
public final class ProxyMain {

    private ProxyMain() {}

    public static void main(String[] args) throws Exception {
        try (ProxyServer proxy = ProxyServer.builder()
                .routes(List.of(new Route("/", args[0])))
                .build()
                .start()) {
            System.out.println("ready " + proxy.port());
            System.out.flush();
            while (System.in.read() >= 0) {
                // until the test closes our stdin
            }
        }
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        System.out.println("peak-heap " + peak);
    }
}
