package dev.sark.opa;

/** A policy does not parse or compile; the message names the policy, line and column. */
public class PolicyCompilationException extends PolicyException {
    private static final long serialVersionUID = 1L;

    public PolicyCompilationException(String message) {
        super(message);
    }
}
