//! Builtins OPA deprecated in v0.13-v0.x and still accepts in Rego v0 policies (OPA v1.22's
//! `ast.DeprecatedBuiltins`): `re_match`, `all`, `any`, `set_diff`, `cast_array`, `cast_set`,
//! `cast_string`, `cast_boolean`, `cast_null`, `cast_object` and `net.cidr_overlap`. regorus has
//! none of them, so old policies failed with "unsafe variable" or "unknown function".
//!
//! OPA refuses them in Rego v1 policies at compile time; regorus extensions cannot tell the
//! policy's version, so [`super::register`] adds them for both (see its documentation).
//! Semantics and error texts follow OPA's topdown/casts.go, aggregates.go, regex.go, sets.go
//! and cidr.go.

use anyhow::{bail, Result};
use regorus::value::Set;
use regorus::Value;

use super::args::{string, type_name};
use super::Builtin;

pub(super) const BUILTINS: &[(&str, u8, Builtin)] = &[
    ("re_match", 2, re_match),
    ("all", 1, all),
    ("any", 1, any),
    ("set_diff", 2, set_diff),
    ("cast_array", 1, cast_array),
    ("cast_set", 1, cast_set),
    ("cast_string", 1, cast_string),
    ("cast_boolean", 1, cast_boolean),
    ("cast_null", 1, cast_null),
    ("cast_object", 1, cast_object),
    ("net.cidr_overlap", 2, super::net::cidr_overlap),
];

/// regorus' bound on a compiled pattern (regex.rs `REGEX_SIZE_LIMIT`), so `re_match` accepts
/// exactly the patterns `regex.match` accepts.
const REGEX_SIZE_LIMIT: usize = 100 * 1024;

/// `re_match(pattern, value)`: the old name of `regex.match`.
fn re_match(args: &[Value]) -> Result<Value> {
    let pattern = string(args, 0)?;
    let value = string(args, 1)?;
    let re = regex::RegexBuilder::new(pattern)
        .size_limit(REGEX_SIZE_LIMIT)
        .build()?;
    Ok(Value::from(re.is_match(value)))
}

/// The elements of an array or a set; OPA's "one of {array, set}" error for anything else.
fn collection(args: &[Value]) -> Result<Vec<&Value>> {
    match args.first() {
        Some(Value::Array(a)) => Ok(a.iter().collect()),
        Some(Value::Set(s)) => Ok(s.iter_sorted().collect()),
        other => bail!(
            "operand 1 must be one of {{array, set}} but got {}",
            other.map_or("nothing", type_name)
        ),
    }
}

/// `all(collection)`: every element is `true` (an empty collection counts as all true).
fn all(args: &[Value]) -> Result<Value> {
    let items = collection(args)?;
    Ok(Value::from(items.iter().all(|v| **v == Value::Bool(true))))
}

/// `any(collection)`: some element is `true`.
fn any(args: &[Value]) -> Result<Value> {
    let items = collection(args)?;
    Ok(Value::from(items.iter().any(|v| **v == Value::Bool(true))))
}

/// Argument `index` as a set (OPA: "operand N must be set but got T").
fn set(args: &[Value], index: usize) -> Result<&Set> {
    match args.get(index) {
        Some(Value::Set(s)) => Ok(s),
        other => bail!(
            "operand {} must be set but got {}",
            index + 1,
            other.map_or("nothing", type_name)
        ),
    }
}

/// `set_diff(a, b)`: the old name of `a - b` on sets.
fn set_diff(args: &[Value]) -> Result<Value> {
    let a = set(args, 0)?;
    let b = set(args, 1)?;
    Ok(a.difference(b).into_value())
}

/// `cast_array(x)`: an array as it is, a set as an array in the set's order.
fn cast_array(args: &[Value]) -> Result<Value> {
    match &args[0] {
        Value::Array(_) => Ok(args[0].clone()),
        _ => Ok(Value::from(
            collection(args)?.into_iter().cloned().collect::<Vec<_>>(),
        )),
    }
}

/// `cast_set(x)`: a set as it is, an array's distinct elements.
fn cast_set(args: &[Value]) -> Result<Value> {
    match &args[0] {
        Value::Set(_) => Ok(args[0].clone()),
        _ => Ok(collection(args)?
            .into_iter()
            .cloned()
            .collect::<Set>()
            .into_value()),
    }
}

/// The `cast_<type>` builtins that only check a type: the value itself, or OPA's operand error.
fn identity_if(args: &[Value], wanted: &str) -> Result<Value> {
    let got = args.first().map_or("nothing", type_name);
    if got != wanted {
        bail!("operand 1 must be {wanted} but got {got}");
    }
    Ok(args[0].clone())
}

fn cast_string(args: &[Value]) -> Result<Value> {
    identity_if(args, "string")
}

fn cast_boolean(args: &[Value]) -> Result<Value> {
    identity_if(args, "boolean")
}

fn cast_null(args: &[Value]) -> Result<Value> {
    identity_if(args, "null")
}

fn cast_object(args: &[Value]) -> Result<Value> {
    identity_if(args, "object")
}
