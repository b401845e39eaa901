package dev.sark.opa;

/**
 * An evaluation ran longer than the engine's {@link PolicyEngine.Builder#timeout timeout} and was
 * stopped. The engine stays usable; the decision has no result.
 */
public class PolicyTimeoutException extends PolicyEvaluationException {
    private static final long serialVersionUID = 1L;

    public PolicyTimeoutException(String message) {
        super(message);
    }
}
