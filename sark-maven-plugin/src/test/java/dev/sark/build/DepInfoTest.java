package dev.sark.build;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DepInfoTest {
    @TempDir
    Path tmp;

    private Optional<List<Path>> parse(String text) throws IOException {
        return DepInfo.read(Files.writeString(tmp.resolve("libfoo.d"), text));
    }

    private static Optional<List<Path>> paths(String... paths) {
        return Optional.of(List.of(paths).stream().map(Path::of).toList());
    }

    @Test
    void singleRuleAsCargoWritesIt() throws IOException {
        assertEquals(paths("/w/c/src/a.rs", "/w/c/src/lib.rs"),
                parse("/w/t/x86_64-unknown-linux-gnu/release/libfoo.so: /w/c/src/a.rs /w/c/src/lib.rs\n"));
    }

    @Test
    void escapedSpacesInTargetAndDependencies() throws IOException {
        // verbatim shape of cargo 1.95's output for a crate in "/tmp/dep test/c"
        String text = "/tmp/dep\\ test/t/x86_64-unknown-linux-gnu/release/libfoo_bar.so:"
                + " /tmp/dep\\ test/c/src/a.rs /tmp/dep\\ test/c/src/lib.rs\n";
        assertEquals(paths("/tmp/dep test/c/src/a.rs", "/tmp/dep test/c/src/lib.rs"), parse(text));
    }

    @Test
    void multipleRulesAreMerged() throws IOException {
        String text = "/t/libfoo.so: /c/src/lib.rs /c/build.rs\n"
                + "\n"
                + "/t/libfoo.rlib: /c/src/other.rs\n"
                + "/c/src/lib.rs:\n"; // rustc-style empty rule: no dependencies
        assertEquals(paths("/c/src/lib.rs", "/c/build.rs", "/c/src/other.rs"), parse(text));
    }

    @Test
    void lineContinuations() throws IOException {
        String text = "/t/libfoo.so: /c/src/lib.rs \\\n  /c/src/a.rs \\\n\t/c/src/b\\ c.rs\n";
        assertEquals(paths("/c/src/lib.rs", "/c/src/a.rs", "/c/src/b c.rs"), parse(text));
    }

    @Test
    void tabsAndRepeatedSpacesSeparate() throws IOException {
        assertEquals(paths("/a.rs", "/b.rs"), parse("/t/libfoo.so: \t/a.rs  \t /b.rs   \n"));
    }

    @Test
    void windowsDriveLetterIsNotTheRuleSeparator() throws IOException {
        Optional<List<Path>> deps = parse("C:\\w\\t\\foo.dll: C:\\w\\c\\src\\lib.rs\n");
        assertEquals(List.of("C:\\w\\c\\src\\lib.rs"), deps.orElseThrow().stream().map(Path::toString).toList());
    }

    @Test
    void noTrailingNewline() throws IOException {
        assertEquals(paths("/c/src/lib.rs"), parse("/t/libfoo.so: /c/src/lib.rs"));
    }

    @Test
    void missingFileIsEmpty() {
        assertEquals(Optional.empty(), DepInfo.read(tmp.resolve("absent.d")));
    }

    @Test
    void directoryIsEmpty() throws IOException {
        assertEquals(Optional.empty(), DepInfo.read(Files.createDirectory(tmp.resolve("dir.d"))));
    }

    @Test
    void fileWithoutDependenciesIsEmpty() throws IOException {
        // no dependency known means nothing can be checked: the caller must rebuild
        assertEquals(Optional.empty(), parse(""));
        assertEquals(Optional.empty(), parse("/t/libfoo.so:\n"));
        assertEquals(Optional.empty(), parse("not a makefile rule\n"));
    }
}
