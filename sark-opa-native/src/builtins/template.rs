//! `strings.render_template(template, vars)`: OPA executes Go's `text/template` on the variables (decoded
//! as Go's `encoding/json` decodes them, numbers as `json.Number`) and replaces each `<no value>` in the
//! output with `<undefined>`.
//!
//! This is the part of `text/template` that policies use, written from the package's documentation:
//! text, comments and trim markers (`{{- ... -}}`); pipelines of fields (`.a.b`), variables (`$x`,
//! `$x.a`, `$`), string, integer, boolean and nil constants, parenthesized pipelines and `|`; variable
//! declarations and assignments; `if`/`else if`/`else`, `range` (lists, and objects in key order, with
//! one or two variables and `else`), `with`/`else with`, `break` and `continue`; and the functions `and`,
//! `or`, `not`, `len`, `index`, `eq`, `ne`, `lt`, `le`, `gt`, `ge`, `print` and `println`. Values print
//! as Go's `fmt` prints them (`[a b]`, `map[k:v]`, `<nil>`). Anything else (`printf`, `define`,
//! `template`, `block`, `slice`, `call`, the escapers, floating-point or character constants) is an error
//! that names it, never a different answer. Error texts are not Go's word for word.
//!
//! Bounds: templates are parsed and run without recursion deeper than [`parse::MAX_NESTING`]; the variables are
//! measured and claimed against the engine's memory limit before they are copied, and so is the output
//! as it grows; loops stop at the evaluation's deadline. Calls run on the evaluation thread with the
//! large stack (`stack_guard::VALUE_RECURSING`): deep variables are copied, printed and dropped by
//! recursion.

use std::collections::BTreeMap;
use std::rc::Rc;

use anyhow::{anyhow, bail, Result};
use regorus::Value;

use super::args::{object, string};
use super::limits::claim;
use super::Builtin;
use crate::execution_clock;

mod parse;

use parse::{Command, Node, Operand, Parser, Pipeline};

pub(super) const BUILTINS: &[(&str, u8, Builtin)] = &[("strings.render_template", 2, render_template)];

/// Deepest variables accepted (the copy recurses once per level, on the evaluation thread's large stack).
const MAX_VALUE_DEPTH: usize = 10_000;
/// Memory claimed per value of the variables, besides their text (a value and its share of a tree node).
const BYTES_PER_VALUE: u128 = 64;
/// Output bytes and loop iterations between two looks at the deadline and the memory limit.
const CHECK_EVERY: usize = 1 << 16;

fn render_template(args: &[Value]) -> Result<Value> {
    let text = string(args, 0)?;
    object(args, 1)?;
    let nodes = Parser::new(text).document()?;
    // The variables are copied whole: measured first, since parts shared in memory (a million
    // references to one string) are copied at each reference, and the copy recurses once per level.
    let measure = crate::json::measure(&args[1]);
    if measure.depth as usize > MAX_VALUE_DEPTH {
        bail!("the template variables are nested {} levels deep, more than {MAX_VALUE_DEPTH}", measure.depth);
    }
    let bytes = measure.values.saturating_mul(BYTES_PER_VALUE).saturating_add(measure.bytes);
    claim(bytes, || format!("template variables of {} values", measure.values))?;
    let root = Datum::from_value(&args[1]);
    let mut run = Run { out: String::new(), variables: vec![("$".to_string(), root.clone())], checked: 0 };
    match run.nodes(&nodes, &root)? {
        Flow::Normal => {}
        Flow::Break | Flow::Continue => bail!("template: break or continue outside a range"),
    }
    Ok(Value::from(run.out.replace("<no value>", "<undefined>")))
}

/// A value as a template sees it: the variables as Go's `encoding/json` gives them to OPA, and the
/// values a template makes itself.
#[derive(Debug, Clone, PartialEq)]
enum Datum {
    /// A string, or a JSON number (Go's `json.Number` is a string type: it prints, compares and
    /// measures as its text).
    Text(Rc<str>, bool),
    Int(i64),
    Bool(bool),
    Nil,
    // Shared, so that taking a field or an element copies no more than a pointer.
    List(Rc<[Datum]>),
    Map(Rc<BTreeMap<String, Datum>>),
    /// What a missing map key gives: prints as `<no value>`.
    Missing,
}

