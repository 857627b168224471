package dev.farm.proxy.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Netty's leak detector at PARANOID for every test class of this module (registered through
 * META-INF/services and {@code junit.jupiter.extensions.autodetection.enabled}), with leaks recorded instead of only
 * logged. After each class it leaks one sentinel buffer on purpose, collects garbage until the detector reports the
 * sentinel, and then asserts that nothing else was reported: a leak in the proxy fails the class that caused it.
 */
public final class LeakCheck implements AfterAllCallback {

    private static final String SENTINEL = "farm-leak-check-sentinel";
    private static final List<String> LEAKS = new CopyOnWriteArrayList<>();
    private static final java.util.concurrent.atomic.AtomicLong SERIAL = new java.util.concurrent.atomic.AtomicLong();
    private static volatile boolean sentinelSeen;

    static {
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
        ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(new ResourceLeakDetectorFactory() {
            @Override
            @SuppressWarnings("deprecation")
            public <T> ResourceLeakDetector<T> newResourceLeakDetector(
                    Class<T> resource, int samplingInterval, long maxActive) {
                return new RecordingDetector<>(resource, samplingInterval);
            }
        });
    }

    private static final class RecordingDetector<T> extends ResourceLeakDetector<T> {
        RecordingDetector(Class<T> resource, int samplingInterval) {
            super(resource, samplingInterval);
        }

        @Override
        protected void reportTracedLeak(String resourceType, String records) {
            record(resourceType + ": " + records);
        }

        @Override
        protected void reportUntracedLeak(String resourceType) {
            record(resourceType + " (untraced)");
        }

        private static void record(String leak) {
            if (leak.contains(SENTINEL)) {
                sentinelSeen = true;
            } else {
                LEAKS.add(leak);
            }
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        sentinelSeen = false;
        leakSentinel();
        Awaitility.await("the leak detector to report the sentinel buffer")
                .atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> {
                    System.gc();
                    // the detector looks for collected buffers whenever a buffer is allocated
                    for (ByteBufAllocator alloc : List.of(ByteBufAllocator.DEFAULT, PooledByteBufAllocator.DEFAULT)) {
                        alloc.directBuffer(16).release();
                        alloc.heapBuffer(16).release();
                    }
                    return sentinelSeen;
                });
        List<String> found = List.copyOf(LEAKS);
        LEAKS.clear();
        assertThat(found).as("buffers leaked in " + context.getDisplayName()).isEmpty();
    }

    private static void leakSentinel() {
        ByteBuf leaked = ByteBufAllocator.DEFAULT.directBuffer(16);
        // unique each time: the detector reports a given record only once per JVM
        leaked.touch(SENTINEL + " " + SERIAL.incrementAndGet());
    }
}
