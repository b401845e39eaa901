use super::*;
use crate::store::{Options, PolicyStore, RegoVersion};

fn rewrite(policy: &str, rego_v0: bool) -> Vec<String> {
    Rewriter::new([policy], rego_v0).rewrite(policy).into_iter().map(Cow::into_owned).collect()
}

fn store(version: RegoVersion, policies: &[&str]) -> PolicyStore {
    let store = PolicyStore::new(Options::new(version)).unwrap();
    for (i, policy) in policies.iter().enumerate() {
        store.load_policy(&format!("p{i}.rego"), policy).unwrap();
    }
    store
}

#[test]
fn keyword_reference_roots_become_absolute() {
    let policy = "package a.b\np if {\n\tif.foo == 1\n\tnot.bar(2) == 2\n\tnot x.if\n}\n";
    assert_eq!(
        rewrite(policy, false),
        ["package a.b\np if {\n\tdata.a.b.if.foo == 1\n\tdata.a.b.not.bar(2) == 2\n\tnot x.if\n}\n"]
    );
}

#[test]
fn keyword_rule_heads_move_to_a_subpackage_keeping_lines() {
    let policy = "package test\nimport rego.v1\n\np if if.foo == 1\n\nif.foo := 1\n\ndefault if.bar(_) := 2\nq := 3\n";
    let modules = rewrite(policy, false);
    assert_eq!(
        modules,
        [
            "package test\nimport rego.v1\n\np if data.test.if.foo == 1\n\n           \n\n                      \nq := 3\n",
            "package test.if\nimport rego.v1\n\n                \n\n   foo := 1\n\ndefault    bar(_) := 2\n      \n",
        ]
    );
    for module in &modules {
        assert_eq!(module.lines().count(), policy.lines().count());
    }
}

#[test]
fn moved_bodies_reach_the_original_package() {
    // `q` is a rule of `test` (in another policy, too); `x` is a local; `r` is both a rule and,
    // in the second body, a declared local.
    let policy = "package test\nif.foo := q + r if { x := 1; x == 1 }\nif.bar := r if { r := 5 }\nq := 1\n";
    let other = "package test\nr := 10\n";
    let modules = Rewriter::new([policy, other], false).rewrite(policy);
    assert_eq!(
        modules[1],
        "package test.if\n   foo := data.test.q + data.test.r if { x := 1; x == 1 }\n   bar := r if { r := 5 }\n      \n"
    );
    let store = store(RegoVersion::V1, &[policy, other]);
    assert_eq!(store.evaluate_json("data.test.if", None).unwrap(), r#"{"bar":5,"foo":11}"#);
}

#[test]
fn strings_comments_numbers_and_fields_are_untouched() {
    for policy in [
        "package p\nx := \"if.foo not.bar\"\n",
        "package p\nx := `else.x\nwith.y`\n",
        "package p\n# if.foo := 1\nx := 1\n",
        "package p\nx := input.if.not.else\n",
        "package p\nx := 1.5\n",
        "package foo.if\nimport data.foo.as.bar\nx := data.a.in\n",
    ] {
        assert_eq!(rewrite(policy, false), [policy], "{policy}");
    }
}

#[test]
fn v0_future_keywords_are_names_unless_imported() {
    let policy = "package p\nx { if.y == 1 }\n";
    assert_eq!(rewrite(policy, true), [policy]);
    let imported = "package p\nimport future.keywords.if\nx if { if.y == 1 }\n";
    assert!(rewrite(imported, true)[0].contains("data.p.if.y"));
    // Hard keywords are keywords in v0 too.
    assert!(rewrite("package p\nx { not.y == 1 }\n", true)[0].contains("data.p.not.y"));
}

#[test]
fn an_import_binding_a_keyword_is_followed() {
    let policy = "package p\nimport data.lib.if\nx if { if.y == 1 }\n";
    assert!(rewrite(policy, false)[0].contains("x if { data.lib.if.y == 1 }"));
}

#[test]
fn keyword_refs_evaluate_as_in_opa() {
    let policy = "package test\n\
        p if {\n  if.foo == 3\n  foo.if == 6\n  in.s == {\"a\"}\n  true.f(1) == 1\n  true.f(11) == 42\n}\n\
        if.foo := 1 if { input.x == 1 } else := 2 if { input.x == 2 } else := 3\n\
        foo.if := 4 if { input.x == 1 } else := 6\n\
        in.s contains \"a\"\n\
        default true.f(_) := 42\n\
        true.f(x) := x if { x < 10 }\n";
    let store = store(RegoVersion::V1, &[policy]);
    assert_eq!(store.evaluate_json("data.test.p", Some(r#"{"x": 3}"#)).unwrap(), "true");
    // Keyword fields work in queries too.
    assert_eq!(store.evaluate_json("data.test.if.foo", Some(r#"{"x": 2}"#)).unwrap(), "2");
    assert_eq!(store.evaluate_json("data.test.in.s", None).unwrap(), "[\"a\"]");
}

#[test]
fn errors_keep_their_line() {
    let policy = "package test\nif.foo := 1\n\np if {\n  1 +\n}\n";
    let store = PolicyStore::new(Options::new(RegoVersion::V1)).unwrap();
    let error = store.load_policy("k.rego", policy).unwrap_err().to_string();
    assert!(error.contains("k.rego:6:"), "{error}");
}

#[test]
fn the_cheap_test_skips_keyword_fields_and_longer_names() {
    assert!(!might_have_roots("package p\nx := input.package.not.y\nnotx.y := 1\n"));
    assert!(might_have_roots("package p\nx := not.y\n"));
    assert!(might_have_roots("true.y := 1\n"));
}

#[test]
fn v0_partial_sets_and_else_on_its_own_line_move_whole() {
    let policy = "package test\n\
        p { as.s == {\"a\"}; with.v == 2 }\n\
        as.s[x] { x := \"a\" }\n\
        with.v = 1 { input.x == 1 }\n\
        else = 2 { true }\n";
    let modules = rewrite(policy, true);
    assert_eq!(modules.len(), 3, "{modules:?}");
    // Modules by keyword: `as`, then `with`, whose rule keeps its `else` line.
    assert_eq!(
        modules[2].lines().map(str::trim_end).collect::<Vec<_>>(),
        ["package test.with", "", "", "     v = 1 { input.x == 1 }", "else = 2 { true }"]
    );
    let store = store(RegoVersion::V0, &[policy]);
    assert_eq!(store.evaluate_json("data.test.p", None).unwrap(), "true");
    assert_eq!(store.evaluate_json("data.test.with", None).unwrap(), r#"{"v":2}"#);
}