impl Datum {
    fn from_value(value: &Value) -> Datum {
        match value {
            Value::Null | Value::Undefined => Datum::Nil,
            Value::Bool(b) => Datum::Bool(*b),
            Value::Number(n) => Datum::Text(n.format_decimal().into(), true),
            Value::String(s) => Datum::Text(s.as_ref().into(), false),
            Value::Array(items) => Datum::List(items.iter().map(Datum::from_value).collect()),
            // A set is a JSON array once OPA converts it.
            Value::Set(items) => Datum::List(items.iter().map(Datum::from_value).collect()),
            Value::Object(fields) => Datum::Map(Rc::new(
                fields
                    .iter()
                    .map(|(k, v)| (k.as_string().map(|s| s.to_string()).unwrap_or_else(|_| k.to_string()), Datum::from_value(v)))
                    .collect(),
            )),
        }
    }

    fn truth(&self) -> bool {
        match self {
            Datum::Text(s, _) => !s.is_empty(),
            Datum::Int(i) => *i != 0,
            Datum::Bool(b) => *b,
            Datum::Nil | Datum::Missing => false,
            Datum::List(items) => !items.is_empty(),
            Datum::Map(fields) => !fields.is_empty(),
        }
    }

    /// Go's type name, for errors.
    fn type_name(&self) -> &'static str {
        match self {
            Datum::Text(_, true) => "json.Number",
            Datum::Text(_, false) => "string",
            Datum::Int(_) => "int",
            Datum::Bool(_) => "bool",
            Datum::Nil | Datum::Missing => "interface {}",
            Datum::List(_) => "[]interface {}",
            Datum::Map(_) => "map[string]interface {}",
        }
    }

    /// `fmt`'s `%v`, as `text/template` prints a value.
    fn print(&self, out: &mut String) {
        match self {
            Datum::Text(s, _) => out.push_str(s),
            Datum::Int(i) => out.push_str(&i.to_string()),
            Datum::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Datum::Nil => out.push_str("<nil>"),
            Datum::Missing => out.push_str("<no value>"),
            Datum::List(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(' ');
                    }
                    item.print_nested(out);
                }
                out.push(']');
            }
            Datum::Map(fields) => {
                out.push_str("map[");
                for (i, (key, value)) in fields.iter().enumerate() {
                    if i > 0 {
                        out.push(' ');
                    }
                    out.push_str(key);
                    out.push(':');
                    value.print_nested(out);
                }
                out.push(']');
            }
        }
    }

    /// Bytes [`Datum::print`] writes.
    fn printed_len(&self) -> u128 {
        match self {
            Datum::Text(s, _) => s.len() as u128,
            Datum::Int(_) => 20,
            Datum::Bool(_) | Datum::Nil | Datum::Missing => 10,
            Datum::List(items) => 2 + items.iter().map(|i| 1 + i.printed_len()).sum::<u128>(),
            Datum::Map(fields) => 5 + fields.iter().map(|(k, v)| 2 + k.len() as u128 + v.printed_len()).sum::<u128>(),
        }
    }

    /// Inside a list or map, a nil interface prints `<nil>` too.
    fn print_nested(&self, out: &mut String) {
        match self {
            Datum::Missing => out.push_str("<nil>"),
            other => other.print(out),
        }
    }
}

/// How running a list of nodes ended: at its end, or at a `break` or `continue` for the enclosing `range`.
enum Flow {
    Normal,
    Break,
    Continue,
}

struct Run {
    out: String,
    /// Variables in scope, innermost last (`$` first).
    variables: Vec<(String, Datum)>,
    /// Output bytes and loop iterations since the last deadline and memory check.
    checked: usize,
}

