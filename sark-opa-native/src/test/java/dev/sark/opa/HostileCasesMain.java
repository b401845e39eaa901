package dev.sark.opa;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Run by {@link HostileInputChildJvmTest} in a JVM of its own whose address space is capped: the hostile cases
 * that used to kill the process (allocation aborts, stack overflows, runaway loops). Each case prints
 * "case NAME: ..." before it runs and "ok NAME: OUTCOME" after, so when the JVM dies the log names the case
 * that killed it. A case passes when it ends in a PolicyException or IllegalArgumentException, or in the
 * answer it must give; the main exits 0 only when every case passed and the engine still answers.
 */
public final class HostileCasesMain {
    private HostileCasesMain() {
    }

    public static void main(String[] args) {
        Map<String, Supplier<String>> cases = new LinkedHashMap<>();
        try (PolicyEngine engine = PolicyEngine.builder().timeout(Duration.ofSeconds(2)).build();
                PolicyEngine strict = PolicyEngine.builder().timeout(Duration.ofSeconds(2)).strictBuiltinErrors(true).build()) {
            strict.loadPolicy("range", "package range\nn := count(numbers.range(1, input.n))\n");
            cases.put("numbers.range of 10^11 numbers", () -> strict.evaluate("data.range.n", "{\"n\": 100000000000}"));
            cases.put("sprintf with a 4.2e9-wide field", () -> strict.evaluate("sprintf(\"%04200000000d\", [1])", null));
            cases.put("concat of 2 GB", () -> strict.evaluate(
                    "concat(\"\", [s | some i in numbers.range(1, 2000000); s := input.s])", "{\"s\": \"" + "x".repeat(1024) + "\"}"));
            // The form (2,000 statements `xK := [[[[xJ]]]]` in one body) is now refused at load by the
            // parsing-work budget. One bracket per statement, at most 1,000 statements per body (the statement
            // limit is 1,024), in rules that build on each other, still makes a value 8,000 levels deep.
            cases.put("an 8,000-deep value in one body of four brackets per statement", () -> deepValue(engine, 2000, 4, 2000));
            cases.put("an 8,000-deep value over 8 rules of 1,000 statements", () -> deepValue(engine, 8000, 1, 1000));
            // regorus writes values out by recursion: each of these overflowed the stack (SIGSEGV) on that value.
            cases.put("json.marshal of the 8,000-deep value", () -> engine.evaluate("count(json.marshal(data.deep.v7))", null));
            cases.put("yaml.marshal of the 8,000-deep value", () -> engine.evaluate("count(yaml.marshal(data.deep.v7))", null));
            cases.put("sprintf %v of the 8,000-deep value", () -> engine.evaluate("count(sprintf(\"%v\", [data.deep.v7]))", null));
            // ...and these recursed on it too; evaluations that call them now get a thread with a large stack.
            cases.put("walk of the 8,000-deep value in a query", () -> answer(
                    engine.evaluate("count([p | walk(data.deep.v7, [p, v])])", null), "8000"));
            cases.put("json.patch of the 8,000-deep value in a rule", () -> {
                engine.loadPolicy("patch", "package patch\nn := count(json.patch({\"a\": data.deep.v7}, [{\"op\": \"add\", \"path\": \"/b\", \"value\": 1}]))\n");
                return answer(engine.evaluate("data.patch.n", null), "2");
            });
            cases.put("a loop of 10^10 iterations", () -> engine.evaluate(
                    "count([1 | some x in numbers.range(1, 100000); some y in numbers.range(1, 100000); x == y + 1])", null));
            cases.put("a query nested 20 brackets deep", () -> engine.evaluate("[[[[[[[[[[[[[[[[[[[[ in numbers.range(1", null));
            cases.put("JSON nested 100,000 levels", () -> engine.evaluate("input", "[".repeat(100_000) + "]".repeat(100_000)));
            cases.put("integers beyond 64 bits", () -> answer(engine.evaluate("18446744073709551617 == 18446744073709551616", null), "false"));
            cases.put("the serde_json magic key", () -> answer(engine.evaluate("input",
                    "{\"$serde_json::private::Number\": \"1\"}"), "{\"$serde_json::private::Number\":\"1\"}"));
            cases.put("a lone surrogate", () -> engine.evaluate("input", "{\"s\": \"\uD800\"}"));
            // Products of two operands (an empty old string matches before every character) and values that share
            // their parts (a million references to one string): kilobytes in memory, gigabytes as text. Each aborted
            // the JVM on a failed allocation of 3.2 GB before its size was checked.
            String hundredKb = "{\"s\": \"" + "x".repeat(100_000) + "\"}";
            cases.put("replace with an empty old string", () -> strict.evaluate("count(replace(input.s, \"\", input.s))", hundredKb));
            cases.put("strings.replace_n with an empty key", () -> strict.evaluate("count(strings.replace_n({\"\": input.s}, input.s))", hundredKb));
            cases.put("regex.replace with $0 a thousand times", () -> strict.evaluate(
                    "count(regex.replace(input.s, \"x\", concat(\"\", [\"$0\" | some i in numbers.range(1, 1000)])))", hundredKb));
            String millionRefs = "[input.s | some i in numbers.range(1, 1000000)]";
            cases.put("a result of a million references to one string", () -> engine.evaluate(millionRefs, hundredKb));
            cases.put("json.marshal of them", () -> strict.evaluate("count(json.marshal(" + millionRefs + "))", hundredKb));
            cases.put("yaml.marshal of them", () -> strict.evaluate("count(yaml.marshal(" + millionRefs + "))", hundredKb));
            cases.put("sprintf %v of them", () -> strict.evaluate("count(sprintf(\"%v\", [" + millionRefs + "]))", hundredKb));
            // regorus' own type error quoted the operand: a message of 100 GB.
            cases.put("min of an object of them", () -> strict.evaluate("min({\"a\": " + millionRefs + "})", hundredKb));
            cases.put("urlquery.encode_object of them", () -> strict.evaluate(
                    "count(urlquery.encode_object({\"a\": " + millionRefs + "}))", hundredKb));
            cases.put("io.jwt.encode_sign of them", () -> strict.evaluate("count(io.jwt.encode_sign({\"alg\": \"HS256\"}, {\"a\": "
                    + millionRefs + "}, {\"kty\": \"oct\", \"k\": \"c2VjcmV0\"}))", hundredKb));
            String awsConfig = "{\"aws_access_key\": \"k\", \"aws_secret_access_key\": \"s\", \"aws_service\": \"s3\", "
                    + "\"aws_region\": \"r\"}";
            cases.put("providers.aws.sign_req of a body of them", () -> strict.evaluate("providers.aws.sign_req({\"method\": \"get\", "
                    + "\"url\": \"http://a\", \"body\": " + millionRefs + "}, " + awsConfig + ", 0)", hundredKb));
            cases.put("providers.aws.sign_req of headers of them", () -> strict.evaluate("providers.aws.sign_req({\"method\": \"get\", "
                    + "\"url\": \"http://a\", \"headers\": {sprintf(\"h%d\", [i]): input.s | some i in numbers.range(1, 1000000)}}, "
                    + awsConfig + ", 0)", hundredKb));
            // GraphQL documents: each AST token takes a kilobyte or two, nesting recurses, fragments chain.
            cases.put("graphql.parse_query of 4 million one-letter fields", () -> strict.evaluate(
                    "count(graphql.parse_query(input.q))", "{\"q\": \"{" + "a ".repeat(4_000_000) + "}\"}"));
            cases.put("graphql.parse_query nested 200,000 selections deep", () -> strict.evaluate("graphql.parse_query(input.q)",
                    "{\"q\": \"" + "{a ".repeat(200_000) + "}".repeat(200_000) + "\"}"));
            StringBuilder fragments = new StringBuilder("{...F0} ");
            for (int i = 0; i < 100_000; i++) {
                fragments.append("fragment F").append(i).append(" on Query {a ...F").append(i + 1).append("} ");
            }
            fragments.append("fragment F100000 on Query {a}");
            cases.put("graphql.parse of 100,000 chained fragments", () -> strict.evaluate(
                    "graphql.parse(input.q, \"type Query { a: Int }\")", "{\"q\": \"" + fragments + "\"}"));
            StringBuilder chain = new StringBuilder("{\"g\": {");
            for (int i = 0; i < 200_000; i++) {
                chain.append(i == 0 ? "" : ",").append("\"n").append(i).append("\": [\"n").append(i + 1).append("\"]");
            }
            String chainInput = chain.append("}}").toString();
            // regorus' own followed the graph by recursion: SIGSEGV
            cases.put("graph.reachable_paths along a chain of 200,000 vertices", () -> answer(
                    engine.evaluate("count(graph.reachable_paths(input.g, {\"n0\"}))", chainInput), "1"));
            // OPA's glob comparison tries each starred token at every later position, each try starring again: 8
            // pairs of `a*[ab]*` ran for minutes in OPA's Go module. Remembered steps answer 20 pairs at once; the
            // big pair is cut off by the timeout or the memory limit.
            cases.put("regex.globs_match of 20 starred pairs", () -> answer(engine.evaluate("regex.globs_match(input.a, input.b)",
                    "{\"a\": \"" + "a*[ab]*".repeat(20) + "b\", \"b\": \"" + "a".repeat(40) + "xb\"}"), "false"));
            cases.put("regex.globs_match of 5,000 starred pairs", () -> strict.evaluate("regex.globs_match(input.a, input.b)",
                    "{\"a\": \"" + "a*[ab]*".repeat(5000) + "b\", \"b\": \"" + "a".repeat(10_000) + "xb\"}"));
            cases.put("strings.render_template doubling a string 40 times", () -> strict.evaluate(
                    "strings.render_template(`{{$x := \"abcdefgh\"}}{{range .l}}{{$x = print $x $x}}{{end}}{{len $x}}`, {\"l\": numbers.range(1, 40)})",
                    null));
            cases.put("strings.render_template of a million references to 100 KB", () -> strict.evaluate(
                    "strings.render_template(\"{{.l}}\", {\"l\": " + millionRefs + "})", hundredKb));
            cases.put("strings.render_template of nested ranges over 100,000 items", () -> strict.evaluate(
                    "strings.render_template(\"{{range .l}}{{range $.l}}{{end}}{{end}}\", {\"l\": numbers.range(1, 100000)})", null));
            cases.put("print of them", () -> answer(engine.evaluate("print(" + millionRefs + ")", hundredKb), "true"));
            cases.put("pretty JSON indented by 100 KB a line", () -> strict.evaluate(
                    "count(json.marshal_with_options(numbers.range(1, 100000), {\"pretty\": true, \"indent\": input.s}))", hundredKb));
            // Results that each fit the memory limit piled up between two of the timer's checks: 6 GB at once.
            StringBuilder doubling = new StringBuilder("package doubling\nn := count(a28) if {\n  a0 := [1, 2, 3, 4, 5, 6, 7, 8]\n");
            for (int k = 1; k <= 28; k++) {
                doubling.append("  a").append(k).append(" := array.concat(a").append(k - 1).append(", a").append(k - 1).append(")\n");
            }
            strict.loadPolicy("doubling", doubling.append("}\n").toString());
            cases.put("array.concat doubling 28 times in one body", () -> strict.evaluate("data.doubling.n", null));
            // 300 MB of "0,0,0,...": two bytes of text a value, 150 million values of a Value and an allocation each.
            strict.loadPolicy("zeros", "package zeros\ntext := concat(\"\", [\"[\", u, \"]\"]) if {\n"
                    + "  s := concat(\",\", [\"0\" | some i in numbers.range(1, 1000000)])\n"
                    + "  u := concat(\",\", [s | some i in numbers.range(1, 150)])\n}\n");
            cases.put("json.unmarshal of 300 MB of zeros", () -> strict.evaluate("count(json.unmarshal(data.zeros.text))", null));
            cases.put("yaml.unmarshal of 300 MB of zeros", () -> strict.evaluate("count(yaml.unmarshal(data.zeros.text))", null));

            int failed = 0;
            for (Map.Entry<String, Supplier<String>> c : cases.entrySet()) {
                System.out.println("case " + c.getKey() + ": running");
                System.out.flush();
                String outcome;
                try {
                    outcome = c.getValue().get();
                } catch (PolicyException | IllegalArgumentException e) {
                    outcome = e.getClass().getSimpleName() + ": " + firstLine(e.getMessage());
                }
                boolean ok = !outcome.startsWith("wrong");
                failed += ok ? 0 : 1;
                System.out.println((ok ? "ok " : "FAILED ") + c.getKey() + ": " + outcome);
            }
            String after = engine.evaluate("1 + 1", null);
            System.out.println("engine still answers: " + after);
            System.exit(failed == 0 && after.equals("2") ? 0 : 1);
        }
    }

