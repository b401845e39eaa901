package dev.sark.crossbuild;

import dev.sark.crossbuild.ConfigurationException.Setting;
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
    private final Path workspaceRoot;

    private CrateInfo(Path manifest, String packageName, String libName, String rustVersion, Path workspaceRoot) {
        this.manifest = manifest;
        this.packageName = packageName;
        this.libName = libName;
        this.rustVersion = rustVersion;
        this.workspaceRoot = workspaceRoot;
    }

    /**
     * Reads {@code Cargo.toml}.
     *
     * @throws BuildException when the file is missing, unreadable, or does not declare a cdylib
     */
    public static CrateInfo read(Path manifest) {
        if (!Files.isRegularFile(manifest)) {
            throw new ConfigurationException(Setting.MANIFEST, null, manifest.toString(), "does not exist");
        }
        TomlParseResult toml;
        try {
            toml = Toml.parse(manifest);
        } catch (IOException e) {
            throw new BuildException("Cannot read " + manifest + ": " + e.getMessage(), e);
        }
        if (toml.hasErrors()) {
            throw new ConfigurationException(Setting.MANIFEST, null, manifest.toString(), "cannot be parsed: "
                    + toml.errors().get(0));
        }
        String packageName = toml.getString("package.name");
        if (packageName == null) {
            throw new ConfigurationException(Setting.MANIFEST, null, manifest.toString(), "has no [package] name: it is"
                    + " a virtual workspace manifest, not a crate's");
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
            throw new ConfigurationException(Setting.MANIFEST, null, manifest.toString(), "does not build a cdylib, which"
                    + " is what the JVM loads. Add to it:\n[lib]\ncrate-type = [\"cdylib\"]");
        }
        Path absolute = manifest.toAbsolutePath().normalize();
        Path root = workspaceManifest(absolute, toml).map(Path::getParent).orElse(absolute.getParent());
        return new CrateInfo(absolute, packageName, libName, rustVersion(absolute, toml), root);
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
     * {@code [workspace.package] rust-version}. Null when none is declared or the inheritance cannot be
     * followed (cargo then reports it).
     */
    private static String rustVersion(Path manifest, TomlParseResult toml) {
        if (toml.isString("package.rust-version")) {
            return toml.getString("package.rust-version");
        }
        if (!Boolean.TRUE.equals(toml.getBoolean("package.rust-version.workspace"))) {
            return null;
        }
        return workspaceManifest(manifest, toml).flatMap(CrateInfo::parse)
                .map(root -> root.getString("workspace.package.rust-version")).orElse(null);
    }

    /**
     * The manifest of the crate's workspace root, found as cargo finds it: {@code package.workspace} when
     * set, else the crate's own manifest when it has a {@code [workspace]} table, else the nearest manifest
     * above the crate with one. Empty for a crate outside any workspace.
     */
    private static Optional<Path> workspaceManifest(Path manifest, TomlParseResult toml) {
        String explicit = toml.getString("package.workspace");
        if (explicit != null) {
            return Optional.of(manifest.getParent().resolve(explicit).resolve("Cargo.toml").normalize());
        }
        if (toml.isTable("workspace")) {
            return Optional.of(manifest);
        }
        for (Path d = manifest.getParent().getParent(); d != null; d = d.getParent()) {
            Path candidate = d.resolve("Cargo.toml");
            if (parse(candidate).map(root -> root.isTable("workspace")).orElse(false)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
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

    /**
     * The directory of the crate's Cargo workspace root: the crate's own directory when it is not a member
     * of a larger workspace. Crates of one workspace share one cargo target directory, as with cargo itself.
     */
    public Path workspaceRoot() {
        return workspaceRoot;
    }

    /** True when the crate is a member of a workspace rooted above its own directory. */
    public boolean inSharedWorkspace() {
        return !workspaceRoot.equals(directory());
    }

    /** The oldest compiler the crate accepts ({@code rust-version}, perhaps the workspace's), or null. */
    public String rustVersion() {
        return rustVersion;
    }
}
