//! Overrides of regorus' `json.is_valid` and `yaml.is_valid` (see [`super::OVERRIDES`]). OPA
//! answers `false` for an operand that is not a string (topdown/encoding.go ignores the operand
//! error); regorus raises a type error. The checks of a string are regorus' own, except that a
//! YAML text of several documents is not refused for that alone.

use anyhow::Result;
use regorus::Value;
use serde::Deserialize;

use super::limits::claim_reading;
use super::Builtin;

pub(super) const BUILTINS: &[(&str, u8, Builtin)] = &[
    ("json.is_valid", 1, json_is_valid),
    ("yaml.is_valid", 1, yaml_is_valid),
];

/// `json.is_valid(x)`: whether `x` is a string holding one JSON value (regorus' parser).
fn json_is_valid(args: &[Value]) -> Result<Value> {
    let Value::String(text) = &args[0] else {
        return Ok(Value::from(false));
    };
    claim_reading(text, "a JSON text")?; // the check reads the whole value
    Ok(Value::from(Value::from_json_str(text).is_ok()))
}

/// `yaml.is_valid(x)`: whether `x` is a string of YAML. OPA (Go's YAML parser) reads the first
/// document and fails on a syntax error its scanner meets right after it; checking that every
/// document parses agrees with it on OPA's cases, where regorus refuses any second document.
fn yaml_is_valid(args: &[Value]) -> Result<Value> {
    let Value::String(text) = &args[0] else {
        return Ok(Value::from(false));
    };
    claim_reading(text, "a YAML text")?;
    let valid = yaml_serde::Deserializer::from_str(text)
        .all(|document| Value::deserialize(document).is_ok());
    Ok(Value::from(valid))
}
