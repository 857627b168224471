package dev.farm.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;

/**
 * A terminal's screen as {@code tmux capture-pane -p -e} prints it (text with ANSI colour codes) turned into HTML,
 * then into a PNG by the browser: what a person running {@code farm dev} sees.
 */
final class TerminalPicture {

    /** The xterm palette: 0-7 normal, 8-15 bright. */
    private static final String[] PALETTE = {
        "#1e1e1e", "#cd3131", "#0dbc79", "#e5e510", "#2472c8", "#bc3fbc", "#11a8cd", "#e5e5e5",
        "#666666", "#f14c4c", "#23d18b", "#f5f543", "#3b8eea", "#d670d6", "#29b8db", "#ffffff"
    };

    private static final String FOREGROUND = "#d4d4d4";
    private static final String BACKGROUND = "#1e1e1e";

    private TerminalPicture() {}

    /** Renders the captured screen to {@code png} through the browser. */
    static void render(String ansi, String title, Browser browser, Path png) throws IOException {
        Path html = png.resolveSibling(png.getFileName().toString().replaceAll("\\.png$", ".html"));
        Files.createDirectories(png.getParent());
        Files.writeString(html, html(ansi, title));
        browser.driver.manage().window().setSize(new Dimension(1400, 1100)); // 45 rows of 160 columns fit
        browser.open(html.toUri().toString());
        byte[] picture = browser.find("#terminal").getScreenshotAs(OutputType.BYTES);
        Files.write(png, picture);
    }

    /** The page: a window frame with a title bar and the screen's lines, coloured. */
    static String html(String ansi, String title) {
        List<String> lines = new ArrayList<>(ansi.lines().toList());
        while (!lines.isEmpty() && lines.get(lines.size() - 1).isBlank()) {
            lines.remove(lines.size() - 1);
        }
        StringBuilder body = new StringBuilder();
        for (String line : lines) {
            body.append(line(line)).append('\n');
        }
        return """
                <!doctype html>
                <html><head><meta charset="utf-8"><style>
                body { margin: 0; background: #f6f7f2; }
                #terminal { display: inline-block; margin: 16px; border-radius: 8px; overflow: hidden;
                  box-shadow: 0 2px 10px rgba(0,0,0,.35); }
                .bar { background: #3c3c3c; color: #cccccc; font: 13px sans-serif; padding: 6px 12px; }
                .bar span { display: inline-block; width: 11px; height: 11px; border-radius: 50%%; margin-right: 6px; }
                pre { margin: 0; padding: 10px 14px; background: %s; color: %s;
                  font: 13px/1.35 'DejaVu Sans Mono', monospace; white-space: pre; }
                b { font-weight: bold; }
                </style></head><body><div id="terminal"><div class="bar"><span style="background:#ff5f56"></span>\
                <span style="background:#ffbd2e"></span><span style="background:#27c93f"></span>%s</div><pre>%s</pre>\
                </div></body></html>
                """.formatted(BACKGROUND, FOREGROUND, escape(title), body);
    }

    /** One line: SGR sequences become spans; other escape sequences are dropped. */
    static String line(String line) {
        StringBuilder out = new StringBuilder();
        Style style = new Style();
        boolean open = false;
        int i = 0;
        while (i < line.length()) {
            char c = line.charAt(i);
            if (c == '\u001b' && i + 1 < line.length() && line.charAt(i + 1) == '[') {
                int end = i + 2;
                while (end < line.length() && (line.charAt(end) < '@' || line.charAt(end) > '~')) {
                    end++;
                }
                if (end < line.length() && line.charAt(end) == 'm') {
                    style.apply(line.substring(i + 2, end));
                    if (open) {
                        out.append("</span>");
                        open = false;
                    }
                    String css = style.css();
                    if (!css.isEmpty()) {
                        out.append("<span style=\"").append(css).append("\">");
                        open = true;
                    }
                }
                i = end + 1;
                continue;
            }
            out.append(escape(String.valueOf(c)));
            i++;
        }
        if (open) {
            out.append("</span>");
        }
        return out.toString();
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    /** The SGR state: colours, bold, dim. */
    private static final class Style {
        private String foreground = "";
        private String background = "";
        private boolean bold;
        private boolean dim;

        void apply(String parameters) {
            String[] codes = parameters.isEmpty() ? new String[] {"0"} : parameters.split("[;:]", -1);
            for (int k = 0; k < codes.length; k++) {
                int code = codes[k].isEmpty() ? 0 : Integer.parseInt(codes[k]);
                if (code == 0) {
                    foreground = "";
                    background = "";
                    bold = false;
                    dim = false;
                } else if (code == 1) {
                    bold = true;
                } else if (code == 2) {
                    dim = true;
                } else if (code == 22) {
                    bold = false;
                    dim = false;
                } else if (code >= 30 && code <= 37) {
                    foreground = PALETTE[code - 30];
                } else if (code >= 90 && code <= 97) {
                    foreground = PALETTE[code - 90 + 8];
                } else if (code == 39) {
                    foreground = "";
                } else if (code >= 40 && code <= 47) {
                    background = PALETTE[code - 40];
                } else if (code >= 100 && code <= 107) {
                    background = PALETTE[code - 100 + 8];
                } else if (code == 49) {
                    background = "";
                } else if ((code == 38 || code == 48) && k + 1 < codes.length) {
                    String color = "";
                    if (codes[k + 1].equals("5") && k + 2 < codes.length) {
                        color = color256(Integer.parseInt(codes[k + 2]));
                        k += 2;
                    } else if (codes[k + 1].equals("2") && k + 4 < codes.length) {
                        color = String.format(
                                "#%02x%02x%02x",
                                Integer.parseInt(codes[k + 2]),
                                Integer.parseInt(codes[k + 3]),
                                Integer.parseInt(codes[k + 4]));
                        k += 4;
                    }
                    if (code == 38) {
                        foreground = color;
                    } else {
                        background = color;
                    }
                }
            }
        }

        String css() {
            StringBuilder css = new StringBuilder();
            if (!foreground.isEmpty()) {
                css.append("color:").append(foreground).append(';');
            }
            if (!background.isEmpty()) {
                css.append("background:").append(background).append(';');
            }
            if (bold) {
                css.append("font-weight:bold;");
            }
            if (dim) {
                css.append("opacity:.65;");
            }
            return css.toString();
        }

        private static String color256(int n) {
            if (n < 16) {
                return PALETTE[n];
            }
            if (n >= 232) {
                int gray = 8 + (n - 232) * 10;
                return String.format("#%02x%02x%02x", gray, gray, gray);
            }
            int index = n - 16;
            int[] steps = {0, 95, 135, 175, 215, 255};
            return String.format("#%02x%02x%02x", steps[index / 36], steps[(index / 6) % 6], steps[index % 6]);
        }
    }
}
