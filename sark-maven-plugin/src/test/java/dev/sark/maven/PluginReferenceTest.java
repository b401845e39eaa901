package dev.sark.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * Keeps docs/plugin-reference.md equal to the plugin descriptor Maven generates from the Mojos' javadoc and
 * annotations, so the reference cannot drift from the code. After changing a parameter, regenerate it with
 * {@code mvn -pl sark-maven-plugin test -Dtest=PluginReferenceTest -Dsark.updateReference=true}.
 */
class PluginReferenceTest {
    private static final Path DESCRIPTOR = Path.of("target/classes/META-INF/maven/plugin.xml");
    private static final Path REFERENCE = Path.of("../docs/plugin-reference.md");

    @Test
    void theReferenceInDocsIsTheGeneratedOne() throws Exception {
        assertTrue(Files.isRegularFile(DESCRIPTOR), "run through Maven: the descriptor is generated in process-classes");
        String generated = render(DESCRIPTOR);
        if (Boolean.getBoolean("sark.updateReference")) {
            Files.writeString(REFERENCE, generated, StandardCharsets.UTF_8);
        }
        assertEquals(generated, Files.readString(REFERENCE, StandardCharsets.UTF_8),
                "docs/plugin-reference.md is out of date; regenerate it with -Dsark.updateReference=true (see this class)");
    }

    @Test
    void everyUserSettableParameterIsDescribed() throws Exception {
        for (Element mojo : children(parse(DESCRIPTOR).getDocumentElement(), "mojos", "mojo")) {
            for (Element p : children(mojo, "parameters", "parameter")) {
                if (Boolean.parseBoolean(text(p, "editable"))) {
                    assertTrue(!text(p, "description").isBlank(), text(mojo, "goal") + ": " + text(p, "name") + " has no description");
                }
            }
        }
    }

    /** Markdown: one section per goal, one table row per parameter a user can set. */
    static String render(Path descriptor) throws Exception {
        Element plugin = parse(descriptor).getDocumentElement();
        StringBuilder md = new StringBuilder();
        md.append("# sark-maven-plugin reference\n\n")
                .append("Generated from the plugin descriptor by `PluginReferenceTest`, which fails when this file and the code\n")
                .append("disagree. Prose, examples and the loader's properties: [configuration.md](configuration.md).\n")
                .append("`mvn sark:help -Ddetail` prints the same (with `dev.sark` as a `<pluginGroup>` in `~/.m2/settings.xml`).\n");
        for (Element mojo : children(plugin, "mojos", "mojo")) {
            String goal = text(mojo, "goal");
            md.append("\n## `sark:").append(goal).append("`\n\n").append(cell(text(mojo, "description"))).append('\n');
            String phase = text(mojo, "phase");
            md.append("\nDefault phase: ").append(phase.isEmpty() ? "none (run it from the command line)" : "`" + phase + "`")
                    .append(". Needs a project: ").append(Boolean.parseBoolean(text(mojo, "requiresProject")) ? "yes" : "no").append(".\n");
            Element configuration = child(mojo, "configuration");
            List<String> rows = new ArrayList<>();
            for (Element p : children(mojo, "parameters", "parameter")) {
                if (!Boolean.parseBoolean(text(p, "editable"))) {
                    continue;
                }
                String name = text(p, "name");
                Element conf = configuration == null ? null : child(configuration, name);
                String property = conf == null ? "" : conf.getTextContent().trim();
                String dflt = conf == null ? "" : conf.getAttribute("default-value");
                rows.add("| `" + name + "` | " + (property.startsWith("${") ? "`" + property.substring(2, property.length() - 1) + "`" : "")
                        + " | " + (dflt.isEmpty() ? "" : "`" + dflt + "`") + " | " + cell(text(p, "description")) + " |");
            }
            if (!rows.isEmpty()) {
                md.append("\n| parameter | property | default | description |\n|---|---|---|---|\n");
                rows.forEach(r -> md.append(r).append('\n'));
            }
        }
        return md.toString();
    }

    private static String oneLine(String s) {
        return s.trim().replaceAll("\\s+", " ");
    }

    /** Table cell text: pom elements such as {@code <target>} must not read as HTML tags. */
    private static String cell(String s) {
        return oneLine(s).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("|", "\\|");
    }

    private static Document parse(Path file) throws Exception {
        try {
            return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(file.toFile());
        } catch (IOException e) {
            throw new AssertionError("cannot read " + file, e);
        }
    }

    private static Element child(Element parent, String name) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element && n.getNodeName().equals(name)) {
                return (Element) n;
            }
        }
        return null;
    }

    private static List<Element> children(Element parent, String wrapper, String name) {
        List<Element> out = new ArrayList<>();
        Element w = child(parent, wrapper);
        if (w != null) {
            NodeList nodes = w.getChildNodes();
            for (int i = 0; i < nodes.getLength(); i++) {
                if (nodes.item(i) instanceof Element && nodes.item(i).getNodeName().equals(name)) {
                    out.add((Element) nodes.item(i));
                }
            }
        }
        return out;
    }

    private static String text(Element parent, String name) {
        Element c = child(parent, name);
        return c == null ? "" : c.getTextContent();
    }
}