impl Run {
    /// Claims the output grown by `more` bytes (twice: a growing string may double its buffer) before
    /// anything that large is written, when `more` is large enough to matter.
    fn claim_output(&self, more: u128) -> Result<()> {
        if more < CHECK_EVERY as u128 {
            return Ok(());
        }
        let total = (self.out.len() as u128).saturating_add(more);
        claim(total.saturating_mul(2), || format!("a rendered template of {total} bytes"))
    }

    fn check(&mut self, work: usize) -> Result<()> {
        self.checked += work;
        if self.checked >= CHECK_EVERY {
            self.checked = 0;
            if execution_clock::past_deadline() {
                return Err(execution_clock::give_up("strings.render_template"));
            }
            claim(self.out.len() as u128 * 2, || format!("a rendered template of {} bytes", self.out.len()))?;
        }
        Ok(())
    }

    fn nodes(&mut self, nodes: &[Node], dot: &Datum) -> Result<Flow> {
        for node in nodes {
            match node {
                Node::Text(text) => {
                    self.out.push_str(text);
                    self.check(text.len())?;
                }
                Node::Action(pipeline) => {
                    let value = self.pipeline(pipeline, dot)?;
                    if pipeline.variables.is_empty() {
                        let length = value.printed_len();
                        self.claim_output(length)?;
                        value.print(&mut self.out);
                        self.check(length as usize)?;
                    }
                }
                Node::If(pipeline, then, otherwise) | Node::With(pipeline, then, otherwise) => {
                    let scope = self.variables.len();
                    let value = self.pipeline(pipeline, dot)?;
                    let flow = if value.truth() {
                        let inner = if matches!(node, Node::With(..)) { &value } else { dot };
                        self.nodes(then, inner)?
                    } else {
                        self.nodes(otherwise, dot)?
                    };
                    self.variables.truncate(scope);
                    if !matches!(flow, Flow::Normal) {
                        return Ok(flow);
                    }
                }
                Node::Range(pipeline, body, otherwise) => {
                    let scope = self.variables.len();
                    let flow = self.range(pipeline, body, otherwise, dot)?;
                    self.variables.truncate(scope);
                    if !matches!(flow, Flow::Normal) {
                        return Ok(flow);
                    }
                }
                Node::Break => return Ok(Flow::Break),
                Node::Continue => return Ok(Flow::Continue),
            }
        }
        Ok(Flow::Normal)
    }

    /// A `range`; a `break` or `continue` in its `else` branch belongs to an enclosing range.
    fn range(&mut self, pipeline: &Pipeline, body: &[Node], otherwise: &[Node], dot: &Datum) -> Result<Flow> {
        // Go binds the pipeline's variables to the collection itself first, then to each element.
        let source = self.pipeline(pipeline, dot)?;
        let items: Vec<(Datum, Datum)> = match source {
            Datum::List(items) => items.iter().enumerate().map(|(i, v)| (Datum::Int(i as i64), v.clone())).collect(),
            Datum::Map(fields) => fields.iter().map(|(k, v)| (Datum::Text(k.as_str().into(), false), v.clone())).collect(),
            Datum::Nil | Datum::Missing => Vec::new(),
            other => bail!("template: range can't iterate over {}", printed(&other)),
        };
        if items.is_empty() {
            return self.nodes(otherwise, dot);
        }
        let scope = self.variables.len();
        for (key, item) in items {
            self.check(1)?;
            self.variables.truncate(scope);
            match pipeline.variables.as_slice() {
                [] => {}
                [element] => self.bind(element, item.clone(), true)?,
                [index, element, ..] => {
                    self.bind(index, key, true)?;
                    self.bind(element, item.clone(), true)?;
                }
            }
            if let Flow::Break = self.nodes(body, &item)? {
                break;
            }
        }
        Ok(Flow::Normal)
    }

