package dev.sark.loader;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;

/**
 * Decides whether a directory is safe to load code from: no user but the current one (and root) may be able
 * to rename, replace or write anything on the way to it.
 *
 * <p>{@code System.load} resolves the path again after the loader verified the file, so a check of the file
 * alone is not enough: whoever can rename an entry in any directory on the path can swap a verified
 * directory for their own between the check and the load. So every directory from the root down must belong
 * to root or to the current user, and must not be writable by group or others, unless it is sticky (like
 * {@code /tmp}), where others cannot rename or delete entries they do not own. The path is checked after
 * resolving symbolic links, and the resolved path is the one that gets loaded.
 *
 * <p>Without POSIX attributes (Windows) nothing is checked here: the per-user directories there are protected
 * by their ACLs, which the loader does not inspect.
 */
final class TrustedDirectories {

    static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    private static final boolean UNIX_VIEW = FileSystems.getDefault().supportedFileAttributeViews().contains("unix");

    private static final int GROUP_OR_OTHER_WRITE = 0022;
    private static final int STICKY = 01000;

    private TrustedDirectories() {
    }

    /** The numeric owner of a file, or -1 without the unix attribute view. */
    static int uid(Path file) throws IOException {
        return UNIX_VIEW ? (Integer) Files.getAttribute(file, "unix:uid", LinkOption.NOFOLLOW_LINKS) : -1;
    }

    /**
     * Throws unless {@code realDir} (a path with no symbolic links left, from {@link Path#toRealPath}) and every
     * directory above it belong to {@code myUid} or root and cannot be changed by anyone else.
     *
     * @param origin where the directory came from, for the message
     */
    static void require(Path realDir, int myUid, String origin) throws IOException {
        if (!POSIX || !UNIX_VIEW) {
            return;
        }
        for (Path dir = realDir; dir != null; dir = dir.getParent()) {
            Map<String, Object> attrs = Files.readAttributes(dir, "unix:uid,mode", LinkOption.NOFOLLOW_LINKS);
            int owner = (Integer) attrs.get("uid");
            int mode = (Integer) attrs.get("mode");
            String where = dir.equals(realDir) ? dir.toString() : dir + " (on the way to " + realDir + ")";
            if (owner != myUid && owner != 0) {
                throw new IOException(where + " belongs to uid " + owner + ", not to this user (uid " + myUid
                        + ") or root; refusing to load code from a directory another user controls. " + remedy(origin));
            }
            if ((mode & GROUP_OR_OTHER_WRITE) != 0 && (mode & STICKY) == 0) {
                throw new IOException(where + " is writable by other users (mode " + String.format("%04o", mode & 07777)
                        + "), so another user could swap the library between its check and System.load; refusing it. "
                        + remedy(origin));
            }
        }
    }

    private static String remedy(String origin) {
        return "Use a directory that only you can write (chmod go-w, or a private directory inside a sticky one"
                + " such as /tmp)" + (origin.startsWith("-D") ? " for " + origin : ", or set -D"
                + ExtractionDirectories.EXTRACT_DIR_PROPERTY + " to one") + ".";
    }
}
