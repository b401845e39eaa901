package dev.sark.loader;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Puts a library's bytes into a file {@code System.load} can map, and loads it.
 *
 * <p>The file lives at {@code <dir>/<sha256>/<file name>}: keyed by content, so two versions never
 * overwrite each other and a file already there is reused when its hash still matches (a JVM start
 * does not rewrite megabytes). It is written under a temporary name and moved into place atomically, so
 * concurrent JVMs never load a half-written file. Every directory is checked by {@link TrustedDirectories}
 * (no other user can change anything on the way to the file between its check and {@code System.load}),
 * the hash directories are owner-only, and pre-existing entries are never trusted: symbolic links are not
 * followed, owners and hashes are checked.
 *
 * <p>A library file can be loaded by one class loader only. When the JDK reports it "already loaded in
 * another classloader" (a second web application, or a redeploy while the old class loader is still alive),
 * the next copy, {@code <sha256>/copy-<n>/<file name>}, is used instead.
 */
final class LibraryExtractor {

    /** Loads a library file; {@code System::load} in production, a stand-in in tests. */
    interface Linker {
        void load(Path file);
    }

    /** How many class loaders of one JVM may load their own copy of one library. */
    static final int MAX_COPIES = 64;

    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");
    /** A temporary file this old was left by a killed JVM; no live extraction takes that long. */
    private static final Duration ABANDONED_TEMP_AGE = Duration.ofMinutes(10);
    private static final System.Logger LOG = System.getLogger(LibraryExtractor.class.getName());

    private final List<ExtractionDirectories.Candidate> dirs;
    private final Linker linker;
    private final Function<Path, Optional<Boolean>> noexecProbe;

    LibraryExtractor(List<ExtractionDirectories.Candidate> dirs, Linker linker, Function<Path, Optional<Boolean>> noexecProbe) {
        this.dirs = List.copyOf(dirs);
        this.linker = linker;
        this.noexecProbe = noexecProbe;
    }

    /**
     * Extracts {@code content} as {@code fileName} into the first usable directory and loads it.
     *
     * @param origin where the bytes came from (a resource URL), for messages
     * @return the file that was loaded
     * @throws UnsatisfiedLinkError when no directory works (each one's reason is listed) or the library itself does not load
     */
    Path extractAndLoad(String fileName, byte[] content, String origin) {
        String sha = sha256Hex(content);
        List<String> failures = new ArrayList<>();
        List<String> noexecDirs = new ArrayList<>();
        for (ExtractionDirectories.Candidate dir : dirs) {
            if (noexecProbe.apply(dir.path()).orElse(false)) {
                failures.add(dir + ": mounted noexec (/proc/self/mountinfo)");
                noexecDirs.add(dir.path().toString());
                continue;
            }
            Path loaded;
            try {
                loaded = loadFrom(dir, fileName, content, sha, origin);
            } catch (IOException | UnsupportedOperationException | SecurityException e) {
                failures.add(dir + ": not usable: " + e.getMessage());
                continue;
            } catch (MappingRefused e) {
                failures.add(dir + ": System.load failed: " + e.getMessage());
                noexecDirs.add(dir.path().toString());
                continue;
            }
            if (!failures.isEmpty()) {
                LOG.log(System.Logger.Level.WARNING, "Loaded " + loaded + " after skipping: " + String.join("; ", failures));
            }
            return loaded;
        }
        StringBuilder msg = new StringBuilder("Could not extract and load ").append(origin).append("; tried:");
        for (String f : failures) {
            msg.append("\n  - ").append(f);
        }
        if (dirs.isEmpty()) {
            msg.append(" no directory (set -D").append(ExtractionDirectories.EXTRACT_DIR_PROPERTY).append(')');
        }
        for (String d : noexecDirs) {
            msg.append('\n').append(noexecAdvice(d));
        }
        throw new UnsatisfiedLinkError(msg.toString());
    }

    /** The dynamic loader refused to map the file executable, as on a noexec mount: try the next directory. */
    private static final class MappingRefused extends Exception {
        private static final long serialVersionUID = 1L;

