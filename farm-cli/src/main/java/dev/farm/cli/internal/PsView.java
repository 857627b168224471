package dev.farm.cli.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

/** How {@code farm ps} and {@code farm domains list} show the services: a table for people, JSON for programs. */
public final class PsView {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String RESET = "\u001b[0m";
    private static final String DIM = "\u001b[2m";

    /**
     * The columns of {@code farm ps}. {@code farm domains list} adds {@code HEARTBEAT}: how long ago the service's
     * process last posted a heartbeat.
     */
    public static final List<String> COLUMNS =
            List.of("NAME", "GROUP", "STATE", "PID", "PORT", "UPTIME", "RESTARTS", "CPU", "RSS", "LAST EXIT");

    private PsView() {}

    /**
     * Renders {@code GET /v1/services} as JSON, indented, with a line break at the end.
     *
     * @param services the API's answer
     * @return the text
     */
    public static String json(JsonNode services) {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(services) + System.lineSeparator();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Renders the services of {@code GET /v1/services} as a table.
     *
     * @param services the API's answer
     * @param columns which columns, from {@link #COLUMNS} and {@code HEARTBEAT}
     * @param filter which services
     * @param color whether to colour the states
     * @return the table, one line per service after the header
     */
    public static String table(JsonNode services, List<String> columns, Predicate<JsonNode> filter, boolean color) {
        List<List<String>> rows = new ArrayList<>();
        List<String> states = new ArrayList<>();
        rows.add(columns);
        states.add("");
        for (JsonNode service : services.path("services")) {
            if (!filter.test(service)) {
                continue;
            }
            List<String> row = new ArrayList<>();
            for (String column : columns) {
                row.add(cell(service, column));
            }
            rows.add(row);
            states.add(service.path("state").asText());
        }
        int[] widths = new int[columns.size()];
        for (List<String> row : rows) {
            for (int i = 0; i < row.size(); i++) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        StringBuilder text = new StringBuilder();
        for (int r = 0; r < rows.size(); r++) {
            List<String> row = rows.get(r);
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.size(); i++) {
                String value = row.get(i);
                boolean last = i == row.size() - 1;
                String padded = last ? value : value + " ".repeat(widths[i] - value.length() + 2);
                if (color && r == 0) {
                    line.append(DIM).append(padded).append(RESET);
                } else if (color && columns.get(i).equals("STATE")) {
                    line.append(stateColor(states.get(r))).append(padded).append(RESET);
                } else {
                    line.append(padded);
                }
            }
            text.append(line.toString().stripTrailing()).append(System.lineSeparator());
        }
        return text.toString();
    }

    private static String cell(JsonNode service, String column) {
        return switch (column) {
            case "NAME" -> service.path("name").asText();
            case "GROUP" -> text(service, "group");
            case "STATE" -> service.path("state").asText();
            case "PID" -> text(service, "pid");
            case "PORT" -> text(service, "port");
            case "UPTIME" ->
                service.path("uptime_ms").isNumber()
                        ? uptime(service.get("uptime_ms").asLong())
                        : "-";
            case "HEARTBEAT" ->
                service.path("heartbeat_age_ms").isNumber()
                        ? age(service.get("heartbeat_age_ms").asLong())
                        : "-";
            case "RESTARTS" -> service.path("restarts").asText("0");
            case "CPU" ->
                service.path("cpu_percent").isNumber()
                        ? String.format(
                                Locale.ROOT,
                                "%.1f%%",
                                service.get("cpu_percent").asDouble())
                        : "-";
            case "RSS" ->
                service.path("rss_bytes").isNumber()
                        ? bytes(service.get("rss_bytes").asLong())
                        : "-";
            case "LAST EXIT" -> text(service, "last_exit");
            default -> throw new IllegalArgumentException("column: " + column);
        };
    }

    private static String text(JsonNode service, String field) {
        JsonNode value = service.path(field);
        return value.isMissingNode() || value.isNull() ? "-" : value.asText();
    }

    /**
     * Formats an uptime the way {@code ps} readers expect: {@code 42s}, {@code 3m07s}, {@code 2h05m}, {@code 3d04h}.
     *
     * @param millis the uptime in milliseconds
     * @return the text
     */
    static String uptime(long millis) {
        long seconds = millis / 1000;
        if (seconds < 60) {
            return seconds + "s";
        }
        long minutes = seconds / 60;
        if (minutes < 60) {
            return String.format(Locale.ROOT, "%dm%02ds", minutes, seconds % 60);
        }
        long hours = minutes / 60;
        if (hours < 24) {
            return String.format(Locale.ROOT, "%dh%02dm", hours, minutes % 60);
        }
        return String.format(Locale.ROOT, "%dd%02dh", hours / 24, hours % 24);
    }

    /**
     * Formats how long ago something happened, to the tenth of a second under a minute: {@code 0.4s ago}, {@code
     * 12.0s ago}, {@code 3m07s ago}.
     *
     * @param millis the age in milliseconds
     * @return the text
     */
    static String age(long millis) {
        if (millis < 60_000) {
            return String.format(Locale.ROOT, "%.1fs ago", millis / 1000.0);
        }
        return uptime(millis) + " ago";
    }

    /**
     * Formats a size in bytes: {@code 812 KiB}, {@code 45.3 MiB}, {@code 1.2 GiB}.
     *
     * @param bytes the size
     * @return the text
     */
    static String bytes(long bytes) {
        if (bytes < 1024 * 1024) {
            return (bytes / 1024) + " KiB";
        }
        if (bytes < 1024L * 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024));
        }
        return String.format(Locale.ROOT, "%.1f GiB", bytes / (1024.0 * 1024 * 1024));
    }

    private static String stateColor(String state) {
        return switch (state) {
            case "ready" -> "\u001b[32m";
            case "starting", "restarting", "stopping", "pending" -> "\u001b[33m";
            case "failed", "exited" -> "\u001b[31m";
            default -> DIM;
        };
    }
}
