package dev.sark.crossbuild;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CrateInfoTest {
    @TempDir
    Path tmp;

    private Path manifest(String toml) throws IOException {
        return Files.writeString(tmp.resolve("Cargo.toml"), toml);
    }

    @Test
    void missingManifestSaysWhereItLookedAndWhatToSet() {
        Path absent = tmp.resolve("nope/Cargo.toml");
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> CrateInfo.read(absent));
        assertEquals(ConfigurationException.Setting.MANIFEST, e.setting());
        assertEquals(absent.toString(), e.value());
        assertEquals("does not exist", e.problem());
    }

    @Test
    void crateWithoutCdylibGetsTheLibSnippet() throws IOException {
        Path m = manifest("[package]\nname = \"sark-demo\"\nversion = \"0.1.0\"\n\n[lib]\ncrate-type = [\"rlib\"]\n");
        BuildException e = assertThrows(BuildException.class, () -> CrateInfo.read(m));
        assertTrue(e.getMessage().contains("cdylib"), e.getMessage());
        assertTrue(e.getMessage().contains("[lib]\ncrate-type = [\"cdylib\"]"), e.getMessage());

        Path noLibSection = manifest("[package]\nname = \"sark-demo\"\nversion = \"0.1.0\"\n");
        assertTrue(assertThrows(BuildException.class, () -> CrateInfo.read(noLibSection)).getMessage()
                .contains("[lib]\ncrate-type = [\"cdylib\"]"));
    }

    @Test
    void libNameIsThePackageNameWithUnderscores() throws IOException {
        CrateInfo c = CrateInfo.read(manifest("[package]\nname = \"sark-opa-native\"\nversion = \"0.1.0\"\n\n"
                + "[lib]\ncrate-type = [\"cdylib\", \"rlib\"]\n"));
        assertEquals("sark-opa-native", c.packageName());
        assertEquals("sark_opa_native", c.libName());
        assertEquals(tmp.resolve("Cargo.toml").toAbsolutePath().normalize(), c.manifest());
        assertEquals(tmp.toAbsolutePath().normalize(), c.directory());
    }

    @Test
    void explicitLibNameWins() throws IOException {
        CrateInfo c = CrateInfo.read(manifest("[package]\nname = \"sark-cache-native\"\nversion = \"0.1.0\"\n\n"
                + "[lib]\nname = \"sarkcache\"\ncrate-type = [\"cdylib\"]\n"));
        assertEquals("sarkcache", c.libName());
        assertEquals("sark-cache-native", c.packageName());
    }

    @Test
    void virtualWorkspaceManifestIsRejectedWithAHint() throws IOException {
        Path m = manifest("[workspace]\nmembers = [\"sark-opa-native\", \"sark-cache-native\"]\nresolver = \"2\"\n");
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> CrateInfo.read(m));
        assertEquals(ConfigurationException.Setting.MANIFEST, e.setting());
        assertTrue(e.problem().contains("virtual workspace"), e.getMessage());
    }

    @Test
    void unparsableManifestNamesTheFile() throws IOException {
        Path m = manifest("[package\nname = ");
        BuildException e = assertThrows(BuildException.class, () -> CrateInfo.read(m));
        assertTrue(e.getMessage().contains(m.toString()), e.getMessage());
    }

    @Test
    void rustVersionOfThePackage() throws IOException {
        CrateInfo c = CrateInfo.read(TestSupport.writeCdylibCrate(tmp.resolve("a"), "a", "rust-version = \"1.95\"\n"));
        assertEquals("1.95", c.rustVersion());
        assertNull(CrateInfo.read(TestSupport.writeCdylibCrate(tmp.resolve("b"), "b")).rustVersion());
    }

    @Test
    void rustVersionInheritedFromTheNearestWorkspaceAbove() throws IOException {
        Files.writeString(tmp.resolve("Cargo.toml"), "[workspace]\nmembers = [\"native/a\"]\n\n"
                + "[workspace.package]\nversion = \"0.1.0\"\nrust-version = \"1.95\"\n");
        Path member = TestSupport.writeCdylibCrate(tmp.resolve("native/a"), "a", "rust-version.workspace = true\n");
        assertEquals("1.95", CrateInfo.read(member).rustVersion());
        assertEquals(Optional.of("1.95"), CrateInfo.declaredRustVersion(member));

        Path inline = TestSupport.writeCdylibCrate(tmp.resolve("native/b"), "b", "rust-version = { workspace = true }\n");
        assertEquals("1.95", CrateInfo.read(inline).rustVersion());
    }

    @Test
    void rustVersionInheritedFromAnExplicitWorkspace() throws IOException {
        Files.createDirectories(tmp.resolve("ws"));
        Files.writeString(tmp.resolve("ws/Cargo.toml"), "[workspace]\n\n[workspace.package]\nrust-version = \"1.88\"\n");
        Path member = TestSupport.writeCdylibCrate(tmp.resolve("elsewhere/a"), "a",
                "workspace = \"../../ws\"\nrust-version.workspace = true\n");
        assertEquals("1.88", CrateInfo.read(member).rustVersion());
    }

    @Test
    void rustVersionThatCannotBeFollowedIsNone() throws IOException {
        // inherits, but no workspace above declares one: cargo reports that itself
        Path member = TestSupport.writeCdylibCrate(tmp.resolve("a"), "a", "rust-version.workspace = true\n");
        assertNull(CrateInfo.read(member).rustVersion());
        assertEquals(Optional.empty(), CrateInfo.declaredRustVersion(tmp.resolve("absent/Cargo.toml")));
    }

    @Test
    void membersOfOneWorkspaceShareTheCargoTargetDirectoryUnderItsRoot() throws IOException {
        Files.writeString(tmp.resolve("Cargo.toml"), "[workspace]\nmembers = [\"a\", \"nested/b\"]\n");
        CrateInfo a = CrateInfo.read(TestSupport.writeCdylibCrate(tmp.resolve("a"), "a", ""));
        CrateInfo b = CrateInfo.read(TestSupport.writeCdylibCrate(tmp.resolve("nested/b"), "b", ""));
        Path shared = tmp.toAbsolutePath().normalize().resolve("target/sark/cargo");

        assertEquals(tmp.toAbsolutePath().normalize(), a.workspaceRoot());
        assertTrue(a.inSharedWorkspace());
        assertEquals(shared, BuildContext.defaultCargoTargetDir(a, tmp.resolve("a/target")));
        assertEquals(shared, BuildContext.defaultCargoTargetDir(b, tmp.resolve("nested/b/target")));
    }

    @Test
    void aCrateOfItsOwnKeepsCargoOutputInItsModule() throws IOException {
        // its own [workspace] table (as the invoker projects have) makes it a root, not a member of the one above
        Files.writeString(tmp.resolve("Cargo.toml"), "[workspace]\nmembers = [\"other\"]\n");
        Path own = TestSupport.writeCdylibCrate(tmp.resolve("it"), "it", "");
        Files.writeString(own, Files.readString(own) + "\n[workspace]\n");
        CrateInfo crate = CrateInfo.read(own);
        assertEquals(own.getParent().toAbsolutePath().normalize(), crate.workspaceRoot());
        assertFalse(crate.inSharedWorkspace());
        assertEquals(tmp.resolve("it/target/sark/cargo"), BuildContext.defaultCargoTargetDir(crate, tmp.resolve("it/target")));

    }

    @Test
    void anExplicitWorkspaceIsTheRoot() throws IOException {
        Files.createDirectories(tmp.resolve("ws"));
        Files.writeString(tmp.resolve("ws/Cargo.toml"), "[workspace]\nmembers = [\"../crates/a\"]\n");
        CrateInfo a = CrateInfo.read(TestSupport.writeCdylibCrate(tmp.resolve("crates/a"), "a", "workspace = \"../../ws\"\n"));
        assertEquals(tmp.resolve("ws").toAbsolutePath().normalize(), a.workspaceRoot());
    }
}
