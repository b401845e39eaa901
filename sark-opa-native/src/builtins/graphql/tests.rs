use super::*;

fn query(text: &str) -> serde_json::Value {
    let document = parser::parse_query(text).unwrap_or_else(|e| panic!("{text}: {e:?}"));
    ast::prune(serde_json::to_value(&document).unwrap()).unwrap_or_default()
}

#[test]
fn a_query_becomes_gqlparsers_pruned_ast() {
    let json = query("query ($a: String @first, $b: Int = 1) { f(x: [1, $a]) }");
    let expected = serde_json::json!({"Operations": [{"Description": "", "Name": "", "Operation": "query",
        "SelectionSet": [{"Alias": "f", "Name": "f", "Arguments": [{"Name": "x", "Value": {"Children": [
            {"Name": "", "Value": {"ExpectedTypeHasDefault": false, "Kind": 1, "Raw": "1"}},
            {"Name": "", "Value": {"ExpectedTypeHasDefault": false, "Kind": 0, "Raw": "a"}}],
            "ExpectedTypeHasDefault": false, "Kind": 8, "Raw": ""}}]}],
        "VariableDefinitions": [
            {"Description": "", "Directives": [{"Location": "", "Name": "first"}],
             "Type": {"NamedType": "String", "NonNull": false}, "Used": false, "Variable": "a"},
            {"Description": "", "DefaultValue": {"ExpectedTypeHasDefault": false, "Kind": 1, "Raw": "1"},
             "Type": {"NamedType": "Int", "NonNull": false}, "Used": false, "Variable": "b"}]}]});
    assert_eq!(json, expected);
}

#[test]
fn parse_errors_name_the_token_and_place_as_gqlparser_does() {
    let cases = [
        ("{", "Expected Name, found <EOF>", (1, 2)),
        ("{ ...on }", "Expected Name, found }", (1, 9)),
        ("notanoperation Foo { field }", "Unexpected Name \"notanoperation\"", (1, 1)),
        ("{ f(a: \"x) }", "Unexpected <Invalid>", (1, 13)),
        ("query Q($x: Int = $y) { f }", "Unexpected $", (1, 19)),
        ("{ f }\n\u{1}", "Unexpected <Invalid>", (2, 1)),
    ];
    for (text, message, (line, column)) in cases {
        let error = parser::parse_query(text).expect_err(text);
        assert_eq!(error.message, message, "{text}");
        let pos = error.pos.expect("a position");
        assert_eq!((pos.line, pos.column), (line, column), "{text}");
    }
}

/// Runs `test` on a thread with the stack evaluations get (the parser's depth bound is sized for it).
fn on_eval_stack(test: impl FnOnce() + Send + 'static) {
    let thread = std::thread::Builder::new().stack_size(crate::stack_guard::EVAL_STACK).spawn(test).unwrap();
    if let Err(panic) = thread.join() {
        std::panic::resume_unwind(panic);
    }
}

#[test]
fn nesting_is_bounded_not_followed_down_the_stack() {
    on_eval_stack(nesting_is_bounded);
}

fn nesting_is_bounded() {
    let deep = format!("{}{}", "{ a ".repeat(5000), "}".repeat(5000));
    let error = parser::parse_query(&deep).expect_err("too deep");
    assert!(error.message.contains("maximum nesting depth"), "{}", error.message);
    let list = format!("{{ f(a: {}1{}) }}", "[".repeat(100_000), "]".repeat(100_000));
    assert!(parser::parse_query(&list).is_err());
}

#[test]
fn block_strings_lose_their_common_indentation() {
    let json = query("{ f(a: \"\"\"\n    one\n      two\n  \"\"\") }");
    let raw = &json["Operations"][0]["SelectionSet"][0]["Arguments"][0]["Value"]["Raw"];
    assert_eq!(raw, "one\n  two");
}

fn schema_ok(text: &str) -> bool {
    schema::validate(parser::parse_schema(text).unwrap()).is_ok()
}

#[test]
fn schemas_are_checked_as_gqlparser_checks_them() {
    assert!(schema_ok("type Query { a: String }"));
    assert!(schema_ok("extend type Query { a: String } type A { b: [Int!]! }"));
    assert!(!schema_ok("type Query { a: Missing }"), "undefined type");
    assert!(!schema_ok("type Query { a: String a: Int }"), "field twice");
    assert!(!schema_ok("type Query"), "no fields");
    assert!(!schema_ok("type String { a: Int }"), "redeclared built-in");
    assert!(!schema_ok("input A { b: B! } input B { a: A! } type Query { f(a: A): Int }"), "input cycle");
    assert!(schema_ok("input A { b: B } input B { a: A! } type Query { f(a: A): Int }"));
    assert!(!schema_ok("interface I { a: Int } type Query implements I { b: Int }"), "missing interface field");
    assert!(!schema_ok("type Query { a: String @include(if: true) }"), "directive not applicable");
    assert!(!schema_ok("schema { query: Q }"), "root type missing");
    assert!(!schema_ok("type Query { __a: Int }"), "reserved name");
}

fn valid(query: &str, schema_text: &str) -> Result<(), String> {
    let schema = schema::validate(parser::parse_schema(schema_text).unwrap()).map_err(|e| e.message)?;
    validate::validate(&schema, &parser::parse_query(query).unwrap()).map_err(|e| e.message)
}

