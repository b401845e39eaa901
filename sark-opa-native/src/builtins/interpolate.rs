//! `sark.interpolate(parts)`, the value of a template string (`$"Hello {input.name}!"`), which
//! [`crate::interpolation::rewrite`] turns into a call of this builtin. OPA's counterpart is its
//! compiler-internal `internal.template_string` (topdown/template_string.go, v1.22.4), formatting
//! as its `print` does.
//!
//! Each part is a string (literal text, inserted as it is) or the set of an expression's values:
//! no value is `<undefined>`, one value is inserted (a string as it is, anything else as OPA
//! writes a term), more than one is an error, as in OPA.

use anyhow::{bail, Result};
use regorus::Value;

use super::args::{array, go_quote, type_name};
use super::Builtin;

pub(super) const BUILTINS: &[(&str, u8, Builtin)] = &[(crate::interpolation::BUILTIN, 1, interpolate)];

fn interpolate(args: &[Value]) -> Result<Value> {
    let parts = array(args, 0)?;
    let mut out = String::new();
    for part in parts.iter() {
        match part {
            Value::String(s) => out.push_str(s),
            Value::Number(_) | Value::Bool(_) | Value::Null => format_term(part, &mut out),
            Value::Set(values) => match values.len() {
                0 => out.push_str("<undefined>"),
                1 => match values.iter().next() {
                    Some(Value::String(s)) => out.push_str(s),
                    Some(value) => format_term(value, &mut out),
                    None => {}
                },
                _ => bail!("template-strings must not produce multiple outputs"),
            },
            other => bail!("illegal argument type: {}", type_name(other)),
        }
    }
    Ok(Value::from(out))
}

enum Pending<'v> {
    Value(&'v Value),
    Text(&'static str),
}

/// `value` as OPA's `Term.String()` writes it: strings quoted as Go quotes them, arrays
/// `[1, 2]`, sets `{1, 2}` (empty: `set()`), objects `{"a": 1}`, members in sorted order.
/// Iterative, so deep values cannot exhaust the stack.
pub(crate) fn format_term(value: &Value, out: &mut String) {
    let mut todo = vec![Pending::Value(value)];
    while let Some(next) = todo.pop() {
        let value = match next {
            Pending::Text(text) => {
                out.push_str(text);
                continue;
            }
            Pending::Value(value) => value,
        };
        match value {
            Value::Null => out.push_str("null"),
            Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Value::String(s) => out.push_str(&go_quote(s)),
            Value::Undefined => out.push_str("<undefined>"),
            Value::Number(_) => match crate::json::to_string(value) {
                Ok(text) => out.push_str(&text),
                Err(_) => out.push_str("<number>"),
            },
            Value::Array(items) => {
                out.push('[');
                todo.push(Pending::Text("]"));
                for (i, item) in items.iter().enumerate().rev() {
                    todo.push(Pending::Value(item));
                    if i > 0 {
                        todo.push(Pending::Text(", "));
                    }
                }
            }
            Value::Set(items) if items.is_empty() => out.push_str("set()"),
            Value::Set(items) => {
                out.push('{');
                todo.push(Pending::Text("}"));
                let items: Vec<&Value> = items.iter_sorted().collect();
                for (i, item) in items.into_iter().enumerate().rev() {
                    todo.push(Pending::Value(item));
                    if i > 0 {
                        todo.push(Pending::Text(", "));
                    }
                }
            }
            Value::Object(members) => {
                out.push('{');
                todo.push(Pending::Text("}"));
                let members: Vec<(&Value, &Value)> = members.iter_sorted().collect();
                for (i, (k, v)) in members.into_iter().enumerate().rev() {
                    todo.push(Pending::Value(v));
                    todo.push(Pending::Text(": "));
                    todo.push(Pending::Value(k));
                    if i > 0 {
                        todo.push(Pending::Text(", "));
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn format(json: &str) -> String {
        let mut out = String::new();
        format_term(&crate::json::parse(json).unwrap(), &mut out);
        out
    }

    #[test]
    fn terms_are_written_as_opa_writes_them() {
        assert_eq!(format(r#"[42, 13.37, true, "foo", null]"#), r#"[42, 13.37, true, "foo", null]"#);
        assert_eq!(format(r#"{"b": [], "a": {"x": "y\n"}}"#), r#"{"a": {"x": "y\n"}, "b": []}"#);
        assert_eq!(format("[]"), "[]");
        assert_eq!(format("{}"), "{}");
        let mut out = String::new();
        format_term(&Value::new_set(), &mut out);
        assert_eq!(out, "set()");
        let set: Value = [Value::from(2), Value::from("a"), Value::from(1)].into_iter().collect::<std::collections::BTreeSet<_>>().into();
        out.clear();
        format_term(&set, &mut out);
        assert_eq!(out, r#"{1, 2, "a"}"#);
    }

    #[test]
    fn parts_are_joined() {
        let one = |v: Value| -> Value { [v].into_iter().collect::<std::collections::BTreeSet<_>>().into() };
        let parts = Value::from(vec![
            Value::from("a "),
            one(Value::from("s")),
            Value::from(" "),
            Value::new_set(),
            Value::from(" "),
            one(Value::from(vec![Value::from("s")])),
            Value::from(" "),
            Value::from(7),
        ]);
        assert_eq!(interpolate(&[parts]).unwrap(), Value::from(r#"a s <undefined> ["s"] 7"#));
        let two: Value = [Value::from(1), Value::from(2)].into_iter().collect::<std::collections::BTreeSet<_>>().into();
        assert!(interpolate(&[Value::from(vec![two])]).is_err());
        assert!(interpolate(&[Value::from(vec![Value::from(vec![Value::Null])])]).is_err());
    }
}
