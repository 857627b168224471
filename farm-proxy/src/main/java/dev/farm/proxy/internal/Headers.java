package dev.farm.proxy.internal;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.util.AsciiString;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Header rules of a forwarding proxy: hop-by-hop stripping (RFC 9110 §7.6.1) and the forwarded headers (RFC 7239). */
final class Headers {

    static final AsciiString X_FORWARDED_FOR = AsciiString.cached("x-forwarded-for");
    static final AsciiString X_FORWARDED_PROTO = AsciiString.cached("x-forwarded-proto");
    static final AsciiString X_FORWARDED_HOST = AsciiString.cached("x-forwarded-host");
    static final AsciiString X_FORWARDED_PORT = AsciiString.cached("x-forwarded-port");
    static final AsciiString FORWARDED = AsciiString.cached("forwarded");
    private static final AsciiString PROXY_CONNECTION = AsciiString.cached("proxy-connection");
    private static final AsciiString KEEP_ALIVE = AsciiString.cached("keep-alive");

    /** Always connection-specific, whether or not {@code Connection} names them. */
    private static final List<AsciiString> HOP_BY_HOP = List.of(
            HttpHeaderNames.CONNECTION,
            KEEP_ALIVE,
            PROXY_CONNECTION,
            HttpHeaderNames.TE,
            HttpHeaderNames.TRANSFER_ENCODING,
            HttpHeaderNames.UPGRADE,
            HttpHeaderNames.PROXY_AUTHENTICATE,
            HttpHeaderNames.PROXY_AUTHORIZATION);

    private Headers() {}

    /**
     * Removes the hop-by-hop headers of a message and every header its {@code Connection} names, keeping the message's
     * chunked framing (the codecs re-chunk it on the other leg). Returns the {@code Upgrade} value, if any.
     */
    static @Nullable String stripHopByHop(HttpMessage message) {
        HttpHeaders headers = message.headers();
        boolean chunked = HttpUtil.isTransferEncodingChunked(message);
        String upgrade = headers.get(HttpHeaderNames.UPGRADE);
        List<String> connection = headers.getAll(HttpHeaderNames.CONNECTION);
        for (String value : connection) {
            int start = 0;
            while (start <= value.length()) {
                int comma = value.indexOf(',', start);
                int end = comma < 0 ? value.length() : comma;
                String name = value.substring(start, end).trim();
                if (!name.isEmpty() && !name.equalsIgnoreCase("close") && !name.equalsIgnoreCase("keep-alive")) {
                    headers.remove(name);
                }
                start = end + 1;
            }
        }
        for (AsciiString name : HOP_BY_HOP) {
            headers.remove(name);
        }
        if (chunked) {
            headers.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        }
        return upgrade;
    }

    /** Whether a request asks to switch protocols: {@code Connection: upgrade} and an {@code Upgrade} header. */
    static boolean isUpgrade(HttpHeaders headers) {
        return headers.contains(HttpHeaderNames.UPGRADE)
                && headers.containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE, true);
    }

    /**
     * Adds {@code X-Forwarded-For} (appended), {@code X-Forwarded-Proto}, {@code -Host} and {@code -Port} (kept when a
     * proxy before us set them) and {@code Forwarded} (appended).
     */
    static void addForwarded(HttpHeaders headers, InetSocketAddress client, int proxyPort) {
        String ip = client.getAddress() != null ? client.getAddress().getHostAddress() : client.getHostString();
        int zone = ip.indexOf('%');
        if (zone >= 0) {
            ip = ip.substring(0, zone);
        }
        String host = headers.get(HttpHeaderNames.HOST);
        String forwardedFor = headers.get(X_FORWARDED_FOR);
        headers.set(X_FORWARDED_FOR, forwardedFor == null ? ip : forwardedFor + ", " + ip);
        if (!headers.contains(X_FORWARDED_PROTO)) {
            headers.set(X_FORWARDED_PROTO, "http");
        }
        if (host != null && !headers.contains(X_FORWARDED_HOST)) {
            headers.set(X_FORWARDED_HOST, host);
        }
        if (!headers.contains(X_FORWARDED_PORT)) {
            headers.set(X_FORWARDED_PORT, Integer.toString(proxyPort));
        }
        boolean v6 = client.getAddress() instanceof Inet6Address;
        StringBuilder element = new StringBuilder(64).append("for=");
        if (v6) {
            element.append("\"[").append(ip).append("]\"");
        } else {
            element.append(ip);
        }
        if (host != null) {
            element.append(";host=\"")
                    .append(host.replace("\\", "\\\\").replace("\"", "\\\""))
                    .append('"');
        }
        element.append(";proto=http");
        String forwarded = headers.get(FORWARDED);
        headers.set(FORWARDED, forwarded == null ? element.toString() : forwarded + ", " + element);
    }
}
