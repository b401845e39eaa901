package dev.sark.crossbuild;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * {@code sark:package-natives}: packages libraries that other jobs built (a CI fan-in), without cargo.
 *
 * <p>For each target it looks under the prebuilt directory for either the library file in a directory named
 * after the target's triple or classifier (as cargo lays out {@code target/<triple>/release/}, or as an
 * artifact download names it), or a classifier JAR {@code *-<classifier>.jar} that holds it. The library is
 * checked like a freshly built one before it is packaged again.
 */
public final class PrebuiltPackager {
    private static final int MAX_DEPTH = 8;
    /** Cargo's own bookkeeping under target/: copies of the library there are not the product. */
    private static final Set<String> CARGO_INTERNALS = Set.of("deps", "build", "incremental", ".fingerprint", "examples");

    private final Path prebuiltDir;
    private final LibraryPackager packager;
    private final BuildLog log;

    public PrebuiltPackager(Path prebuiltDir, LibraryPackager packager, BuildLog log) {
        this.prebuiltDir = prebuiltDir;
        this.packager = packager;
        this.log = log;
    }

    public List<TargetResult> packageAll(List<TargetSpec> targets, TargetOutputs.Layout layout) {
        if (!Files.isDirectory(prebuiltDir)) {
            throw new ConfigurationException(ConfigurationException.Setting.PREBUILT_DIRECTORY, null, prebuiltDir.toString(),
                    "does not exist: it must be the directory where the matrix jobs' libraries or classifier JARs were"
                    + " downloaded");
        }
        LibraryPackager.checkClassifiersUnique(targets);
        List<TargetResult> results = new ArrayList<>();
        for (int i = 0; i < targets.size(); i++) {
            TargetSpec target = targets.get(i);
            String progress = "(" + (i + 1) + "/" + targets.size() + ") " + target.triple();
            TargetOutputs out = layout.outputsFor(target);
            if (!target.slices().isEmpty() && find(target).isEmpty()) {
                results.add(packager.mergeSlices(target, out, results, "prebuilt", progress));
                continue;
            }
            results.add(packageOne(target, out, progress));
        }
        return results;
    }

    private TargetResult packageOne(TargetSpec target, TargetOutputs out, String progress) {
        out.forget();
        List<Path> found = find(target);
        if (found.isEmpty()) {
            return TargetResult.unavailable(target, "no prebuilt " + fileName(target) + " for " + target.triple()
                    + " under " + prebuiltDir + ": expected it in a directory named " + target.triple() + " or "
                    + target.classifier() + ", or a JAR named *-" + target.classifier() + ".jar");
        }
        Set<String> distinct = found.stream().map(Digests::sha256).collect(Collectors.toCollection(TreeSet::new));
        if (distinct.size() > 1) {
            return TargetResult.failed(target, "prebuilt", 0, "target " + target.triple() + ": " + found.size()
                    + " different prebuilt libraries match, keep one: " + found, List.of());
        }
        Path library = found.get(0);
        log.info(progress + ": prebuilt " + prebuiltDir.relativize(library));
        return packager.pack(target, library, out, "prebuilt", 0, "prebuilt", progress);
    }

    /** Candidate files for the target: loose libraries first, then libraries extracted from classifier JARs. */
    private List<Path> find(TargetSpec target) {
        String file = fileName(target);
        Set<String> markers = Set.of(target.triple(), target.classifier());
        List<Path> found = new ArrayList<>();
        try (Stream<Path> paths = Files.walk(prebuiltDir, MAX_DEPTH)) {
            for (Path p : (Iterable<Path>) paths.sorted()::iterator) {
                String name = p.getFileName().toString();
                if (name.equals(file) && Files.isRegularFile(p) && underMarker(p, markers) && !cargoInternal(p)) {
                    found.add(p);
                } else if (name.endsWith("-" + target.classifier() + ".jar") && Files.isRegularFile(p)) {
                    extractFromJar(p, target).ifPresent(found::add);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + prebuiltDir, e);
        }
        return found;
    }

    private boolean cargoInternal(Path file) {
        for (Path part : prebuiltDir.relativize(file)) {
            if (CARGO_INTERNALS.contains(part.toString())) {
                return true;
            }
        }
        return false;
    }

    private boolean underMarker(Path file, Set<String> markers) {
        for (Path dir = file.getParent(); dir != null && dir.startsWith(prebuiltDir); dir = dir.getParent()) {
            if (dir.getFileName() != null && markers.contains(dir.getFileName().toString())) {
                return true;
            }
        }
        return false;
    }

    private Optional<Path> extractFromJar(Path jar, TargetSpec target) throws IOException {
        String entry = target.platform().resourcePath(packager.libName());
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            ZipEntry e = zip.getEntry(entry);
            if (e == null) {
                log.warn(jar + " holds no " + entry + "; skipped");
                return Optional.empty();
            }
            Path extracted = Files.createTempFile("sark-prebuilt-", "-" + fileName(target));
            extracted.toFile().deleteOnExit();
            try (InputStream in = zip.getInputStream(e)) {
                Files.copy(in, extracted, StandardCopyOption.REPLACE_EXISTING);
            }
            return Optional.of(extracted);
        }
    }

    private String fileName(TargetSpec target) {
        return target.platform().libraryFileName(packager.libName());
    }
}
