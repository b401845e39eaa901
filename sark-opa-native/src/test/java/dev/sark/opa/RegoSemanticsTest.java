package dev.sark.opa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Rego language cases from src/test/resources/rego-cases (the format is in its README.md). */
class RegoSemanticsTest {

    record Case(String file, String name, String query, String input, String data, RegoVersion version,
                String expect, String error, List<String> modules) {
        @Override
        public String toString() {
            return file + ": " + name;
        }
    }

    static Stream<Case> cases() throws IOException, URISyntaxException {
        Path dir = Path.of(RegoSemanticsTest.class.getResource("/rego-cases").toURI());
        List<Case> cases = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".rego")).sorted().toList()) {
                cases.addAll(parse(file.getFileName().toString(), Files.readString(file, StandardCharsets.UTF_8)));
            }
        }
        return cases.stream();
    }

    static List<Case> parse(String file, String text) {
        List<Case> cases = new ArrayList<>();
        for (String block : text.split("(?m)^### ")) {
            if (block.isBlank()) {
                continue;
            }
            String[] lines = block.split("\n", -1);
            String name = lines[0].trim();
            String query = null, input = null, data = null, expect = null, error = null;
            RegoVersion version = RegoVersion.V1;
            List<String> modules = new ArrayList<>();
            StringBuilder module = new StringBuilder();
            boolean header = true;
            for (int i = 1; i < lines.length; i++) {
                String line = lines[i];
                if (header && line.startsWith("# ")) {
                    int colon = line.indexOf(": ");
                    String key = line.substring(2, colon);
                    String value = line.substring(colon + 2);
                    switch (key) {
                        case "query" -> query = value;
                        case "input" -> input = value;
                        case "data" -> data = value;
                        case "version" -> version = RegoVersion.valueOf(value.toUpperCase());
                        case "expect" -> expect = value;
                        case "error" -> error = value;
                        case "note" -> { }
                        default -> throw new IllegalArgumentException(file + ": " + name + ": unknown key " + key);
                    }
                    continue;
                }
                header = false;
                if (line.equals("----")) {
                    modules.add(module.toString());
                    module.setLength(0);
                } else {
                    module.append(line).append('\n');
                }
            }
            if (!module.toString().isBlank()) {
                modules.add(module.toString());
            }
            if (query == null || (expect == null) == (error == null)) {
                throw new IllegalArgumentException(file + ": " + name + ": needs a query and one of expect or error");
            }
            cases.add(new Case(file, name, query, input, data, version, expect, error, modules));
        }
        return cases;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void regoCase(Case c) {
        try (PolicyEngine engine = new PolicyEngine(c.version())) {
            if (c.data() != null) {
                engine.addData(c.data());
            }
            Runnable load = () -> {
                for (int i = 0; i < c.modules().size(); i++) {
                    engine.loadPolicy(c.name() + "#" + i, c.modules().get(i));
                }
            };
            if (c.error() != null) {
                String[] parts = c.error().split(": ", 2);
                Class<? extends Throwable> type = switch (parts[0]) {
                    case "PolicyCompilationException" -> PolicyCompilationException.class;
                    case "PolicyEvaluationException" -> PolicyEvaluationException.class;
                    case "PolicyException" -> PolicyException.class;
                    default -> throw new IllegalArgumentException("unknown exception " + parts[0]);
                };
                Throwable thrown = assertThrows(type, () -> {
                    load.run();
                    engine.evaluate(c.query(), c.input());
                });
                if (parts.length > 1) {
                    assertTrue(thrown.getMessage().contains(parts[1]), thrown.getMessage());
                }
            } else {
                load.run();
                assertEquals(c.expect(), engine.evaluate(c.query(), c.input()));
                assertEquals(c.expect().equals("true"), engine.isAllowed(c.query(), c.input()));
            }
        }
    }

    @Test
    void thereAreAtLeastFiftyCases() throws Exception {
        long count = cases().count();
        assertTrue(count >= 50, count + " cases");
    }
}
