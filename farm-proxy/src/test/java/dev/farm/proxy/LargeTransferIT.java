package dev.farm.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.farm.proxy.testing.ProxyMain;
import dev.farm.proxy.testing.RawClient;
import dev.farm.proxy.testing.RawServer;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * 1 GiB each way through a proxy whose JVM may use 64 MiB of heap and 64 MiB of direct memory: it can only pass if
 * the proxy streams with backpressure and buffers nothing. The child runs Netty's leak detector at PARANOID.
 */
class LargeTransferIT {

    private static final long GIB = 1L << 30;
    private static final byte[] BLOCK = new byte[64 * 1024];

    static {
        new Random(42).nextBytes(BLOCK);
    }

    private static RawServer upstream;
    private static Process child;
    private static BufferedReader childOut;
    private static int proxyPort;

    @BeforeAll
    static void start() throws Exception {
        upstream = new RawServer((socket, n) -> {
            InputStream in = socket.getInputStream();
            while (true) {
                String head = readHead(in);
                if (head.startsWith("GET /download")) {
                    OutputStream out = socket.getOutputStream();
                    out.write(("HTTP/1.1 200 OK\r\nContent-Length: " + GIB + "\r\n\r\n")
                            .getBytes(StandardCharsets.ISO_8859_1));
                    for (long sent = 0; sent < GIB; sent += BLOCK.length) {
                        out.write(BLOCK);
                    }
                    out.flush();
                } else {
                    long length = Long.parseLong(header(head, "content-length"));
                    CRC32 crc = new CRC32();
                    byte[] buffer = new byte[64 * 1024];
                    long got = 0;
                    while (got < length) {
                        int r = in.read(buffer, 0, (int) Math.min(buffer.length, length - got));
                        if (r < 0) {
                            return;
                        }
                        crc.update(buffer, 0, r);
                        got += r;
                    }
                    String body = got + " " + crc.getValue();
                    RawServer.write(socket, "HTTP/1.1 200 OK\r\nContent-Length: " + body.length() + "\r\n\r\n" + body);
                }
            }
        });
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        child = new ProcessBuilder(
                        java,
                        "-Xmx64m",
                        "-XX:MaxDirectMemorySize=64m",
                        "-Dio.netty.leakDetection.level=paranoid",
                        "-cp",
                        System.getProperty("java.class.path"),
                        ProxyMain.class.getName(),
                        upstream.url())
                .redirectErrorStream(true)
                .start();
        childOut = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        String ready = childOut.readLine();
        while (ready != null && !ready.startsWith("ready ")) {
            ready = childOut.readLine(); // JDK 24+ warns that Netty loads its native transport
        }
        assertThat(ready).startsWith("ready ");
        proxyPort = Integer.parseInt(ready.substring(6).trim());
    }

    @AfterAll
    static void stop() throws Exception {
        child.getOutputStream().close();
        StringBuilder rest = new StringBuilder();
        for (String line = childOut.readLine(); line != null; line = childOut.readLine()) {
            rest.append(line).append('\n');
        }
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        upstream.close();
        // the child's output after "ready": only the peak line, no LEAK report, no OutOfMemoryError
        assertThat(rest.toString())
                .doesNotContain("LEAK")
                .doesNotContain("OutOfMemory")
                .contains("peak-heap ");
        long peak =
                Long.parseLong(rest.substring(rest.indexOf("peak-heap ") + 10).trim());
        System.out.println("LargeTransferIT: proxy JVM peak heap " + peak / (1024 * 1024) + " MiB");
        assertThat(peak).as("peak heap of the proxy JVM").isLessThan(64L * 1024 * 1024);
        assertThat(child.exitValue()).isZero();
    }

    @Test
    void aGibibyteDownloadStreamsThrough() throws Exception {
        try (RawClient client = new RawClient(proxyPort)) {
            client.send("GET /download HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(client.line()).isEqualTo("HTTP/1.1 200 OK");
            String length = null;
            for (String line = client.line(); !line.isEmpty(); line = client.line()) {
                if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                    length = line.substring(15).trim();
                }
            }
            assertThat(length).isEqualTo(Long.toString(GIB));
            CRC32 crc = new CRC32();
            byte[] buffer = new byte[256 * 1024];
            long got = 0;
            InputStream in = client.in();
            while (got < GIB) {
                int r = in.read(buffer, 0, (int) Math.min(buffer.length, GIB - got));
                assertThat(r).isPositive();
                crc.update(buffer, 0, r);
                got += r;
            }
            assertThat(crc.getValue()).isEqualTo(expectedCrc());
        }
    }

    @Test
    void aGibibyteUploadStreamsThrough() throws Exception {
        try (RawClient client = new RawClient(proxyPort)) {
            client.send("POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: " + GIB + "\r\n\r\n");
            OutputStream out = client.socket().getOutputStream();
            for (long sent = 0; sent < GIB; sent += BLOCK.length) {
                out.write(BLOCK);
            }
            out.flush();
            RawClient.Response response = client.read(false);

            assertThat(response.status()).isEqualTo(200);
            assertThat(response.text()).isEqualTo(GIB + " " + expectedCrc());
        }
    }

    private static long expectedCrc() {
        CRC32 crc = new CRC32();
        for (long sent = 0; sent < GIB; sent += BLOCK.length) {
            crc.update(BLOCK);
        }
        return crc.getValue();
    }

    private static String readHead(InputStream in) throws java.io.IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new java.io.EOFException();
            }
            head.append((char) b);
        }
        return head.toString();
    }

    private static String header(String head, String name) {
        for (String line : head.split("\r\n")) {
            if (line.toLowerCase(java.util.Locale.ROOT).startsWith(name + ":")) {
                return line.substring(name.length() + 1).trim();
            }
        }
        throw new IllegalArgumentException("no " + name + " in " + head);
    }
}
