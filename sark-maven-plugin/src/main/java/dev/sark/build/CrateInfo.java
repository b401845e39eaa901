package dev.sark.build;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.tomlj.Toml;
import org.tomlj.TomlArray;
import org.tomlj.TomlParseResult;

/**
 * What the plugin needs to know of a crate before cargo runs: its library name (to find the produced
 * file without asking cargo, so an up-to-date target never starts cargo), whether it is a cdylib, and the
 * oldest compiler it accepts ({@code rust-version}, checked against each target's toolchain).
 */
public final class CrateInfo {
    private final Path manifest;
    private final String packageName;
    private final String libName;
    private final String rustVersion;

    private CrateInfo(Path manifest, String packageName, String libName, String rustVersion) {
        this.manifest = manifest;
        this.packageName = packageName;
        this.libName = libName;
        this.rustVersion = rustVersion;
    }

    /**
     * Reads {@code Cargo.toml}.
     *
     * @throws BuildException when the file is missing, unreadable, or does not declare a cdylib
     */
    public static CrateInfo read(Path manifest) {
        if (!Files.isRegularFile(manifest)) {
            throw new BuildException("No Cargo manifest at " + manifest
                    + ". Set <manifestPath> to the crate's Cargo.toml (default: ${project.basedir}/Cargo.toml).");
        }
        TomlParseResult toml;
        try {
            toml = Toml.parse(manifest);
        } catch (IOException e) {
            throw new BuildException("Cannot read " + manifest + ": " + e.getMessage(), e);
        }
        if (toml.hasErrors()) {
            throw new BuildException("Cannot parse " + manifest + ": " + toml.errors().get(0));
        }
        String packageName = toml.getString("package.name");
        if (packageName == null) {
            throw new BuildException(manifest + " has no [package] name; point <manifestPath> at the crate,"
                    + " not at a virtual workspace manifest.");
        }
        String libName = toml.getString("lib.name");
        if (libName == null) {
            libName = packageName.replace('-', '_');
        }
        List<String> crateTypes = new ArrayList<>();
        TomlArray types = toml.getArray("lib.crate-type");
        if (types != null) {
            for (int i = 0; i < types.size(); i++) {
                crateTypes.add(types.getString(i));
            }
        }
        if (!crateTypes.contains("cdylib")) {
            throw new BuildException(manifest + " does not build a cdylib, which is what the JVM loads. Add to it:\n"
                    + "[lib]\ncrate-type = [\"cdylib\"]");
        }
        Path absolute = manifest.toAbsolutePath().normalize();
        return new CrateInfo(absolute, packageName, libName, rustVersion(absolute, toml));
    }

    /**
     * The {@code rust-version} a crate's manifest declares, also when it inherits it from its workspace; empty
     * when there is no manifest or it declares none. For {@code sark:doctor}, which needs no cdylib.
     */
    public static Optional<String> declaredRustVersion(Path manifest) {
        Path absolute = manifest.toAbsolutePath().normalize();
        return parse(absolute).map(toml -> rustVersion(absolute, toml));
    }

    /**
     * {@code [package] rust-version}, or with {@code rust-version.workspace = true} the workspace's
     * {@code [workspace.package] rust-version}: the workspace root is {@code package.workspace} when set, else
     * the nearest manifest above the crate with a {@code [workspace]} table (as cargo finds it). Null when none
     * is declared or the inheritance cannot be followed (cargo then reports it).
     */
    private static String rustVersion(Path manifest, TomlParseResult toml) {
        if (toml.isString("package.rust-version")) {
            return toml.getString("package.rust-version");
        }
        if (!Boolean.TRUE.equals(toml.getBoolean("package.rust-version.workspace"))) {
            return null;
        }
        Path dir = manifest.getParent();
        String explicit = toml.getString("package.workspace");
        if (explicit != null) {
            return parse(dir.resolve(explicit).resolve("Cargo.toml").normalize())
                    .map(root -> root.getString("workspace.package.rust-version")).orElse(null);
        }
        for (Path d = dir.getParent(); d != null; d = d.getParent()) {
            Optional<TomlParseResult> root = parse(d.resolve("Cargo.toml"));
            if (root.isPresent() && root.get().isTable("workspace")) {
                return root.get().getString("workspace.package.rust-version");
            }
        }
        return null;
    }

    /** A manifest that exists and parses, else empty. */
    private static Optional<TomlParseResult> parse(Path manifest) {
        if (!Files.isRegularFile(manifest)) {
            return Optional.empty();
        }
        try {
            TomlParseResult toml = Toml.parse(manifest);
            return toml.hasErrors() ? Optional.empty() : Optional.of(toml);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    public Path manifest() {
        return manifest;
    }

    public Path directory() {
        return manifest.getParent();
    }

    public String packageName() {
        return packageName;
    }

    /** The library name as rustc uses it ({@code [lib] name}, or the package name with '-' as '_'). */
    public String libName() {
        return libName;
    }

    /** The oldest compiler the crate accepts ({@code rust-version}, perhaps the workspace's), or null. */
    public String rustVersion() {
        return rustVersion;
    }
}
