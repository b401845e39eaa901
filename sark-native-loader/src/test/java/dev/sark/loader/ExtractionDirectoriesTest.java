package dev.sark.loader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ExtractionDirectoriesTest {

    private final Map<String, String> props = new HashMap<>(Map.of("user.home", "/home/ann", "user.name", "ann",
            "java.io.tmpdir", "/tmp", "os.name", "Linux"));
    private final Map<String, String> env = new HashMap<>();

    private List<Path> paths() {
        return ExtractionDirectories.candidates(props::get, env::get).stream().map(ExtractionDirectories.Candidate::path)
                .collect(Collectors.toList());
    }

    @Test
    void linuxDefaultsAreCacheThenTmp() {
        assertEquals(List.of(Paths.get("/home/ann/.cache/sark/native"), Paths.get("/tmp/sark-native-ann")), paths());
    }

    @Test
    void aUidWithoutPasswdEntryHasNoHomeSoTheTempDirIsUsed() {
        props.put("user.home", "?"); // what the JDK reports for a container uid that /etc/passwd does not list
        props.put("user.name", "?");
        assertEquals(List.of(Paths.get("/tmp/sark-native-unknown")), paths());
    }

    @Test
    void extractDirComesFirstAndCacheDirReplacesTheDefault() {
        props.put(ExtractionDirectories.EXTRACT_DIR_PROPERTY, "/opt/app/native");
        props.put(ExtractionDirectories.CACHE_DIR_PROPERTY, "/var/cache/app");
        assertEquals(List.of(Paths.get("/opt/app/native"), Paths.get("/var/cache/app"), Paths.get("/tmp/sark-native-ann")), paths());
    }

    @Test
    void sameDirectoryIsNotTriedTwice() {
        props.put(ExtractionDirectories.EXTRACT_DIR_PROPERTY, "/home/ann/.cache/sark/native/");
        assertEquals(2, paths().size());
    }

    @Test
    void xdgCacheHomeWhenAbsolute() {
        env.put("XDG_CACHE_HOME", "/xdg");
        assertEquals(Paths.get("/xdg/sark/native"), paths().get(0));
        env.put("XDG_CACHE_HOME", "relative/dir");
        assertEquals(Paths.get("/home/ann/.cache/sark/native"), paths().get(0), "the XDG spec says to ignore relative paths");
    }

    @Test
    void macAndWindowsLocations() {
        props.put("os.name", "Mac OS X");
        assertEquals(Paths.get("/home/ann/Library/Caches/sark/native"), paths().get(0));
        props.put("os.name", "Windows 11");
        env.put("LOCALAPPDATA", "/users/ann/AppData/Local");
        assertEquals(Paths.get("/users/ann/AppData/Local", "sark", "native"), paths().get(0));
        env.remove("LOCALAPPDATA");
        assertEquals(Paths.get("/home/ann", "AppData", "Local", "sark", "native"), paths().get(0));
    }

    @Test
    void userNamesAreMadePathSafe() {
        assertEquals("ann", ExtractionDirectories.safeUserName("ann"));
        assertEquals("a_b_c", ExtractionDirectories.safeUserName("a/b c"));
        assertEquals("unknown", ExtractionDirectories.safeUserName("?"));
        assertEquals("unknown", ExtractionDirectories.safeUserName(".."));
        assertEquals("unknown", ExtractionDirectories.safeUserName(null));
    }
}
