//! Operand checks with OPA's error texts ("operand 2 must be string but got number"), so a policy
//! that passes the wrong type fails the same way it does under OPA.

use anyhow::{bail, Result};
use regorus::value::Object;
use regorus::Value;

/// OPA's name for the type of a value.
pub(super) fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Set(_) => "set",
        Value::Object(_) => "object",
        Value::Undefined => "undefined",
    }
}

/// Argument `index` (0-based) as a string.
pub(super) fn string(args: &[Value], index: usize) -> Result<&str> {
    match args.get(index) {
        Some(Value::String(s)) => Ok(s),
        other => bail!(
            "operand {} must be string but got {}",
            index + 1,
            other.map_or("nothing", type_name)
        ),
    }
}

/// Argument `index` (0-based) as an object.
pub(super) fn object(args: &[Value], index: usize) -> Result<&Object> {
    match args.get(index) {
        Some(Value::Object(o)) => Ok(o),
        other => bail!(
            "operand {} must be object but got {}",
            index + 1,
            other.map_or("nothing", type_name)
        ),
    }
}

/// A number as the nearest `f64` (Go's `json.Number.Float64`); `None` if it overflows. regorus'
/// own `as_f64` refuses integers above 2^53, such as nanosecond timestamps.
pub(super) fn lossy_f64(value: &Value) -> Option<f64> {
    let Value::Number(_) = value else { return None };
    let text = serde_json::to_string(value).ok()?;
    text.parse::<f64>().ok().filter(|f| f.is_finite())
}
