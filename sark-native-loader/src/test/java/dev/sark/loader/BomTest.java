package dev.sark.loader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** sark-bom has no parent (a BOM must not import the parent's test dependencies): its version is kept here. */
class BomTest {

    @Test
    void theBomHasTheReactorsVersionAndManagesEveryUserFacingArtifact() throws Exception {
        Document parent = parse(Path.of("../pom.xml"));
        Document bom = parse(Path.of("../sark-bom/pom.xml"));
        assertEquals(topLevel(parent, "version"), topLevel(bom, "version"));
        Set<String> managed = new HashSet<>();
        NodeList deps = bom.getElementsByTagName("dependency");
        for (int i = 0; i < deps.getLength(); i++) {
            Element d = (Element) deps.item(i);
            String classifier = d.getElementsByTagName("classifier").getLength() == 0 ? ""
                    : ":" + d.getElementsByTagName("classifier").item(0).getTextContent();
            managed.add(d.getElementsByTagName("artifactId").item(0).getTextContent() + classifier);
        }
        for (String a : new String[] {"sark-native-loader", "sark-cache-native", "sark-opa-native"}) {
            assertTrue(managed.contains(a), a + " in " + managed);
        }
        for (Platform.Os os : new Platform.Os[] {Platform.Os.LINUX, Platform.Os.WINDOWS}) {
            String classifier = Platform.of(os, Platform.Arch.X86_64, os == Platform.Os.LINUX ? Platform.Libc.GLIBC
                    : Platform.Libc.SYSTEM, true).classifier();
            assertTrue(managed.contains("sark-opa-native:" + classifier), classifier + " in " + managed);
        }
    }

    private static Document parse(Path pom) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(pom.toFile());
    }

    private static String topLevel(Document pom, String name) {
        NodeList children = pom.getDocumentElement().getChildNodes();
        for (int i = 0; i < children.getLength(); i++) {
            if (children.item(i) instanceof Element && children.item(i).getNodeName().equals(name)) {
                return children.item(i).getTextContent().trim();
            }
        }
        throw new AssertionError("no <" + name + "> in the pom");
    }
}
