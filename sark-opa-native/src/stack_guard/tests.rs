use super::*;

/// Parses and analyses on a large stack, as the store does.
fn analyze_text(rego: &str) -> Result<usize, String> {
    let rego = rego.to_string();
    let worker = std::thread::Builder::new().stack_size(COMPILE_STACK).spawn(move || {
        let mut engine = regorus::Engine::new();
        engine.add_policy("p.rego".into(), rego).map_err(|e| e.to_string())?;
        analyze(engine.get_modules()).map(|costs| costs.worst)
    });
    worker.unwrap().join().unwrap()
}

#[test]
fn scan_measures_nesting_and_operator_chains() {
    assert_eq!(
        scan("data.a.b", "q").unwrap(),
        Shape {
            nesting: 0,
            operators: 2,
            statements: 1,
            parse_work: 5
        }
    );
    assert_eq!(
        scan("input.a + 1 == 3", "q").unwrap(),
        Shape {
            nesting: 0,
            operators: 3,
            statements: 1,
            parse_work: 7
        }
    );
    assert_eq!(scan("count([x | x := input.a[_]]) > 0", "q").unwrap().nesting, 3);
    // Numbers are single tokens; brackets and operators in strings and comments do not count.
    assert_eq!(scan("1.5e-3 + 2E+4", "q").unwrap().operators, 1);
    let quoted = format!(
        "x := \"{}\" # {}\ny := `{}`",
        "[".repeat(100),
        "(".repeat(100),
        "{+\n".repeat(100)
    );
    assert_eq!(
        scan(&quoted, "q").unwrap(),
        Shape {
            nesting: 0,
            operators: 1,
            statements: 2,
            parse_work: 6
        }
    );
    assert_eq!(scan(r#"x := "a\"[[[""#, "q").unwrap().nesting, 0);
}

#[test]
fn scan_limits_reference_chains() {
    assert!(scan(&format!("input{}", ".a".repeat(MAX_OPERATORS)), "q").is_ok());
    let error = scan(&format!("input{}", ".a".repeat(MAX_OPERATORS + 1)), "q").unwrap_err();
    assert!(error.contains("more than 64 operators or reference links"), "{error}");
    assert!(scan(&format!("input{}", "[0]".repeat(MAX_OPERATORS + 1)), "q").is_err());
}

#[test]
fn parse_work_doubles_per_level_of_first_elements_only() {
    // regorus parses the first element of an array, set or object twice; the elements after it once.
    let work = |text: &str| scan(text, "q").unwrap().parse_work;
    let first = |depth: usize| work(&format!("{}1{}", "[".repeat(depth), "]".repeat(depth)));
    let doubles = |a: u64, b: u64| (a as f64 / b as f64 - 2.0).abs() < 0.05;
    assert!(doubles(first(9), first(8)), "{} vs {}", first(9), first(8));
    let last = |depth: usize| work(&format!("{}1{}", "[2, ".repeat(depth), "]".repeat(depth)));
    assert!(last(24) < 4 * 24 * 2, "elements after the first are linear: {}", last(24));
    // An object's first key and first value are both replayed; its later entries are not.
    let first_value = |depth: usize| work(&format!("{}1{}", "{\"a\": ".repeat(depth), "}".repeat(depth)));
    assert!(doubles(first_value(9), first_value(8)), "{} vs {}", first_value(9), first_value(8));
    let later_value = |depth: usize| work(&format!("{}1{}", "{\"b\": 0, \"a\": ".repeat(depth), "}".repeat(depth)));
    assert!(later_value(24) < 8 * 24 * 2, "{}", later_value(24));
}

#[test]
fn parse_work_is_bounded_per_byte() {
    // One 8-deep literal is fine; hundreds of them add up past the budget, shallow ones never do.
    let one = format!("x := {}1{}", "[".repeat(8), "]".repeat(8));
    assert!(scan(&one, "q").is_ok());
    let many = format!("{one}\n").repeat(400);
    let error = scan(&many, "p.rego").unwrap_err();
    assert!(error.contains("parsing would take too long"), "{error}");
    let shallow = "x := {\"a\": [1, 2], \"b\": {\"c\": 3}}\n".repeat(2000);
    assert!(scan(&shallow, "p.rego").is_ok());
    // Deep values nested in later elements cost what flat text costs.
    let deep_later = format!("x := {}1{}\n", "[0, ".repeat(30), "]".repeat(30)).repeat(500);
    assert!(scan(&deep_later, "p.rego").is_ok());
}

#[test]
fn scan_rejects_deep_nesting_with_position() {
    let deep = format!(
        "package p\nx := {}1{}",
        "(".repeat(MAX_NESTING + 1),
        ")".repeat(MAX_NESTING + 1)
    );
    let error = scan(&deep, "p.rego").unwrap_err();
    assert!(
        error.starts_with("p.rego:2:38: brackets nested deeper than 32"),
        "{error}"
    );
    let arrays = format!(
        "package p\nx := {}1{}",
        "[".repeat(MAX_REPLAYED_NESTING + 1),
        "]".repeat(MAX_REPLAYED_NESTING + 1)
    );
    let error = scan(&arrays, "p.rego").unwrap_err();
    assert!(
        error.starts_with("p.rego:2:18: arrays, sets and objects nested deeper than 12 levels, each in the first"),
        "{error}"
    );
    let ok = format!("x := {}1{}", "(".repeat(MAX_NESTING), ")".repeat(MAX_NESTING));
    assert_eq!(scan(&ok, "q").unwrap().nesting, MAX_NESTING);
    assert!(scan(&"[".repeat(20_000), "q").is_err());
}

#[test]
fn scan_counts_chains_across_lines_but_not_across_statements() {
    let chain = |n: usize, sep: &str| format!("x := {}", vec!["1"; n].join(sep));
    assert!(scan(&chain(MAX_OPERATORS, "+"), "q").is_ok()); // `:=` plus 63 `+`
    assert!(scan(&chain(MAX_OPERATORS + 1, "+"), "q").is_err());
    assert!(scan(&chain(MAX_OPERATORS + 1, "\n+ "), "q").is_err());
    assert!(scan(&chain(MAX_OPERATORS + 1, " +\n"), "q").is_err());
    // Operators inside parentheses add to the chain around them.
    assert!(scan(&format!("x := 1 + ({})", vec!["1"; MAX_OPERATORS].join("+")), "q").is_err());
    // Statements on their own lines or separated by `;` or `,` start afresh.
    let body = (0..500)
        .map(|i| format!("  x{i} := {i} + 1"))
        .collect::<Vec<_>>()
        .join("\n");
    assert!(scan(&format!("package p\nallow if {{\n{body}\n}}\n"), "p").is_ok());
    assert!(scan(
        &(0..500).map(|i| format!("x{i} == 1")).collect::<Vec<_>>().join("; "),
        "q"
    )
    .is_ok());
    assert!(scan(&format!("x := {}1", "- ".repeat(MAX_OPERATORS)), "q").is_err());
    assert!(scan("x := {1, 2} | {3}; y := 1 in [1]", "q").is_ok());
}

#[test]
fn recursive_functions_are_rejected() {
    let error = analyze_text("package p\nf(x) := y if { y := f(x) }\nr := f(1)\n").unwrap_err();
    assert!(error.contains("recursion detected: data.p.f -> data.p.f"), "{error}");
    let error = analyze_text("package p\nf(x) := g(x)\ng(x) := f(x)\n").unwrap_err();
    assert!(error.contains("data.p.f -> data.p.g -> data.p.f"), "{error}");
    // Through an import alias and an absolute reference.
    let error = analyze_text("package p\nimport data.p as me\nf(x) := me.g(x)\ng(x) := data.p.f(x)\n").unwrap_err();
    assert!(error.contains("recursion detected"), "{error}");
    // `with f as g` where g recurses on its own.
    let error = analyze_text("package p\nf(x) := 1\ng(x) := h(x)\nh(x) := g(x)\nr := y if { y := f(1) with f as g }\n").unwrap_err();
    assert!(error.contains("recursion detected"), "{error}");
    // ... also when the `with` sits in a comprehension in a rule's value.
    let error = analyze_text("package p\nf(x) := 1\ng(x) := h(x)\nh(x) := g(x)\nr := [y | y := f(1) with f as g]\n").unwrap_err();
    assert!(error.contains("data.p.g -> data.p.h -> data.p.g"), "{error}");
}

#[test]
fn a_replacement_calling_the_function_it_replaces_is_no_recursion() {
    // OPA and regorus run g without the mock that chose it: g's call of f is the original f.
    analyze_text("package p\nf(x) := 2\ng(x) := f(x)\nr := y if { y := f(1) with f as g }\n").unwrap();
    analyze_text("package p\nf(x) := 1\ng(x) := f(x)\nr := [y | y := f(1) with f as g]\n").unwrap();
    // Nested mocks (OPA's "nested scope handling").
    let policy = "package p\nf1(x) := object.union_n(x)\nf2(x) := count(x)\nf(x) := f1(x)\n\
                  g(x) := 123 if { f2(x) }\np if q with f1 as f\nq if r with f2 as g\n\
                  r if { f2([1]) == 123; f1([{}]) == {} }\n";
    analyze_text(policy).unwrap();
    // The replacement's cost still counts: f's callers may run g's chain.
    let plain = analyze_text("package p\nf(x) := 1\ng(x) := f(x)\nr := y if { y := f(1) }\n").unwrap();
    let mocked = analyze_text("package p\nf(x) := 1\ng(x) := f(x)\nr := y if { y := f(1) with f as g }\n").unwrap();
    assert!(mocked > plain, "{mocked} > {plain}");
}

#[test]
fn dynamic_references_depend_only_on_rules_they_can_reach() {
    // OPA's dependency graph: a number key reaches no rule, a variable key any key at its place,
    // and the parts after it must still match.
    for policy in [
        "package test\np := data[2]\n",
        "package test\np := data.nested[2]\n",
        "package test\np := data[first].allow.see.x if first := \"primary\"\n",
        "package test\np := a[b].c if b := \"b\"\na.b.c := \"C\"\n",
        "package test\np.allow[a] if a := 1\nq := p[input.rule][input.a]\n",
    ] {
        analyze_text(policy).unwrap_or_else(|e| panic!("{policy}: {e}"));
    }
    // A variable key that can reach the rule itself is still recursion.
    for policy in ["package test\np := data[x] if x := \"test\"\n", "package test\np := data.test[x] if x := 1\n"] {
        let error = analyze_text(policy).unwrap_err();
        assert!(error.contains("recursion detected: data.test.p -> data.test.p"), "{policy}: {error}");
    }
}

#[test]
fn recursive_rules_are_rejected() {
    let error = analyze_text("package p\na := b\nb := a\n").unwrap_err();
    assert!(
        error.starts_with("p.rego:2:1: recursion detected: data.p.a -> data.p.b -> data.p.a"),
        "{error}"
    );
    assert!(analyze_text("package p\nall := data.p\n")
        .unwrap_err()
        .contains("recursion"));
}

#[test]
fn locals_that_share_a_rule_name_are_not_references() {
    // `user` is both a rule and normalize's argument; OPA accepts this, so must we.
    let policy = "package p\nuser := normalize(input.user)\nnormalize(user) := lower(user)\n\
                  admins contains user if { some user in input.users }\n\
                  x := y if { y := user }\ny := 1 if { every y in [1] { y > 0 } }\n";
    analyze_text(policy).unwrap();
}

#[test]
fn cost_grows_with_dependency_depth() {
    let chain = |n: usize| {
        let mut p = String::from("package p\n");
        for i in 0..n {
            p += &format!("r{i} := r{} + 1\n", i + 1);
        }
        p + &format!("r{n} := 0\n")
    };
    let shallow = analyze_text(&chain(2)).unwrap();
    let deep = analyze_text(&chain(40)).unwrap();
    assert!(deep > shallow + 38 * HOP, "{shallow} {deep}");
    let error = analyze_text(&chain(3000)).unwrap_err();
    assert!(error.contains("depend on each other too deeply"), "{error}");
}

#[test]
fn other_packages_and_builtins_resolve() {
    let mut engine = regorus::Engine::new();
    engine
        .add_policy("lib.rego".into(), "package lib\nf(x) := x + 1\n".into())
        .unwrap();
    engine
        .add_policy(
            "app.rego".into(),
            "package app\nimport data.lib\nr := lib.f(count([1]))\n".into(),
        )
        .unwrap();
    let cost = analyze(engine.get_modules()).unwrap().worst;
    // app.r -> lib.f: two hops.
    assert!(cost >= 2 * HOP, "{cost}");
}

#[test]
fn a_data_path_query_costs_only_the_rules_it_reaches() {
    // One deep helper chain in package `helpers`; package `app` is shallow and does not use it.
    let mut helpers = String::from("package helpers\n");
    for i in 0..40 {
        helpers += &format!("r{i} := r{} + 1\n", i + 1);
    }
    helpers += "r40 := 0\n";
    let app = "package app\nallow if input.user == \"alice\"\nuses_deep := data.helpers.r0\n";
    let costs = std::thread::Builder::new()
        .stack_size(COMPILE_STACK)
        .spawn(move || {
            let mut engine = regorus::Engine::new();
            engine.add_policy("helpers.rego".into(), helpers).unwrap();
            engine.add_policy("app.rego".into(), app.into()).unwrap();
            analyze(engine.get_modules()).unwrap()
        })
        .unwrap()
        .join()
        .unwrap();
    let allow = costs.for_query("data.app.allow", true);
    assert!(allow <= 2 * HOP + INLINE_BUDGET / 8, "the shallow rule alone: {allow}");
    assert!(costs.worst > allow + 38 * HOP, "{costs:?}");
    // Paths that reach the chain: the chain itself, a rule that calls it, a package or data as a whole.
    for reaching in ["data.helpers.r0", "data.helpers", "data.app.uses_deep", "data.app", "data"] {
        assert!(costs.for_query(reaching, true) > 38 * HOP, "{reaching}: {}", costs.for_query(reaching, true));
    }
    assert_eq!(costs.for_query("data.app.allow.field", true), allow, "a path into a rule's value is that rule");
    assert_eq!(costs.for_query("data.nothing.here", true), 0);
    // Any other query may call any rule.
    assert_eq!(costs.for_query("data.app.allow == true", false), costs.worst);
}

#[test]
fn scan_counts_top_level_statements() {
    assert_eq!(scan("x := 1; y := 2\nz := [a | a := 1; b := 2]", "q").unwrap().statements, 3);
    assert_eq!(scan("# comment\n\n  x := 1\n", "q").unwrap().statements, 1);
    // Lines starting with a bracket count as well: a statement cannot hide behind one.
    assert_eq!(scan("[a] = [1]\n[b] = [2]\n[c] = [3]", "q").unwrap().statements, 3);
}

#[test]
fn a_body_with_too_many_statements_is_refused_with_its_location() {
    let body = |n: usize| {
        let mut p = String::from("package p\nr if {\n  x0 := 1\n");
        for k in 1..n {
            p += &format!("  x{k} := x{}\n", k - 1);
        }
        p + "}\n"
    };
    analyze_text(&body(MAX_STATEMENTS)).unwrap();
    let error = analyze_text(&body(MAX_STATEMENTS + 1)).unwrap_err();
    assert!(error.contains("p.rego:2:") && error.contains("split it into helper rules"), "{error}");
}
