//! regorus' own builtins, called by the overrides in this module once their checks have passed.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use anyhow::{anyhow, Result};
use regorus::unstable::{Expr, Ref, Span};
use regorus::{Source, Value};

/// Calls regorus' own builtin `name`, for an override whose checks have passed. regorus' builtins take the
/// call's span and operand expressions for their error messages; an extension has none, so they point
/// at a stand-in text `name(params...)` (built once per thread and name). Errors come back as errors
/// (strict), and `register` decides what they do to the evaluation.
pub(super) fn regorus_own(name: &'static str, params: &[&str], args: &[Value]) -> Result<Value> {
    let (builtin, _) = regorus::unstable::BUILTINS.get(name).ok_or_else(|| anyhow!("regorus has no {name}"))?;
    let call = STAND_INS.with(|calls| Rc::clone(calls.borrow_mut().entry(name).or_insert_with(|| stand_in_call(name, params))));
    let (span, operands) = &*call;
    builtin(span, operands, args, true).map_err(|e| anyhow!("{}", e.to_string().trim_start_matches(&format!("{name}: "))))
}

thread_local! {
    static STAND_INS: RefCell<HashMap<&'static str, Rc<(Span, Vec<Ref<Expr>>)>>> = RefCell::new(HashMap::new());
}

fn stand_in_call(name: &str, params: &[&str]) -> Rc<(Span, Vec<Ref<Expr>>)> {
    let text = format!("{name}({})", params.join(", "));
    let source = Source::from_contents(name.to_string(), text.clone()).expect("a short text is a source");
    let span = |start: usize, end: usize| Span { source: source.clone(), line: 1, col: start as u32 + 1, start: start as u32, end: end as u32 };
    let mut operands = Vec::with_capacity(params.len());
    let mut start = name.len() + 1;
    for param in params {
        let end = start + param.len();
        operands.push(Ref::new(Expr::Var { span: span(start, end), value: Value::from(*param), eidx: 0 }));
        start = end + 2;
    }
    Rc::new((span(0, text.len()), operands))
}

