package dev.farm.proxy;

/**
 * What the proxy knows of a service target, fed by whoever runs the service (farm-cli feeds it from supervisor
 * events). It decides what a request for the target meets.
 *
 * @since 0.1
 */
public enum UpstreamState {
    /** Ready: requests are forwarded. A refused connection is taken as a restart the proxy was not told of. */
    UP,
    /** Not ready yet: requests are held until it is {@link #UP}, up to the route's hold deadline, then get 503. */
    STARTING,
    /** Being restarted: requests are held as for {@link #STARTING}. */
    RESTARTING,
    /** Stopped and not coming back: requests get 502 naming the reason, and held ones are answered so. */
    DOWN
}
