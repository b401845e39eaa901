package dev.sark.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Set;

/**
 * The steps the run-time proofs of one classifier's library ({@link AbstractMuslLibraryTest},
 * {@link AbstractWindowsLibraryTest}) share: finding the classifier JAR in {@code target/}, extracting the
 * library, the JNI entry points to look up, and running the module's forced-platform main. What they need
 * to know about the module comes from {@link LibraryUnderTest}, which the module's test implements.
 *
 * <p>The {@link LibraryUnderTest} methods are deliberately not declared again here: an abstract class method
 * would take precedence over the module interface's default methods and leave the module's test abstract.
 */
public abstract class AbstractClassifierLibraryTest implements LibraryUnderTest {

    private final String classifier;

    /** Only this package's proofs extend this class directly, each for its classifier. */
    AbstractClassifierLibraryTest(String classifier) {
        this.classifier = classifier;
    }

    /** The classifier JAR in target/: skipped when its toolchain was not installed, a failure under -Dsark.requireAll. */
    protected final Path jar() {
        return Requirements.classifierJar(Path.of("target"), classifier);
    }

    /** Extracts the library from {@code jar} into {@code dir}, under its file name in the JAR. */
    protected final Path extractLibrary(Path jar, Path dir) {
        return ClassifierJars.extract(jar, ClassifierJars.libraryEntry(classifier, libName()), dir);
    }

    /** The JNI entry points of {@link #apiClass()}, checked to contain {@link #knownJniSymbol()}. */
    protected final Set<String> jniSymbols() {
        Set<String> symbols = JniSymbols.of(apiClass());
        assertTrue(symbols.contains(knownJniSymbol()), symbols::toString);
        return symbols;
    }

    /** {@link #forcedPlatformMain()} in a child JVM with the platform forced to this class's classifier, checked by {@link ForcedPlatform}. */
    protected final ForcedPlatform.Outcome forced(Path jar, Path cacheDir) {
        ForcedPlatform.Outcome o = ForcedPlatform.run(jar, classifier, libName(), cacheDir, anchors(), forcedPlatformMain());
        System.out.println("forced " + classifier + ": " + o.result);
        return o;
    }
}
