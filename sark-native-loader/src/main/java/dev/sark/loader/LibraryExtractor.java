package dev.sark.loader;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
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
 * concurrent JVMs never load a half-written file. Directories are owner-only and pre-existing entries
 * are never trusted (symbolic links are not followed, owners and hashes are checked), because the
 * temp-dir fallback is shared with other users.
 */
final class LibraryExtractor {

    /** Loads a library file; {@code System::load} in production, a stand-in in tests. */
    interface Linker {
        void load(Path file);
    }

    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    private static final Set<PosixFilePermission> OWNER_DIR = PosixFilePermissions.fromString("rwx------");

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
            Path file;
            try {
                file = extract(dir.path(), dir.shared(), fileName, content, sha);
            } catch (IOException | UnsupportedOperationException | SecurityException e) {
                failures.add(dir + ": not usable: " + e);
                continue;
            }
            try {
                linker.load(file);
                return file;
            } catch (UnsatisfiedLinkError e) {
                if (!looksLikeNoexec(e.getMessage())) {
                    // The file is in place; a different directory would not make a broken or foreign library load.
                    UnsatisfiedLinkError error = new UnsatisfiedLinkError("Could not load native library " + file
                            + " (extracted from " + origin + "): " + e.getMessage());
                    error.initCause(e);
                    throw error;
                }
                failures.add(dir + ": System.load failed: " + e.getMessage());
                noexecDirs.add(dir.path().toString());
            }
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

    /**
     * Makes {@code <base>/<sha>/<fileName>} hold exactly {@code content}, reusing a matching file.
     *
     * @param shared whether {@code base} itself lies in a directory other users can write (then it must be ours)
     * @throws IOException when the directory cannot be used; the message says why
     */
    static Path extract(Path base, boolean shared, String fileName, byte[] content, String sha) throws IOException {
        Files.createDirectories(base, dirAttributes());
        if (shared) {
            requirePrivateDirectory(base);
        }
        Path dir = base.resolve(sha);
        try {
            Files.createDirectory(dir, dirAttributes());
        } catch (FileAlreadyExistsException e) {
            // Made by an earlier run (or a concurrent one): checked below like any other pre-existing directory.
        }
        UserPrincipal me = requirePrivateDirectory(dir);
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
    static boolean holds(Path file, long size, String sha, UserPrincipal me) throws IOException {
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return false;
        }
        if (!attrs.isRegularFile() || (me != null && !me.equals(Files.getOwner(file, LinkOption.NOFOLLOW_LINKS)))) {
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

    /**
     * Refuses a directory that is a link, or belongs to someone else (planted in a shared temp dir), and
     * takes group/other write access away from our own. Returns the current user where owners exist.
     */
    static UserPrincipal requirePrivateDirectory(Path dir) throws IOException {
        BasicFileAttributes attrs = Files.readAttributes(dir, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (!attrs.isDirectory()) {
            throw new IOException(dir + " is a symbolic link or not a directory; refusing to extract into it");
        }
        if (!POSIX) {
            return null;
        }
        // Who "we" are: the owner of a file we just created. Also proves the directory is writable.
        Path probe = Files.createTempFile(dir, ".probe-", ".tmp", fileAttributes());
        UserPrincipal me;
        try {
            me = Files.getOwner(probe, LinkOption.NOFOLLOW_LINKS);
        } finally {
            Files.delete(probe);
        }
        PosixFileAttributes posix = Files.readAttributes(dir, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (!posix.owner().equals(me)) {
            throw new IOException(dir + " belongs to " + posix.owner().getName() + ", not to " + me.getName()
                    + "; refusing to load code from a directory another user controls");
        }
        if (!posix.permissions().equals(OWNER_DIR)) {
            Files.setPosixFilePermissions(dir, OWNER_DIR);
        }
        return me;
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
        return POSIX ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_DIR)} : new FileAttribute<?>[0];
    }

    private static FileAttribute<?>[] fileAttributes() {
        return POSIX ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"))}
                : new FileAttribute<?>[0];
    }
}
