use super::*;
use std::time::Duration;

fn v1() -> PolicyStore {
    PolicyStore::new(Options::new(RegoVersion::V1)).unwrap()
}

fn strict() -> PolicyStore {
    PolicyStore::new(Options { strict_builtin_errors: true, ..Options::new(RegoVersion::V1) }).unwrap()
}

const AUTHZ: &str = r#"package authz
default allow := false
allow if input.user.role == "admin"
"#;

const ADMIN: &str = r#"{"user":{"role":"admin"}}"#;

fn compilation(result: StoreResult<()>) -> String {
    match result {
        Err(StoreError::Compilation(message)) => message,
        other => panic!("expected a compilation error, got {other:?}"),
    }
}

#[test]
fn admin_allowed_and_missing_input_denied() {
    let store = v1();
    store.load_policy("authz", AUTHZ).unwrap();
    assert!(store.is_allowed("data.authz.allow", Some(ADMIN)).unwrap());
    assert!(!store
        .is_allowed("data.authz.allow", Some(r#"{"user":{"role":"guest"}}"#))
        .unwrap());
    assert!(!store.is_allowed("data.authz.allow", None).unwrap());
    assert_eq!(store.evaluate_json("data.authz.allow", None).unwrap(), "false");
    assert_eq!(
        store.evaluate_json("input", None).unwrap(),
        "false",
        "no input: input is undefined"
    );
}

#[test]
fn queries_may_be_expressions_and_results_are_compact_json() {
    let store = v1();
    assert_eq!(
        store.evaluate_json("input.a + 1", Some(r#"{"a": 1.5}"#)).unwrap(),
        "2.5"
    );
    assert_eq!(
        store.evaluate_json("[1, {\"b\": [true, null]}]", None).unwrap(),
        r#"[1,{"b":[true,null]}]"#
    );
    assert_eq!(store.evaluate_json("x := 2; y := x * 3", None).unwrap(), "true");
    // isAllowed is true only for the boolean true, not for other truthy-looking values.
    assert!(!store.is_allowed("1", None).unwrap());
    assert!(!store.is_allowed("\"true\"", None).unwrap());
}

#[test]
fn rule_path_fast_path_agrees_with_general_queries() {
    let store = v1();
    store
        .load_policy(
            "a",
            "package a\nx := 1\ns contains y if some y in [1, 2]\nf(v) := v\nb.c := 3\n",
        )
        .unwrap();
    store.add_data(r#"{"d": {"e": 4}}"#).unwrap();
    for (query, expected) in [
        ("data.a.x", "1"),
        ("data.a.s", "[1,2]"),
        ("data.a.b.c", "3"),
        ("data.a.b", r#"{"c":3}"#),
        ("data.d.e", "4"),
        ("data.a.missing", "false"),
        ("data.nothing", "false"),
    ] {
        assert_eq!(store.evaluate_json(query, None).unwrap(), expected, "{query}");
        // The same query through the general route (a no-op conjunct defeats the fast path).
        assert_eq!(
            store.evaluate_json(&format!("{query}; true"), None).unwrap(),
            expected,
            "{query}"
        );
    }
    assert!(is_rule_path("data.a_1.B"));
    for query in [
        "data",
        "data.",
        "data.a.",
        "data.a[0]",
        "data.1a",
        "input.a",
        "data.a b",
    ] {
        assert!(!is_rule_path(query), "{query}");
    }
}

#[test]
fn arguments_are_checked() {
    let store = v1();
    assert!(matches!(store.load_policy("", AUTHZ), Err(StoreError::Argument(_))));
    assert!(matches!(store.load_policy("p", ""), Err(StoreError::Argument(_))));
    assert!(matches!(store.evaluate_json("", None), Err(StoreError::Argument(_))));
    assert!(matches!(store.remove_policy(""), Err(StoreError::Argument(_))));
}

#[test]
fn invalid_policy_reports_name_line_and_column_and_keeps_the_old_one() {
    let store = v1();
    store.load_policy("authz", AUTHZ).unwrap();
    let message = compilation(store.load_policy("authz", "package authz\nallow if {\n"));
    assert!(message.starts_with("--> authz:3:1"), "{message}");
    assert!(
        store.is_allowed("data.authz.allow", Some(ADMIN)).unwrap(),
        "old policy still answers"
    );
    assert_eq!(store.policies().unwrap(), ["authz"]);
}

#[test]
fn v0_policy_in_a_v1_engine_gets_a_hint_and_v0_engines_load_it() {
    let v0_policy = "package old\ndefault allow = false\nallow { input.user == \"root\" }\n";
    let message = compilation(v1().load_policy("old", v0_policy));
    assert!(message.contains("`if` keyword is required"), "{message}");
    assert!(message.contains("RegoVersion.V0"), "{message}");

    let v0 = PolicyStore::new(Options::new(RegoVersion::V0)).unwrap();
    v0.load_policy("old", v0_policy).unwrap();
    assert!(v0.is_allowed("data.old.allow", Some(r#"{"user":"root"}"#)).unwrap());
    // `import rego.v1` opts a module into v1 syntax in both engines.
    let v1_policy = "package new\nimport rego.v1\nallow if input.user == \"root\"\n";
    v0.load_policy("new", v1_policy).unwrap();
    v1().load_policy("new", v1_policy).unwrap();
}

#[test]
fn two_packages_override_remove_and_clear() {
    let store = v1();
    store.load_policy("a", "package a\nx := 1\n").unwrap();
    store.load_policy("b", "package b\nx := data.a.x + 1\n").unwrap();
    assert_eq!(store.evaluate_json("data.b.x", None).unwrap(), "2");
    store.load_policy("a", "package a\nx := 10\n").unwrap();
    assert_eq!(store.evaluate_json("data.b.x", None).unwrap(), "11");
    assert_eq!(store.policies().unwrap(), ["a", "b"]);
    store.remove_policy("a").unwrap();
    store.remove_policy("a").unwrap(); // unknown names are ignored
    assert!(!store.has_policy("a").unwrap() && store.has_policy("b").unwrap());
    assert_eq!(store.evaluate_json("data.b.x", None).unwrap(), "false");
    store.add_data(r#"{"k": 1}"#).unwrap();
    store.clear_policies().unwrap();
    assert!(store.policies().unwrap().is_empty());
    assert_eq!(
        store.evaluate_json("data.k", None).unwrap(),
        "1",
        "data survives clearPolicies"
    );
}

#[test]
fn data_merges_and_conflicts_change_nothing() {
    let store = v1();
    store
        .load_policy(
            "rbac",
            "package rbac\nallow if input.action in data.roles[input.role]\n",
        )
        .unwrap();
    store.add_data(r#"{"roles": {"admin": ["read", "write"]}}"#).unwrap();
    store.add_data(r#"{"roles": {"viewer": ["read"]}}"#).unwrap();
    assert!(store
        .is_allowed("data.rbac.allow", Some(r#"{"role":"viewer","action":"read"}"#))
        .unwrap());
    assert!(!store
        .is_allowed("data.rbac.allow", Some(r#"{"role":"viewer","action":"write"}"#))
        .unwrap());
    for bad in [r#"{"roles": {"admin": ["none"]}}"#, "[1]", "{", ""] {
        assert!(matches!(store.add_data(bad), Err(StoreError::Document(_))), "{bad}");
    }
    assert!(store
        .is_allowed("data.rbac.allow", Some(r#"{"role":"admin","action":"write"}"#))
        .unwrap());
}

#[test]
fn runtime_errors_do_not_break_the_engine() {
    let store = v1();
    store
        .load_policy("c", "package c\nx := input.a\nx := input.b\n")
        .unwrap();
    let error = store
        .evaluate_json("data.c.x", Some(r#"{"a": 1, "b": 2}"#))
        .unwrap_err();
    assert!(
        matches!(&error, StoreError::Evaluation(m) if m.contains("c:")),
        "{error:?}"
    );
    assert_eq!(
        store.evaluate_json("data.c.x", Some(r#"{"a": 1, "b": 1}"#)).unwrap(),
        "1"
    );
    assert!(matches!(
        store.evaluate_json("1 +", None),
        Err(StoreError::Evaluation(_))
    ));
    assert!(matches!(
        store.evaluate_json("input", Some("{")),
        Err(StoreError::Document(_))
    ));
}

#[test]
fn deep_json_is_an_error_not_a_crash() {
    let store = v1();
    let deep = "[".repeat(20_000) + &"]".repeat(20_000);
    assert!(
        matches!(store.evaluate_json("input", Some(&deep)), Err(StoreError::Document(m)) if m.contains("recursion limit"))
    );
    assert!(matches!(
        store.add_data(&format!("{{\"a\": {deep}}}")),
        Err(StoreError::Document(_))
    ));
    // A builtin error is undefined by default, as in OPA, and an error with strict builtin errors.
    let unmarshal = format!("{{\"s\": \"{deep}\"}}");
    assert_eq!(store.query_json("json.unmarshal(input.s)", Some(&unmarshal)).unwrap(), r#"{"result":[]}"#);
    assert!(strict()
        .evaluate_json("json.unmarshal(input.s)", Some(&unmarshal))
        .is_err());
    // 100 levels are fine.
    let fine = "[".repeat(100) + &"]".repeat(100);
    assert_eq!(store.evaluate_json("input", Some(&fine)).unwrap(), fine);
}

#[test]
fn deep_rego_is_rejected_or_evaluated_off_thread() {
    let store = v1();
    // Each of these overflows or hangs regorus 0.5.0's parser.
    for query in [
        "[".repeat(40) + &"]".repeat(40),
        "input[".repeat(300) + "0" + &"]".repeat(300),
        "- ".repeat(300) + "1",
    ] {
        assert!(
            matches!(store.evaluate_json(&query, None), Err(StoreError::Evaluation(_))),
            "{query}"
        );
    }
    let message = compilation(store.load_policy("r", "package r\nf(x) := f(x)\ny := f(1)\n"));
    assert!(
        message.contains("recursion detected: data.r.f -> data.r.f"),
        "{message}"
    );
    // A chain of 300 dependent rules is too deep for a small Java thread but fine off-thread.
    let mut chain = String::from("package chain\n");
    for i in 0..300 {
        chain += &format!("r{i} := r{} + 1\n", i + 1);
    }
    chain += "r300 := 0\n";
    store.load_policy("chain", &chain).unwrap();
    assert!(store.cost() > stack_guard::INLINE_BUDGET);
    let store = Arc::new(store);
    let small = std::thread::Builder::new().stack_size(256 << 10).spawn({
        let store = store.clone();
        move || store.evaluate_json("data.chain.r0", None)
    });
    assert_eq!(small.unwrap().join().unwrap().unwrap(), "300");
}

#[test]
fn strings_round_trip_unchanged() {
    let store = v1();
    let text = "nul \u{0} emoji \u{1F600} accents \u{e9}\u{301} cjk \u{4e2d}";
    let input = serde_json::json!({ "s": text }).to_string();
    let output = store.evaluate_json("input.s", Some(&input)).unwrap();
    assert_eq!(serde_json::from_str::<String>(&output).unwrap(), text);
}

#[test]
fn closed_store_refuses_calls_but_stays_valid() {
    let store = v1();
    store.load_policy("authz", AUTHZ).unwrap();
    store.close();
    store.close();
    assert!(matches!(
        store.evaluate_json("data.authz.allow", None),
        Err(StoreError::Closed)
    ));
    assert!(matches!(store.load_policy("authz", AUTHZ), Err(StoreError::Closed)));
    assert!(matches!(store.policies(), Err(StoreError::Closed)));
}

#[test]
fn concurrent_evaluation_during_reloads() {
    let store = Arc::new(v1());
    store.load_policy("authz", AUTHZ).unwrap();
    std::thread::scope(|scope| {
        for t in 0..4 {
            let store = &store;
            scope.spawn(move || {
                for i in 0..300 {
                    let role = if (i + t) % 2 == 0 { "admin" } else { "guest" };
                    let input = format!(r#"{{"user":{{"role":"{role}"}}}}"#);
                    assert_eq!(
                        store.is_allowed("data.authz.allow", Some(&input)).unwrap(),
                        role == "admin"
                    );
                }
            });
        }
        scope.spawn(|| {
            for i in 0..30 {
                // Same meaning, different text: answers must not change while it is swapped in.
                store.load_policy("authz", &format!("{AUTHZ}# reload {i}\n")).unwrap();
                store
                    .load_policy(&format!("extra{i}"), "package extra\ny := 1\n")
                    .unwrap_or(());
            }
        });
    });
}

/// Policies and queries shaped like the worst cases measured for `stack_guard`, `n` levels deep.
fn deep_case(kind: &str, n: usize) -> (String, String) {
    let lines = |f: &dyn Fn(usize) -> String| (0..n).map(f).collect::<String>();
    let policy = match kind {
        "rules" => format!(
            "package p\n{}r{n} := 0\n",
            lines(&|i| format!("r{i} := r{} + 1\n", i + 1))
        ),
        "bodies" => format!(
            "package p\n{}r{n} := true\n",
            lines(&|i| format!("r{i} if {{ count([r{}]) > 0 }}\n", i + 1))
        ),
        "functions" => format!(
            "package p\n{}f{n}(x) := x\nr0 := f0(0)\n",
            lines(&|i| format!("f{i}(x) := f{}(x + 1)\n", i + 1))
        ),
        "every" => format!(
            "package p\nr0 if {{\n{}true\n{}}}\n",
            lines(&|i| format!("every x{i} in [1] {{\n")),
            "}\n".repeat(n)
        ),
        // Each rule nests brackets, calls and reference links.
        "nested" => format!(
            "package p\n{}r{n} := 0\n",
            lines(&|i| format!("r{i} := [{{\"a\": [abs(abs(r{} + 1))]}}][0].a[0]\n", i + 1))
        ),
        "references" => {
            let long_ref = format!("input{}{}", ".a.b.c.d.e.f.g.h".repeat(5), "[0][1][2]".repeat(5));
            format!(
                "package p\n{}r{n} := 0\n",
                lines(&|i| format!("r{i} := r{} + 1 if not {long_ref}\n", i + 1))
            )
        }
        // Queries are parsed on the evaluating thread.
        "query-comprehensions" => return (String::new(), "[x | x := ".repeat(n) + "1" + &"]".repeat(n)),
        "query-minus" => return (String::new(), "- ".repeat(n) + "1"),
        _ => unreachable!(),
    };
    (policy, "data.p.r0".to_string())
}

#[test]
fn inline_estimates_cover_the_stack_used() {
    // Debug builds use several times the stack of the release profile the estimates are for.
    let stack = if cfg!(debug_assertions) {
        8 * stack_guard::INLINE_BUDGET
    } else {
        stack_guard::INLINE_BUDGET
    };
    for kind in [
        "rules",
        "bodies",
        "functions",
        "every",
        "nested",
        "references",
        "query-comprehensions",
        "query-minus",
    ] {
        let mut deepest = None;
        for n in 1..200 {
            let store = v1();
            let (policy, query) = deep_case(kind, n);
            let Ok(shape) = stack_guard::scan(&query, "q") else { break };
            if !policy.is_empty() && store.load_policy("p", &policy).is_err() {
                break; // deeper than the scanner accepts
            }
            if shape.query_cost() + store.cost() > stack_guard::INLINE_BUDGET {
                break;
            }
            deepest = Some((n, store, query));
        }
        let (n, store, query) = deepest.unwrap();
        let worker = std::thread::Builder::new()
            .stack_size(stack)
            .spawn(move || store.evaluate_json(&query, None));
        let result = worker.unwrap().join().unwrap();
        println!("{kind}: depth {n} evaluates inline to {result:?}");
        assert!(n > 5, "{kind}: only {n} levels fit the budget");
        assert!(result.is_ok() || kind == "query-minus", "{kind}: {result:?}");
    }
}

/// The answer of plain regorus: a fresh engine, the whole input parsed by SARK's reader (regorus' own
/// reads `{"$serde_json::private::Number": ..}` as a number and refuses `1e400`), no pool, no projection.
/// What the store must agree with.
fn oracle(policies: &[(&str, &str)], data: &[&str], query: &str, input: Option<&str>) -> String {
    let mut engine = compile(Options::new(RegoVersion::V1), &policies.iter().map(|(n, s)| (n.to_string(), s.to_string())).collect())
        .expect("policies compile");
    let mut merged = Value::new_object();
    for d in data {
        merged = deep_merge(&merged, crate::json::parse(d).unwrap(), &mut Vec::new()).unwrap();
    }
    engine.add_data(merged).unwrap();
    let input = match input.map(crate::json::parse) {
        Some(Err(e)) => return format!("Err(Document(\"malformed input JSON: {e}\"))"),
        Some(Ok(value)) => Some(value),
        None => None,
    };
    if let Some(input) = input {
        engine.set_input(input);
    }
    let value = first_value(&mut engine, query).map(|v| v.map(|v| crate::json::to_string(&v).unwrap()));
    format!("{:?}", value.map(|v| v.unwrap_or_else(|| "false".into())))
}

/// Policies that read the input in every way the projection has to get right (or give up on).
const READERS: &[(&str, &str)] = &[
    ("rbac", "package rbac\nimport rego.v1\ndefault allow := false\nallow if input.user.role == \"admin\"\nallow if { some g in data.grants[input.user.role]; g.action == input.action; g.resource == input.resource }\n"),
    ("dyn", "package dyn\nimport rego.v1\nallow if { some k; input[k] == \"deploy\" }\nkeys := object.keys(input.user)\n"),
    ("bare", "package bare\nimport rego.v1\nallow if count(input) > 2\nwhole := input\n"),
    ("with", "package withm\nimport rego.v1\nr if input.user.role == \"admin\"\nallow if r with input.user.role as \"admin\"\n"),
    ("imp", "package imp\nimport rego.v1\nimport input.user as u\nallow if u.role == \"admin\"\nname := u.name\n"),
    ("walk", "package walker\nimport rego.v1\nn := count([p | walk(input.context, [p, _])])\nhdr := input.context.headers[\"user-agent\"]\ncl := [c.iss | some c in input.context.claims]\n"),
    ("fn", "package fnp\nimport rego.v1\nf(x) := x.role\nallow if f(input.user) == \"admin\"\n"),
    ("every", "package ev\nimport rego.v1\nallow if { every g in input.subject.groups { g != \"x\" } }\nkeys := {k | some k, _ in input.subject}\n"),
];

const INPUTS: &[&str] = &[
    r#"{"user":{"name":"bob","role":"admin"}}"#,
    r#"{"user":{"name":"ada","role":"staff"},"action":"read","resource":"repo","noise":[1,2,{"a":"b"}]}"#,
    r#"{"user":"bob","action":"deploy"}"#,
    r#"{"subject":{"id":"u7","groups":["staff","x"]},"context":{"headers":{"user-agent":"curl"},"claims":[{"iss":"a"},{"iss":"b"}]}}"#,
    r#"{"subject":{"id":"u7"},"junk":1e400}"#,
    r#"{"subject":{"id":"u7"},"junk":{"$serde_json::private::Number":"5","b":1}}"#,
    r#"{"user":{"role":"admin"},"junk":"\ud83d\ude00\u00e9"}"#,
    r#"{"user":{"role":"admin"}} trailing"#,
    r#"{"user":{"role":"admin"},}"#,
    "null",
    "[]",
    "{}",
];

#[test]
fn decisions_with_projection_and_pooled_engines_equal_plain_regorus() {
    let data = [r#"{"grants":{"staff":[{"action":"read","resource":"repo"}]}}"#];
    let queries = [
        "data.rbac.allow", "data.dyn.allow", "data.dyn.keys", "data.bare.allow", "data.bare.whole",
        "data.withm.allow", "data.imp.allow", "data.imp.name", "data.walker.n", "data.walker.hdr",
        "data.walker.cl", "data.fnp.allow", "data.ev.allow", "data.ev.keys", "data.rbac", "input.user",
        "x := input.subject.id",
    ];
    // Each policy alone (a policy that reads the input whole turns projection off for its store),
    // then all of them together.
    let mut sets: Vec<Vec<(&str, &str)>> = READERS.iter().map(|reader| vec![*reader]).collect();
    sets.push(READERS.to_vec());
    let mut projected = Vec::new();
    for set in &sets {
        let store = v1();
        for (name, source) in set {
            store.load_policy(name, source).unwrap();
        }
        store.add_data(data[0]).unwrap();
        if store.snapshot().unwrap().input_paths.is_some() {
            projected.push(set.iter().map(|(name, _)| *name).collect::<Vec<_>>().join("+"));
        }
        for query in queries {
            for input in INPUTS.iter().map(Some).chain([None]) {
                let want = oracle(set, &data, query, input.copied());
                // Three times: the first decisions build or clone engines, later ones reuse them.
                for round in 0..3 {
                    let got = format!("{:?}", store.evaluate_json(query, input.copied()));
                    assert_eq!(got, want, "{query} on {input:?} with {set:?}, round {round}");
                }
            }
        }
    }
    // Projection was in use where it is safe, and only there.
    assert_eq!(projected, ["rbac", "imp", "walk", "fn", "every"]);
}

#[test]
fn pooled_engines_of_a_replaced_policy_never_answer() {
    let store = v1();
    store.load_policy("p", "package p\nimport rego.v1\nallow if input.role == \"admin\"\n").unwrap();
    for _ in 0..5 {
        assert!(store.is_allowed("data.p.allow", Some(r#"{"role":"admin"}"#)).unwrap());
    }
    store.load_policy("p", "package p\nimport rego.v1\nallow if input.role == \"staff\"\n").unwrap();
    for _ in 0..5 {
        assert!(!store.is_allowed("data.p.allow", Some(r#"{"role":"admin"}"#)).unwrap());
        assert!(store.is_allowed("data.p.allow", Some(r#"{"role":"staff"}"#)).unwrap());
    }
}

#[test]
fn an_evaluation_error_does_not_poison_later_decisions() {
    let store = strict();
    store.load_policy("p", "package p\nimport rego.v1\nx := to_number(input.n)\nallow if x > 1\n").unwrap();
    for _ in 0..10 {
        assert!(store.evaluate_json("data.p.allow", Some(r#"{"n":"abc"}"#)).is_err());
        assert!(store.is_allowed("data.p.allow", Some(r#"{"n":"5"}"#)).unwrap());
        assert!(!store.is_allowed("data.p.allow", Some(r#"{"n":"0"}"#)).unwrap());
    }
}

#[test]
fn the_pool_holds_at_most_one_engine_per_cpu() {
    let store = Arc::new(v1());
    store.load_policy("p", "package p\nimport rego.v1\nallow if input.role == \"admin\"\n").unwrap();
    let threads: Vec<_> = (0..8)
        .map(|_| {
            let store = Arc::clone(&store);
            std::thread::spawn(move || {
                for _ in 0..200 {
                    assert!(store.is_allowed("data.p.allow", Some(r#"{"role":"admin"}"#)).unwrap());
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    let snapshot = store.snapshot().unwrap();
    let cpus = std::thread::available_parallelism().map_or(1, |n| n.get());
    assert_eq!(snapshot.pool.slots.len(), cpus);
    assert_eq!(super::cpus(), cpus);
    let built = snapshot.pool.slots.iter().filter(|slot| slot.lock().unwrap().is_some()).count();
    assert!((1..=cpus).contains(&built), "{built} engines for {cpus} CPUs");
}

#[test]
fn query_returns_the_whole_result_set_as_opa_eval_prints_it() {
    let store = v1();
    store.load_policy("p", "package p\nroles := {\"a\": 1, \"b\": 2}\ndeny := false\n").unwrap();
    assert_eq!(store.query_json("data.p.missing", None).unwrap(), r#"{"result":[]}"#);
    assert_eq!(
        store.query_json("data.p.deny", None).unwrap(),
        r#"{"result":[{"expressions":[{"value":false,"text":"data.p.deny","location":{"row":1,"col":1}}]}]}"#
    );
    assert_eq!(
        store.query_json("data.p.roles[k] == 2", None).unwrap(),
        r#"{"result":[{"expressions":[{"value":true,"text":"data.p.roles[k] == 2","location":{"row":1,"col":1}}],"bindings":{"k":"b"}}]}"#
    );
    // One result per way the query is satisfied.
    let all = store.query_json("x := data.p.roles[_]", None).unwrap();
    assert_eq!(all.matches("\"bindings\"").count(), 2, "{all}");
    assert!(matches!(store.query_json("1 +", None), Err(StoreError::Evaluation(_))));
}

#[test]
fn strict_builtin_errors_raise_and_default_ones_are_undefined() {
    let lenient = v1();
    assert_eq!(lenient.evaluate_json("to_number(\"abc\")", None).unwrap(), "false");
    assert_eq!(lenient.query_json("x := 1 / 0", None).unwrap(), r#"{"result":[]}"#);
    let error = strict().evaluate_json("to_number(\"abc\")", None).unwrap_err();
    assert!(matches!(&error, StoreError::Evaluation(m) if m.contains("to_number")), "{error:?}");
}

#[test]
fn a_decision_over_its_timeout_stops_with_a_timeout_error() {
    let timeout = Duration::from_millis(100);
    let store = PolicyStore::new(Options { timeout: Some(timeout), ..Options::new(RegoVersion::V1) }).unwrap();
    store
        .load_policy(
            "slow",
            "package slow\nn := count([1 | some x in numbers.range(1, input.n); some y in numbers.range(1, input.n); x * y == 7])\n",
        )
        .unwrap();
    // Small enough: answers.
    assert_eq!(store.evaluate_json("data.slow.n", Some(r#"{"n": 10}"#)).unwrap(), "2");
    // Far too large for 100 ms, through both the rule-path and the general route.
    for query in ["data.slow.n", "data.slow.n; true"] {
        let started = std::time::Instant::now();
        // 25 million iterations: about a minute without the limit.
        let error = store.evaluate_json(query, Some(r#"{"n": 5000}"#)).unwrap_err();
        assert!(matches!(&error, StoreError::Timeout(_)), "{query}: {error:?}");
        assert!(started.elapsed() < timeout * 50, "{query}: stopped only after {:?}", started.elapsed());
    }
    // The engine keeps answering afterwards.
    assert_eq!(store.evaluate_json("data.slow.n", Some(r#"{"n": 7}"#)).unwrap(), "2");
}

#[test]
fn imports_bind_their_last_name_and_calls_resolve_through_them() {
    let store = v1();
    store.load_policy("lib", "package lib\nadmins := {\"alice\"}\ngreet(n) := concat(\" \", [\"hi\", n])\n").unwrap();
    store
        .load_policy("app", "package app\nimport data.lib\nallow if input.name in lib.admins\ng := lib.greet(input.name)\n")
        .unwrap();
    assert!(store.is_allowed("data.app.allow", Some(r#"{"name": "alice"}"#)).unwrap());
    assert_eq!(store.evaluate_json("data.app.g", Some(r#"{"name": "ann"}"#)).unwrap(), r#""hi ann""#);
}

#[test]
fn integers_beyond_64_bits_compare_and_come_back_exactly_and_no_key_is_magic() {
    let s = v1();
    let big = r#"{"a": 18446744073709551617, "b": 18446744073709551616, "n": 123456789012345678901234567890}"#;
    assert_eq!(s.evaluate_json("input.a == input.b", Some(big)).unwrap(), "false");
    assert_eq!(s.evaluate_json("input.a > input.b", Some(big)).unwrap(), "true");
    assert_eq!(s.evaluate_json("input.n", Some(big)).unwrap(), "123456789012345678901234567890");
    assert_eq!(
        s.query_json("x := input.n + 1", Some(big)).unwrap(),
        r#"{"result":[{"expressions":[{"value":true,"text":"x := input.n + 1","location":{"row":1,"col":1}}],"bindings":{"x":123456789012345678901234567891}}]}"#
    );
    assert_eq!(s.evaluate_json("input.x > 1e300", Some(r#"{"x": 1e400}"#)).unwrap(), "true");

    // serde_json's private number token is an ordinary key, read or not
    let magic = r#"{"$serde_json::private::Number": "5", "user": "alice"}"#;
    assert_eq!(s.evaluate_json("input.user", Some(magic)).unwrap(), r#""alice""#);
    assert_eq!(s.evaluate_json("is_object(input)", Some(magic)).unwrap(), "true");
    s.load_policy("p", "package p\nallow if input.user == \"alice\"\n").unwrap();
    assert!(s.is_allowed("data.p.allow", Some(magic)).unwrap());
    assert!(s.is_allowed("data.p.allow", Some(r#"{"user": "alice", "x": {"$serde_json::private::Number": "oops"}}"#)).unwrap());
}

#[test]
fn out_parameter_calls_of_sarks_builtins_work_in_queries_too() {
    let s = v1();
    let result = s.query_json(r#"uri.parse("https://example.com:8443/a?b=c", u)"#, None).unwrap();
    assert!(result.contains(r#""bindings":{"u":{"#), "{result}");
    assert!(result.contains(r#""hostname":"example.com""#) && result.contains(r#""port":"8443""#), "{result}");
    // other query text is evaluated as written
    assert_eq!(s.query_json("x := 1", None).unwrap(),
        r#"{"result":[{"expressions":[{"value":true,"text":"x := 1","location":{"row":1,"col":1}}],"bindings":{"x":1}}]}"#);
}

#[test]
fn put_data_replaces_a_subtree_and_remove_data_deletes_it_atomically() {
    let s = v1();
    s.add_data(r#"{"roles": {"alice": ["admin"], "bob": ["viewer"]}, "limits": {"max": 3}}"#).unwrap();
    // replace, not merge: bob is gone
    s.put_data("roles", r#"{"carol": ["admin"]}"#).unwrap();
    assert_eq!(s.evaluate_json("data.roles", None).unwrap(), r#"{"carol":["admin"]}"#);
    // a leading slash and missing objects on the way, as OPA's Data API creates them
    s.put_data("/tenants/acme/plan", r#""gold""#).unwrap();
    assert_eq!(s.evaluate_json("data.tenants", None).unwrap(), r#"{"acme":{"plan":"gold"}}"#);
    // a scalar on the way is a conflict, and changes nothing
    let before = s.evaluate_json("data", None).unwrap();
    assert!(matches!(s.put_data("limits/max/x", "1"), Err(StoreError::Document(m)) if m.contains("not an object")));
    assert!(matches!(s.put_data("a//b", "1"), Err(StoreError::Argument(m)) if m.contains("empty key")));
    assert!(matches!(s.put_data("x", "{"), Err(StoreError::Document(_))));
    assert!(matches!(s.put_data("", "[1]"), Err(StoreError::Document(m)) if m.contains("must be a JSON object")));
    assert_eq!(s.evaluate_json("data", None).unwrap(), before);

    s.remove_data("limits/max").unwrap();
    assert_eq!(s.evaluate_json("data.limits", None).unwrap(), "{}");
    s.remove_data("nothing/here").unwrap(); // a no-op
    s.remove_data("tenants").unwrap();
    assert_eq!(s.query_json("data.tenants", None).unwrap(), r#"{"result":[]}"#);
    // the whole document
    s.put_data("/", r#"{"only": true}"#).unwrap();
    assert_eq!(s.evaluate_json("data", None).unwrap(), r#"{"only":true}"#);
    s.remove_data("").unwrap();
    assert_eq!(s.evaluate_json("data", None).unwrap(), "{}");
}

#[test]
fn engines_built_for_pool_slots_read_the_current_data_not_its_history() {
    let s = v1();
    s.load_policy("p", "package p\nn := count(data.items)\n").unwrap();
    for i in 0..200 {
        s.put_data("items", &format!("[{}]", vec!["1"; i % 7 + 1].join(","))).unwrap();
    }
    let snapshot = s.snapshot().unwrap();
    let engine = snapshot.private_engine(Options::new(RegoVersion::V1)).unwrap();
    drop(engine);
    let text = snapshot.data_text.get().unwrap().as_ref().unwrap();
    assert_eq!(text.as_ref(), r#"{"items":[1,1,1,1]}"#, "one text of the current data (the last put: 199 % 7 + 1 ones)");
    assert_eq!(s.evaluate_json("data.p.n", None).unwrap(), "4");
}

/// A policy of `rules` small rules: about 40 bytes and some microseconds of compilation each.
fn many_rules(rules: usize) -> String {
    let mut policy = String::from("package many\n");
    for i in 0..rules {
        policy.push_str(&format!("r{i} if {{ input.x == {i}; input.y[_] == \"v{i}\" }}\n"));
    }
    policy
}

#[test]
fn a_load_over_the_timeout_gives_the_caller_a_timeout_and_changes_nothing() {
    let options = Options { timeout: Some(Duration::from_millis(1)), ..Options::new(RegoVersion::V1) };
    let store = PolicyStore::new(options).unwrap();
    store.load_policy("small.rego", "package small\nallow := true").unwrap_or_else(|e| {
        // the 1 ms deadline can catch even a tiny policy on a loaded machine; then it is a timeout too
        assert!(matches!(e, StoreError::Timeout(_)), "{e}")
    });
    // 10,000 rules (half a MiB) take far longer than 1 ms to compile on any machine
    match store.load_policy("big.rego", &many_rules(10_000)) {
        Err(StoreError::Timeout(message)) => assert!(message.contains("timeout"), "{message}"),
        other => panic!("expected a timeout, got {other:?}"),
    }
    assert!(!store.has_policy("big.rego").unwrap(), "a load past its deadline publishes nothing");
    assert_eq!(store.evaluate_json("1 + 1", None).unwrap(), "2", "the engine still answers");
}

#[test]
fn close_during_a_load_wins_the_load_never_reopens_the_engine() {
    let store = Arc::new(v1());
    let loading = {
        let store = Arc::clone(&store);
        std::thread::spawn(move || store.load_policy("big.rego", &many_rules(5_000)))
    };
    store.close();
    let load = loading.join().unwrap();
    // either the load finished before close (Ok) or it saw the engine closed; afterwards it is closed
    assert!(matches!(load, Ok(()) | Err(StoreError::Closed)), "{load:?}");
    assert_eq!(store.evaluate_json("1 + 1", None), Err(StoreError::Closed));
    assert_eq!(store.has_policy("big.rego"), Err(StoreError::Closed));
}

#[test]
fn a_deeply_nested_query_is_refused_before_anything_parses_it() {
    // Found by the query_compile fuzz target: with a name of SARK's builtins in it, the out-parameter
    // rewrite parsed the text with regorus before the nesting guard saw it, for more than 10 s.
    let store = v1();
    for query in ["[[[[[[[[[[[[[[[[[[[[ in numbers.range(1", "x := [[[[[[[[[[[[[[1]]]]]]]]]]]]]]; uri.parse(\"a\", y)"] {
        match store.evaluate_json(query, None) {
            Err(StoreError::Evaluation(message)) => assert!(message.contains("nested"), "{query}: {message}"),
            other => panic!("{query}: expected a nesting error, got {other:?}"),
        }
    }
}

#[test]
fn a_query_with_too_many_statements_is_refused() {
    let store = v1();
    let statements: Vec<String> = (0..=stack_guard::MAX_STATEMENTS).map(|k| format!("x{k} := {k}")).collect();
    match store.evaluate_json(&statements.join("; "), None) {
        Err(StoreError::Evaluation(message)) => assert!(message.contains("put them in a rule"), "{message}"),
        other => panic!("expected a statement-count error, got {other:?}"),
    }
    assert_eq!(store.evaluate_json(&statements[..10].join("\n"), None).unwrap(), "true", "ten are fine");
}

#[test]
fn a_decision_that_holds_more_than_its_memory_limit_stops_with_an_evaluation_error() {
    let limit = 4 << 20;
    let store = PolicyStore::new(Options { memory_limit: limit, ..Options::new(RegoVersion::V1) }).unwrap();
    // Every step allocates a little (one short text): only a running total sees the set grow.
    store
        .load_policy(
            "grow",
            "package grow\nn := count({sprintf(\"%d-%d\", [x, y]) | some x in numbers.range(1, input.n); some y in numbers.range(1, 1000)})\n",
        )
        .unwrap();
    assert_eq!(store.evaluate_json("data.grow.n", Some(r#"{"n": 1}"#)).unwrap(), "1000");
    for query in ["data.grow.n", "data.grow.n; true"] {
        // 300,000 strings in a set: tens of MiB in regorus' values, far past 4 MiB.
        let error = store.evaluate_json(query, Some(r#"{"n": 300}"#)).unwrap_err();
        assert!(matches!(&error, StoreError::MemoryLimit(_)), "{query}: {error:?}");
        assert!(error.to_string().contains("memory limit of 4194304 bytes"), "{error}");
    }
    // The engine keeps answering afterwards.
    assert_eq!(store.evaluate_json("data.grow.n", Some(r#"{"n": 2}"#)).unwrap(), "2000");
}