    /**
     * Rules whose final value is {@code statements * brackets} arrays deep: {@code perRule} statements per rule body,
     * each rule starting from the previous one's value. Evaluated and returned as JSON.
     */
    private static String deepValue(PolicyEngine engine, int statements, int brackets, int perRule) {
        StringBuilder policy = new StringBuilder("package deep\n");
        int rules = (statements + perRule - 1) / perRule;
        for (int r = 0; r < rules; r++) {
            policy.append("v").append(r).append(" := x").append(perRule - 1).append(" if {\n  x0 := ")
                    .append(r == 0 ? "1" : "[".repeat(brackets) + "data.deep.v" + (r - 1) + "]".repeat(brackets)).append('\n');
            for (int k = 1; k < perRule; k++) {
                policy.append("  x").append(k).append(" := ").append("[".repeat(brackets)).append('x').append(k - 1)
                        .append("]".repeat(brackets)).append('\n');
            }
            policy.append("}\n");
        }
        engine.loadPolicy("deep", policy.toString());
        int depth = (rules * perRule - 1) * brackets;
        String value = engine.evaluate("data.deep.v" + (rules - 1), null);
        String expected = "[".repeat(depth) + "1" + "]".repeat(depth);
        return value.equals(expected) ? "evaluated, " + depth + " levels deep"
                : "wrong value: " + value.substring(0, Math.min(80, value.length()));
    }

    private static String answer(String actual, String expected) {
        return actual.equals(expected) ? "answered " + actual : "wrong answer " + actual + ", expected " + expected;
    }

    private static String firstLine(String message) {
        String line = message == null ? "" : message.lines().findFirst().orElse("");
        return line.length() > 160 ? line.substring(0, 160) + "..." : line;
    }
}
