package dev.sark.build;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.tomlj.Toml;
import org.tomlj.TomlArray;
import org.tomlj.TomlParseResult;

/**
 * What the plugin needs to know of a crate before cargo runs: its library name (to find the produced
 * file without asking cargo, so an up-to-date target never starts cargo) and whether it is a cdylib.
 */
public final class CrateInfo {
    private final Path manifest;
    private final String packageName;
    private final String libName;

    private CrateInfo(Path manifest, String packageName, String libName) {
        this.manifest = manifest;
        this.packageName = packageName;
        this.libName = libName;
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
        return new CrateInfo(manifest.toAbsolutePath().normalize(), packageName, libName);
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
}