        MappingRefused(String message) {
            super(message);
        }
    }

    /**
     * Extracts into {@code dir} and loads, moving on to the next copy while the JDK says the file belongs to
     * another class loader.
     */
    private Path loadFrom(ExtractionDirectories.Candidate dir, String fileName, byte[] content, String sha,
            String origin) throws IOException, MappingRefused {
        for (int copy = 0; copy <= MAX_COPIES; copy++) {
            Path file = extract(dir.path(), dir.origin(), copy, fileName, content, sha);
            try {
                linker.load(file);
                return file;
            } catch (UnsatisfiedLinkError e) {
                if (looksLikeNoexec(e.getMessage())) {
                    throw new MappingRefused(e.getMessage());
                }
                if (!loadedByAnotherClassLoader(e.getMessage())) {
                    // The file is in place; a different directory would not make a broken or foreign library load.
                    UnsatisfiedLinkError error = new UnsatisfiedLinkError("Could not load native library " + file
                            + " (extracted from " + origin + "): " + e.getMessage());
                    error.initCause(e);
                    throw error;
                }
            }
        }
        throw new UnsatisfiedLinkError(origin + " is already loaded by " + (MAX_COPIES + 1) + " class loaders of this JVM"
                + " (each needs its own copy, and old ones stay until their class loader is collected). Put the jars of"
                + " the library's API and sark-native-loader into one shared class loader (an application server's"
                + " common lib directory) so the library is loaded once.");
    }

    /** The JDK's wording when a library file is bound to another class loader already. */
    static boolean loadedByAnotherClassLoader(String message) {
        return message != null && message.contains("already loaded in another classloader");
    }

    static String noexecAdvice(String dir) {
        return dir + " is on a file system mounted noexec; set -D" + ExtractionDirectories.EXTRACT_DIR_PROPERTY
                + "=<an exec-mounted directory>";
    }

    /** The dynamic loader's wording when mmap(PROT_EXEC) is refused (glibc, musl, and older glibc). */
    static boolean looksLikeNoexec(String message) {
        if (message == null) {
            return false;
        }
        return message.contains("failed to map segment") || message.contains("Operation not permitted")
                || message.contains("cannot be mapped");
    }

    /** {@link #extract(Path, String, int, String, byte[], String)} for the first copy. */
    static Path extract(Path base, String fileName, byte[] content, String sha) throws IOException {
        return extract(base, "extract directory", 0, fileName, content, sha);
    }

