package dev.sark.crossbuild.check;

/**
 * A major.minor pair of a PE optional header (subsystem or operating-system version). Windows numbers its
 * releases 5.1 (XP), 6.0 (Vista), 6.1 (7), 6.2 (8), 6.3 (8.1) and 10.0 (10 and 11 alike).
 */
public record WindowsVersion(int major, int minor) implements Comparable<WindowsVersion> {

    /** Windows 10, the oldest Windows SARK's libraries load on (and Rust's tier-1 Windows targets support). */
    public static final WindowsVersion WINDOWS_10 = new WindowsVersion(10, 0);

    @Override
    public int compareTo(WindowsVersion other) {
        return major != other.major ? Integer.compare(major, other.major) : Integer.compare(minor, other.minor);
    }

    public boolean newerThan(WindowsVersion other) {
        return compareTo(other) > 0;
    }

    @Override
    public String toString() {
        return major + "." + minor;
    }
}
