//! `array.flatten`, which regorus 0.14.1 lacks (OPA: topdown/array.go).

use anyhow::Result;
use regorus::Value;

use super::args::array;
use super::Builtin;

pub(super) const BUILTINS: &[(&str, u8, Builtin)] = &[("array.flatten", 1, flatten)];

/// `array.flatten(arr)`: the elements of `arr`, with elements that are arrays replaced by their
/// own elements - one level only, as OPA does (`[[1, [2]]]` is `[1, [2]]`).
fn flatten(args: &[Value]) -> Result<Value> {
    let mut out = Vec::new();
    for item in array(args, 0)? {
        match item {
            Value::Array(inner) => out.extend(inner.iter().cloned()),
            other => out.push(other.clone()),
        }
    }
    Ok(Value::from(out))
}
