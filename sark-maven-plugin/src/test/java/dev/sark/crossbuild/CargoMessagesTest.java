package dev.sark.crossbuild;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CargoMessagesTest {
    /** A compiler-artifact message as cargo 1.9x prints it for a cdylib + rlib crate. */
    private static String artifact(String name, String kinds, String... files) {
        return "{\"reason\":\"compiler-artifact\",\"package_id\":\"path+file:///w/" + name + "#0.1.0\","
                + "\"manifest_path\":\"/w/" + name + "/Cargo.toml\",\"target\":{\"kind\":[" + kinds + "],"
                + "\"crate_types\":[" + kinds + "],\"name\":\"" + name + "\",\"src_path\":\"/w/src/lib.rs\","
                + "\"edition\":\"2021\",\"doc\":true,\"doctest\":true,\"test\":true},\"profile\":{\"opt_level\":\"3\","
                + "\"debuginfo\":0,\"debug_assertions\":false,\"overflow_checks\":false,\"test\":false},"
                + "\"features\":[],\"filenames\":[\"" + String.join("\",\"", files) + "\"],\"executable\":null,"
                + "\"fresh\":false}";
    }

    @Test
    void theCratesCdylibIsTheFileCargoNamed() {
        CargoMessages messages = new CargoMessages("sark_cache");

        assertTrue(messages.take(artifact("serde", "\"lib\"", "/t/release/deps/libserde-1.rlib")));
        assertTrue(messages.take(artifact("sark_cache", "\"cdylib\",\"rlib\"",
                "/t/custom/x86_64-unknown-linux-gnu/size-opt/libsark_cache.so",
                "/t/custom/x86_64-unknown-linux-gnu/size-opt/libsark_cache.rlib")));
        assertTrue(messages.take("{\"reason\":\"build-finished\",\"success\":true}"));

        assertEquals(Optional.of(Path.of("/t/custom/x86_64-unknown-linux-gnu/size-opt/libsark_cache.so")),
                messages.library("libsark_cache.so"));
        assertEquals(Optional.empty(), messages.library("libserde.so"));
    }

    @Test
    void windowsImportLibrariesBesideTheDllAreNotTheLibrary() {
        CargoMessages messages = new CargoMessages("sark_opa");
        messages.take(artifact("sark_opa", "\"cdylib\"", "/t/x86_64-pc-windows-gnu/release/sark_opa.dll",
                "/t/x86_64-pc-windows-gnu/release/libsark_opa.dll.a"));

        assertEquals(Optional.of(Path.of("/t/x86_64-pc-windows-gnu/release/sark_opa.dll")),
                messages.library("sark_opa.dll"));
    }

    @Test
    void anotherCratesCdylibOrTheCratesRlibAloneIsNoLibrary() {
        CargoMessages messages = new CargoMessages("sark_opa");
        messages.take(artifact("helper", "\"cdylib\"", "/t/release/libhelper.so"));
        messages.take(artifact("sark_opa", "\"rlib\"", "/t/release/libsark_opa.so"));

        assertEquals(Optional.empty(), messages.library("libsark_opa.so"));
        assertEquals(Optional.empty(), messages.library("libhelper.so"));
    }

    @Test
    void textIsLeftForTheLogAndMalformedMessagesAreIgnored() {
        CargoMessages messages = new CargoMessages("sark_opa");

        assertFalse(messages.take("   Compiling sark-opa v0.1.0 (/w)"));
        assertFalse(messages.take("{ not json: a build script's output"));
        assertFalse(messages.take("{\"json\":\"but no reason\"}"));
        assertFalse(messages.take(""));
        assertTrue(messages.take("{\"reason\":\"compiler-artifact\",\"target\":\"not an object\",\"filenames\":7}"));
        assertTrue(messages.take("{\"reason\":\"compiler-artifact\",\"target\":{\"name\":\"sark_opa\",\"kind\":[\"cdylib\"]},"
                + "\"filenames\":[null,{},\"/t/libsark_opa.so\"]}"));

        assertEquals(Optional.of(Path.of("/t/libsark_opa.so")), messages.library("libsark_opa.so"));
    }

    @Test
    void theCratesCargoCompiledAreThoseItDidNotFindFresh() {
        CargoMessages messages = new CargoMessages("sark_cache");
        messages.take(artifact("serde", "\"lib\"", "/t/libserde.rlib").replace("\"fresh\":false", "\"fresh\":true"));
        messages.take(artifact("sark_cache", "\"cdylib\"", "/t/libsark_cache.so"));

        assertEquals(List.of("sark_cache"), messages.compiled());
    }
}
