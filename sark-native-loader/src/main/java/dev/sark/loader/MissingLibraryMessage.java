package dev.sark.loader;

import java.util.List;
import java.util.Map;

/**
 * The text of the error thrown when no library matches this platform. It has to answer, without the
 * user reading any code: what platform did the loader think this is (and why), what is on the class
 * path instead, and what exactly to add to the pom.
 */
final class MissingLibraryMessage {

    private MissingLibraryMessage() {
    }

    /**
     * @param detection what was detected and how
     * @param searched the resource paths that were looked up
     * @param found classifier -> location of the libraries for {@code libName} that are on the class path
     */
    static String build(String libName, ArtifactCoordinates artifact, PlatformDetector.Detection detection,
            List<String> searched, Map<String, String> found, List<String> unreadableJars) {
        Platform p = detection.platform();
        StringBuilder m = new StringBuilder();
        m.append("No native library '").append(libName).append("' for this platform on the class path.\n");
        m.append("  Detected platform: ").append(p.triple()).append(", classifier ").append(p.classifier())
                .append(" (").append(detection.how()).append(")\n");
        m.append("  Looked for: ").append(String.join(", ", searched)).append('\n');
        if (found.isEmpty()) {
            m.append("  Found on the class path: no library '").append(libName).append("' for any classifier\n");
        } else {
            m.append("  Found on the class path for classifiers: ").append(String.join(", ", found.keySet())).append('\n');
            for (Map.Entry<String, String> e : found.entrySet()) {
                m.append("    ").append(e.getKey()).append(": ").append(e.getValue()).append('\n');
            }
        }
        if (!unreadableJars.isEmpty()) {
            m.append("  These JARs on the class path cannot be read, so nothing in them was found (corrupt or cut short:")
                    .append(" delete them, in ~/.m2/repository for Maven dependencies, and let the build fetch them again):\n");
            unreadableJars.forEach(jar -> m.append("    ").append(jar).append('\n'));
        }
        m.append("  Add the artifact for this platform to your pom.xml:\n")
                .append("    <dependency>\n")
                .append("      <groupId>").append(artifact.groupId()).append("</groupId>\n")
                .append("      <artifactId>").append(artifact.artifactId()).append("</artifactId>\n")
                .append("      <version>").append(artifact.version()).append("</version>\n")
                .append("      <classifier>").append(p.classifier()).append("</classifier>\n")
                .append("    </dependency>\n");
        m.append("  If detection is wrong, force the platform with -D").append(PlatformDetector.CLASSIFIER_PROPERTY)
                .append("=<classifier> (or only the C library with -D").append(PlatformDetector.LIBC_PROPERTY)
                .append("=glibc|musl); to use a library file directly, set -D").append(NativeLoader.LIBRARY_PROPERTY_PREFIX)
                .append(libName).append("=/path/to/").append(p.libraryFileName(libName));
        return m.toString();
    }
}
