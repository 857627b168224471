package dev.farm.testkit.kits;

import dev.farm.proxy.Route;
import dev.farm.proxy.RouteTable;
import java.util.List;

/** farm's default route table, from {@link RouteTable#of(List)}, against its kit. */
class DefaultRouteTableCompatibilityTest extends RouteTableCompatibilityKit {

    @Override
    protected RouteTable table(List<Route> routes) {
        return RouteTable.of(routes);
    }
}