    /// A pipeline's value, declaring or assigning its variables. A nil ends up as no value at all (Go
    /// unwraps the empty interface a pipeline's value is held in), which prints `<no value>`.
    fn pipeline(&mut self, pipeline: &Pipeline, dot: &Datum) -> Result<Datum> {
        let value = match self.commands(&pipeline.commands, dot)? {
            Datum::Nil => Datum::Missing,
            value => value,
        };
        for name in &pipeline.variables {
            self.bind(name, value.clone(), pipeline.assigns)?;
        }
        Ok(value)
    }

    /// Declares a variable, or assigns one in scope.
    fn bind(&mut self, name: &str, value: Datum, assign: bool) -> Result<()> {
        if !assign {
            self.variables.push((name.to_string(), value));
            return Ok(());
        }
        let Some(slot) = self.variables.iter_mut().rev().find(|(n, _)| n == name) else {
            bail!("template: undefined variable: {name}");
        };
        slot.1 = value;
        Ok(())
    }

    fn commands(&mut self, commands: &[Command], dot: &Datum) -> Result<Datum> {
        let mut piped: Option<Datum> = None;
        for command in commands {
            piped = Some(self.command(command, dot, piped)?);
        }
        piped.ok_or_else(|| anyhow!("template: missing value for command"))
    }

    fn command(&mut self, command: &Command, dot: &Datum, piped: Option<Datum>) -> Result<Datum> {
        let (first, rest) = command.operands.split_first().ok_or_else(|| anyhow!("template: empty command"))?;
        if let Operand::Function(name) = first {
            return self.call(name, rest, dot, piped);
        }
        if !rest.is_empty() || piped.is_some() {
            // Arguments after a field make Go call it as a method: values here have none.
            let (base, fields) = self.operand_base(first, dot)?;
            let Some((last, path)) = fields.split_last() else {
                bail!("template: can't give argument to non-function");
            };
            return match fields_of(base, path)? {
                Datum::Missing => Ok(Datum::Missing),
                Datum::Map(_) => bail!("template: {last} is not a method but has arguments"),
                other => fields_of(other, std::slice::from_ref(last)),
            };
        }
        if let Operand::Constant(Datum::Nil) = first {
            bail!("template: nil is not a command");
        }
        self.operand(first, dot)
    }

    fn operand(&mut self, operand: &Operand, dot: &Datum) -> Result<Datum> {
        let (base, fields) = self.operand_base(operand, dot)?;
        fields_of(base, fields)
    }

