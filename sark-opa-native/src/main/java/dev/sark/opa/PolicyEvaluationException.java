package dev.sark.opa;

/**
 * A query could not be evaluated: it does not parse, or evaluation failed at run time (for example
 * a complete rule produced two different values). The engine stays usable.
 */
public class PolicyEvaluationException extends PolicyException {
    private static final long serialVersionUID = 1L;

    public PolicyEvaluationException(String message) {
        super(message);
    }
}
