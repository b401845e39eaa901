//! The builtins through a regorus engine, as policies use them. Tokens and expected values come
//! from OPA's conformance cases (test/cases/testdata/v1), which these builtins pass in full.

use regorus::{Engine, Value};

use super::{names, out_params, register, OnError, OVERRIDES};

fn engine_with(policy: &str, on_error: OnError) -> Engine {
    let mut engine = Engine::new();
    engine.set_strict_builtin_errors(on_error == OnError::Raise);
    register(&mut engine, on_error, false).unwrap();
    let policy = out_params::rewrite("p.rego", policy, false).into_owned();
    engine.add_policy("p.rego".into(), policy).unwrap();
    engine
}

fn eval(engine: &mut Engine, rule: &str) -> Result<Value, String> {
    engine.eval_rule(rule.into()).map_err(|e| format!("{e:#}"))
}

const HS256_TOKEN: &str = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIwIiwiaXNzIjoib3BhIn0.XmVoLoHI3pxMtMO_WRONMSJzGUDP9pDjy8Jp0_tdRXY";

#[test]
fn regorus_has_only_the_overridden_builtins() {
    // If a regorus upgrade adds one, `register` skips it (regorus' own wins); check it matches OPA.
    let mut known: Vec<_> = names()
        .into_iter()
        .filter(|n| regorus::unstable::BUILTINS.contains_key(n))
        .collect();
    let mut overrides: Vec<_> = OVERRIDES.iter().map(|(n, _)| *n).collect();
    known.sort_unstable();
    overrides.sort_unstable();
    assert_eq!(
        known, overrides,
        "regorus' own set changed: compare it with OPA, then drop ours or list it as an override"
    );
}

#[test]
fn registering_twice_is_refused() {
    let mut engine = Engine::new();
    register(&mut engine, OnError::Raise, false).unwrap();
    let error = register(&mut engine, OnError::Raise, false)
        .unwrap_err()
        .to_string();
    assert!(error.contains("cannot add builtin"), "{error}");
}

