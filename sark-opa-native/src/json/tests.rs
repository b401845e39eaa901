use super::*;
use regorus::Engine;

fn ok(json: &str) -> Value {
    parse(json).unwrap_or_else(|e| panic!("{json}: {e}"))
}

fn err(json: &str) -> String {
    match parse(json) {
        Ok(v) => panic!("{json}: expected an error, got {v:?}"),
        Err(e) => e.to_string(),
    }
}

fn text(value: &Value) -> String {
    to_string(value).unwrap()
}

/// A query evaluated by regorus with `input` read by this reader; the first value as JSON text
/// (written by [`to_string`]), or "undefined".
fn eval(query: &str, input: &str) -> String {
    let mut engine = Engine::new();
    engine.set_input(ok(input));
    let results = engine.eval_query(query.to_string(), false).unwrap();
    match results.result.first().and_then(|r| r.expressions.first()) {
        Some(e) => text(&e.value),
        None => "undefined".to_string(),
    }
}

/// Same value (and the same JSON text back) as regorus' own reader, for inputs where both agree
/// (no magic key, numbers within 64 bits or plain f64).
fn same_as_regorus(json: &str) {
    let ours = ok(json);
    let theirs = Value::from_json_str(json).unwrap();
    assert_eq!(ours, theirs, "{json}");
    assert_eq!(text(&ours), serde_json::to_string(&theirs).unwrap(), "{json}");
}

const MAGIC: &str = "$serde_json::private::Number";

