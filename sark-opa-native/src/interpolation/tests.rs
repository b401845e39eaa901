use super::*;
use crate::store::{Options, PolicyStore, RegoVersion};

fn store(policy: &str) -> PolicyStore {
    let store = PolicyStore::new(Options::new(RegoVersion::V1)).unwrap();
    store.load_policy("p.rego", policy).unwrap();
    store
}

fn value(policy: &str, query: &str, input: Option<&str>) -> String {
    store(policy).evaluate_json(query, input).unwrap()
}

#[test]
fn text_without_templates_is_untouched() {
    for text in ["package a\np := \"$\"", "x := 1 # $\"no\"\n", "p := `a $\"b`", "p := \"a $`b\""] {
        assert!(matches!(rewrite(text), Cow::Borrowed(_)), "{text}");
    }
}

#[test]
fn templates_become_calls_of_the_builtin() {
    assert_eq!(rewrite(r#"p := $"""#), r#"p := """#);
    assert_eq!(rewrite(r#"p := $"a\{b}\t""#), r#"p := "a{b}\t""#);
    assert_eq!(
        rewrite(r#"p := $"a {x} \\{y}""#),
        r#"p := sark.interpolate(["a ", {__sark_t0__ | __sark_t0__ := x}, " \\", {__sark_t1__ | __sark_t1__ := y}])"#
    );
    // Nested: the inner template is numbered first, as it ends first.
    assert_eq!(
        rewrite(r#"p := $"{$"{"}"}"}""#),
        r#"p := sark.interpolate([{__sark_t1__ | __sark_t1__ := sark.interpolate([{__sark_t0__ | __sark_t0__ := "}"}])}])"#
    );
}

#[test]
fn generated_names_cannot_be_taken() {
    let out = rewrite(r#"__sark_t0__ := 1
p := $"{__sark_t0__}""#);
    assert!(out.contains("{___sark_t0__ | ___sark_t0__ := __sark_t0__}"), "{out}");
}

#[test]
fn line_breaks_stay_where_they_were() {
    let policy = "package t\np := $`a\n{x}\n\"b\\`]\nq := 1\n";
    let out = rewrite(policy);
    assert_eq!(out, "package t\np := sark.interpolate([\"a\\n\"\n, {__sark_t0__ | __sark_t0__ := x}, \"\\n\"\n, \"\\\"b\\\\\"])]\nq := 1\n");
    assert_eq!(out.lines().count(), policy.lines().count());
}

#[test]
fn malformed_templates_are_left_for_the_parser() {
    for text in ["p := $\"abc", "p := $\"{x\"", "p := $`{x", "p := $\"a\nb\""] {
        assert!(matches!(rewrite(text), Cow::Borrowed(_)), "{text}");
    }
}

#[test]
fn templates_evaluate_as_in_opa() {
    let policy = r#"package test
a := ["a", "b"]
p := $"{42}, {13.37}, {true}, {"foo"}, {null}, {[1, "x"]}, {set()}, {{1}}, {{"k": "v"}}"
q := $"{input.x} {a[0]} {count(a) + 1} \{ok}"
r := [x | some y in a; x := $`<
{y}>`]
s := $"{$"{$"{input.n}"}"}"
"#;
    assert_eq!(
        value(policy, "data.test.p", None),
        r#""42, 13.37, true, foo, null, [1, \"x\"], set(), {1}, {\"k\": \"v\"}""#
    );
    assert_eq!(value(policy, "data.test.q", None), r#""<undefined> a 3 {ok}""#);
    assert_eq!(value(policy, "data.test.r", None), r#"["<\na>","<\nb>"]"#);
    assert_eq!(value(policy, "data.test.s", Some(r#"{"n": 1}"#)), r#""1""#);
    assert_eq!(value(policy, "data.test.s", None), r#""<undefined>""#);
}

#[test]
fn errors_keep_their_line() {
    let policy = "package test\np := $`a\n{input.x}\nb`\nq := )\n";
    let err = PolicyStore::new(Options::new(RegoVersion::V1)).unwrap().load_policy("p.rego", policy).unwrap_err();
    assert!(err.to_string().contains("p.rego:5:"), "{err}");
}

#[test]
fn queries_may_hold_templates() {
    let store = store("package test\nn := 2\n");
    assert_eq!(store.evaluate_json(r#"$"n={data.test.n}""#, None).unwrap(), r#""n=2""#);
    let result = store.query_json(r#"x := 1; y := $"{x}-{input.z}""#, None).unwrap();
    assert!(result.contains(r#""bindings":{"x":1,"y":"1-<undefined>"}"#), "{result}");
}