    /**
     * Makes {@code <base>/<sha>/<fileName>} (or {@code <base>/<sha>/copy-<copy>/<fileName>}) hold exactly
     * {@code content}, reusing a matching file, and returns its path with no symbolic links in it: the path
     * that was checked is the one {@code System.load} gets.
     *
     * @param origin where {@code base} came from ("-Dsark.native.extractDir", ...), for messages
     * @throws IOException when the directory cannot be used; the message says why
     */
    static Path extract(Path base, String origin, int copy, String fileName, byte[] content, String sha) throws IOException {
        Path absolute = base.toAbsolutePath();
        Files.createDirectories(absolute, dirAttributes());
        Path real = absolute.toRealPath();
        int me = currentUid(real);
        TrustedDirectories.require(real, me, origin);
        Path dir = privateDirectory(real.resolve(sha), me);
        if (copy > 0) {
            dir = privateDirectory(dir.resolve("copy-" + copy), me);
        }
        removeAbandonedTemps(dir, fileName);
        Path target = dir.resolve(fileName);
        if (holds(target, content.length, sha, me)) {
            return target;
        }
        Path tmp = Files.createTempFile(dir, "." + fileName + "-", ".tmp", fileAttributes());
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
                ByteBuffer buf = ByteBuffer.wrap(content);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true); // a crash must not leave a short file under the final name
            }
            try {
                move(tmp, target);
            } catch (IOException e) {
                // Another JVM may have won the race (Windows refuses to replace a loaded DLL): its file is as good as ours.
                if (!holds(target, content.length, sha, me)) {
                    throw e;
                }
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
        if (!holds(target, content.length, sha, me)) {
            throw new IOException(target + " does not hold the expected content (SHA-256 " + sha + ") after writing it");
        }
        return target;
    }

    private static void move(Path tmp, Path target) throws IOException {
        try {
            // rename(2) replaces the name itself: a symbolic link planted at target is replaced, not followed.
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * Whether {@code file} is a regular file (not a link), owned by {@code me} where owners exist, of the
     * right size and SHA-256. Anything else at that name is removed so the caller can write a fresh file.
     */
    static boolean holds(Path file, long size, String sha, int me) throws IOException {
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return false;
        }
        if (!attrs.isRegularFile() || (me >= 0 && me != TrustedDirectories.uid(file))) {
            Files.delete(file); // deletes a link itself, never its target; fails (IOException) on a non-empty directory
            return false;
        }
        if (attrs.size() != size) {
            return false;
        }
        MessageDigest digest = sha256();
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            byte[] buf = new byte[64 * 1024];
            for (int n; (n = in.read(buf)) > 0; ) {
                digest.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest()).equals(sha);
    }

    /** The current user's uid: the owner of a file just created in {@code dir} (which also proves it writable); -1 without POSIX. */
    private static int currentUid(Path dir) throws IOException {
        if (!TrustedDirectories.POSIX) {
            return -1;
        }
        Path probe = Files.createTempFile(dir, ".probe-", ".tmp", fileAttributes());
        try {
            return TrustedDirectories.uid(probe);
        } finally {
            Files.delete(probe);
        }
    }

    /**
     * Creates {@code dir} owner-only, or accepts an existing one that is a real directory of ours (tightening
     * its permissions); refuses a link or another user's directory.
     */
    static Path privateDirectory(Path dir, int me) throws IOException {
        try {
            Files.createDirectory(dir, dirAttributes());
        } catch (FileAlreadyExistsException e) {
            // Made by an earlier run (or a concurrent one): checked below like any other pre-existing directory.
        }
        BasicFileAttributes attrs = Files.readAttributes(dir, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (!attrs.isDirectory()) {
            throw new IOException(dir + " is a symbolic link or not a directory; refusing to extract into it");
        }
        if (!TrustedDirectories.POSIX) {
            return dir;
        }
        int owner = TrustedDirectories.uid(dir);
        if (me >= 0 && owner != me) {
            throw new IOException(dir + " belongs to uid " + owner + ", not to this user (uid " + me
                    + "); refusing to load code from a directory another user controls");
        }
        if (!Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS).equals(OWNER_ONLY)) {
            Files.setPosixFilePermissions(dir, OWNER_ONLY);
        }
        return dir;
    }

    /** Deletes temporary files that a JVM killed while extracting left behind. */
    private static void removeAbandonedTemps(Path dir, String fileName) {
        FileTime cutoff = FileTime.from(Instant.now().minus(ABANDONED_TEMP_AGE));
        try (DirectoryStream<Path> temps = Files.newDirectoryStream(dir, "." + fileName + "-*.tmp")) {
            for (Path tmp : temps) {
                BasicFileAttributes attrs = Files.readAttributes(tmp, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                if (attrs.lastModifiedTime().compareTo(cutoff) < 0) {
                    Files.deleteIfExists(tmp);
                }
            }
        } catch (IOException | DirectoryIteratorException e) {
            // Only tidying: a leftover file costs disk space, not correctness. (A 32-bit JVM may not even list
            // the directory: readdir fails with EOVERFLOW on file systems with 64-bit inode numbers.)
        }
    }

    static String sha256Hex(byte[] content) {
        return HexFormat.of().formatHex(sha256().digest(content));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is mandatory in every Java platform", e);
        }
    }

    private static FileAttribute<?>[] dirAttributes() {
        return fileAttributes();
    }

    private static FileAttribute<?>[] fileAttributes() {
        return TrustedDirectories.POSIX ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)}
                : new FileAttribute<?>[0];
    }
}
