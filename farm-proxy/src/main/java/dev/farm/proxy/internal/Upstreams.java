package dev.farm.proxy.internal;

import dev.farm.proxy.UpstreamState;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import org.jspecify.annotations.Nullable;

/** The state and address of each service target, written by any thread, read on the event loops. */
final class Upstreams {

    /** What the proxy knows of one service target. */
    record Upstream(@Nullable InetSocketAddress address, UpstreamState state, String reason) {}

    private static final Upstream UNKNOWN = new Upstream(null, UpstreamState.STARTING, "it has not started yet");

    private final ConcurrentHashMap<String, Upstream> byName = new ConcurrentHashMap<>();
    private final BiConsumer<String, Upstream> onChange;

    Upstreams(BiConsumer<String, Upstream> onChange) {
        this.onChange = onChange;
    }

    Upstream get(String service) {
        return byName.getOrDefault(service, UNKNOWN);
    }

    void set(String service, @Nullable InetSocketAddress address, UpstreamState state, String reason) {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(reason, "reason");
        Upstream next = byName.compute(
                service,
                (name, old) ->
                        new Upstream(address != null ? address : old != null ? old.address() : null, state, reason));
        onChange.accept(service, next);
    }
}
