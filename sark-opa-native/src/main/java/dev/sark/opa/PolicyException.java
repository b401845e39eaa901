package dev.sark.opa;

/** A policy, query, input or data document was rejected by the engine; the message is the engine's own. */
public class PolicyException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public PolicyException(String message) {
        super(message);
    }
}
