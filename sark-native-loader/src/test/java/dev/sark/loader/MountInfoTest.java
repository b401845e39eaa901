package dev.sark.loader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MountInfoTest {

    private static final List<String> MOUNTS = List.of(
            "27 1 254:0 / / rw,relatime - ext4 /dev/vda rw",
            "30 27 0:27 / /tmp rw,nosuid,nodev,noexec,relatime shared:5 - tmpfs tmpfs rw,size=1g",
            "31 30 0:28 / /tmp/exec rw,relatime - tmpfs tmpfs rw",
            "32 27 0:29 / /home/u/my\\040cache rw,noexec - tmpfs tmpfs rw",
            "33 27 0:30 / /tmpfoo rw - tmpfs tmpfs rw");

    @Test
    void longestMountPointDecides() {
        assertEquals(Optional.of(true), MountInfo.isNoexec(MOUNTS, Paths.get("/tmp/sark-native-root")));
        assertEquals(Optional.of(false), MountInfo.isNoexec(MOUNTS, Paths.get("/tmp/exec/x")));
        assertEquals(Optional.of(false), MountInfo.isNoexec(MOUNTS, Paths.get("/var/cache")));
        assertEquals(Optional.of(true), MountInfo.isNoexec(MOUNTS, Paths.get("/tmp")));
    }

    @Test
    void matchesWholePathComponents() {
        assertEquals(Optional.of(false), MountInfo.isNoexec(MOUNTS, Paths.get("/tmpfoo/bar")), "/tmpfoo is not under /tmp");
    }

    @Test
    void laterMountOnTheSamePointWins() {
        List<String> stacked = List.of("1 0 0:1 / / rw - ext4 x rw", "2 1 0:2 / /data rw,noexec - tmpfs t rw",
                "3 1 0:3 / /data rw - tmpfs t rw");
        assertEquals(Optional.of(false), MountInfo.isNoexec(stacked, Paths.get("/data/x")));
    }

    @Test
    void octalEscapesInMountPoints() {
        assertEquals("/home/u/my cache", MountInfo.unescape("/home/u/my\\040cache"));
        assertEquals("a\\b", MountInfo.unescape("a\\134b"));
        assertEquals("\\09", MountInfo.unescape("\\09"), "not an octal escape");
        assertEquals(Optional.of(true), MountInfo.isNoexec(MOUNTS, Paths.get("/home/u/my cache/sark")));
    }

    @Test
    void unknownWithoutMatchingLines() {
        assertEquals(Optional.empty(), MountInfo.isNoexec(List.of("garbage", ""), Paths.get("/tmp")));
    }

    @Test
    void realMountinfoAgreesWithTheRootMount(@TempDir Path dir) throws IOException {
        Path mountinfo = Paths.get("/proc/self/mountinfo");
        assumeTrue(Files.isReadable(mountinfo));
        Optional<Boolean> viaPath = MountInfo.isNoexec(dir.resolve("not/yet/created"));
        assertEquals(MountInfo.isNoexec(Files.readAllLines(mountinfo, StandardCharsets.UTF_8), dir.toRealPath()), viaPath,
                "a directory that does not exist yet is judged by its nearest existing ancestor");
        assertTrue(viaPath.isPresent());
    }
}
