package dev.farm.cli.internal;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Decides what farm's output may do: colour ({@link #color}), and redrawing a live status line ({@link #interactive}).
 * The two are separate: {@code FORCE_COLOR} on a pipe asks for colour, never for cursor movement, and {@code NO_COLOR}
 * on a terminal turns colour off but keeps the live line.
 */
public final class Terminal {

    private Terminal() {}

    /**
     * Colour when standard output is a terminal, unless {@code --no-color} or {@code NO_COLOR} says otherwise;
     * {@code FORCE_COLOR} (other than {@code 0}) turns it on anywhere.
     *
     * @param noColorFlag whether {@code --no-color} was given
     * @param env the environment
     * @return whether to print colour
     */
    public static boolean color(boolean noColorFlag, Map<String, String> env) {
        if (noColorFlag || !env.getOrDefault("NO_COLOR", "").isEmpty()) {
            return false;
        }
        String force = env.getOrDefault("FORCE_COLOR", "");
        if (!force.isEmpty()) {
            return !force.equals("0") && !force.equalsIgnoreCase("false");
        }
        return isTerminal() && !"dumb".equals(env.get("TERM"));
    }

    /**
     * Whether farm may redraw a live status line: standard output is a terminal that understands {@code \r} and
     * erase-line ({@code TERM} is not {@code dumb}). Colour settings do not matter here.
     *
     * @param env the environment
     * @return whether to draw the live line
     */
    public static boolean interactive(Map<String, String> env) {
        return isTerminal() && !"dumb".equals(env.get("TERM"));
    }

    /**
     * The terminal's width, so a live line never wraps (a wrapped line cannot be erased in place): {@code COLUMNS}
     * when set, else what {@code stty size} reports for {@code /dev/tty}, else 80. Asked once, at start; a terminal
     * resized later keeps the first width.
     *
     * @param env the environment
     * @return the width in columns, at least 20
     */
    public static int columns(Map<String, String> env) {
        String columns = env.getOrDefault("COLUMNS", "");
        if (columns.matches("[0-9]{1,4}")) {
            return Math.max(20, Integer.parseInt(columns));
        }
        java.io.File tty = new java.io.File("/dev/tty");
        if (tty.exists()) {
            try {
                Process stty = new ProcessBuilder("stty", "size")
                        .redirectInput(tty)
                        .redirectError(ProcessBuilder.Redirect.DISCARD)
                        .start();
                String size = new String(stty.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
                if (stty.waitFor(2, TimeUnit.SECONDS) && stty.exitValue() == 0 && size.matches("[0-9]+ [0-9]{1,4}")) {
                    int width = Integer.parseInt(size.substring(size.indexOf(' ') + 1));
                    return width == 0 ? 80 : Math.max(20, width); // 0: a pseudo-terminal nobody sized
                }
            } catch (IOException e) {
                return 80; // no stty (Windows): the usual width
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return 80;
    }

    /** Before JDK 22 a console exists only on a terminal; from 22 on, {@code Console.isTerminal()} tells. */
    @SuppressWarnings("SystemConsoleNull") // handled: isTerminal() is asked for where it exists
    private static boolean isTerminal() {
        java.io.Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            Method isTerminal = java.io.Console.class.getMethod("isTerminal");
            return (Boolean) isTerminal.invoke(console);
        } catch (ReflectiveOperationException e) {
            return true; // JDK 17-21: a console means a terminal
        }
    }
}
