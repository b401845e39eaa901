package dev.sark.crossbuild;

/**
 * The configuration asks for something that cannot be: an unknown triple, a target declared twice, two
 * targets under one classifier, a manifest that is not a cdylib crate. Nothing was built; the message names
 * the element and says what to write instead. Maven reports it as an error of the configuration
 * (MojoExecutionException), where a {@link BuildException} is a build that failed.
 */
public class ConfigurationException extends BuildException {
    private static final long serialVersionUID = 1L;

    /** The pom element (or property) at fault, e.g. {@code <targets>} or {@code -Dsark.targets}. */
    private final String element;

    public ConfigurationException(String element, String message) {
        super(message);
        this.element = element;
    }

    public ConfigurationException(String element, String message, Throwable cause) {
        super(message, cause);
        this.element = element;
    }

    public String element() {
        return element;
    }
}
