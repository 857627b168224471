/**
 * farm's one-port reverse proxy: {@link dev.farm.proxy.RouteTable} and {@link dev.farm.proxy.Route} decide which
 * target serves a path. This is the API sketch; the Netty proxy server and the upstream state that holds requests while
 * a target restarts come with the farm-proxy issue (see the module README).
 */
@NullMarked
package dev.farm.proxy;

import org.jspecify.annotations.NullMarked;
