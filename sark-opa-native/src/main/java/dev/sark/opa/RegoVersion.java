package dev.sark.opa;

/** The Rego dialect a {@link PolicyEngine} reads policies in. */
public enum RegoVersion {
    /** OPA 0.x syntax: {@code allow { ... }}, {@code default allow = false}; a module may opt into v1 with {@code import rego.v1}. */
    V0,
    /** OPA 1.x syntax: {@code allow if { ... }}, {@code deny contains msg if ...}; {@code import rego.v1} is accepted. */
    V1
}
