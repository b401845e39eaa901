use super::*;
use crate::store::{Options, PolicyStore, RegoVersion};

/// `data.test` as JSON: the rules that are defined, with their values.
fn decisions(policy: &str, input: &str) -> String {
    decisions_in(RegoVersion::V1, policy, input)
}

fn decisions_in(version: RegoVersion, policy: &str, input: &str) -> String {
    let store = PolicyStore::new(Options::new(version)).unwrap();
    store.load_policy("p.rego", policy).unwrap();
    store.evaluate_json("data.test", Some(input)).unwrap()
}

const IMPORTS: &str = "package test\nimport future.keywords.and\nimport future.keywords.or\nimport future.keywords.not\n";

#[test]
fn a_module_without_the_imports_is_untouched_and_and_or_stay_names() {
    let policy = "package test\nimport rego.v1\np if { and := 1; or := 2; and < or }\n";
    assert!(matches!(rewrite(policy), Cow::Borrowed(_)));
    assert_eq!(decisions(policy, "{}"), r#"{"p":true}"#);
}

#[test]
fn only_the_imported_operators_are_keywords() {
    let policy = "package test\nimport future.keywords.and\np if input.a and input.b\nq := or if { or := 1 }\n";
    assert_eq!(decisions(policy, r#"{"a": true, "b": true}"#), r#"{"p":true,"q":1}"#);
}

#[test]
fn statements_become_comprehension_tests_and_keep_their_line_count() {
    let policy = format!("{IMPORTS}p if {{\n  input.a or\n    # or and\n    input.b and input.c\n  q\n}}\nq := true\n");
    let out = rewrite(&policy).into_owned();
    assert_eq!(out.lines().count(), policy.lines().count(), "{out}");
    assert!(out.contains("  [1 | [1 | input.a] == [];\n\n[1 | input.b; input.c] == []] == []\n  q\n"), "the line breaks between operands stay: {out}");
    assert!(!out.contains("future.keywords"), "the imports are blanked: {out}");
}

#[test]
fn and_binds_tighter_than_or_and_not_applies_to_one_operand() {
    let policy = format!("{IMPORTS}p if input.x or input.y and input.z\nq if not input.x and not input.y or input.z\n");
    assert_eq!(decisions(&policy, r#"{"x": true, "y": false, "z": false}"#), r#"{"p":true}"#);
    assert_eq!(decisions(&policy, r#"{"x": false, "y": true, "z": false}"#), "{}");
    assert_eq!(decisions(&policy, r#"{"x": false, "y": false, "z": false}"#), r#"{"q":true}"#);
    assert_eq!(decisions(&policy, r#"{"x": true, "y": true, "z": true}"#), r#"{"p":true,"q":true}"#);
}

#[test]
fn parentheses_group_and_bodies_negate() {
    let policy = format!(
        "{IMPORTS}p if {{ (input.a or input.b) and input.c }}\nq if {{ not {{ input.a and input.b }} }}\nr if not (input.a or input.c)\n"
    );
    assert_eq!(decisions(&policy, r#"{"a": false, "b": true, "c": true}"#), r#"{"p":true,"q":true}"#);
    assert_eq!(decisions(&policy, r#"{"a": true, "b": true, "c": false}"#), "{}");
    assert_eq!(decisions(&policy, r#"{"a": false, "b": false, "c": false}"#), r#"{"q":true,"r":true}"#);
}

#[test]
fn operand_bodies_have_their_own_scope_and_see_the_enclosing_one() {
    let policy = format!(
        "{IMPORTS}p if {{\n  a := -1\n  {{ a := 1; a > 0 }} and {{ a := 2; a > 1 }}\n  a == -1\n}}\n\
         q contains n if {{ some n in input.ns; {{ m := n * 2; m > 10 }} or n < 0 }}\n"
    );
    assert_eq!(decisions(&policy, r#"{"ns": [-3, 2, 9]}"#), r#"{"p":true,"q":[-3,9]}"#);
}

#[test]
fn a_statement_holds_once_however_many_ways_its_operands_do() {
    let policy = format!("{IMPORTS}xs := [i | some i in input.xs; i > 0 or i != 0]\nys := [1 | {{ some n in input.xs; n > 0 }} and true]\n");
    assert_eq!(decisions(&policy, r#"{"xs": [1, 2, 3]}"#), r#"{"xs":[1,2,3],"ys":[1]}"#);
}

#[test]
fn a_trailing_with_applies_to_every_operand() {
    let policy = format!("{IMPORTS}p if {{ input.x > 0 and input.y > 0 with input as {{\"x\": 1, \"y\": 2}} }}\n");
    assert_eq!(decisions(&policy, r#"{"x": 0, "y": 0}"#), r#"{"p":true}"#);
}

#[test]
fn strings_comments_fields_and_plain_rego_are_left_alone() {
    let policy = format!(
        "{IMPORTS}s := \"a or b and not {{c}}\"\n# x or y\nf := input.or\np if {{ not input.q; {{1, 2}}[_] == 2 }}\nt := `raw and`\n"
    );
    assert_eq!(
        decisions(&policy, r#"{"or": 7}"#),
        r#"{"f":7,"p":true,"s":"a or b and not {c}","t":"raw and"}"#
    );
}

#[test]
fn rego_v2_brings_all_three_and_rego_v1_syntax_to_v0_modules() {
    let policy = "package test\nimport rego.v2\np if { not { input.a and input.b } }\nq contains x if { some x in input.xs; x > 1 or x < 0 }\n";
    let input = r#"{"a": true, "b": false, "xs": [-1, 1, 2]}"#;
    assert_eq!(decisions(policy, input), r#"{"p":true,"q":[-1,2]}"#);
    assert_eq!(decisions_in(RegoVersion::V0, policy, input), r#"{"p":true,"q":[-1,2]}"#);
    let with_v1 = policy.replace("import rego.v2", "import rego.v1\nimport rego.v2");
    assert_eq!(decisions(&with_v1, input), r#"{"p":true,"q":[-1,2]}"#);
}

#[test]
fn all_future_keywords_bring_them_in_v0_and_v1() {
    let policy = "package test\nimport future.keywords\np if input.a or input.b\n";
    assert_eq!(decisions(policy, r#"{"a": false, "b": true}"#), r#"{"p":true}"#);
    let v0 = "package test\nimport future.keywords\ndeny { not { input.role == \"admin\" } }\n";
    assert_eq!(decisions_in(RegoVersion::V0, v0, r#"{"role": "user"}"#), r#"{"deny":true}"#);
}

#[test]
fn a_with_inside_parentheses_applies_to_the_group() {
    let policy = format!(
        "{IMPORTS}p if {{ (input.x < 2 with input.x as 1) and input.x == 5 }}\n\
         q if {{ (input.x > 7 or input.y > 0 with input as {{\"x\": 0, \"y\": 1}}) }}\n"
    );
    assert_eq!(decisions(&policy, r#"{"x": 5}"#), r#"{"p":true,"q":true}"#);
}

#[test]
fn long_and_malformed_runs_of_operators_are_read_in_one_pass() {
    // Each candidate operator of a malformed statement used to be looked at on its own: a quadratic
    // scan of a 1 MiB policy. Now a run like this rewrites at once.
    let malformed = format!("{IMPORTS}p if {{ input.a {}input.b }}\n", "or ".repeat(200_000));
    assert!(!rewrite(&malformed).contains("[1 |"), "left for the parser to report");
    let long = format!("{IMPORTS}p if {{\n{}input.z\n}}\n", "input.a or\n".repeat(1_000));
    assert_eq!(decisions(&long, r#"{"z": true}"#), r#"{"p":true}"#);
}

#[test]
fn unbalanced_brackets_are_left_for_the_parser_to_report() {
    for broken in ["p if { x) or y }", "p if { (x or y }", "p if { x or (y }", "p if { not { x and y }"] {
        let policy = format!("{IMPORTS}{broken}\n");
        let store = PolicyStore::new(Options::new(RegoVersion::V1)).unwrap();
        assert!(store.load_policy("p.rego", &policy).is_err(), "{broken}");
    }
}

#[test]
fn and_and_or_name_calls_and_references_where_a_term_is_expected() {
    // A rule whose reference starts with `or`, as OPA allows.
    let policy = format!("{IMPORTS}or.foo := 1\np := data.test.or.foo\n");
    assert_eq!(decisions(&policy, "{}"), r#"{"or":{"foo":1},"p":1}"#);
    // OPA's set builtins `and` and `or` are calls, left as written (regorus has neither).
    let call = format!("{IMPORTS}u := or({{1}}, {{2}})\n");
    assert_eq!(rewrite(&call).lines().last(), Some("u := or({1}, {2})"));
}

#[test]
fn statement_boundaries_follow_the_expression_as_opa_reads_it() {
    let cases = [
        // A line starting with `-` or `in` continues the one before (3 - 1 == -1 is false).
        ("p if {\n  input.v\n  -1 == -1 or input.t\n}\n", r#"{"t": false, "v": 3}"#, "{}"),
        ("p if {\n  input.a\n  in input.xs or input.t\n}\n", r#"{"a": 1, "xs": [1], "t": false}"#, r#"{"p":true}"#),
        // Parentheses around a statement group it; around a plain expression they go.
        ("p if {\n  x := input.y\n  (input.a or input.b)\n}\n", r#"{"y": 1, "a": false, "b": true}"#, r#"{"p":true}"#),
        ("p if (not input.a) and input.b\n", r#"{"a": false, "b": true}"#, r#"{"p":true}"#),
        // `({x})` is a set, which holds whatever x is.
        ("p if input.y and ({input.x})\n", r#"{"x": false, "y": true}"#, r#"{"p":true}"#),
        // `|` outside a comprehension is set union.
        ("s := {1, 2}\np if { s | {3} == {1, 2, 3} or input.t }\n", r#"{"t": false}"#, r#"{"p":true,"s":[1,2]}"#),
        // `set()` is one name and a `)` to regorus' lexer; brackets still pair.
        ("p if { input.a or set() == set() }\n", r#"{"a": false}"#, r#"{"p":true}"#),
        // `or(` on the line after an expression is the operator.
        ("p if {\n  input.a\n  or(input.b)\n}\n", r#"{"a": false, "b": true}"#, r#"{"p":true}"#),
        // A comprehension after `in` is a term, not a body: its bar is no union.
        ("s := {\"x\"}\ne := {1}\nq contains v if { some v in {s | e == {2} or false} }\n", "{}", r#"{"e":[1],"q":[],"s":["x"]}"#),
        // `else` ends the statement before it on either side.
        ("p := 1 if input.a or input.b else := 2 if input.c or input.d\n", r#"{"a": false, "b": false, "c": false, "d": true}"#, r#"{"p":2}"#),
    ];
    for (body, input, want) in cases {
        let policy = format!("{IMPORTS}{body}");
        assert_eq!(decisions(&policy, input), want, "{body}");
    }
}

#[test]
fn hostile_runs_of_operators_and_statements_are_read_in_linear_time() {
    // Each of these took about a minute at a few hundred KB when every candidate rescanned its line.
    for policy in [
        format!("{IMPORTS}p if {{ a {}}}\n", "or (or) ".repeat(30_000)),
        format!("{IMPORTS}p if {{ {}c }}\n", "a or b else ".repeat(30_000)),
        format!("{IMPORTS}{}", "p if input.a or input.b\n".repeat(40_000)),
        format!("{IMPORTS}{}", "p if set() == set() or input.a\n".repeat(40_000)),
        format!("{IMPORTS}{}", "p if a) or b\n".repeat(40_000)),
    ] {
        let _ = rewrite(&policy); // completes; what the parser then says of it does not matter here
    }
}

#[test]
fn groups_nested_past_what_regorus_parses_quickly_are_refused_at_load() {
    // Each level becomes two levels of comprehension brackets, and regorus' parsing time doubles with each.
    let mut group = "input.a or input.b".to_string();
    for _ in 0..8 {
        group = format!("({group}) or input.b");
    }
    let store = PolicyStore::new(Options::new(RegoVersion::V1)).unwrap();
    let error = store.load_policy("p.rego", &format!("{IMPORTS}p if {group}\n")).unwrap_err().to_string();
    assert!(error.contains("nest too deeply"), "{error}");
    let mut shallow = "input.a or input.b".to_string();
    for _ in 0..2 {
        shallow = format!("({shallow}) or input.b");
    }
    assert_eq!(decisions(&format!("{IMPORTS}p if {shallow}\n"), r#"{"a": false, "b": true}"#), r#"{"p":true}"#);
}
