package dev.sark.loader;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.time.Duration;
import java.time.Instant;
import java.nio.file.attribute.FileTime;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LibraryExtractorTest {

    @TempDir
    Path tmp;

    private final byte[] content = randomBytes(200_000, 1);
    private final String sha = LibraryExtractor.sha256Hex(content);

    private static byte[] randomBytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static boolean posix() {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }

    @Test
    void sha256MatchesTheJdkDigestOfKnownInput() {
        // FIPS 180-2 test vector for "abc"
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
                LibraryExtractor.sha256Hex("abc".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void extractsUnderTheHashAndReusesAMatchingFile() throws IOException {
        Path file = LibraryExtractor.extract(tmp.resolve("cache"), "libx.so", content, sha);
        assertEquals(tmp.resolve("cache").resolve(sha).resolve("libx.so"), file);
        assertArrayEquals(content, Files.readAllBytes(file));

        FileTime old = FileTime.from(Instant.parse("2001-02-03T04:05:06Z"));
        Files.setLastModifiedTime(file, old);
        Object inode = Files.readAttributes(file, BasicFileAttributes.class).fileKey();

        Path again = LibraryExtractor.extract(tmp.resolve("cache"), "libx.so", content, sha);
        assertEquals(file, again);
        assertEquals(old, Files.getLastModifiedTime(again), "a matching file is not rewritten");
        assertEquals(inode, Files.readAttributes(again, BasicFileAttributes.class).fileKey(), "same inode");
        assertEquals(Set.of("libx.so"), names(file.getParent()), "no temporary or probe files left behind");
    }

    @Test
    void aDifferentVersionGoesBesideTheFirst() throws IOException {
        byte[] v2 = randomBytes(1000, 2);
        Path a = LibraryExtractor.extract(tmp, "libx.so", content, sha);
        Path b = LibraryExtractor.extract(tmp, "libx.so", v2, LibraryExtractor.sha256Hex(v2));
        assertNotEquals(a.getParent(), b.getParent());
        assertArrayEquals(content, Files.readAllBytes(a));
        assertArrayEquals(v2, Files.readAllBytes(b));
    }

    @Test
    void corruptedFileIsReplaced() throws IOException {
        Path file = LibraryExtractor.extract(tmp, "libx.so", content, sha);
        byte[] corrupt = content.clone();
        corrupt[12345] ^= 0x55; // same size: only the hash can tell
        Files.write(file, corrupt);
        Path again = LibraryExtractor.extract(tmp, "libx.so", content, sha);
        assertEquals(file, again);
        assertArrayEquals(content, Files.readAllBytes(again));

        Files.write(file, new byte[] {1, 2, 3}); // truncated
        assertArrayEquals(content, Files.readAllBytes(LibraryExtractor.extract(tmp, "libx.so", content, sha)));
    }

    @Test
    void plantedSymlinkIsReplacedNotFollowed() throws IOException {
        Path victim = Files.writeString(tmp.resolve("victim.txt"), "do not touch");
        Path dir = Files.createDirectories(tmp.resolve("base").resolve(sha));
        Files.createSymbolicLink(dir.resolve("libx.so"), victim);

        Path file = LibraryExtractor.extract(tmp.resolve("base"), "libx.so", content, sha);
        assertFalse(Files.isSymbolicLink(file));
        assertArrayEquals(content, Files.readAllBytes(file));
        assertEquals("do not touch", Files.readString(victim));
    }

    @Test
    void aSymbolicLinkIsResolvedAndTheRealPathIsCheckedAndReturned() throws IOException {
        Path real = Files.createDirectories(tmp.resolve("elsewhere"));
        Path link = Files.createSymbolicLink(tmp.resolve("sark-native-me"), real);
        Path file = LibraryExtractor.extract(link, "libx.so", content, sha);
        assertEquals(real.toRealPath().resolve(sha).resolve("libx.so"), file, "System.load gets the checked path, no link in it");
    }

    @Test
    void aDirectoryOthersCanWriteIsRefusedAnywhereOnThePath() throws IOException {
        assumeTrue(posix());
        Path open = Files.createDirectories(tmp.resolve("open"));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path base = open.resolve("private").resolve("cache");
        IOException e = assertThrows(IOException.class,
                () -> LibraryExtractor.extract(base, "-Dsark.native.extractDir", 0, "libx.so", content, sha));
        assertTrue(e.getMessage().contains(open + " (on the way to") && e.getMessage().contains("writable by other users")
                && e.getMessage().contains("mode 0777") && e.getMessage().contains("-Dsark.native.extractDir"), e.getMessage());
        assertFalse(Files.exists(base.resolve(sha)), "nothing written below a directory others can change");

        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwx---"));
        assertThrows(IOException.class, () -> LibraryExtractor.extract(base, "libx.so", content, sha), "group-writable too");
    }

    @Test
    void aStickyDirectoryLikeTmpIsFineBecauseOthersCannotRenameOurEntries() throws IOException, InterruptedException {
        assumeTrue(posix());
        Path sticky = Files.createDirectories(tmp.resolve("sticky"));
        Process chmod = new ProcessBuilder("chmod", "1777", sticky.toString()).inheritIO().start();
        assumeTrue(chmod.waitFor() == 0, "chmod +t");
        Path file = LibraryExtractor.extract(sticky.resolve("sark-native-me"), "libx.so", content, sha);
        assertArrayEquals(content, Files.readAllBytes(file));
    }

    @Test
    void anOldTemporaryFileOfAKilledExtractionIsRemovedAFreshOneIsNot() throws IOException {
        Path file = LibraryExtractor.extract(tmp, "libx.so", content, sha);
        Path abandoned = Files.writeString(file.resolveSibling(".libx.so-123.tmp"), "half");
        Files.setLastModifiedTime(abandoned, FileTime.from(Instant.now().minus(Duration.ofHours(1))));
        Path inFlight = Files.writeString(file.resolveSibling(".libx.so-456.tmp"), "being written now");
        LibraryExtractor.extract(tmp, "libx.so", content, sha);
        assertFalse(Files.exists(abandoned));
        assertTrue(Files.exists(inFlight), "another JVM may be writing it right now");
    }

    @Test
    void aLibraryHeldByAnotherClassLoaderIsLoadedFromItsOwnCopy() {
        List<Path> attempts = new ArrayList<>();
        LibraryExtractor x = new LibraryExtractor(List.of(new ExtractionDirectories.Candidate(tmp.resolve("c"), "cache directory")),
                f -> {
                    attempts.add(f);
                    if (attempts.size() < 3) {
                        throw new UnsatisfiedLinkError("Native Library " + f + " already loaded in another classloader");
                    }
                }, p -> Optional.of(false));
        Path loaded = x.extractAndLoad("libx.so", content, "jar:test!/x");
        assertEquals(3, attempts.size());
        assertTrue(loaded.endsWith(Path.of(sha, "copy-2", "libx.so")), loaded.toString());
        assertEquals(3, Set.copyOf(attempts).size(), "three different files");
    }

    @Test
    void directoryOwnedBySomeoneElseIsRefused() throws IOException {
        assumeTrue(posix());
        Path base = Files.createDirectories(tmp.resolve("shared"));
        UserPrincipal nobody;
        try {
            nobody = FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
            Files.setOwner(base, nobody); // only root may give a file away
        } catch (IOException | UnsupportedOperationException e) {
            assumeTrue(false, "cannot chown here: " + e);
            return;
        }
        Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxrwxrwx"));
        IOException e = assertThrows(IOException.class, () -> LibraryExtractor.extract(base, "libx.so", content, sha));
        assertTrue(e.getMessage().contains("belongs to uid"), e.getMessage());
        assertFalse(Files.exists(base.resolve(sha)), "nothing written into a directory another user controls");
    }

    @Test
    void directoriesAreOwnerOnly() throws IOException {
        assumeTrue(posix());
        Path base = tmp.resolve("new").resolve("cache");
        Path file = LibraryExtractor.extract(base, "libx.so", content, sha);
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(base)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())));

        Files.setPosixFilePermissions(file.getParent(), PosixFilePermissions.fromString("rwxrwxrwx"));
        LibraryExtractor.extract(base, "libx.so", content, sha);
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())),
                "a loosened hash directory is tightened again");
    }

    @Test
    void eightThreadsExtractOneValidFile() throws Exception {
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            for (int round = 0; round < 5; round++) {
                Path base = tmp.resolve("round" + round);
                CountDownLatch start = new CountDownLatch(1);
                List<Future<Path>> results = new ArrayList<>();
                for (int i = 0; i < threads; i++) {
                    Callable<Path> task = () -> {
                        start.await();
                        return LibraryExtractor.extract(base, "libx.so", content, sha);
                    };
                    results.add(pool.submit(task));
                }
                start.countDown();
                Set<Path> paths = new HashSet<>();
                for (Future<Path> f : results) {
                    paths.add(f.get());
                }
                assertEquals(1, paths.size());
                Path file = paths.iterator().next();
                assertArrayEquals(content, Files.readAllBytes(file));
                assertEquals(Set.of("libx.so"), names(file.getParent()), "temporary files are cleaned up");
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void unwritableDirectoryFallsBackToTheNext() throws IOException {
        // Tests run as root, where permission bits do not stop writes; a regular file as parent does.
        Path blocker = Files.writeString(tmp.resolve("blocker"), "a file, not a directory");
        List<Path> loaded = new ArrayList<>();
        LibraryExtractor x = new LibraryExtractor(List.of(
                new ExtractionDirectories.Candidate(blocker.resolve("sub"), "-Dsark.native.extractDir"),
                new ExtractionDirectories.Candidate(tmp.resolve("second"), "cache directory")),
                loaded::add, p -> Optional.of(false));
        Path file = x.extractAndLoad("libx.so", content, "test:resource");
        assertEquals(List.of(file), loaded);
        assertTrue(file.startsWith(tmp.resolve("second")), file.toString());
        assertArrayEquals(content, Files.readAllBytes(file));
    }

    @Test
    void noDirectoryUsableListsEachReason() throws IOException {
        Path blocker = Files.writeString(tmp.resolve("blocker"), "x");
        LibraryExtractor x = new LibraryExtractor(List.of(
                new ExtractionDirectories.Candidate(blocker.resolve("a"), "-Dsark.native.extractDir"),
                new ExtractionDirectories.Candidate(blocker.resolve("b"), "java.io.tmpdir")),
                p -> {
                    throw new AssertionError("nothing to load");
                }, p -> Optional.empty());
        UnsatisfiedLinkError e = assertThrows(UnsatisfiedLinkError.class, () -> x.extractAndLoad("libx.so", content, "jar:test!/x"));
        assertTrue(e.getMessage().contains(blocker.resolve("a").toString()) && e.getMessage().contains(blocker.resolve("b").toString()),
                e.getMessage());
        assertTrue(e.getMessage().contains("jar:test!/x"), e.getMessage());
    }

    @Test
    void noexecMountFromMountinfoIsSkippedAndExplained() {
        Path noexec = tmp.resolve("noexec");
        Path ok = tmp.resolve("ok");
        List<Path> loaded = new ArrayList<>();
        LibraryExtractor x = new LibraryExtractor(List.of(new ExtractionDirectories.Candidate(noexec, "java.io.tmpdir"),
                new ExtractionDirectories.Candidate(ok, "cache directory")), loaded::add, p -> Optional.of(p.equals(noexec)));
        Path file = x.extractAndLoad("libx.so", content, "r");
        assertTrue(file.startsWith(ok));
        assertFalse(Files.exists(noexec), "nothing is extracted where it could not be mapped");

        LibraryExtractor onlyNoexec = new LibraryExtractor(List.of(new ExtractionDirectories.Candidate(noexec, "java.io.tmpdir")),
                loaded::add, p -> Optional.of(true));
        UnsatisfiedLinkError e = assertThrows(UnsatisfiedLinkError.class, () -> onlyNoexec.extractAndLoad("libx.so", content, "r"));
        assertTrue(e.getMessage().contains(noexec + " is on a file system mounted noexec; set -Dsark.native.extractDir=<an exec-mounted directory>"),
                e.getMessage());
    }

    @Test
    void noexecLoadErrorMovesOnAndIsExplained() {
        Path first = tmp.resolve("first");
        Path second = tmp.resolve("second");
        List<Path> attempts = new ArrayList<>();
        LibraryExtractor.Linker linker = p -> {
            attempts.add(p);
            if (p.startsWith(first)) {
                throw new UnsatisfiedLinkError(p + ": failed to map segment from shared object");
            }
        };
        LibraryExtractor x = new LibraryExtractor(List.of(new ExtractionDirectories.Candidate(first, "-Dsark.native.extractDir"),
                new ExtractionDirectories.Candidate(second, "cache directory")), linker, p -> Optional.empty());
        Path loaded = x.extractAndLoad("libx.so", content, "r");
        assertTrue(loaded.startsWith(second));
        assertEquals(2, attempts.size());

        LibraryExtractor.Linker always = p -> {
            throw new UnsatisfiedLinkError(p + ": Error relocating: Operation not permitted");
        };
        UnsatisfiedLinkError e = assertThrows(UnsatisfiedLinkError.class, () -> new LibraryExtractor(
                List.of(new ExtractionDirectories.Candidate(first, "-Dsark.native.extractDir")), always, p -> Optional.empty())
                .extractAndLoad("libx.so", content, "r"));
        assertTrue(e.getMessage().contains(first + " is on a file system mounted noexec; set -Dsark.native.extractDir="), e.getMessage());
    }

    @Test
    void otherLoadErrorsStopWithTheFilePath() {
        List<Path> attempts = new ArrayList<>();
        LibraryExtractor.Linker linker = p -> {
            attempts.add(p);
            throw new UnsatisfiedLinkError("wrong ELF class: ELFCLASS32");
        };
        LibraryExtractor x = new LibraryExtractor(List.of(new ExtractionDirectories.Candidate(tmp.resolve("a"), "x"),
                new ExtractionDirectories.Candidate(tmp.resolve("b"), "y")), linker, p -> Optional.empty());
        UnsatisfiedLinkError e = assertThrows(UnsatisfiedLinkError.class, () -> x.extractAndLoad("libx.so", content, "jar:a!/b"));
        assertEquals(1, attempts.size(), "another directory cannot fix a library that does not fit");
        assertTrue(e.getMessage().contains(attempts.get(0).toString()) && e.getMessage().contains("ELFCLASS32")
                && e.getMessage().contains("jar:a!/b"), e.getMessage());
    }

    @Test
    void realSystemLoadOfANonLibraryReportsThePath() {
        LibraryExtractor x = new LibraryExtractor(List.of(new ExtractionDirectories.Candidate(tmp.resolve("d"), "x")),
                p -> System.load(p.toString()), MountInfo::isNoexec);
        UnsatisfiedLinkError e = assertThrows(UnsatisfiedLinkError.class,
                () -> x.extractAndLoad("libnot_a_library.so", "this is text".getBytes(StandardCharsets.US_ASCII), "r"));
        Path expected = tmp.resolve("d").resolve(LibraryExtractor.sha256Hex("this is text".getBytes(StandardCharsets.US_ASCII)))
                .resolve("libnot_a_library.so");
        assertTrue(e.getMessage().contains("Could not load native library " + expected), e.getMessage());
        assertTrue(Files.isRegularFile(expected, LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void noexecMessagesAreRecognised() {
        assertTrue(LibraryExtractor.looksLikeNoexec("/tmp/x.so: failed to map segment from shared object"));
        assertTrue(LibraryExtractor.looksLikeNoexec("Error loading shared library /tmp/x.so: Operation not permitted"));
        assertTrue(LibraryExtractor.looksLikeNoexec("/tmp/x.so: cannot be mapped"));
        assertFalse(LibraryExtractor.looksLikeNoexec("/tmp/x.so: invalid ELF header"));
        assertFalse(LibraryExtractor.looksLikeNoexec(null));
    }

    private static Set<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
        }
    }
}
