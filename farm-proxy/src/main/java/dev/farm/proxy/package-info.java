/**
 * farm's one-port reverse proxy on Netty. {@link dev.farm.proxy.ProxyServer} serves HTTP/1.1, streams (SSE, NDJSON,
 * uploads) and WebSocket tunnels; {@link dev.farm.proxy.RouteTable} and {@link dev.farm.proxy.Route} decide which
 * target serves a path; {@link dev.farm.proxy.UpstreamState} tells the proxy when a target restarts so requests wait
 * for it instead of failing.
 */
@NullMarked
package dev.farm.proxy;

import org.jspecify.annotations.NullMarked;