#[test]
fn json_magic_key_is_an_ordinary_object_member() {
    for json in [
        format!(r#"{{"{MAGIC}":"5"}}"#),
        format!(r#"{{"{MAGIC}":"abc"}}"#),
        format!(r#"{{"{MAGIC}":5}}"#),
        format!(r#"{{"{MAGIC}":"5","b":1}}"#),
        format!(r#"{{"a":1,"{MAGIC}":"5"}}"#),
        format!(r#"{{"x":{{"{MAGIC}":"7"}}}}"#),
        format!(r#"[{{"{MAGIC}":"7"}}]"#),
        format!(r#"{{"\u0024serde_json::private::Number":"5"}}"#), // escaped: same key
    ] {
        let value = ok(&json);
        let object = match &value {
            Value::Object(_) => &value,
            Value::Array(items) => &items[0],
            _ => panic!("{json}: {value:?}"),
        };
        let object = match object.as_object().unwrap().get(&Value::from("x")) {
            Some(inner) => inner,
            None => object,
        };
        assert!(object.as_object().is_ok(), "{json}: {value:?}");
        assert!(object.as_object().unwrap().contains_key(&Value::from(MAGIC)), "{json}: {value:?}");
    }
    // Decisions see an object, and decisions that never read it are unaffected.
    let input = format!(r#"{{"n":{{"{MAGIC}":"5"}},"bad":{{"{MAGIC}":"abc"}},"role":"admin"}}"#);
    assert_eq!(eval("input.role", &input), r#""admin""#);
    assert_eq!(eval("is_object(input.n)", &input), "true");
    assert_eq!(eval("input.n == 5", &input), "false");
    assert_eq!(eval(&format!(r#"input.n["{MAGIC}"]"#), &input), r#""5""#);
    assert_eq!(text(&ok(&input)), format!(r#"{{"bad":{{"{MAGIC}":"abc"}},"n":{{"{MAGIC}":"5"}},"role":"admin"}}"#));
}

#[test]
fn json_big_integers_are_exact() {
    let a = ok("18446744073709551617");
    let b = ok("18446744073709551616");
    assert_ne!(a, b);
    assert_eq!(a, ok("18446744073709551617"));
    assert_eq!(eval("input.a == input.b", r#"{"a":18446744073709551617,"b":18446744073709551616}"#), "false");
    assert_eq!(eval("input.a > input.b", r#"{"a":18446744073709551617,"b":18446744073709551616}"#), "true");
    assert_eq!(eval("input.a == input.b", r#"{"a":18446744073709551617,"b":18446744073709551617}"#), "true");
    for n in [
        "123456789012345678901234567890",
        "-123456789012345678901234567890",
        "18446744073709551615",
        "18446744073709551616",
        "-9223372036854775808",
        "-9223372036854775809",
        "9223372036854775807",
        "999999999999999999",
        "1000000000000000000",
        &"9".repeat(4300),
    ] {
        assert_eq!(text(&ok(n)), n, "round trip");
        assert_eq!(text(&ok(&format!("[{n}]"))), format!("[{n}]"));
        assert_eq!(eval("input.x", &format!(r#"{{"x":{n}}}"#)), n, "through a decision");
    }
    assert_eq!(eval("input.x + 1", r#"{"x":123456789012345678901234567890}"#), "123456789012345678901234567891");
    // Longer integers: a clear error, not a quadratic-time conversion.
    assert!(err(&"9".repeat(4301)).starts_with("number out of range"));
}

#[test]
fn json_numbers_with_exponents_and_fractions() {
    // 1e400: the exact integer 10^400, as OPA compares it.
    let big = format!("1{}", "0".repeat(400));
    assert_eq!(ok("1e400"), ok(&big));
    assert_eq!(ok("1E+400"), ok(&big));
    assert_eq!(ok("0.1e401"), ok(&big));
    assert_eq!(ok("-1e400"), ok(&format!("-{big}")));
    assert_eq!(text(&ok("1e400")), big); // OPA would print 1e400: same value, other text
    assert_ne!(ok("1e400"), ok("1e399"));
    assert_eq!(eval("input.a > input.b", r#"{"a":1e400,"b":1.7976931348623157e308}"#), "true");
    assert_eq!(ok("1.5e3"), Value::from(1500u64));
    assert_eq!(ok("12.50e1"), Value::from(125u64));
    assert_eq!(ok("1.7976931348623157e308"), ok(&format!("17976931348623157{}", "0".repeat(292))));
    // Fractions: the nearest f64.
    assert_eq!(ok("0.1"), Value::from(0.1f64));
    assert_eq!(ok("1.5e-3"), Value::from(0.0015f64));
    assert_eq!(ok("5e-324"), Value::from(5e-324f64));
    assert_eq!(ok("1e-400"), Value::from(0u64)); // OPA keeps it above 0: a documented difference
    assert_eq!(ok("0e999999999999999999999"), Value::from(0u64));
    assert_eq!(ok("-0.0e-5"), Value::from(0u64));
    // Above f64's range and not an integer: its integer part.
    assert_eq!(ok(&format!("{big}.5")), ok(&big));
    assert_eq!(ok(&format!("{big}.5e1")), ok(&format!("{big}5")));
    // The short-fraction fast path rounds exactly as Rust's (correctly rounding) parser.
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    for digits in 1..=15u32 {
        for _ in 0..2_000 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let significand = seed % 10u64.pow(digits);
            let point = (seed >> 50) as usize % digits as usize;
            let raw = format!("{significand:0width$}", width = digits as usize);
            let (int, frac) = raw.split_at(raw.len() - point.max(1));
            let int = int.trim_start_matches('0');
            let number = format!("{}{}.{frac}", if seed & 1 == 0 { "-" } else { "" }, if int.is_empty() { "0" } else { int });
            let expected: f64 = number.parse().unwrap();
            match ok(&number) {
                Value::Number(n) => assert_eq!(n.as_f64().map(f64::to_bits), Some(expected.to_bits()), "{number}"),
                other => panic!("{number}: {other:?}"),
            }
        }
    }
    // 1.0 == 1 (as in OPA), -0 == 0.
    assert_eq!(ok("1.0"), ok("1"));
    assert_eq!(ok("-0"), ok("0"));
    assert_eq!(ok("-0.0"), ok("0"));
    assert_eq!(eval("input.a == 1", r#"{"a":1.0}"#), "true");
    assert_eq!(eval("input.a == 0", r#"{"a":-0}"#), "true");
    assert_eq!(eval("{input.a, input.b}", r#"{"a":1.0,"b":1}"#), "[1]");
    assert_eq!(text(&ok("[1.0,-0,0.5,1e2,1.5e300]")), "[1,0,0.5,100,15".to_string() + &"0".repeat(299) + "]");
    // Exponents that would expand beyond MAX_EXPANDED_DIGITS: an error, quickly.
    assert_eq!(ok("1e1023").as_number().unwrap().format_decimal().len(), 1024);
    for huge in ["1e1024", "1e999999999", "1e99999999999999999999", "-2.5e5000"] {
        let e = err(huge);
        assert!(e.starts_with("number out of range") && e.ends_with("at line 1 column 1"), "{huge}: {e}");
    }
    assert!(err(r#"{"a": [1, 1e5000]}"#).ends_with("at line 1 column 11"));
    // Grammar.
    for bad in ["01", "-", "-a", "1.", "1.e5", ".5", "1e", "1e+", "+1", "0x10", "1_000", "NaN", "Infinity", "-Infinity", "--1"] {
        assert!(parse(bad).is_err(), "{bad}");
    }
}

/// `n` levels of nesting around `1`, each level opened by `openers[level % len]`.
fn nested(n: usize, openers: &[(&str, &str)]) -> String {
    let mut text = String::new();
    for level in 0..n {
        text.push_str(openers[level % openers.len()].0);
    }
    text.push('1');
    for level in (0..n).rev() {
        text.push_str(openers[level % openers.len()].1);
    }
    text
}

#[test]
fn json_nesting_is_limited_without_recursion() {
    let kinds: [&[(&str, &str)]; 3] = [&[("[", "]")], &[(r#"{"a":"#, "}")], &[("[", "]"), (r#"{"a":"#, "}")]];
    // Run on a small stack: the reader must not recurse per level.
    std::thread::Builder::new()
        .stack_size(256 * 1024)
        .spawn(move || {
            for openers in kinds {
                let at_limit = ok(&nested(MAX_DEPTH, openers));
                assert_eq!(text(&at_limit), nested(MAX_DEPTH, openers));
                drop(at_limit);
                // The error points at the opener of level MAX_DEPTH + 1.
                let column = nested(MAX_DEPTH, openers).find('1').unwrap() + 1;
                for n in [MAX_DEPTH + 1, MAX_DEPTH + 2, 10_000, 1_000_000] {
                    let e = err(&nested(n, openers));
                    assert_eq!(
                        e,
                        format!("recursion limit exceeded (arrays and objects nested deeper than 128 levels) at line 1 column {column}")
                    );
                }
                // Unclosed at the limit: an error; the partial values are dropped level by level.
                let full = nested(MAX_DEPTH, openers);
                assert!(parse(&full[..full.len() - 2]).is_err());
            }
            assert!(err(&"[".repeat(5_000_000)).starts_with("recursion limit exceeded"));
        })
        .unwrap()
        .join()
        .unwrap();
}

#[test]
fn json_strings_and_surrogates() {
    assert_eq!(ok(r#""\ud83d\ude00""#), Value::from("😀"));
    assert_eq!(ok(r#""\uD83D\uDE00""#), Value::from("😀"));
    assert_eq!(ok(r#""\u00e9\n\t\"\\\/\b\f\r""#), Value::from("é\n\t\"\\/\u{8}\u{c}\r"));
    assert_eq!(ok(r#""a\u0000b""#), Value::from("a\0b")); // NUL via an escape is fine
    assert_eq!(ok("\"\u{7f}\u{80}\u{10ffff}é😀\""), Value::from("\u{7f}\u{80}\u{10ffff}é😀")); // DEL, C1: not control per RFC 8259
    for lone in [
        r#""\ud800""#,
        r#""\uD800""#,
        r#""\udbff""#,
        r#""\udc00""#,
        r#""\udfff""#,
        r#""\ud800x""#,
        r#""\ud800\n""#,
        r#""\ud800\u0041""#,
        r#""\ud800\ud800""#,
        r#""\ude00\ud83d""#,
        r#"{"\ud800":1}"#,
    ] {
        let e = err(lone);
        assert!(e.starts_with("lone surrogate in hex escape"), "{lone}: {e}");
    }
    assert_eq!(err(r#"["ok","\ud800"]"#), "lone surrogate in hex escape (a high surrogate without a low one) at line 1 column 8");
    for control in ["\"a\u{0}b\"", "\"a\nb\"", "\"a\tb\"", "\"\u{1f}\""] {
        assert!(err(control).starts_with("control character (\\u0000-\\u001F) found while parsing a string"), "{control:?}");
    }
    for bad in [r#""\x41""#, r#""\u12""#, r#""\u12G4""#, r#""\'""#, r#""\U0041""#, "\"abc", "\"\\", "\"\\u00"] {
        assert!(parse(bad).is_err(), "{bad}");
    }
    // Invalid UTF-8 in bytes: an error at the bad byte.
    assert_eq!(parse_bytes(b"{\"a\":\"\xff\"}").unwrap_err().to_string(), "invalid UTF-8 at line 1 column 7");
    assert_eq!(parse_bytes(b"[\"\xc3\xa9\",\n\"\xc3\"]").unwrap_err().to_string(), "invalid UTF-8 at line 2 column 2");
    assert_eq!(parse_bytes("{\"é\":[1]}".as_bytes()).unwrap(), ok("{\"é\":[1]}"));
    // Escaped output, as serde_json writes it.
    for s in ["a\0b\u{1f}\u{7f}\"\\/\n\r\t\u{8}\u{c}é😀", "", "plain"] {
        assert_eq!(text(&Value::from(s)), serde_json::to_string(s).unwrap());
        assert_eq!(ok(&text(&Value::from(s))), Value::from(s));
    }
}

#[test]
fn json_objects_documents_and_errors() {
    // Duplicate keys: the last wins (OPA: Go's encoding/json assigns in order).
    assert_eq!(ok(r#"{"b":1,"a":2,"b":3}"#), ok(r#"{"a":2,"b":3}"#));
    assert_eq!(ok(r#"{"a":{"x":1},"a":[2]}"#), ok(r#"{"a":[2]}"#));
    assert_eq!(ok(r#"{"a":1,"\u0061":2}"#), ok(r#"{"a":2}"#));
    // Whitespace per RFC 8259 only.
    assert_eq!(ok(" \t\r\n{ \"a\" :\n[ 1 , 2 ] } \n"), ok(r#"{"a":[1,2]}"#));
    assert!(parse("\u{a0}1").is_err());
    assert!(parse("1\u{c}").is_err());
    // Messages: serde_json's wording and positions (line, column from 1).
    let cases = [
        ("", "EOF while parsing a value at line 1 column 0"),
        ("   ", "EOF while parsing a value at line 1 column 3"),
        ("\n\n", "EOF while parsing a value at line 3 column 0"),
        ("{", "EOF while parsing an object at line 1 column 1"),
        ("[", "EOF while parsing a list at line 1 column 1"),
        ("[1", "EOF while parsing a list at line 1 column 2"),
        (r#"{"a""#, "EOF while parsing an object at line 1 column 4"),
        (r#"{"a":"#, "EOF while parsing a value at line 1 column 5"),
        (r#""abc"#, "EOF while parsing a string at line 1 column 4"),
        ("[1,]", "trailing comma at line 1 column 4"),
        (r#"{"a":1,}"#, "trailing comma at line 1 column 8"),
        ("{} x", "trailing characters at line 1 column 4"),
        (r#"{"user":{"role":"admin"}} trailing"#, "trailing characters at line 1 column 27"),
        (r#"{"user":{"role":"admin"},}"#, "trailing comma at line 1 column 26"),
        ("1 2", "trailing characters at line 1 column 3"),
        (r#"{"a" 1}"#, "expected `:` at line 1 column 6"),
        ("[1 2]", "expected `,` or `]` at line 1 column 4"),
        (r#"{"a":1 "b":2}"#, "expected `,` or `}` at line 1 column 8"),
        ("{1:2}", "key must be a string at line 1 column 2"),
        (r#"{"a":1,2}"#, "key must be a string at line 1 column 8"),
        ("nul", "EOF while parsing a value at line 1 column 3"),
        ("nux", "expected ident at line 1 column 3"),
        ("tru e", "expected ident at line 1 column 4"),
        ("x", "expected value at line 1 column 1"),
        ("[,1]", "expected value at line 1 column 2"),
        ("01", "invalid number at line 1 column 2"),
        ("-a", "invalid number at line 1 column 2"),
        ("[\n  1,\n  x]", "expected value at line 3 column 3"),
        (r#""\x""#, "invalid escape at line 1 column 3"),
    ];
    for (json, message) in cases {
        assert_eq!(err(json), message, "{json:?}");
        if let Err(serde) = serde_json::from_str::<serde_json::Value>(json) {
            assert_eq!(serde.to_string(), message, "serde_json agrees on {json:?}");
        }
    }
    // Columns count characters, not bytes.
    assert_eq!(err("[\"é😀\", x]"), "expected value at line 1 column 8");
    // A byte order mark is an error (as in OPA), with a clear message.
    let e = err("\u{feff}{}");
    assert!(e.contains("byte order mark") && e.ends_with("at line 1 column 1"), "{e}");
    assert!(parse_bytes(b"\xef\xbb\xbf{}").is_err());
}

#[test]
fn json_agrees_with_regorus_on_ordinary_documents() {
    let cases = [
        "null", "true", "false", "0", "1", "-1", "1.5", "-2.25", "0.1", "1e2", "1E-2", "123456789",
        "18446744073709551615", "-9223372036854775808", "9007199254740993", "3.141592653589793",
        r#""plain""#, r#""\u00e9\ud83d\ude00\n\t\"""#, "[]", "{}", "[[]]", r#"{"a":{}}"#,
        r#"{"a":[1,{"b":null}],"c":"d","e":true,"f":[1.5,"x",[false]]}"#,
        r#"{"users":[{"name":"ada","roles":["admin","dev"],"age":36},{"name":"bob","roles":[],"age":41.5}]}"#,
    ];
    for case in cases {
        same_as_regorus(case);
    }
    for size in [100, 1_000, 10_000] {
        same_as_regorus(&document(size));
    }
}

struct Keep(BTreeMap<&'static str, Option<Keep>>);

impl Projection for Keep {
    fn member(&self, key: &str) -> Member<'_, Self> {
        match self.0.get(key) {
            None => Member::Skip,
            Some(None) => Member::Whole,
            Some(Some(inner)) => Member::Project(inner),
        }
    }
}

#[test]
fn json_projection_keeps_only_the_paths_and_validates_the_rest() {
    let keep = Keep(BTreeMap::from([
        ("user", Some(Keep(BTreeMap::from([("role", None)])))),
        ("list", Some(Keep(BTreeMap::new()))),
        ("big", None),
    ]));
    let json = format!(
        r#"{{"user":{{"role":{{"r":[1,{{"x":2}}]}},"name":"ada","deep":[[[{{}}]]]}},"noise":{{"a":[1,2,"\u00e9"],"b":{{"c":1e400}}}},"list":[{{"a":1}},2],"big":123456789012345678901234567890,"{MAGIC}":"5"}}"#
    );
    let value = parse_projected(&json, Some(&keep)).unwrap();
    assert_eq!(
        text(&value),
        r#"{"big":123456789012345678901234567890,"list":[{"a":1},2],"user":{"role":{"r":[1,{"x":2}]}}}"#
    );
    assert_eq!(parse_projected::<Keep>(&json, None).unwrap(), ok(&json));
    // Skipped parts are validated: the same errors as a whole read.
    for bad in [
        r#"{"noise":[1,]}"#,
        r#"{"noise":"\ud800"}"#,
        r#"{"noise":1e99999}"#,
        r#"{"noise":{"a" 1}}"#,
        r#"{"noise":01}"#,
        r#"{"user":{"name":[}}"#,
        r#"{"noise":1} x"#,
    ] {
        assert_eq!(parse_projected(bad, Some(&keep)).unwrap_err(), parse(bad).unwrap_err(), "{bad}");
    }
    let deep = format!(r#"{{"noise":{}1{}}}"#, "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
    assert_eq!(parse_projected(&deep, Some(&keep)).unwrap_err(), parse(&deep).unwrap_err());
    assert!(parse_projected(&deep, Some(&keep)).unwrap_err().to_string().starts_with("recursion limit exceeded"));
}

#[test]
fn json_writer_matches_serde_for_engine_values() {
    // Sets, objects with non-string keys and undefined, as regorus' Serialize writes them.
    let mut engine = Engine::new();
    for query in [
        r#"{1, "a", [2], {"k": 3}}"#,
        r#"{[1]: "array key", {"o": 1}: 2, 3: "n", "s": {4, 5}}"#,
        r#"[0.5, -1.25, 12345678901234567890, -0.0, 3.0, 1.0e-7, 2.5e-300]"#,
        r#"{"x": {"y": [[], {}, null, true, false]}}"#,
    ] {
        let results = engine.eval_query(query.to_string(), false).unwrap();
        let value = &results.result[0].expressions[0].value;
        assert_eq!(text(value), serde_json::to_string(value).unwrap(), "{query}");
    }
    assert_eq!(text(&Value::Undefined), serde_json::to_string(&Value::Undefined).unwrap());
    // Deep values (built by policies, not limited by the reader) are written without recursion.
    let mut deep = Value::from(1u64);
    for _ in 0..100_000 {
        deep = Value::from(vec![deep]);
    }
    let written = std::thread::Builder::new()
        .stack_size(256 * 1024)
        .spawn(move || {
            let written = text(&deep);
            std::mem::forget(deep); // regorus' own drop recurses; not what this test is about
            written
        })
        .unwrap()
        .join()
        .unwrap();
    assert_eq!(written.len(), 200_001);
}

/// A realistic document of about `size` bytes: users with names, roles, numbers and nested claims.
fn document(size: usize) -> String {
    let mut users = Vec::new();
    let mut i = 0u64;
    let mut len = 0;
    while len < size.saturating_sub(40) {
        let user = format!(
            r#"{{"id":{i},"name":"user-{i}","email":"u{i}@example.com","active":{},"score":{}.{},"roles":["reader","writer-{}"],"claims":{{"iss":"https://idp.example","aud":["api"],"exp":{}}}}}"#,
            i % 3 == 0,
            i * 7 % 100,
            i % 10,
            i % 5,
            1_700_000_000 + i
        );
        len += user.len() + 1;
        users.push(user);
        i += 1;
    }
    let doc = format!(r#"{{"users":[{}],"n":{i}}}"#, users.join(","));
    if doc.len() > size && size < 200 {
        // Tiny sizes: a small flat object instead.
        let mut small = String::from(r#"{"user":{"name":"ada","role":"admin"},"action":"read","resource":"repo/1""#);
        while small.len() + 12 < size {
            small.push_str(r#","k":"vvvvv""#);
        }
        small.push('}');
        return small;
    }
    doc
}

/// The reader before this change (serde_json + the `Seed` visitor), for the timing comparison.
fn old_reader(json: &str) -> Value {
    let mut de = serde_json::Deserializer::from_str(json);
    let value = Seed.deserialize(&mut de).unwrap();
    de.end().unwrap();
    value
}

/// Timing: `cargo test --release -p sark-opa-native json_timing -- --ignored --nocapture`.
/// Prints the time per parse of this reader, the previous serde_json reader and regorus'
/// `Value::from_json_str`, side by side with ratios. Not asserted (machines vary).
#[test]
#[ignore]
fn json_timing() {
    use std::time::Instant;
    println!("{:>8} {:>12} {:>12} {:>12} {:>10} {:>10}", "size", "new", "old(serde)", "regorus", "old/new", "regorus/new");
    for size in [100, 1_000, 10_000, 1_000_000] {
        let json = document(size);
        assert_eq!(ok(&json), Value::from_json_str(&json).unwrap());
        let rounds = (20_000_000 / json.len()).clamp(20, 200_000);
        let mut best = [f64::MAX; 3];
        for _ in 0..5 {
            for (i, reader) in [
                &(|j: &str| ok(j)) as &dyn Fn(&str) -> Value,
                &old_reader,
                &(|j: &str| Value::from_json_str(j).unwrap()),
            ]
            .iter()
            .enumerate()
            {
                let start = Instant::now();
                for _ in 0..rounds {
                    std::hint::black_box(reader(std::hint::black_box(&json)));
                }
                let per = start.elapsed().as_secs_f64() / rounds as f64;
                best[i] = best[i].min(per);
            }
        }
        let us = |s: f64| format!("{:.2} us", s * 1e6);
        println!(
            "{:>8} {:>12} {:>12} {:>12} {:>10.2} {:>10.2}",
            json.len(),
            us(best[0]),
            us(best[1]),
            us(best[2]),
            best[1] / best[0],
            best[2] / best[0]
        );
    }
}

/// A million references to one 100 KB string: 16 MB of memory, 100 GB of text.
fn shared_hundred_gigabytes() -> Value {
    Value::from(vec![Value::from("x".repeat(100_000)); 1_000_000])
}

#[test]
fn shared_parts_are_measured_once_and_exactly() {
    let huge = shared_hundred_gigabytes();
    let measured = measure(&huge);
    assert_eq!(measured.bytes, 1_000_000 * 100_002 + 999_999 + 2);
    assert_eq!(measured.widest_integer_bits, 0);
    // A thousand references to that array: 10^11 strings, measured in the time of one.
    let nested = Value::from(vec![huge; 1000]);
    assert_eq!(measure(&nested).bytes, 1000 * (1_000_000 * 100_002 + 999_999 + 2) + 999 + 2);
    for text in [r#"{"a":[1,"b\n",null,true],"c":{"d":-2.5}}"#, r#"[[],{},"",0]"#] {
        let value = Value::from_json_str(text).unwrap();
        let written = to_string(&value).unwrap();
        assert!(measure(&value).bytes >= written.len() as u128, "{text}: measured {:?}, written {written}", measure(&value));
        assert!(measure(&value).bytes <= written.len() as u128 + 24 * 3, "numbers count up to 24 bytes: {text}");
    }
}

#[test]
fn writing_stops_at_the_memory_limit_instead_of_failing_to_allocate() {
    crate::builtins::limits::with_memory_limit(10_000_000, || {
        let error = to_string(&shared_hundred_gigabytes()).unwrap_err();
        assert!(error.contains("would take 100003000001 bytes, more than the engine's memory limit of 10000000 bytes"), "{error}");
    });
    crate::builtins::limits::with_memory_limit(1000, || {
        assert!(to_string(&Value::from("x".repeat(2000))).unwrap_err().contains("memory limit of 1000 bytes"));
        let mut out = String::new();
        let error = write(&Value::from(vec![Value::from("x".repeat(400)); 3]), &mut out).unwrap_err();
        assert!(error.contains("would take more than the engine's memory limit of 1000 bytes"), "the writer's own bound: {error}");
        assert_eq!(to_string(&Value::from("x".repeat(900))).unwrap().len(), 902);
    });
}
