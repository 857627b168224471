package dev.farm.config.internal;

import dev.farm.config.internal.Node.Entry;
import dev.farm.config.internal.Node.MapNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Profiles: {@code profiles.NAME} merged over the file when that profile is active. */
final class Profiles {

    static final List<String> KEYS = List.of("env", "services", "proxy");

    private Profiles() {}

    /** Returns the names of the declared profiles. */
    static List<String> names(MapNode top) {
        List<String> names = new ArrayList<>();
        top.entry("profiles")
                .map(Entry::value)
                .filter(MapNode.class::isInstance)
                .map(MapNode.class::cast)
                .ifPresent(p -> p.entries().forEach(e -> names.add(e.key())));
        return names;
    }

    /**
     * Checks every profile's shape and merges the active one over the file. A profile that names a service the
     * file does not have is reported: profiles change services, they do not add them.
     */
    static MapNode apply(MapNode top, String active, Problems problems, ConfigBinder keys) {
        Optional<Entry> profilesEntry = top.entry("profiles");
        if (profilesEntry.isEmpty()) {
            return top;
        }
        if (!(profilesEntry.get().value() instanceof MapNode profiles)) {
            problems.add(
                    profilesEntry.get().value().mark(),
                    "profiles",
                    "expected a mapping of profile names to"
                            + " overrides, such as { serve: { services: { api: { command: ... } } } }, found "
                            + profilesEntry.get().value().describe() + ".");
            return top;
        }
        List<String> services = new ArrayList<>();
        top.entry("services")
                .map(Entry::value)
                .filter(MapNode.class::isInstance)
                .map(MapNode.class::cast)
                .ifPresent(s -> s.entries().forEach(e -> services.add(e.key())));
        MapNode merged = top;
        for (Entry profile : profiles.entries()) {
            String path = "profiles." + profile.key();
            if (!(profile.value() instanceof MapNode overrides)) {
                problems.add(
                        profile.value().mark(),
                        path,
                        "expected a mapping with env, services or proxy, found "
                                + profile.value().describe() + ".");
                continue;
            }
            keys.rejectUnknownKeys(overrides, path, KEYS);
            boolean valid = true;
            for (String key : KEYS) {
                Optional<Entry> part = overrides.entry(key);
                if (part.isPresent() && !(part.get().value() instanceof MapNode)) {
                    problems.add(
                            part.get().value().mark(),
                            path + "." + key,
                            "expected a mapping of keys to" + " override, found "
                                    + part.get().value().describe() + ".");
                    valid = false;
                }
            }
            Optional<MapNode> serviceOverrides = overrides
                    .entry("services")
                    .map(Entry::value)
                    .filter(MapNode.class::isInstance)
                    .map(MapNode.class::cast);
            if (serviceOverrides.isPresent()) {
                for (Entry service : serviceOverrides.get().entries()) {
                    if (!services.contains(service.key())) {
                        problems.add(
                                service.keyMark(),
                                path + ".services." + service.key(),
                                "no service named '"
                                        + service.key() + "'" + Suggestions.didYouMean(service.key(), services)
                                        + ". A profile changes the services the file declares; declare it under 'services'.");
                        valid = false;
                    } else if (!(service.value() instanceof MapNode)) {
                        problems.add(
                                service.value().mark(),
                                path + ".services." + service.key(),
                                "expected a" + " mapping of the keys to override, found "
                                        + service.value().describe() + ".");
                        valid = false;
                    }
                }
            }
            if (profile.key().equals(active) && valid) {
                MapNode overlay = Trees.without(overrides, "profiles");
                overlay = new MapNode(
                        overlay.mark(),
                        overlay.entries().stream()
                                .filter(e -> KEYS.contains(e.key()))
                                .toList());
                merged = replaceProbes(Trees.merge(merged, overlay), serviceOverrides);
            }
        }
        return merged;
    }

    /**
     * A profile's probe that names its own check replaces the file's probe whole: merging key by key would leave both
     * checks, and a probe makes one.
     */
    private static MapNode replaceProbes(MapNode top, Optional<MapNode> serviceOverrides) {
        if (serviceOverrides.isEmpty()) {
            return top;
        }
        Optional<MapNode> services = top.entry("services")
                .map(Entry::value)
                .filter(MapNode.class::isInstance)
                .map(MapNode.class::cast);
        if (services.isEmpty()) {
            return top;
        }
        MapNode result = services.get();
        for (Entry override : serviceOverrides.get().entries()) {
            if (!(override.value() instanceof MapNode overrideMap)) {
                continue;
            }
            for (String probe : List.of("ready", "alive")) {
                Optional<Node> given = overrideMap.entry(probe).map(Entry::value);
                boolean namesCheck = given.filter(MapNode.class::isInstance)
                        .map(MapNode.class::cast)
                        .map(m -> m.entries().stream().anyMatch(e -> ConfigBinder.CHECKS.contains(e.key())))
                        .orElse(false);
                Optional<MapNode> service = result.entry(override.key())
                        .map(Entry::value)
                        .filter(MapNode.class::isInstance)
                        .map(MapNode.class::cast);
                if (namesCheck && service.isPresent()) {
                    result = Trees.with(result, override.key(), Trees.with(service.get(), probe, given.get()));
                }
            }
        }
        return Trees.with(top, "services", result);
    }
}