#[test]
fn builtins_are_callable_from_policies() {
    let policy = format!(
        "package p\n\
         sha := crypto.sha256(\"lorem ipsum\")\n\
         mac := crypto.hmac.sha256(\"message\", \"key\")\n\
         merged := net.cidr_merge([\"192.0.128.0/24\", \"192.0.129.0/24\"])\n\
         decoded := io.jwt.decode(\"{HS256_TOKEN}\")\n\
         valid := io.jwt.verify_hs256(\"{HS256_TOKEN}\", \"secret\")\n"
    );
    let mut engine = engine_with(&policy, OnError::Raise);
    assert_eq!(
        eval(&mut engine, "data.p.sha").unwrap(),
        Value::from("5e2bf57d3f40c4b6df69daf1936cb766f832374b4fc0259a7cbff06e2f70f269")
    );
    assert_eq!(
        eval(&mut engine, "data.p.mac").unwrap(),
        Value::from("6e9ef29b75fffc5b7abae527d58fdadb2fe42e7219011976917343065f58ed4a")
    );
    assert_eq!(
        eval(&mut engine, "data.p.merged").unwrap(),
        Value::from_json_str(r#"["192.0.128.0/23"]"#)
            .unwrap()
            .as_array()
            .unwrap()
            .iter()
            .cloned()
            .collect::<std::collections::BTreeSet<_>>()
            .into()
    );
    assert_eq!(
        eval(&mut engine, "data.p.decoded").unwrap()[1],
        Value::from_json_str(r#"{"iss":"opa","sub":"0"}"#).unwrap()
    );
    assert_eq!(
        eval(&mut engine, "data.p.valid").unwrap(),
        Value::from(true)
    );
}

#[test]
fn out_parameter_calls_work_after_the_rewrite() {
    let policy = format!(
        "package p\nparts := [h, p] if {{\n\tio.jwt.decode(\"{HS256_TOKEN}\", [h, p, _])\n}}\n"
    );
    let mut engine = engine_with(&policy, OnError::Raise);
    let parts = eval(&mut engine, "data.p.parts").unwrap();
    assert_eq!(
        parts[0],
        Value::from_json_str(r#"{"alg":"HS256","typ":"JWT"}"#).unwrap()
    );

    // Without the rewrite regorus cannot call an extension that way: it takes `h` for an input
    // ("var h is unsafe"), or with bound operands fails with "incorrect number of parameters
    // supplied to extension".
    let mut engine = Engine::new();
    register(&mut engine, OnError::Raise, false).unwrap();
    engine.add_policy("p.rego".into(), policy).unwrap();
    let error = eval(&mut engine, "data.p.parts").unwrap_err();
    assert!(error.contains("var h is unsafe"), "{error}");
}

#[test]
fn errors_raise_or_make_the_call_undefined() {
    let policy =
        "package p\nd := io.jwt.decode(\"no-dots\")\nok if not io.jwt.decode(\"no-dots\")\n";
    let mut raising = engine_with(policy, OnError::Raise);
    let error = eval(&mut raising, "data.p.d").unwrap_err();
    assert!(
        error.contains("io.jwt.decode: encoded JWT had no period separators"),
        "{error}"
    );

    // OPA's default: the failing call is undefined, so `not` of it holds.
    let mut lenient = engine_with(policy, OnError::Undefined);
    assert_eq!(eval(&mut lenient, "data.p.d").unwrap(), Value::Undefined);
    assert_eq!(eval(&mut lenient, "data.p.ok").unwrap(), Value::from(true));
}

#[test]
fn decode_verify_follows_opa_cases() {
    // jwtdecodeverify/hs256-float-nbf-equal and -one-tenth-second-before.
    let token = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJ4eHgiLCJuYmYiOjEuNTg5Mzg1NzcwMTIzNGUrMDl9.lvrsV1nam-BZr0SomWwsr4dBfu6BDrR2FzQ1iS_Xnrw";
    let policy = format!(
        "package p\n\
         at_nbf := io.jwt.decode_verify(\"{token}\", {{\"secret\": \"secret\", \"time\": 1589385770123400000}})\n\
         before := io.jwt.decode_verify(\"{token}\", {{\"secret\": \"secret\", \"time\": 1589385770023400000}})\n\
         wrong_key := io.jwt.decode_verify(\"{token}\", {{\"secret\": \"nope\", \"time\": 1589385770123400000}})\n"
    );
    let mut engine = engine_with(&policy, OnError::Raise);
    assert_eq!(
        eval(&mut engine, "data.p.at_nbf").unwrap(),
        Value::from_json_str(
            r#"[true, {"alg": "HS256", "typ": "JWT"}, {"iss": "xxx", "nbf": 1589385770.1234}]"#
        )
        .unwrap()
    );
    let unverified = Value::from_json_str("[false, {}, {}]").unwrap();
    assert_eq!(eval(&mut engine, "data.p.before").unwrap(), unverified);
    assert_eq!(eval(&mut engine, "data.p.wrong_key").unwrap(), unverified);
}

/// The value of `expr` in a Rego v1 policy, with errors raised or undefined.
fn value_of(expr: &str, on_error: OnError) -> Result<Value, String> {
    let mut engine = engine_with(&format!("package p\nx := {expr}\n"), on_error);
    eval(&mut engine, "data.p.x")
}

fn json(text: &str) -> Value {
    Value::from_json_str(text).unwrap()
}

/// `expr` raises an error containing `message` in strict mode and is undefined otherwise.
fn assert_fails(expr: &str, message: &str) {
    let error = value_of(expr, OnError::Raise).unwrap_err();
    assert!(error.contains(message), "{expr}: {error}");
    assert_eq!(
        value_of(expr, OnError::Undefined).unwrap(),
        Value::Undefined,
        "{expr}"
    );
}

#[test]
fn split_n_keeps_the_first_or_last_parts() {
    for (expr, want) in [
        (r#"strings.split_n("a.b.c.d", ".", 2)"#, r#"["a", "b"]"#),
        (
            r#"strings.split_n("a.b.c.d", ".", 10)"#,
            r#"["a", "b", "c", "d"]"#,
        ),
        (r#"strings.split_n("a.b.c.d", ".", -1)"#, r#"["d"]"#),
        (
            r#"strings.split_n("a.b.c.d", ".", -10)"#,
            r#"["a", "b", "c", "d"]"#,
        ),
        (r#"strings.split_n("a.b.c.d", ".", 0)"#, "[]"),
        (r#"strings.split_n("", ".", 2)"#, r#"[""]"#),
        (r#"strings.split_n("aéc", "", -2)"#, r#"["é", "c"]"#),
        (r#"strings.split_n("", "", 2)"#, "[]"),
    ] {
        assert_eq!(
            value_of(expr, OnError::Raise).unwrap(),
            json(want),
            "{expr}"
        );
    }
    assert_fails(
        r#"strings.split_n("a.b", ".", 1.5)"#,
        "strings.split_n: operand 3 must be integer number but got floating-point number",
    );
    assert_fails(
        r#"strings.split_n("a.b", ".", "1")"#,
        "strings.split_n: operand 3 must be number but got string",
    );
    assert_fails(
        r#"strings.split_n(1, ".", 1)"#,
        "operand 1 must be string but got number",
    );
}

#[test]
fn count_is_non_overlapping_and_handles_an_empty_substring() {
    for (expr, want) in [
        (r#"strings.count("11111", "11")"#, "2"),
        (r#"strings.count("cheese", "e")"#, "3"),
        (r#"strings.count("dummy", "")"#, "6"),
        (r#"strings.count("héé", "")"#, "4"),
        (r#"strings.count("", "")"#, "1"),
        (r#"strings.count("", "x")"#, "0"),
    ] {
        assert_eq!(
            value_of(expr, OnError::Raise).unwrap(),
            json(want),
            "{expr}"
        );
    }
    assert_fails(
        r#"strings.count("a", 1)"#,
        "strings.count: operand 2 must be string but got number",
    );
}

#[test]
fn replacements_that_would_outgrow_the_memory_limit_are_errors() {
    // An empty old string puts the new one before every character: 201 x 1,000 bytes here.
    super::limits::with_memory_limit(100_000, || {
        for (expr, what) in [
            (r#"strings.replace_n({"": concat("", ["x" | some i in numbers.range(1, 1000)])}, concat("", ["a" | some i in numbers.range(1, 200)]))"#, "strings.replace_n: a string of more than"),
            (r#"replace(concat("", ["a" | some i in numbers.range(1, 200)]), "", concat("", ["x" | some i in numbers.range(1, 1000)]))"#, "replace: a string of 201200 bytes"),
            (r#"regex.replace(concat("", ["a" | some i in numbers.range(1, 200)]), "a", concat("", ["$0" | some i in numbers.range(1, 1000)]))"#, "regex.replace: a string of up to 600200 bytes"),
        ] {
            let error = value_of(expr, OnError::Raise).unwrap_err();
            assert!(error.contains(what) && error.contains("memory limit of 100000 bytes"), "{expr}: {error}");
        }
    });
}

#[test]
fn results_that_would_outgrow_what_is_left_of_the_memory_limit_are_errors() {
    // Each array.concat doubles the array, and the rules keep every one: a16 (524,288 elements of 24
    // bytes, 12.6 MB) fits a 16 MB limit alone, but not beside a0 to a15 (another 12.6 MB).
    let mut policy = String::from("package p\na0 := [1, 2, 3, 4, 5, 6, 7, 8]\n");
    for n in 1..=16 {
        policy.push_str(&format!("a{n} := array.concat(a{}, a{})\n", n - 1, n - 1));
    }
    let mut doubling = engine_with(&policy, OnError::Raise);
    super::limits::with_memory_limit(16_000_000, || {
        let error = eval(&mut doubling, "data.p.a16").unwrap_err();
        assert!(error.contains("array.concat: an array of 524288 elements") && error.contains("memory limit of 16000000"), "{error}");
    });

    // 100,000 values of two bytes each: 200 KB of text, several MB of values (the comprehensions that build
    // the text hold about 3 MB).
    let zeros = r#"concat("", ["[", concat(",", ["0" | some i in numbers.range(1, 100000)]), "]"])"#;
    let a_100k = r#"concat("", ["a" | some i in numbers.range(1, 100000)])"#;
    let thousand = r#"[s | s := concat("", ["x" | some i in numbers.range(1, 10000)]); some j in numbers.range(1, 1000)]"#;
    for (expr, what) in [
        (format!("json.unmarshal({zeros})"), "json.unmarshal: a JSON text of 200001 bytes"),
        (format!("yaml.unmarshal({zeros})"), "yaml.unmarshal: a YAML text of 200001 bytes"),
        (format!("json.is_valid({zeros})"), "json.is_valid: a JSON text of 200001 bytes"),
        (format!("yaml.is_valid({zeros})"), "yaml.is_valid: a YAML text of 200001 bytes"),
        (format!(r#"regex.find_all_string_submatch_n("", {a_100k}, -1)"#), "regex.find_all_string_submatch_n: 200002 parts"),
        // Values that share their parts are written out once per reference: a thousand references to 10 KB.
        (format!(r#"urlquery.encode_object({{"a": {thousand}}})"#), "urlquery.encode_object: the object as text"),
        (format!(r#"io.jwt.encode_sign({{"alg": "HS256"}}, {{"a": {thousand}}}, {{"kty": "oct", "k": "c2VjcmV0"}})"#), "the JWT payload as text"),
    ] {
        let mut engine = engine_with(&format!("package p\nx := {expr}\n"), OnError::Raise);
        let error = super::limits::with_memory_limit(6_000_000, || eval(&mut engine, "data.p.x")).unwrap_err();
        assert!(error.contains(what) && error.contains("memory limit of 6000000 bytes"), "{expr}: {error}");
    }
    // Small ones read as before.
    assert_eq!(value_of(r#"json.unmarshal("[1, {\"a\": [2.5, \"x\"]}]")"#, OnError::Raise).unwrap(), json(r#"[1, {"a": [2.5, "x"]}]"#));
    assert_eq!(value_of(r#"yaml.unmarshal("a: [1, x]")"#, OnError::Raise).unwrap(), json(r#"{"a": [1, "x"]}"#));
    assert_eq!(value_of(r#"array.concat([1], [2, 3])"#, OnError::Raise).unwrap(), json("[1, 2, 3]"));
    assert_eq!(value_of(r#"urlquery.encode_object({"a": ["b c", "d"], "e": "f"})"#, OnError::Raise).unwrap(), Value::from("a=b+c&a=d&e=f"));
    assert_eq!(value_of(r#"regex.find_all_string_submatch_n("a(b)?", "aab", -1)"#, OnError::Raise).unwrap(), json(r#"[["a", ""], ["ab", "b"]]"#));
}

#[test]
fn indexof_n_finds_overlapping_occurrences_by_character_in_one_pass() {
    for (expr, want) in [
        (r#"indexof_n("aaa", "aa")"#, "[0, 1]"),
        (r#"indexof_n("sssss", "ss")"#, "[0, 1, 2, 3]"),
        (r#"indexof_n("héllo wörld", "l")"#, "[2, 3, 9]"),
        (r#"indexof_n("abcabcab", "abcab")"#, "[0, 3]"),
        (r#"indexof_n("abc", "")"#, "[0, 1, 2]"),
        (r#"indexof_n("abc", "x")"#, "[]"),
        (r#"indexof_n("", "")"#, "[]"),
    ] {
        assert_eq!(value_of(expr, OnError::Raise).unwrap(), json(want), "{expr}");
    }
    // 200,000 characters and a search of 100,000: 10^10 comparisons the way regorus searched.
    let long = r#"indexof_n(concat("", ["a" | some i in numbers.range(1, 200000)]), concat("", ["a" | some i in numbers.range(1, 100000)]))"#;
    assert_eq!(value_of(&format!("count({long})"), OnError::Raise).unwrap(), Value::from(100_001));
}

#[test]
fn splits_that_would_outgrow_the_memory_limit_are_errors() {
    // 80 KB of "abab...": 80,000 one-character parts of 32 bytes each, 2.6 MB.
    let text = format!(r#"concat("", ["{}" | some i in numbers.range(1, 200)])"#, "ab".repeat(200));
    super::limits::with_memory_limit(1_000_000, || {
        for (expr, what) in [
            (format!(r#"split({text}, "")"#), "split: 80000 parts"),
            (format!(r#"regex.split("", {text})"#), "regex.split: 80002 parts"),
            (format!(r#"regex.find_n("", {text}, -1)"#), "regex.find_n: 80001 parts"),
            (format!(r#"indexof_n({text}, "")"#), "indexof_n: 80000 positions"),
        ] {
            match value_of(&expr, OnError::Raise) {
                Err(error) => assert!(error.contains(what) && error.contains("memory limit of 1000000 bytes"), "{what}: {error}"),
                Ok(_) => panic!("{what}: no error"),
            }
        }
        let many = value_of(&format!(r#"count(split({text}, "b"))"#), OnError::Raise).unwrap_err();
        assert!(many.contains("split: 40001 parts"), "counted exactly: {many}");
        let fewer = value_of(&format!(r#"count(split({text}, "bab"))"#), OnError::Raise).unwrap();
        assert_eq!(fewer, Value::from(20_001), "every fourth character: 640 KB of parts fit");
        let one = value_of(&format!(r#"count(split({text}, "x"))"#), OnError::Raise).unwrap();
        assert_eq!(one, Value::from(1), "few parts are no trouble");
    });
}

#[test]
fn replace_n_scans_once_in_key_order() {
    for (expr, want) in [
        (r#"strings.replace_n({"a": "b", "b": "a"}, "abba")"#, "baab"),
        (
            r#"strings.replace_n({"a": "YY", "bba": "bX"}, "bbab")"#,
            "bXb",
        ),
        (
            r#"strings.replace_n({"ab": "b", "b": "Y"}, "baaabbbba")"#,
            "YaabYYYa",
        ),
        (
            r#"strings.replace_n({"a": "Xa", "ab": "X", "ba": "bYa", "aaa": "X"}, "aaaaab")"#,
            "XaXaXaXaXab",
        ),
        (r#"strings.replace_n({"": "X"}, "")"#, "X"),
        (r#"strings.replace_n({"": "X", "a": "Y"}, "ab")"#, "XYXbX"),
        (
            r#"strings.replace_n({"": "-", "é": "e"}, "aéb")"#,
            "-a-e-b-",
        ),
    ] {
        assert_eq!(
            value_of(expr, OnError::Raise).unwrap(),
            Value::from(want),
            "{expr}"
        );
    }
    assert_fails(
        r#"strings.replace_n({"a": 1}, "a")"#,
        "strings.replace_n: operand 1 non-string value found in pattern object",
    );
    assert_fails(
        r#"strings.replace_n({1: "a"}, "a")"#,
        "operand 1 non-string key found in pattern object",
    );
    assert_fails(
        r#"strings.replace_n([], "a")"#,
        "operand 1 must be object but got array",
    );
}

#[test]
fn flatten_removes_one_level_of_nesting() {
    assert_eq!(
        value_of(
            r#"array.flatten([[1, 2], "s", [3, {"a": "b"}], [6, [7, 8]], []])"#,
            OnError::Raise
        )
        .unwrap(),
        json(r#"[1, 2, "s", 3, {"a": "b"}, 6, [7, 8]]"#)
    );
    assert_fails(
        "array.flatten(42)",
        "array.flatten: operand 1 must be array but got number",
    );
}

#[test]
fn uri_parse_follows_go_net_url() {
    for (text, want) in [
        (
            "https://example.com:8080/api?q=1#top",
            r#"{"scheme": "https", "hostname": "example.com", "port": "8080", "path": "/api", "raw_path": "/api", "raw_query": "q=1", "fragment": "top"}"#,
        ),
        (
            "https://example.com?q=1&r=%zz#frag",
            r#"{"scheme": "https", "hostname": "example.com", "raw_query": "q=1&r=%zz", "fragment": "frag"}"#,
        ),
        (
            "http://[::1]:8080/path",
            r#"{"scheme": "http", "hostname": "::1", "port": "8080", "path": "/path", "raw_path": "/path"}"#,
        ),
        (
            "https://example.com/path%2Fwith%2Fslashes",
            r#"{"scheme": "https", "hostname": "example.com", "path": "/path/with/slashes", "raw_path": "/path%2Fwith%2Fslashes"}"#,
        ),
        (
            "https://example.com/a%21b",
            r#"{"scheme": "https", "hostname": "example.com", "path": "/a!b", "raw_path": "/a!b"}"#,
        ),
        (
            "HTTP://u:p@foo]bar/",
            r#"{"scheme": "http", "hostname": "foo]bar", "path": "/", "raw_path": "/"}"#,
        ),
        ("mailto:user@example.com", r#"{"scheme": "mailto"}"#),
        ("", "{}"),
    ] {
        let expr = format!("uri.parse({text:?})");
        assert_eq!(
            value_of(&expr, OnError::Raise).unwrap(),
            json(want),
            "{text}"
        );
    }
    for (text, message) in [
        (
            "http://exa%6dple.com/",
            r#"uri.parse: parse "http://exa%6dple.com/": invalid URL escape "%6d""#,
        ),
        ("http://a<b@example.com/", "net/url: invalid userinfo"),
        ("http://example.com:٣٤/", r#"invalid port ":٣٤" after host"#),
        ("http://[invalid", "missing ']' in host"),
        ("http://a b/", r#"invalid character " " in host name"#),
        ("/p%zz", r#"invalid URL escape "%zz""#),
        (":x", "missing protocol scheme"),
        ("1a:b/c", "first path segment in URL cannot contain colon"),
    ] {
        assert_fails(&format!("uri.parse({text:?})"), message);
    }
    assert_fails(
        "uri.parse(1)",
        "uri.parse: operand 1 must be string but got number",
    );
}

#[test]
fn uri_is_valid_is_parse_success_on_a_non_empty_text() {
    for (text, want) in [
        ("https://example.com/path?q=1", true),
        ("http://foo]bar/", true),
        ("", false),
        ("http://[invalid", false),
        ("http://exa%6dple.com/", false),
        ("http://a b@example.com/", false),
    ] {
        let expr = format!("uri.is_valid({text:?})");
        assert_eq!(
            value_of(&expr, OnError::Raise).unwrap(),
            Value::from(want),
            "{text}"
        );
    }
    assert_fails(
        "uri.is_valid([])",
        "uri.is_valid: operand 1 must be string but got array",
    );
}

/// The value of `p` in a Rego v0 policy whose body is `body` (out-parameter calls included).
fn v0_value(body: &str, on_error: OnError) -> Result<Value, String> {
    let policy = format!("package p\np = x {{\n  {body}\n}}\n");
    let mut engine = Engine::new();
    engine.set_rego_v0(true);
    engine.set_strict_builtin_errors(on_error == OnError::Raise);
    register(&mut engine, on_error, true).unwrap();
    let policy = out_params::rewrite("p.rego", &policy, true).into_owned();
    engine.add_policy("p.rego".into(), policy).unwrap();
    eval(&mut engine, "data.p.p")
}

#[test]
fn deprecated_builtins_work_in_v0_policies() {
    for (body, want) in [
        ("all([true, true], x)", "true"),
        ("all(set(), x)", "true"),
        (r#"all([{}, true], x)"#, "false"),
        (r#"any({true, "false"}, x)"#, "true"),
        ("any([], x)", "false"),
        ("set_diff({1, 2, 3}, {2}, x)", "[1, 3]"),
        ("cast_array({3, 1}, x)", "[1, 3]"),
        ("cast_set([1, 1, 2], x)", "[1, 2]"),
        (r#"cast_string("s", x)"#, r#""s""#),
        ("cast_boolean(false, x)", "false"),
        ("cast_null(null, x)", "null"),
        ("cast_object({}, x)", "{}"),
        (r#"re_match("^a+$", "aaa", x)"#, "true"),
        (
            r#"net.cidr_overlap("192.168.1.0/24", "192.168.1.67", x)"#,
            "true",
        ),
        (
            r#"net.cidr_overlap("192.168.1.0/28", "192.168.1.67", x)"#,
            "false",
        ),
    ] {
        let got = v0_value(body, OnError::Raise).unwrap();
        let got = match got {
            Value::Set(s) => s.iter_sorted().cloned().collect::<Vec<_>>().into(),
            other => other,
        };
        assert_eq!(got, json(want), "{body}");
    }
    for (body, message) in [
        (
            r#"cast_set("hello", x)"#,
            "cast_set: operand 1 must be one of {array, set} but got string",
        ),
        (
            "cast_null({}, x)",
            "cast_null: operand 1 must be null but got object",
        ),
        (
            "all(1, x)",
            "all: operand 1 must be one of {array, set} but got number",
        ),
        (
            "set_diff({1}, [1], x)",
            "set_diff: operand 2 must be set but got array",
        ),
        (r#"re_match("(", "a", x)"#, "re_match: regex parse error"),
        (
            r#"net.cidr_overlap("nope", "1.2.3.4", x)"#,
            "net.cidr_overlap:",
        ),
    ] {
        let error = v0_value(body, OnError::Raise).unwrap_err();
        assert!(error.contains(message), "{body}: {error}");
        assert_eq!(
            v0_value(body, OnError::Undefined).unwrap(),
            Value::Undefined,
            "{body}"
        );
    }
}

#[test]
fn is_valid_answers_false_for_non_strings() {
    for (expr, want) in [
        ("json.is_valid(1)", false),
        (r#"json.is_valid("{")"#, false),
        (r#"json.is_valid("{\"json\": \"ok\"}")"#, true),
        ("yaml.is_valid(1)", false),
        (r#"yaml.is_valid("a: 1\n---\nb: 2\n")"#, true),
        (r#"yaml.is_valid("a: 1\n---\n\tb: 2\n")"#, false),
        (r#"yaml.is_valid("  test:\ntest1: hello\n")"#, false),
        (r#"yaml.is_valid("foo:\n  - baz: {")"#, false),
    ] {
        for on_error in [OnError::Raise, OnError::Undefined] {
            assert_eq!(
                value_of(expr, on_error).unwrap(),
                Value::from(want),
                "{expr}"
            );
        }
    }
}

#[test]
fn deprecated_builtins_are_unknown_in_rego_v1_as_in_opa() {
    let mut engine = Engine::new();
    register(&mut engine, OnError::Raise, false).unwrap();
    let result = engine.add_policy("p.rego".into(), "package p\nx := any([true])\n".into())
        .and_then(|_| engine.eval_rule("data.p.x".into()));
    assert!(result.is_err(), "any() in a v1 policy: {result:?}");
}

#[test]
fn http_send_fails_loudly_unless_mocked() {
    for on_error in [OnError::Raise, OnError::Undefined] {
        let mut engine = engine_with(
            "package p\nr := http.send({\"method\": \"get\", \"url\": \"http://example.com\"})\n\
             mock(_) := {\"status_code\": 200}\n\
             mocked := s if {\n\
               resp := http.send({\"method\": \"get\", \"url\": \"http://example.com\"}) with http.send as mock\n\
               s := resp.status_code\n\
             }\n",
            on_error,
        );
        let error = eval(&mut engine, "data.p.r").unwrap_err();
        assert!(error.contains("http.send: sark-opa makes no network requests"), "{error}");
        assert_eq!(eval(&mut engine, "data.p.mocked").unwrap(), Value::from(200u64));
    }
}

#[test]
fn only_calls_of_sark_builtins_count_as_calls() {
    use super::out_params::calls_any_builtin;
    // `all` is a deprecated builtin of SARK's; `allow` merely contains its name.
    for not_a_call in
        ["data.authz.allow", "allow := true", "x := input.all", "data.all.rules", "numbers.range_x(1)", "xall(1)", "ns.all(1)", "f(x)", "((1))"]
    {
        assert!(!calls_any_builtin(not_a_call), "{not_a_call}");
    }
    for call in
        ["all([true])", "x := all ([1])", "uri.parse(u, x)", "y := io.jwt.decode(t)", "numbers.range(1, 2)", "f(all([1]))", "y := io.jwt.decode\n\t(t)", "é := all(x)"]
    {
        assert!(calls_any_builtin(call), "{call}");
    }
}