    /// An operand's value before its fields, and the fields.
    fn operand_base<'o>(&mut self, operand: &'o Operand, dot: &Datum) -> Result<(Datum, &'o [String])> {
        Ok(match operand {
            Operand::Dot(fields) => (dot.clone(), fields),
            Operand::Variable(name, fields) => {
                let Some((_, value)) = self.variables.iter().rev().find(|(n, _)| n == name) else {
                    bail!("template: undefined variable: {name}");
                };
                (value.clone(), fields)
            }
            Operand::Group(pipeline, fields) => (self.pipeline(pipeline, dot)?, fields),
            Operand::Constant(value) => (value.clone(), &[]),
            Operand::Function(name) => (self.call(name, &[], dot, None)?, &[]),
        })
    }

    fn call(&mut self, name: &str, operands: &[Operand], dot: &Datum, piped: Option<Datum>) -> Result<Datum> {
        // `and` and `or` stop at the first operand that decides them.
        if name == "and" || name == "or" {
            if operands.is_empty() && piped.is_none() {
                bail!("template: wrong number of args for {name}: want at least 1 got 0");
            }
            let mut last = Datum::Nil;
            for operand in operands {
                last = self.operand(operand, dot)?;
                if last.truth() == (name == "or") {
                    return Ok(last);
                }
            }
            return Ok(piped.unwrap_or(last));
        }
        let mut args = operands.iter().map(|o| self.operand(o, dot)).collect::<Result<Vec<_>>>()?;
        args.extend(piped);
        let want = |n: usize| -> Result<()> {
            if args.len() != n {
                bail!("template: wrong number of args for {name}: want {n} got {}", args.len());
            }
            Ok(())
        };
        Ok(match name {
            "not" => {
                want(1)?;
                Datum::Bool(!args[0].truth())
            }
            "len" => {
                want(1)?;
                Datum::Int(match &args[0] {
                    Datum::Text(s, _) => s.len(),
                    Datum::List(items) => items.len(),
                    Datum::Map(fields) => fields.len(),
                    Datum::Nil | Datum::Missing => bail!("template: error calling len: len of nil pointer"),
                    other => bail!("template: error calling len: len of type {}", other.type_name()),
                } as i64)
            }
            "index" => {
                let Some((first, keys)) = args.split_first() else {
                    bail!("template: wrong number of args for index: want at least 1 got 0");
                };
                if matches!(first, Datum::Nil | Datum::Missing) {
                    bail!("template: error calling index: index of untyped nil");
                }
                let mut value = first.clone();
                for key in keys {
                    value = index(value, key)?;
                }
                value
            }
            "eq" | "ne" => {
                if args.len() < 2 {
                    bail!("template: error calling {name}: missing argument for comparison");
                }
                if name == "ne" {
                    want(2)?;
                }
                // The first equal operand decides, before any later one is compared.
                let mut equal = false;
                for other in &args[1..] {
                    equal = equals(&args[0], other).map_err(|e| anyhow!("template: error calling {name}: {e}"))?;
                    if equal {
                        break;
                    }
                }
                Datum::Bool(equal == (name == "eq"))
            }
            "lt" | "le" | "gt" | "ge" => {
                want(2)?;
                let order = order(&args[0], &args[1]).map_err(|e| anyhow!("template: error calling {name}: {e}"))?;
                Datum::Bool(match name {
                    "lt" => order.is_lt(),
                    "le" => order.is_le(),
                    "gt" => order.is_gt(),
                    _ => order.is_ge(),
                })
            }
            "print" | "println" => {
                let length: u128 = args.iter().map(|a| 1 + a.printed_len()).sum();
                self.claim_output(length)?;
                let mut out = String::new();
                for (i, arg) in args.iter().enumerate() {
                    // fmt.Sprint puts a space between operands when neither is a string; Sprintln always.
                    let is_string = |d: &Datum| matches!(d, Datum::Text(..));
                    if i > 0 && (name == "println" || !(is_string(arg) || is_string(&args[i - 1]))) {
                        out.push(' ');
                    }
                    arg.print_nested(&mut out);
                }
                if name == "println" {
                    out.push('\n');
                }
                Datum::Text(out.into(), false)
            }
            _ => bail!("template: function \"{name}\" not defined"),
        })
    }
}

fn printed(value: &Datum) -> String {
    let mut out = String::new();
    value.print(&mut out);
    out
}

/// `.a.b` on a value: map keys (a missing key gives [`Datum::Missing`], and fields of it stay missing).
fn fields_of(mut value: Datum, fields: &[String]) -> Result<Datum> {
    for field in fields {
        value = match value {
            Datum::Map(map) => map.get(field).cloned().unwrap_or(Datum::Missing),
            Datum::Missing => Datum::Missing,
            Datum::Nil => bail!("template: nil pointer evaluating interface {{}}.{field}"),
            // Values reach a template inside maps and lists, as interface {} values.
            _ => bail!("template: can't evaluate field {field} in type interface {{}}"),
        };
    }
    Ok(value)
}

/// `index x k`: a list or a string (its bytes) by an integer, a map by a string.
fn index(value: Datum, key: &Datum) -> Result<Datum> {
    match (value, key) {
        (Datum::List(items), Datum::Int(i)) => {
            let found = usize::try_from(*i).ok().and_then(|i| items.get(i).cloned());
            found.ok_or_else(|| anyhow!("template: error calling index: index out of range: {i}"))
        }
        (Datum::Map(map), Datum::Text(k, false)) => Ok(map.get(&**k).cloned().unwrap_or(Datum::Missing)),
        // A string's byte.
        (Datum::Text(text, _), Datum::Int(i)) => {
            let found = usize::try_from(*i).ok().and_then(|i| text.as_bytes().get(i).copied());
            found.map(|b| Datum::Int(i64::from(b))).ok_or_else(|| anyhow!("template: error calling index: index out of range: {i}"))
        }
        (Datum::Nil | Datum::Missing, _) => bail!("template: error calling index: index of untyped nil"),
        (value, key) => bail!(
            "template: error calling index: cannot index {} with {}",
            value.type_name(),
            key.type_name()
        ),
    }
}

