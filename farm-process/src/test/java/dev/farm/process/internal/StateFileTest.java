package dev.farm.process.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StateFileTest {

    @TempDir
    Path project;

    static final StateFile.Owner OWNER = new StateFile.Owner(4100, "boot-1:881234");
    static final StateFile.Entry API =
            new StateFile.Entry("api", 4242, 4242, "boot-1:881301", "uvicorn main:app", OptionalInt.of(8000));
    static final StateFile.Entry WEB =
            new StateFile.Entry("web", 4300, 4300, "boot-1:881400", "npm run dev", OptionalInt.empty());

    private StateFile file() {
        return new StateFile(StateFile.in(project), OWNER);
    }

    @Test
    void roundTripsEntriesAndTheOwner() {
        StateFile file = file();

        file.put(API);
        file.put(WEB);

        StateFile reread = new StateFile(StateFile.in(project), OWNER);
        assertThat(reread.read()).containsExactly(API, WEB);
        assertThat(reread.owner()).contains(4100L);
        assertThat(reread.contents().owner()).contains(OWNER);
    }

    @Test
    void putReplacesTheServicesEarlierEntryAndRemoveForgetsIt() {
        StateFile file = file();
        file.put(API);
        file.put(WEB);
        StateFile.Entry restarted =
                new StateFile.Entry("api", 5000, 5000, "boot-1:990000", "uvicorn main:app", OptionalInt.of(8000));

        file.put(restarted);
        assertThat(file.read()).containsExactly(WEB, restarted);

        file.remove("web");
        assertThat(file.read()).containsExactly(restarted);
        file.remove("nothing-by-that-name");
        assertThat(file.read()).containsExactly(restarted);
        file.remove("api");
        assertThat(file.read()).isEmpty();
        assertThat(file.owner()).contains(4100L);
    }

    @Test
    void removeAllKeepsEntriesThatChangedSinceTheyWereRead() {
        StateFile file = file();
        file.put(API);
        file.put(WEB);
        List<StateFile.Entry> seen = file.read();
        StateFile.Entry restarted =
                new StateFile.Entry("web", 6000, 6000, "boot-1:1", "npm run dev", OptionalInt.empty());
        file.put(restarted);

        file.removeAll(seen);

        assertThat(file.read()).containsExactly(restarted);
    }

    @Test
    void escapesQuotesBackslashesNewlinesControlCharactersAndUnicodeInCommands() throws IOException {
        String command =
                "sh -c \"echo 'a\\b' \\\"quoted\\\"\"\nline two\ttab \u0001 \u007f café ☕ \uD834\uDD1E lone \uD800 end";
        StateFile.Entry odd = new StateFile.Entry("we\"ird\\name", 7, 7, "tok\"en", command, OptionalInt.of(1));
        StateFile file = file();

        file.put(odd);

        assertThat(file.read()).containsExactly(odd);
        String text = Files.readString(file.file(), StandardCharsets.UTF_8);
        assertThat(text)
                .contains("\\\"quoted\\\\\\\"")
                .contains("\\nline two\\ttab \\u0001 \\u007f café ☕ \uD834\uDD1E lone \\ud800 end")
                .contains("\"we\\\"ird\\\\name\"");
        // One service per line: no raw line break inside a string.
        assertThat(text.lines().filter(line -> line.contains("\"service\"")).count())
                .isEqualTo(1);
    }

    @Test
    void writesAReadableFileOfTheDocumentedShape() throws Exception {
        StateFile file = file();
        file.put(API);
        file.put(WEB);

        assertThat(Files.readString(file.file(), StandardCharsets.UTF_8)).isEqualTo("""
                        {
                          "version": 1,
                          "owner": {"pid": 4100, "startTime": "boot-1:881234"},
                          "services": [
                            {"service": "api", "pid": 4242, "pgid": 4242, "startTime": "boot-1:881301", \
                        "command": "uvicorn main:app", "port": 8000},
                            {"service": "web", "pid": 4300, "pgid": 4300, "startTime": "boot-1:881400", \
                        "command": "npm run dev"}
                          ]
                        }
                        """);
        file.remove("api");
        file.remove("web");
        assertThat(StateFile.parse(Files.readString(file.file(), StandardCharsets.UTF_8))
                        .entries())
                .isEmpty();
    }

    @Test
    void readsAHandWrittenFileWithOtherWhitespaceOrderAndUnknownMembers() throws Exception {
        String text = "\uFEFF  {\"services\":[\n"
                + "\t{ \"port\" : null , \"command\" : \"caf\\u00e9 \\/ \\ud834\\udd1e\", \"extra\": [1, {\"a\": true}],"
                + " \"pgid\":12,\"startTime\":\"\",\"pid\":\r\n34, \"service\":\"db\"}\n"
                + "] ,\"future\": {\"x\": -1.5e3}, \"version\" : 1.0 }  \n";

        StateFile.Contents contents = StateFile.parse(text);

        assertThat(contents.owner()).isEmpty();
        assertThat(contents.entries())
                .containsExactly(new StateFile.Entry("db", 34, 12, "", "café / \uD834\uDD1E", OptionalInt.empty()));
    }

    @Test
    void aMissingFileIsEmpty() {
        StateFile file = file();

        assertThat(file.read()).isEmpty();
        assertThat(file.owner()).isEmpty();
        assertThat(file.ownerAlive()).isFalse();
        assertThat(Files.exists(project.resolve(".farm"))).isFalse();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "   ",
                "{\"version\": 1, \"services\": [",
                "{\"version\": 1, \"services\": [{\"service\": \"api\", \"pid\": 1, ",
                "not json",
                "[]",
                "{\"version\": 1, \"services\": []} trailing",
                "{\"version\": 1, \"services\": {}}",
                "{\"version\": 2, \"services\": []}",
                "{\"services\": []}",
                "{\"version\": 1}",
                "{\"version\": 1, \"services\": [{\"service\": \"api\", \"pid\": \"12\", \"pgid\": 12,"
                        + " \"startTime\": \"t\", \"command\": \"c\"}]}",
                "{\"version\": 1, \"services\": [{\"service\": \"api\", \"pid\": 1.5, \"pgid\": 12,"
                        + " \"startTime\": \"t\", \"command\": \"c\"}]}",
                "{\"version\": 1, \"services\": [{\"service\": \"api\", \"pid\": 12, \"pgid\": 12,"
                        + " \"startTime\": \"t\", \"command\": \"c\", \"port\": 70000}]}",
                "{\"version\": 1, \"services\": [{\"service\": \"\", \"pid\": 12, \"pgid\": 12,"
                        + " \"startTime\": \"t\", \"command\": \"c\"}]}",
                "{\"version\": 1, \"services\": [{\"service\": \"api\", \"pid\": 12, \"pgid\": -3,"
                        + " \"startTime\": \"t\", \"command\": \"c\"}]}",
                "{\"version\": 1, \"services\": [{\"service\": \"api\", \"pid\": 12, \"pgid\": 12,"
                        + " \"command\": \"c\"}]}",
                "{\"version\": 1, \"owner\": {\"pid\": 0, \"startTime\": \"t\"}, \"services\": []}",
                "{\"version\": 1, \"services\": [\"api\"]}",
                "{\"version\": 1, \"services\": [{\"service\": \"a\nb\", \"pid\": 12, \"pgid\": 12,"
                        + " \"startTime\": \"t\", \"command\": \"c\"}]}",
            })
    void aMalformedFileIsEmpty(String text) throws IOException {
        Path path = StateFile.in(project);
        Files.createDirectories(path.getParent());
        Files.writeString(path, text, StandardCharsets.UTF_8);
        StateFile file = file();

        assertThat(file.read()).isEmpty();
        assertThat(file.owner()).isEmpty();
        assertThatThrownBy(() -> StateFile.parse(text)).isInstanceOf(Json.MalformedException.class);
    }

    @Test
    void aFileThatIsNotUtf8IsEmpty() throws IOException {
        Path path = StateFile.in(project);
        Files.createDirectories(path.getParent());
        Files.write(path, new byte[] {'{', (byte) 0xC3, (byte) 0x28, '}'});

        assertThat(file().read()).isEmpty();
    }

    @Test
    void malformedMessagesSayWhereAndWhatWasFound() {
        assertThatThrownBy(() -> StateFile.parse("{\"version\": 1,\n  \"services\": [}"))
                .hasMessage("line 2, column 16: expected a value, found '}'");
        assertThatThrownBy(() -> StateFile.parse("{\"version\": 1, \"services\": [{\"service\": \"api\", \"pid\":"
                        + " \"12\", \"pgid\": 12, \"startTime\": \"t\", \"command\": \"c\"}]}"))
                .hasMessage("services[0].pid: expected an integer, found \"12\"");
        assertThatThrownBy(() -> StateFile.parse("{\"version\": 1, \"services\": [{\"service\": \"api\", \"pid\":"
                        + " 12, \"pgid\": 12, \"command\": \"c\"}]}"))
                .hasMessage("services[0].startTime: expected a string, found nothing");
        assertThatThrownBy(() -> StateFile.parse("{\"version\": 2, \"services\": []}"))
                .hasMessageStartingWith("version 2 is not supported");
    }

    @Test
    void rewritesAtomicallyLeavingNoTemporaryFileBehind() throws IOException {
        StateFile file = file();

        for (int i = 1; i <= 8; i++) {
            file.put(new StateFile.Entry("s" + (i % 3), i, i, "t" + i, "cmd " + i, OptionalInt.empty()));
            file.remove("s0");
        }

        try (Stream<Path> files = Files.list(project.resolve(".farm"))) {
            assertThat(files.map(p -> p.getFileName().toString()).collect(Collectors.toList()))
                    .containsExactly("state.json");
        }
        assertThat(file.read()).extracting(StateFile.Entry::service).containsExactlyInAnyOrder("s1", "s2");
    }

    @Test
    void aFailedWriteIsLoggedNotThrown() throws IOException {
        Files.writeString(project.resolve(".farm"), "a file where the folder should be");
        StateFile file = file();

        file.put(API);
        file.put(WEB);
        file.remove("api");

        assertThat(file.read()).isEmpty();
    }

    @Test
    void theCurrentProcessHasAStableStartTokenThatIdentifiesIt() {
        long self = ProcessHandle.current().pid();

        String token = StateFile.startToken(self).orElseThrow();

        assertThat(token).isNotEmpty().isEqualTo(StateFile.startToken(self).orElseThrow());
        assertThat(StateFile.isIncarnation(self, token)).isTrue();
        assertThat(StateFile.isIncarnation(self, token + "0")).isFalse();
        assertThat(StateFile.isIncarnation(self, "")).isFalse();
        assertThat(StateFile.currentProcess()).isEqualTo(new StateFile.Owner(self, token));
    }

    @Test
    void theOwnerIsAliveOnlyWithItsOwnStartToken() {
        Path path = StateFile.in(project);
        StateFile mine = new StateFile(path);
        mine.put(API);
        assertThat(mine.owner()).contains(ProcessHandle.current().pid());
        assertThat(mine.ownerAlive()).isTrue();

        StateFile impostor =
                new StateFile(path, new StateFile.Owner(ProcessHandle.current().pid(), "another:1"));
        impostor.put(WEB);
        assertThat(impostor.ownerAlive()).isFalse();
    }

    @Test
    void entriesRejectImpossibleValues() {
        assertThatThrownBy(() -> new StateFile.Entry("", 1, 1, "t", "c", OptionalInt.empty()))
                .hasMessage("service: \"\" (expected: a service name)");
        assertThatThrownBy(() -> new StateFile.Entry("a", 0, 1, "t", "c", OptionalInt.empty()))
                .hasMessage("pid: 0 (expected: > 0)");
        assertThatThrownBy(() -> new StateFile.Entry("a", 1, 1, "t", "c", OptionalInt.of(0)))
                .hasMessage("port: 0 (expected: 1-65535)");
        assertThat(API.describe()).isEqualTo("'api' (pid 4242, uvicorn main:app)");
    }
}
