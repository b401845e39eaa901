//! The builtins through a regorus engine, as policies use them. Tokens and expected values come
//! from OPA's conformance cases (test/cases/testdata/v1), which these builtins pass in full.

use regorus::{Engine, Value};

use super::{names, out_params, register, OnError};

fn engine_with(policy: &str, on_error: OnError) -> Engine {
    let mut engine = Engine::new();
    engine.set_strict_builtin_errors(on_error == OnError::Raise);
    register(&mut engine, on_error).unwrap();
    let policy = out_params::rewrite("p.rego", policy, false).into_owned();
    engine.add_policy("p.rego".into(), policy).unwrap();
    engine
}

fn eval(engine: &mut Engine, rule: &str) -> Result<Value, String> {
    engine.eval_rule(rule.into()).map_err(|e| format!("{e:#}"))
}

const HS256_TOKEN: &str = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIwIiwiaXNzIjoib3BhIn0.XmVoLoHI3pxMtMO_WRONMSJzGUDP9pDjy8Jp0_tdRXY";

#[test]
fn regorus_has_none_of_these_builtins() {
    // If a regorus upgrade adds one, `register` skips it (regorus' own wins); check it matches OPA.
    let known: Vec<_> = names()
        .into_iter()
        .filter(|n| regorus::unstable::BUILTINS.contains_key(n))
        .collect();
    assert!(
        known.is_empty(),
        "regorus now has {known:?}: compare it with OPA, then drop ours"
    );
}

#[test]
fn registering_twice_is_refused() {
    let mut engine = Engine::new();
    register(&mut engine, OnError::Raise).unwrap();
    let error = register(&mut engine, OnError::Raise).unwrap_err().to_string();
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
    register(&mut engine, OnError::Raise).unwrap();
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
