package dev.sark.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BuildStampTest {
    private static final String FP = "fingerprint-1";

    @TempDir
    Path tmp;

    private Path source;
    private Path otherSource;
    private Path library;
    private Path jar;
    private Path cargoLock;
    private BuildStamp stamp;
    private Path stampFile;
    /** When the recorded build started; every input was last modified an hour before. */
    private Instant started;
    /** When the stamp was written, a minute after the start. */
    private Instant stampWritten;

    @BeforeEach
    void setUp() throws IOException {
        Path crate = Files.createDirectories(tmp.resolve("my crate/src"));
        source = Files.writeString(crate.resolve("lib.rs"), "pub fn f() {}");
        otherSource = Files.writeString(crate.resolve("other.rs"), "");
        cargoLock = Files.writeString(tmp.resolve("my crate/Cargo.lock"), "version = 4\n");
        Path out = Files.createDirectories(tmp.resolve("target/x86_64-unknown-linux-gnu/release"));
        library = Files.write(out.resolve("libfoo.so"), new byte[] {0x7f, 'E', 'L', 'F', 1, 2, 3});
        Files.writeString(out.resolve("libfoo.d"), library.toString().replace(" ", "\\ ") + ": "
                + source.toString().replace(" ", "\\ ") + " " + otherSource.toString().replace(" ", "\\ ") + "\n");
        jar = Files.write(tmp.resolve("foo-linux-x86_64.jar"), new byte[] {'P', 'K'});

        Instant now = Instant.now();
        started = now.minus(Duration.ofMinutes(10));
        stampWritten = started.plus(Duration.ofMinutes(1));
        for (Path p : List.of(source, otherSource, cargoLock)) {
            setMtime(p, started.minus(Duration.ofHours(1)));
        }
        stampFile = tmp.resolve("staging/build-stamp.properties");
        stamp = new BuildStamp(stampFile);
        stamp.write(new BuildStamp.Record(FP, Digests.sha256(library), "rustc 1.95.0", started.toEpochMilli()));
        setMtime(stampFile, stampWritten);
    }

    private static void setMtime(Path p, Instant t) throws IOException {
        Files.setLastModifiedTime(p, FileTime.from(t));
    }

    private Optional<BuildStamp.Record> upToDate() {
        return stamp.upToDate(FP, library, jar, List.of(cargoLock));
    }

    @Test
    void writtenStampReadsBack() {
        BuildStamp.Record r = stamp.read().orElseThrow();
        assertEquals(FP, r.fingerprint);
        assertEquals(Digests.sha256(library), r.sha256);
        assertEquals("rustc 1.95.0", r.rustc);
        assertEquals(started.toEpochMilli(), r.startedAtMillis);
    }

    @Test
    void upToDateRightAfterWriting() {
        Optional<BuildStamp.Record> r = upToDate();
        assertTrue(r.isPresent());
        assertEquals(FP, r.get().fingerprint);
    }

    @Test
    void notUpToDateWithoutAStamp() throws IOException {
        stamp.delete();
        assertFalse(Files.exists(stampFile));
        assertFalse(upToDate().isPresent());
        stamp.delete(); // deleting twice is fine
    }

    @Test
    void corruptStampIsIgnored() throws IOException {
        Files.writeString(stampFile, "fingerprint=" + FP + "\nsha256=" + Digests.sha256(library) + "\nstarted=yesterday\n");
        assertFalse(stamp.read().isPresent());
        assertFalse(upToDate().isPresent());
    }

    @Test
    void sourceTouchedAfterTheBuildStartedForcesARebuild() throws IOException {
        setMtime(otherSource, started.plusSeconds(1));
        assertFalse(upToDate().isPresent());
    }

    @Test
    void sourceTouchedBeforeTheBuildStartedDoesNot() throws IOException {
        setMtime(otherSource, started.minusSeconds(1));
        assertTrue(upToDate().isPresent());
    }

    @Test
    void deletedSourceForcesARebuild() throws IOException {
        Files.delete(otherSource);
        assertFalse(upToDate().isPresent());
    }

    @Test
    void missingDepInfoForcesARebuild() throws IOException {
        Files.delete(BuildStamp.depInfoFile(library));
        assertFalse(upToDate().isPresent());
    }

    @Test
    void differentFingerprintForcesARebuild() {
        assertFalse(stamp.upToDate("fingerprint-2", library, jar, List.of(cargoLock)).isPresent());
    }

    @Test
    void missingJarForcesARebuild() throws IOException {
        Files.delete(jar);
        assertFalse(upToDate().isPresent());
    }

    @Test
    void missingLibraryForcesARebuild() throws IOException {
        Files.delete(library);
        assertFalse(upToDate().isPresent());
    }

    @Test
    void changedLibraryBytesForceARebuildEvenWithTheSameMtime() throws IOException {
        FileTime mtime = Files.getLastModifiedTime(library);
        Files.write(library, new byte[] {0x7f, 'E', 'L', 'F', 9, 9, 9});
        Files.setLastModifiedTime(library, mtime);
        assertFalse(upToDate().isPresent());
    }

    @Test
    void lockFileWrittenDuringTheBuildDoesNotForceARebuild() throws IOException {
        setMtime(cargoLock, started.plusSeconds(30)); // cargo updated it while building
        assertTrue(upToDate().isPresent());
    }

    @Test
    void lockFileModifiedAfterTheStampWasWrittenForcesARebuild() throws IOException {
        setMtime(cargoLock, stampWritten.plusSeconds(1));
        assertFalse(upToDate().isPresent());
    }

    @Test
    void deletedExtraInputForcesARebuild() throws IOException {
        Files.delete(cargoLock);
        assertFalse(upToDate().isPresent());
    }

    @Test
    void depInfoFileNames() {
        assertEquals(Path.of("/t/libfoo.d"), BuildStamp.depInfoFile(Path.of("/t/libfoo.so")));
        assertEquals(Path.of("/t/foo.d"), BuildStamp.depInfoFile(Path.of("/t/foo.dll")));
        assertEquals(Path.of("/t/libfoo.d"), BuildStamp.depInfoFile(Path.of("/t/libfoo.dylib")));
    }
}
