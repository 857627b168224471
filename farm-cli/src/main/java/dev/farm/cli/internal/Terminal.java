package dev.farm.cli.internal;

import java.lang.reflect.Method;
import java.util.Map;

/** Decides whether farm's output gets colour. */
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
