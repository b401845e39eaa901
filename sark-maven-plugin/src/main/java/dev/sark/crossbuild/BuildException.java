package dev.sark.crossbuild;

/** A failure the user can act on; its message says what went wrong and what to do. */
public class BuildException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public BuildException(String message) {
        super(message);
    }

    public BuildException(String message, Throwable cause) {
        super(message, cause);
    }
}
