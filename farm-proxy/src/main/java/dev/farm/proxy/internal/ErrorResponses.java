package dev.farm.proxy.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * The proxy's own answers: JSON {@code {"error":…,"service":…,"reason":…}} for programs, a small page for a browser
 * (one that asks for {@code text/html}), which reloads itself for 502 and 503 so a restart ends in the real page.
 */
final class ErrorResponses {

    private ErrorResponses() {}

    static FullHttpResponse create(
            ByteBufAllocator alloc,
            HttpResponseStatus status,
            String error,
            @Nullable String service,
            String reason,
            boolean html,
            boolean head,
            boolean keepAlive) {
        String body = html ? html(status, service, reason) : json(error, service, reason);
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ByteBuf content = head ? alloc.buffer(0) : alloc.buffer(bytes.length).writeBytes(bytes);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, content);
        response.headers()
                .set(
                        HttpHeaderNames.CONTENT_TYPE,
                        html ? "text/html; charset=utf-8" : "application/json; charset=utf-8")
                .set(HttpHeaderNames.CONTENT_LENGTH, bytes.length)
                .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE)
                .set("x-farm-proxy-error", error);
        if (status.code() == 503) {
            response.headers().set(HttpHeaderNames.RETRY_AFTER, "1");
        }
        if (!keepAlive) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        return response;
    }

    static String json(String error, @Nullable String service, String reason) {
        StringBuilder json = new StringBuilder(96 + reason.length()).append("{\"error\":");
        quote(json, error);
        json.append(",\"service\":");
        if (service == null) {
            json.append("null");
        } else {
            quote(json, service);
        }
        json.append(",\"reason\":");
        quote(json, reason);
        return json.append("}\n").toString();
    }

    private static String html(HttpResponseStatus status, @Nullable String service, String reason) {
        String title = status.code() + " " + status.reasonPhrase() + (service == null ? "" : " · " + service);
        boolean retry = status.code() == 502 || status.code() == 503;
        return "<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>" + escape(title) + "</title>"
                + (retry ? "<meta http-equiv=\"refresh\" content=\"2\">" : "")
                + "<style>body{font:16px/1.5 system-ui,sans-serif;margin:3em auto;max-width:40em;padding:0 1em;"
                + "color:#222}code{background:#f3f3f3;padding:0 .3em}</style></head><body><h1>" + escape(title)
                + "</h1><p>" + escape(reason) + "</p>"
                + (retry ? "<p>This page reloads itself every 2 seconds.</p>" : "")
                + "<p><small>farm proxy</small></p></body></html>\n";
    }

    private static void quote(StringBuilder out, String value) {
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    private static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
