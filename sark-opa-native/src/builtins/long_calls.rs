//! Builtins whose one call can outlast any timeout, replaced by versions that look at the evaluation's
//! deadline as they go ([`crate::execution_clock::past_deadline`]). regorus' timer checks the clock between
//! steps of an evaluation, and a builtin call is one step. `sort`, `max` and `min` compare their elements in
//! full, and `object.union_n` merges each of its objects in full; values share their parts, so an array of
//! 100,000 references to one object of 50,000 keys is a few megabytes, and sorting it ran for minutes.
//!
//! Past the deadline a call ends with an error ([`give_up`]) that ends the evaluation as a timeout (a
//! `PolicyTimeoutException`), also where builtin errors make a call undefined. One comparison or one pairwise
//! merge still runs to its end: the overrun is one of those, not the whole call.

use std::cmp::Ordering;

use anyhow::{bail, Result};
use regorus::Value;

use super::args::type_name;
use super::own::regorus_own;
use super::Builtin;
use crate::execution_clock::{give_up, past_deadline};

pub(super) const BUILTINS: &[(&str, u8, Builtin)] =
    &[("sort", 1, sort), ("max", 1, max), ("min", 1, min), ("object.union_n", 1, object_union_n)];

/// How many comparisons between two looks at the deadline: a look costs about as much as comparing two
/// short values.
const COMPARISONS_PER_LOOK: u32 = 64;

/// `sort(collection)`: regorus' order, with the deadline looked at every [`COMPARISONS_PER_LOOK`]
/// comparisons, and two references to one value equal without comparing them. A set is sorted already, and
/// an operand of another type gets regorus' own error.
fn sort(args: &[Value]) -> Result<Value> {
    let Some(Value::Array(items)) = args.first() else {
        return regorus_own("sort", &["collection"], args);
    };
    let mut sorted = items.to_vec();
    let (mut comparisons, mut late) = (0u32, false);
    sorted.sort_by(|a, b| {
        if late {
            return Ordering::Equal; // finish quickly; the result is thrown away
        }
        comparisons = comparisons.wrapping_add(1);
        if comparisons % COMPARISONS_PER_LOOK == 0 && past_deadline() {
            late = true;
            return Ordering::Equal;
        }
        if same_value(a, b) {
            Ordering::Equal
        } else {
            a.cmp(b)
        }
    });
    if late {
        return Err(give_up("sort"));
    }
    Ok(Value::from(sorted))
}

/// `max(collection)`: the greatest element, undefined when there is none.
fn max(args: &[Value]) -> Result<Value> {
    extreme(args, "max", true)
}

/// `min(collection)`: the least element, undefined when there is none.
fn min(args: &[Value]) -> Result<Value> {
    extreme(args, "min", false)
}

/// The greatest or least element of an array or set (a set is ordered already), with the deadline looked at
/// every [`COMPARISONS_PER_LOOK`] elements. Another operand is a type error that names its type without
/// quoting it: regorus' own message quotes the operand, and an operand of a million references to a 100 KB
/// string made that message 100 GB (an abort).
fn extreme(args: &[Value], name: &str, greatest: bool) -> Result<Value> {
    let items = match args.first() {
        Some(Value::Array(items)) => items,
        Some(Value::Set(items)) => {
            let found = if greatest { items.iter().next_back() } else { items.iter().next() };
            return Ok(found.cloned().unwrap_or(Value::Undefined));
        }
        Some(other) => bail!("operand 1 must be one of {{array, set}} but got {}", type_name(other)),
        None => bail!("expects 1 argument"),
    };
    let mut best: Option<&Value> = None;
    for (i, item) in items.iter().enumerate() {
        if (i + 1) % COMPARISONS_PER_LOOK as usize == 0 && past_deadline() {
            return Err(give_up(name));
        }
        let better = match best {
            None => true,
            Some(b) => {
                let order = if same_value(item, b) { Ordering::Equal } else { item.cmp(b) };
                // Of equal ones max keeps the last and min the first, as regorus' own (Iterator::max, min).
                if greatest { order != Ordering::Less } else { order == Ordering::Less }
            }
        };
        if better {
            best = Some(item);
        }
    }
    Ok(best.cloned().unwrap_or(Value::Undefined))
}

