package dev.farm.codegen;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Codegen#run} on real files, a real HTTP server on 127.0.0.1 and real child processes: unchanged output keeps
 * its bytes, mtime and inode, and every bad input leaves the last good output byte-identical with a diagnostic.
 */
@Timeout(120)
class CodegenIT {

    static final Path CORPUS = Path.of("src/test/resources/openapi-corpus").toAbsolutePath();
    static final String GOOD = read(CORPUS.resolve("oai-petstore-expanded.yaml"));

    @TempDir
    Path dir;

    private HttpServer server;
    private final AtomicReference<Answer> answer = new AtomicReference<>();
    private final CountDownLatch release = new CountDownLatch(1);
    private ExecutorService httpThreads;

    record Answer(int status, String contentType, String body) {}

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        httpThreads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "farm-codegen-test-http");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(httpThreads);
        server.createContext("/openapi.json", exchange -> {
            Answer a = Objects.requireNonNull(answer.get());
            if (a.status() == 0) { // stuck: answer nothing until the test ends
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                exchange.close();
                return;
            }
            byte[] bytes = a.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", a.contentType());
            exchange.sendResponseHeaders(a.status(), bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
    }

    @AfterEach
    void stopServer() {
        release.countDown();
        server.stop(0);
        httpThreads.shutdownNow();
    }

    private URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/openapi.json");
    }

    @Test
    void unchangedOutputKeepsItsBytesMtimeAndInode() throws IOException {
        Path spec = write("spec.yaml", GOOD);
        Path out = dir.resolve("web/src/api.ts");
        CodegenOutcome first = Codegen.run(OpenApiSource.file(spec), out, CodegenOptions.defaults());
        assertThat(first.status()).isEqualTo(CodegenOutcome.Status.CHANGED);
        Snapshot before = Snapshot.of(out);

        CodegenOutcome second = Codegen.run(OpenApiSource.file(spec), out, CodegenOptions.defaults());
        assertThat(second.status()).isEqualTo(CodegenOutcome.Status.UNCHANGED);
        assertThat(Snapshot.of(out)).isEqualTo(before);
        try (var files = Files.list(out.getParent())) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("api.ts"); // no temp file left
        }

        write("spec.yaml", GOOD.replace("type: string", "type: integer"));
        assertThat(Codegen.run(OpenApiSource.file(spec), out, CodegenOptions.defaults())
                        .status())
                .isEqualTo(CodegenOutcome.Status.CHANGED);
        assertThat(read(out)).isNotEqualTo(before.content());
    }

    @Test
    void sameDocumentGivesByteIdenticalOutputHoweverItIsSpelt() throws IOException {
        Path stripe = CORPUS.resolve("fastapi-fullstack-template.json");
        String a = TypeScriptGenerator.create(CodegenOptions.defaults())
                .generate(OpenApiSource.file(stripe))
                .source();
        String b = TypeScriptGenerator.create(CodegenOptions.defaults())
                .generate(OpenApiSource.file(stripe))
                .source();
        assertThat(b).isEqualTo(a);
        // The same tree, compact and on one line: whitespace is not meaning.
        String compact = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(stripe.toFile())
                .toString();
        Path other = write("compact.json", compact);
        assertThat(TypeScriptGenerator.create(CodegenOptions.defaults())
                        .generate(OpenApiSource.file(other))
                        .source())
                .isEqualTo(a);
    }

    @Test
    void badFilesKeepTheLastGoodOutput() throws IOException {
        Path spec = write("spec.yaml", GOOD);
        Path out = dir.resolve("api.ts");
        assertThat(Codegen.run(OpenApiSource.file(spec), out, CodegenOptions.defaults())
                        .status())
                .isEqualTo(CodegenOutcome.Status.CHANGED);
        Snapshot good = Snapshot.of(out);
        record Bad(String name, String text, String pointer, String says) {}
        List<Bad> table = List.of(
                new Bad("truncated", GOOD.substring(0, GOOD.length() / 2) + "\n  bad: [", "", "not valid YAML"),
                new Bad(
                        "dangling $ref",
                        GOOD.replace("#/components/schemas/NewPet", "#/components/schemas/NoPet"),
                        "/components/schemas/Pet/allOf/0/$ref",
                        "points at nothing"),
                new Bad(
                        "HTML error page",
                        "<!DOCTYPE html><html><body>Internal Server Error</body></html>",
                        "",
                        "got HTML"),
                new Bad("empty", "  \n", "", "empty"),
                new Bad("null", "null", "", "expected an OpenAPI document"),
                new Bad(
                        "Swagger 2",
                        "swagger: '2.0'\ninfo: {title: x, version: '1'}\npaths: {}\n",
                        "/swagger",
                        "Swagger 2.0"),
                new Bad("not OpenAPI", "{\"hello\": \"world\"}", "/openapi", "expected \"openapi\""));
        for (Bad bad : table) {
            write("spec.yaml", bad.text());
            CodegenOutcome outcome = Codegen.run(OpenApiSource.file(spec), out, CodegenOptions.defaults());
            assertThat(outcome.status()).as(bad.name()).isEqualTo(CodegenOutcome.Status.FAILED);
            Diagnostic d = outcome.failure().orElseThrow();
            assertThat(d.pointer()).as(bad.name()).isEqualTo(bad.pointer());
            assertThat(d.message()).as(bad.name()).contains(bad.says());
            assertThat(Snapshot.of(out)).as(bad.name()).isEqualTo(good);
        }
        write("spec.yaml", GOOD);
        assertThat(Codegen.run(OpenApiSource.file(spec), out, CodegenOptions.defaults())
                        .status())
                .isEqualTo(CodegenOutcome.Status.UNCHANGED);
        CodegenOutcome missing =
                Codegen.run(OpenApiSource.file(dir.resolve("nope.yaml")), out, CodegenOptions.defaults());
        assertThat(missing.failure().orElseThrow().message()).contains("no such file");
        assertThat(Snapshot.of(out)).isEqualTo(good);
    }

    @Test
    void badServersKeepTheLastGoodOutput() throws IOException {
        Path out = dir.resolve("api.ts");
        OpenApiSource source = OpenApiSource.url(url(), Duration.ofMillis(500));
        answer.set(new Answer(200, "application/yaml", GOOD));
        assertThat(Codegen.run(source, out, CodegenOptions.defaults()).status())
                .isEqualTo(CodegenOutcome.Status.CHANGED);
        Snapshot good = Snapshot.of(out);
        record Bad(String name, Answer answer, String says) {}
        List<Bad> table = List.of(
                new Bad("500", new Answer(500, "text/plain", "Internal Server Error"), "HTTP 500"),
                new Bad(
                        "HTML page",
                        new Answer(200, "text/html", "<html><body>Not the spec</body></html>"),
                        "got HTML"),
                new Bad(
                        "truncated JSON",
                        new Answer(200, "application/json", "{\"openapi\": \"3.1.0\", \"paths\": {"),
                        "not valid JSON"),
                new Bad("timeout", new Answer(0, "", ""), "within 500 ms"));
        for (Bad bad : table) {
            answer.set(bad.answer());
            CodegenOutcome outcome = Codegen.run(source, out, CodegenOptions.defaults());
            assertThat(outcome.status()).as(bad.name()).isEqualTo(CodegenOutcome.Status.FAILED);
            assertThat(outcome.failure().orElseThrow().message()).as(bad.name()).contains(bad.says());
            assertThat(Snapshot.of(out)).as(bad.name()).isEqualTo(good);
        }
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        OpenApiSource refused = OpenApiSource.url(
                URI.create("http://127.0.0.1:" + closedPort + "/openapi.json"), Duration.ofSeconds(5));
        CodegenOutcome outcome = Codegen.run(refused, out, CodegenOptions.defaults());
        assertThat(outcome.failure().orElseThrow().message()).contains("connection refused");
        assertThat(Snapshot.of(out)).isEqualTo(good);
        answer.set(new Answer(200, "application/yaml", GOOD));
        assertThat(Codegen.run(source, out, CodegenOptions.defaults()).status())
                .isEqualTo(CodegenOutcome.Status.UNCHANGED);
    }

    @Test
    void aServerThatRefusesUpgradeRequestsIsAskedInPlainHttp11() {
        // uvicorn's h11 implementation (Debian's python3-uvicorn has no httptools) answers any request carrying an
        // Upgrade header other than websocket with 400 "Unsupported upgrade request."; the JDK's HTTP/2 client sends
        // "Upgrade: h2c" on plain http.
        server.createContext("/uvicorn/openapi.json", exchange -> {
            boolean upgrade = exchange.getRequestHeaders().containsKey("Upgrade");
            byte[] bytes = (upgrade ? "Unsupported upgrade request." : GOOD).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(upgrade ? 400 : 200, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        URI uvicorn = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/uvicorn/openapi.json");

        CodegenOutcome outcome = Codegen.run(
                OpenApiSource.url(uvicorn, Duration.ofSeconds(5)), dir.resolve("api.ts"), CodegenOptions.defaults());

        assertThat(outcome.failure()).isEmpty();
        assertThat(outcome.status()).isEqualTo(CodegenOutcome.Status.CHANGED);
    }

    @Test
    void commandsPrintTheDocumentAndAreKilledPastTheirTimeout() throws IOException {
        Path spec = write("spec.yaml", GOOD);
        Path out = dir.resolve("api.ts");
        assertThat(Codegen.run(
                                command(Duration.ofSeconds(60), "print", spec.toString()),
                                out,
                                CodegenOptions.defaults())
                        .status())
                .isEqualTo(CodegenOutcome.Status.CHANGED);
        Snapshot good = Snapshot.of(out);

        CodegenOutcome failed = Codegen.run(
                command(Duration.ofSeconds(60), "fail", "3", "ModuleNotFoundError: No module named 'main'"),
                out,
                CodegenOptions.defaults());
        assertThat(failed.failure().orElseThrow().message())
                .contains("exited with code 3")
                .contains("No module named 'main'");
        assertThat(Snapshot.of(out)).isEqualTo(good);

        CodegenOutcome hung = Codegen.run(command(Duration.ofSeconds(3), "hang"), out, CodegenOptions.defaults());
        assertThat(hung.failure().orElseThrow().message()).contains("still running after 3000 ms, killed it");
        assertThat(Snapshot.of(out)).isEqualTo(good);
    }

    private OpenApiSource command(Duration timeout, String... args) {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> argv = new java.util.ArrayList<>(List.of(
                java,
                Path.of("src/test/resources/fixtures/SpecCommand.java")
                        .toAbsolutePath()
                        .toString()));
        argv.addAll(List.of(args));
        return OpenApiSource.command(argv, dir, timeout);
    }

    record Snapshot(String content, FileTime mtime, Object inode) {
        static Snapshot of(Path file) throws IOException {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            return new Snapshot(read(file), attributes.lastModifiedTime(), String.valueOf(attributes.fileKey()));
        }
    }

    private Path write(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, text);
        return file;
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
