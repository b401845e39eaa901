package dev.sark.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Bindings to src/main/c/jnifloor.c, the JNI floor. scripts/bench.sh compiles it to
 * target/native/libjnifloor.so; {@code -Dsark.bench.jnifloor=FILE} points elsewhere.
 */
final class JniFloor {

    static final String PROPERTY = "sark.bench.jnifloor";

    private JniFloor() {
    }

    static void load() {
        Path lib = Paths.get(System.getProperty(PROPERTY, "target/native/libjnifloor.so")).toAbsolutePath();
        if (!Files.isRegularFile(lib)) {
            throw new IllegalStateException(lib + " does not exist: build it with scripts/bench.sh (needs gcc) or set -D" + PROPERTY);
        }
        System.load(lib.toString());
    }

    static native void noop();

    static native byte[] echoBytes(byte[] in);

    static native String echoString(String in);
}
