package dev.farm.cli.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.farm.cli.internal.control.ControlClient;
import dev.farm.process.LogLine;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code farm logs}: the services' recent output from the running farm, and with {@code -f} what follows. */
@Command(
        name = "logs",
        mixinStandardHelpOptions = true,
        description = "Print the recent output of the running farm's services (all, or those named), merged in time"
                + " order and prefixed with each service's name; -f keeps printing new lines until Ctrl-C.",
        footer = {
            "",
            "Older output is in .farm/logs/<service>.log. Exit code 1 when no farm is running for this project."
        })
public final class LogsCommand implements Callable<Integer> {

    /** Made on first use: picocli creates every command object at start, and farm ps must not pay for this. */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper();
    }

    @Spec
    @Nullable
    CommandSpec spec;

    @Option(names = "--follow", description = "Keep printing new lines as the services write them (also: -f).")
    boolean follow;

    @Option(
            names = {"-n", "--lines"},
            paramLabel = "N",
            description =
                    "How many of the most recent lines of each service to print first (default: ${DEFAULT-VALUE}).",
            defaultValue = "100")
    int lines;

    @Option(
            names = "--since",
            paramLabel = "D",
            description = "Only lines from the last D (such as 30s, 10m, 1h30m, 2d) or since an instant"
                    + " (2026-12-01T10:00:00Z).",
            converter = SinceConverter.class)
    @Nullable
    Instant since;

    @Parameters(paramLabel = "SERVICE", description = "The services whose output to print (default: all).")
    List<String> services = new ArrayList<>();

    @Override
    public Integer call() {
        CommandLine commandLine = Objects.requireNonNull(spec).commandLine();
        if (lines < 0) {
            throw new CommandLine.ParameterException(commandLine, "-n: " + lines + " (expected: 0 or more lines)");
        }
        ControlClient client = ClientCommands.connect(spec);
        List<String> names =
                ClientCommands.requireKnown(spec, client.get("/v1/services"), services, service -> true, "service");
        PrintWriter out = commandLine.getOut();
        TerminalOutput printer = new TerminalOutput(out, ClientCommands.color(spec), names, Map.of());
        StringBuilder query = new StringBuilder("/v1/logs?n=").append(lines);
        for (String service : services) {
            query.append("&service=").append(URLEncoder.encode(service, StandardCharsets.UTF_8));
        }
        if (since != null) {
            query.append("&since=").append(since);
        }
        if (follow) {
            query.append("&follow=true");
        }
        client.stream(query.toString(), text -> {
            if (!text.isEmpty()) { // empty lines keep the connection alive
                print(printer, text);
            }
            return true;
        });
        out.flush();
        return 0;
    }

    private static void print(TerminalOutput printer, String json) {
        JsonNode line;
        try {
            line = Json.MAPPER.readTree(json);
        } catch (IOException e) {
            printer.farm("unreadable line from the control API: " + json);
            return;
        }
        String stream = line.path("stream").asText();
        String text = line.path("text").asText();
        if (!stream.equals("stdout") && !stream.equals("stderr")) {
            printer.farm(text);
            return;
        }
        printer.accept(new LogLine(
                line.path("service").asText(),
                LogLine.Stream.valueOf(stream.toUpperCase(Locale.ROOT)),
                text,
                Instant.parse(line.path("time").asText())));
    }

    /** {@code --since}: a duration back from now, or an instant. */
    static final class SinceConverter implements CommandLine.ITypeConverter<Instant> {
        private static final Pattern WHOLE = Pattern.compile("(?:\\d+(?:ms|s|m|h|d))+");
        private static final Pattern PART = Pattern.compile("(\\d+)(ms|s|m|h|d)");

        @Override
        public Instant convert(String value) {
            String text = value.trim();
            if (WHOLE.matcher(text).matches()) {
                Duration back = Duration.ZERO;
                Matcher part = PART.matcher(text);
                while (part.find()) {
                    long amount = Long.parseLong(part.group(1));
                    back = switch (part.group(2)) {
                        case "ms" -> back.plusMillis(amount);
                        case "s" -> back.plusSeconds(amount);
                        case "m" -> back.plusMinutes(amount);
                        case "h" -> back.plusHours(amount);
                        default -> back.plusDays(amount);
                    };
                }
                return Instant.now().minus(back);
            }
            try {
                return Instant.parse(text);
            } catch (DateTimeParseException e) {
                throw new CommandLine.TypeConversionException(
                        "'" + value + "' (expected a duration such as 30s, 10m, 1h30m, 2d, or an instant such as"
                                + " 2026-12-01T10:00:00Z)");
            }
        }
    }
}
