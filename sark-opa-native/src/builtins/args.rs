//! Operand checks with OPA's error texts ("operand 2 must be string but got number"), so a policy
//! that passes the wrong type fails the same way it does under OPA.

use anyhow::{bail, Result};
use regorus::value::{Array, Object};
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

/// Argument `index` as an integer, as OPA's `builtins.IntOperand` reads it: a number that is not
/// a whole number in Go's `int` range is "must be integer number but got floating-point number".
pub(super) fn int(args: &[Value], index: usize) -> Result<i64> {
    match args.get(index) {
        Some(Value::Number(n)) => match n.as_i64() {
            Some(i) if n.is_integer() => Ok(i),
            _ => bail!(
                "operand {} must be integer number but got floating-point number",
                index + 1
            ),
        },
        other => bail!(
            "operand {} must be number but got {}",
            index + 1,
            other.map_or("nothing", type_name)
        ),
    }
}

/// Argument `index` as an array.
pub(super) fn array(args: &[Value], index: usize) -> Result<&Array> {
    match args.get(index) {
        Some(Value::Array(a)) => Ok(a),
        other => bail!(
            "operand {} must be array but got {}",
            index + 1,
            other.map_or("nothing", type_name)
        ),
    }
}

/// Go's `strconv.Quote` for the texts OPA puts in its messages (`parse "http://..."`): quotes and
/// backslashes escaped, control characters as Go escapes them, printable Unicode kept.
pub(super) fn go_quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\x07' => out.push_str("\\a"),
            '\x08' => out.push_str("\\b"),
            '\x0c' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\x0b' => out.push_str("\\v"),
            c if (c as u32) < 0x20 || c == '\x7f' => out.push_str(&format!("\\x{:02x}", c as u32)),
            c if c.is_control() => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
