/**
 * farm's one-port reverse proxy (not implemented yet; see the module README). This package will hold {@code
 * RouteTable} (path-prefix routes to services or URLs), {@code Route}, {@code ProxyServer} on Netty, and {@code
 * UpstreamState}, which holds requests while a target restarts.
 */
@NullMarked
package dev.farm.proxy;

import org.jspecify.annotations.NullMarked;