/// Go's `eq` on two values: basic values of one kind (strings and `json.Number`s are one kind) by value;
/// nil and missing values equal each other and nothing else; lists and maps cannot be compared.
fn equals(a: &Datum, b: &Datum) -> Result<bool> {
    let absent = |d: &Datum| matches!(d, Datum::Nil | Datum::Missing);
    match (a, b) {
        _ if absent(a) || absent(b) => Ok(absent(a) && absent(b)),
        (Datum::List(_) | Datum::Map(_), _) | (_, Datum::List(_) | Datum::Map(_)) => {
            bail!("non-comparable type {}", a.type_name())
        }
        (Datum::Bool(x), Datum::Bool(y)) => Ok(x == y),
        _ => order(a, b).map(|o| o.is_eq()),
    }
}

/// Go's `lt` and friends: strings or integers of one kind.
fn order(a: &Datum, b: &Datum) -> Result<std::cmp::Ordering> {
    match (a, b) {
        (Datum::Text(x, _), Datum::Text(y, _)) => Ok(x.cmp(y)),
        (Datum::Int(x), Datum::Int(y)) => Ok(x.cmp(y)),
        (Datum::Text(..) | Datum::Int(_), Datum::Text(..) | Datum::Int(_)) => {
            bail!("incompatible types for comparison: {} and {}", a.type_name(), b.type_name())
        }
        _ => bail!("invalid type for comparison"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(template: &str, vars: &str) -> Result<String> {
        let vars = Value::from_json_str(vars).unwrap();
        render_template(&[Value::from(template), vars]).map(|v| v.as_string().unwrap().to_string())
    }

    #[test]
    fn renders_as_go_text_template_does() {
        for (template, vars, expected) in [
            ("{{.test}}", r#"{"test": "hello world"}"#, "hello world"),
            ("{{.test}}", r#"{"test": 2023}"#, "2023"),
            (
                "{{range $i, $name := .hellonames}}{{if $i}},{{end}}hello {{$name}}{{end}}",
                r#"{"hellonames": ["rohan", "john doe"]}"#,
                "hello rohan,hello john doe",
            ),
            ("test {{.foo}} {{.bar}} {{.baz}}", r#"{"baz": 1}"#, "test <undefined> <undefined> 1"),
            ("{{.a}} {{.m}}", r#"{"a": [1, {"b": null}, "x", true], "m": {"z": 1, "a": "q"}}"#, "[1 map[b:<nil>] x true] map[a:q z:1]"),
            ("{{range .m}}{{.}};{{else}}none{{end}}", r#"{"m": {"b": 2, "a": 1}}"#, "1;2;"),
            ("{{range .l}}{{.}}{{else}}none{{end}}", r#"{"l": []}"#, "none"),
            ("a  {{- .x -}}  b", r#"{"x": 1}"#, "a1b"),
            ("{{/* note */}}x{{- /* trimmed */ -}} y", "{}", "xy"),
            ("{{if eq .n \"3\"}}three{{else if .x}}x{{else}}other{{end}}", r#"{"n": 3}"#, "three"),
            ("{{with .m}}{{.a}}{{else}}no{{end}}", r#"{"m": {"a": 1}}"#, "1"),
            ("{{$x := 1}}{{if true}}{{$x = 2}}{{end}}{{$x}}", "{}", "2"),
            ("{{len .s}} {{index .l 1}} {{index .m \"k\"}}", r#"{"s": "héllo", "l": [1, 2], "m": {"k": "v"}}"#, "6 2 v"),
            ("{{print 1 2 \"a\" 3}}|{{.a | len}}|{{and 1 0 2}}|{{or 0 \"\" 3}}", r#"{"a": "xyz"}"#, "1 2a3|3|0|3"),
            ("{{range $i, $v := .l}}{{if eq $i 1}}{{break}}{{end}}{{$v}}{{end}}", r#"{"l": [1, 2, 3]}"#, "1"),
            ("{{.a.b.c}}", r#"{"a": {}}"#, "<undefined>"),
        ] {
            assert_eq!(render(template, vars).unwrap(), expected, "{template}");
        }
    }

    #[test]
    fn what_is_not_supported_is_an_error_that_says_so() {
        for template in ["{{printf \"%d\" 1}}", "{{define \"x\"}}{{end}}", "{{1.5}}", "{{'a'}}"] {
            let error = render(template, "{}").unwrap_err().to_string();
            assert!(error.contains("not supported"), "{template}: {error}");
        }
        for (template, error) in [
            ("{{.a.b}}", "can't evaluate field b in type interface {}"),
            ("{{index .l 5}}", "index out of range: 5"),
            ("{{if .a}}", "unexpected EOF"),
            ("{{end}}", "unexpected {{end}}"),
            ("{{nope}}", "function \"nope\" not defined"),
            ("{{$y}}", "undefined variable \"$y\""),
            ("{{break}}", "{{break}} outside {{range}}"),
            ("{{(.a)(.a)}}", "in operand"),
            ("{{.a..b}}", "unexpected <.> in operand"),
            ("{{..b}}", "unexpected . after term"),
            ("{{ /* no comment */ }}", "bad character"),
        ] {
            let message = render(template, r#"{"a": "s", "l": []}"#).unwrap_err().to_string();
            assert!(message.contains(error), "{template}: {message}");
        }
    }

    #[test]
    fn output_and_strings_are_claimed_before_they_are_built() {
        // Doubling a string 40 times would be a terabyte; the claim stops it at the memory limit.
        let doubling = "{{$x := \"abcdefgh\"}}{{range .l}}{{$x = print $x $x}}{{end}}{{len $x}}";
        let forty = format!(r#"{{"l": [{}]}}"#, vec!["0"; 40].join(","));
        let error = crate::builtins::limits::with_memory_limit(64 << 20, || render(doubling, &forty)).unwrap_err();
        assert!(error.to_string().contains("memory limit"), "{error}");
        assert_eq!(render(doubling, r#"{"l": [0, 0]}"#).unwrap(), "32");
        // Variables whose parts are shared are claimed at each reference before they are copied.
        let shared = Value::from_json_str(&format!(r#"{{"s": "{}"}}"#, "x".repeat(100_000))).unwrap();
        let many = Value::from(vec![shared; 100_000]);
        let mut vars = Value::new_object();
        vars.as_object_mut().unwrap().insert(Value::from("l"), many);
        let error = crate::builtins::limits::with_memory_limit(1 << 30, || render_template(&[Value::from("{{len .l}}"), vars]))
            .unwrap_err();
        assert!(error.to_string().contains("memory limit"), "{error}");
    }

    #[test]
    fn nesting_is_bounded() {
        let deep = "{{if true}}".repeat(10_000) + &"{{end}}".repeat(10_000);
        assert!(render(&deep, "{}").unwrap_err().to_string().contains("nested deeper"));
        let chain = "{{if false}}".to_string() + &"{{else if false}}".repeat(10_000) + "{{end}}";
        assert!(render(&chain, "{}").unwrap_err().to_string().contains("nested deeper"));
        let chain = "{{if false}}".to_string() + &"{{else if false}}".repeat(40) + "{{else}}x{{end}}";
        assert_eq!(render(&chain, "{}").unwrap(), "x");
        let parens = "{{".to_string() + &"(".repeat(10_000) + "1" + &")".repeat(10_000) + "}}";
        assert!(render(&parens, "{}").unwrap_err().to_string().contains("nested deeper"));
    }
}
