package dev.sark.maven;

import dev.sark.build.TargetSpec;
import dev.sark.build.ToolchainKind;
import java.util.Map;

/**
 * One {@code <target>} of the pom: either a bare triple ({@code <target>x86_64-unknown-linux-gnu</target>})
 * or an element with {@code <triple>} and the optional settings. Maven fills it; {@link #toSpec} validates it.
 */
public class Target {
    private String triple;
    private String toolchain;
    private String rustupToolchain;
    private String linker;
    private String classifier;
    private String rustflags;
    private Map<String, String> env;
    private boolean optional;
    private String glibcFloor;
    private String macosMinimum;

    public Target() {
    }

    public Target(String triple) {
        this.triple = triple;
    }

    /** Maven calls this for the short form, whose text is the triple. */
    public void set(String triple) {
        this.triple = triple;
    }

    public String getTriple() {
        return triple;
    }

    public void setTriple(String triple) {
        this.triple = triple;
    }

    public void setToolchain(String toolchain) {
        this.toolchain = toolchain;
    }

    public void setRustupToolchain(String rustupToolchain) {
        this.rustupToolchain = rustupToolchain;
    }

    public void setLinker(String linker) {
        this.linker = linker;
    }

    public void setClassifier(String classifier) {
        this.classifier = classifier;
    }

    public void setRustflags(String rustflags) {
        this.rustflags = rustflags;
    }

    public void setEnv(Map<String, String> env) {
        this.env = env;
    }

    public void setGlibcFloor(String glibcFloor) {
        this.glibcFloor = glibcFloor;
    }

    public void setMacosMinimum(String macosMinimum) {
        this.macosMinimum = macosMinimum;
    }

    public void setOptional(boolean optional) {
        this.optional = optional;
    }

    TargetSpec toSpec() {
        if (triple == null || triple.isBlank()) {
            throw new IllegalArgumentException("A <target> has no triple: write <target>x86_64-unknown-linux-gnu</target>"
                    + " or <target><triple>x86_64-unknown-linux-gnu</triple>...</target>");
        }
        return TargetSpec.builder(triple.trim())
                .toolchain(ToolchainKind.parse(toolchain, triple))
                .rustupToolchain(rustupToolchain)
                .linker(linker)
                .classifier(classifier)
                .rustflags(rustflags)
                .env(env)
                .optional(optional)
                .glibcFloor(glibcFloor)
                .macosMinimum(macosMinimum)
                .build();
    }
}