#[test]
fn queries_are_checked_against_the_schema() {
    let schema = "type Query { user(id: ID!): User, users(first: Int = 10): [User] } type User { id: ID!, name: String, friends: [User] }";
    assert_eq!(valid("{ user(id: 1) { id name friends { name } } }", schema), Ok(()));
    assert_eq!(valid("query ($id: ID!) { user(id: $id) { __typename id } }", schema), Ok(()));
    for (query, message) in [
        ("{ user(id: 1) { nope } }", "Cannot query field \"nope\" on type \"User\"."),
        ("{ user { id } }", "Field \"user\" argument \"id\" of type \"ID!\" is required, but it was not provided."),
        ("{ user(id: 1) }", "Field \"user\" of type \"User\" must have a selection of subfields."),
        ("{ user(id: 1) { id { __typename } } }", "Field \"id\" must not have a selection since type \"ID\" has no subfields."),
        ("query ($x: Int) { user(id: 1) { id } }", "Variable \"$x\" is never used."),
        ("{ user(id: $y) { id } }", "Variable \"$y\" is not defined."),
        ("{ users(first: \"x\") { id } }", "Int cannot represent non-integer value: \"x\""),
        ("{ ...F }", "Unknown fragment \"F\"."),
        ("{ user(id: 1) { ...F } } fragment F on User { ...G } fragment G on User { ...F }", "Cannot spread fragment \"F\" within itself via \"G\"."),
        ("mutation { x }", "Schema does not support operation type \"mutation\""),
    ] {
        assert_eq!(valid(query, schema), Err(message.to_string()), "{query}");
    }
}

#[test]
fn long_fragment_chains_are_refused_not_followed_down_the_stack() {
    on_eval_stack(long_fragment_chains_are_refused);
}

fn long_fragment_chains_are_refused() {
    let schema = "type Query { a: Int }";
    let mut query = String::from("{ ...F0 }\n");
    for i in 0..50_000 {
        query.push_str(&format!("fragment F{i} on Query {{ a ...F{} }}\n", i + 1));
    }
    query.push_str("fragment F50000 on Query { a }\n");
    let error = valid(&query, schema).expect_err("too deep");
    assert!(error.contains("nested more than"), "{error}");
}

#[test]
fn fields_of_one_response_name_must_merge() {
    let schema = "type Query { a: Int b: Int s: String u(id: ID): U pet: Pet } type U { id: ID name: String }
                  union Pet = Cat | Dog type Cat { name: String meows: Boolean } type Dog { name: String barks: Boolean }";
    for query in [
        "{ a a }",
        "{ x: a x: a }",
        "{ u(id: 1) { id } u(id: 1) { name } }",
        "{ pet { ... on Cat { v: meows } ... on Dog { v: barks } } }", // parents that exclude each other
        "{ ...F ...F } fragment F on Query { a }",
    ] {
        assert_eq!(valid(query, schema), Ok(()), "{query}");
    }
    for (query, reason) in [
        ("{ x: a x: b }", "\"a\" and \"b\" are different fields"),
        ("{ u(id: 1) { id } u(id: 2) { id } }", "they have differing arguments"),
        ("{ x: a ...F } fragment F on Query { x: s }", "\"a\" and \"s\" are different fields"),
        ("{ u { x: id } u { x: name } }", "subfields \"x\" conflict because \"id\" and \"name\" are different fields"),
    ] {
        let error = valid(query, schema).expect_err(query);
        assert!(error.contains(reason) && error.starts_with("Fields \""), "{query}: {error}");
    }
}

#[test]
fn long_fragment_chains_are_walked_once_from_their_definitions() {
    on_eval_stack(|| {
        // gqlparser walks the whole chain again from every definition, and compares every pair of its
        // 4,000 identical fields.
        let mut query = String::from("{ ...F0 }\n");
        for i in 0..4_000 {
            query.push_str(&format!("fragment F{i} on Query {{ a ...F{} }}\n", i + 1));
        }
        query.push_str("fragment F4000 on Query { a }\n");
        assert_eq!(valid(&query, "type Query { a: Int }"), Ok(()));
        // A conflict at the chain's end is still found from the operation.
        let conflicting = query.replace("fragment F4000 on Query { a }", "fragment F4000 on Query { a: b }");
        assert!(valid(&conflicting, "type Query { a: Int b: Int }").is_err());
    });
}

#[test]
fn ast_objects_of_shared_parts_are_measured_before_they_are_copied() {
    // A million references to one object of 1,000 fields: small in memory, about 10 GB once copied.
    let field: std::collections::BTreeMap<Value, Value> =
        (0..1000).map(|i| (Value::from(format!("k{i}")), Value::from("v"))).collect();
    let shared = Value::from(field);
    let selections = Value::from(vec![shared; 1_000_000]);
    let operation = Value::from(std::collections::BTreeMap::from([(Value::from("SelectionSet"), selections)]));
    let document = Value::from(std::collections::BTreeMap::from([(Value::from("Operations"), Value::from(vec![operation]))]));
    let error = super::super::limits::with_memory_limit(1 << 30, || is_valid(&[document, Value::from("type Query { a: Int }")]))
        .expect_err("refused");
    assert!(error.to_string().contains("memory limit"), "{error}");
}