/// Whether `a` and `b` are one value: the same allocation (values are immutable once built).
fn same_value(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Array(a), Value::Array(b)) => std::ptr::eq(&**a, &**b),
        (Value::Object(a), Value::Object(b)) => std::ptr::eq(&**a, &**b),
        (Value::Set(a), Value::Set(b)) => std::ptr::eq(&**a, &**b),
        _ => false,
    }
}

/// `object.union_n(objects)`: regorus' `object.union` from left to right, as regorus' own `object.union_n`
/// does, with a look at the deadline before each object. An operand that is not an array of objects gets
/// regorus' own answer (an error, or undefined).
fn object_union_n(args: &[Value]) -> Result<Value> {
    let objects = match args.first() {
        Some(Value::Array(items)) if items.iter().all(|item| matches!(item, Value::Object(_))) => items,
        _ => return regorus_own("object.union_n", &["objects"], args),
    };
    let mut union = Value::new_object();
    for object in objects.iter() {
        if past_deadline() {
            return Err(give_up("object.union_n"));
        }
        union = regorus_own("object.union", &["a", "b"], &[union, object.clone()])?;
    }
    Ok(union)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::execution_clock::{ran_out, with_deadline};
    use std::time::Duration;

    fn values(json: &str) -> Vec<Value> {
        vec![Value::from_json_str(json).unwrap()]
    }

    #[test]
    fn sort_and_union_n_answer_as_regorus_own() {
        for args in ["[3, 1, 2, 1]", r#"[[2], {"a": 1}, "x", null, 1.5, [1, 2], true, {"a": 0}]"#, "[]"] {
            let args = values(args);
            assert_eq!(sort(&args).unwrap(), regorus_own("sort", &["collection"], &args).unwrap());
        }
        for args in [r#"[{"a": {"b": 1}, "c": 1}, {"a": {"d": 2}}, {"c": [3]}]"#, "[]", r#"[{"a": 1}, 2]"#] {
            let args = values(args);
            let ours = object_union_n(&args).map_err(|e| e.to_string());
            let theirs = regorus_own("object.union_n", &["objects"], &args).map_err(|e| e.to_string());
            assert_eq!(ours, theirs);
        }
        assert!(sort(&values(r#""not a collection""#)).is_err());
        for args in ["[3, 1, 2, 1]", r#"[[2], {"a": 1}, "x", null, 1.5, [1, 2], true]"#, "[]", "[[1], [1]]"] {
            let args = values(args);
            assert_eq!(max(&args).unwrap(), regorus_own("max", &["collection"], &args).unwrap(), "max");
            assert_eq!(min(&args).unwrap(), regorus_own("min", &["collection"], &args).unwrap(), "min");
            let mut set = Value::new_set();
            for item in args[0].as_array().unwrap().iter() {
                set.as_set_mut().unwrap().insert(item.clone());
            }
            let set = vec![set];
            assert_eq!(max(&set).unwrap(), regorus_own("max", &["collection"], &set).unwrap(), "max of a set");
            assert_eq!(min(&set).unwrap(), regorus_own("min", &["collection"], &set).unwrap(), "min of a set");
        }
        let object = values(r#"{"a": "a long string that the message must not quote"}"#);
        assert_eq!(min(&object).unwrap_err().to_string(), "operand 1 must be one of {array, set} but got object");
    }

    #[test]
    fn past_the_deadline_they_give_up_and_say_so() {
        let big: Vec<Value> = (0..100_000).rev().map(Value::from).collect();
        let objects = vec![Value::from_json_str(r#"{"a": 1}"#).unwrap(); 10];
        with_deadline(Some(Duration::ZERO), || {
            assert!(!ran_out());
            let error = sort(&[Value::from(big.clone())]).unwrap_err().to_string();
            assert_eq!(error, "sort ran past the evaluation's deadline");
            assert!(ran_out());
            assert!(object_union_n(&[Value::from(objects.clone())]).is_err());
            assert_eq!(max(&[Value::from(big.clone())]).unwrap_err().to_string(), "max ran past the evaluation's deadline");
        });
        assert!(!ran_out(), "reset after the evaluation");
        with_deadline(Some(Duration::from_secs(60)), || {
            assert_eq!(sort(&[Value::from(big)]).unwrap().as_array().unwrap()[0], Value::from(0));
            assert!(!ran_out());
        });
    }
}
