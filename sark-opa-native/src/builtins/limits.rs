//! Builtins whose result grows with an operand, replaced by versions that check the size against
//! the engine's memory limit before they allocate. regorus' own allocate first: with
//! `numbers.range(1, input.n)` and `{"n": 100000000000}` the allocation of 2.4 TB fails, and a
//! failed allocation aborts the process (Rust cannot unwind from it, so `catch_unwind` never sees
//! it). Here such a call is an evaluation error ("... more than the engine's memory limit").
//!
//! A result can grow with the product of two operands (`replace` with an empty old string), and a
//! value's text can be far larger than its memory, since values share their parts; the builtins that
//! write a value out whole (`json.marshal`, `yaml.marshal`, `sprintf`) claim its measured text
//! ([`crate::json::measure`]).
//!
//! The limit is per engine (`PolicyEngine.builder().memoryLimit`), and regorus calls extensions
//! with the operands only, so the store puts it in a thread-local for the length of each evaluation
//! ([`with_memory_limit`]).

use std::cell::Cell;
use std::mem::size_of;

use anyhow::{bail, Result};
use regorus::Value;

use super::args::{int, string, type_name};
use super::integers::check_widest;
use super::own::regorus_own;
use crate::json::{self, TextMeasure};
use crate::allocation::Baseline;
use super::Builtin;

pub(super) const BUILTINS: &[(&str, u8, Builtin)] = &[
    ("numbers.range", 2, range),
    ("numbers.range_step", 3, range_step),
    ("concat", 2, concat),
    ("sprintf", 2, sprintf),
    ("replace", 3, replace),
    ("regex.replace", 3, regex_replace),
    ("split", 2, split),
    ("regex.split", 2, regex_split),
    ("regex.find_n", 3, regex_find_n),
    ("regex.find_all_string_submatch_n", 3, regex_find_all_submatches),
    ("json.marshal", 1, json_marshal),
    ("json.marshal_with_options", 2, json_marshal_with_options),
    ("yaml.marshal", 1, yaml_marshal),
    ("json.unmarshal", 1, json_unmarshal),
    ("yaml.unmarshal", 1, yaml_unmarshal),
    ("array.concat", 2, array_concat),
    ("urlquery.encode_object", 1, urlquery_encode_object),
];

thread_local! {
    static MEMORY_LIMIT: Cell<usize> = const { Cell::new(crate::store::DEFAULT_MEMORY_LIMIT) };
    /// The allocation count when the evaluation on this thread started; None outside evaluations.
    static BASELINE: Cell<Option<Baseline>> = const { Cell::new(None) };
    /// Whether the evaluation on this thread was found holding more than its limit (it stays so).
    static EXCEEDED: Cell<bool> = const { Cell::new(false) };
}

/// Runs `evaluate` with `limit` as its memory limit on this thread: the limit of the builtins it calls,
/// and of the bytes it holds in all, which regorus' timer checks ([`check_memory`]).
pub fn with_memory_limit<R>(limit: usize, evaluate: impl FnOnce() -> R) -> R {
    struct Restore(usize, Option<Baseline>, bool);
    impl Drop for Restore {
        fn drop(&mut self) {
            MEMORY_LIMIT.with(|l| l.set(self.0));
            BASELINE.with(|b| b.set(self.1));
            EXCEEDED.with(|e| e.set(self.2));
        }
    }
    let _restore = Restore(
        MEMORY_LIMIT.with(|l| l.replace(limit)),
        BASELINE.with(|b| b.replace(Some(Baseline::now()))),
        EXCEEDED.with(|e| e.replace(false)),
    );
    evaluate()
}

/// Whether the evaluation on this thread holds more than its memory limit; once true, stays true for the
/// rest of the evaluation ([`memory_exceeded`]).
pub fn check_memory() -> bool {
    let Some(baseline) = BASELINE.with(Cell::get) else {
        return false;
    };
    if baseline.grown() > MEMORY_LIMIT.with(Cell::get) {
        EXCEEDED.with(|e| e.set(true));
    }
    memory_exceeded()
}

/// Whether [`check_memory`] found the evaluation on this thread over its limit, with the limit.
pub fn memory_exceeded() -> bool {
    EXCEEDED.with(Cell::get)
}

/// The memory limit of the evaluation on this thread.
pub fn memory_limit() -> usize {
    MEMORY_LIMIT.with(Cell::get)
}

/// Fails unless `bytes` fit what the current evaluation may still take: its memory limit less what it
/// already holds. Against the limit alone, results that each fit could pile up between two of the
/// timer's memory checks: `array.concat(a, a)` twenty-eight times over (no step in between) asked for
/// 6 GB at once, and the failed allocation aborted the process.
pub(super) fn claim(bytes: u128, what: impl FnOnce() -> String) -> Result<()> {
    let limit = MEMORY_LIMIT.with(Cell::get);
    let held = BASELINE.with(Cell::get).map_or(0, Baseline::grown);
    if bytes.saturating_add(held as u128) > limit as u128 {
        bail!(
            "{} would take about {bytes} bytes, more than the engine's memory limit of {limit} bytes \
             (PolicyEngine.builder().memoryLimit)",
            what()
        );
    }
    Ok(())
}

/// `numbers.range(a, b)`: the integers from `a` to `b`, both included, counting down when `b < a`.
fn range(args: &[Value]) -> Result<Value> {
    let (from, to) = (int(args, 0)?, int(args, 1)?);
    numbers(from, to, 1)
}

/// `numbers.range_step(a, b, step)`: from `a` towards `b` in steps of `step` (positive), `b` included
/// only when a step lands on it.
fn range_step(args: &[Value]) -> Result<Value> {
    let (from, to, step) = (int(args, 0)?, int(args, 1)?, int(args, 2)?);
    if step <= 0 {
        bail!("step must be a positive integer");
    }
    numbers(from, to, step)
}

fn numbers(from: i64, to: i64, step: i64) -> Result<Value> {
    let count = (i128::from(to) - i128::from(from)).unsigned_abs() / step as u128 + 1;
    claim(count * size_of::<Value>() as u128, || format!("a range of {count} numbers"))?;
    let step = if to < from { -step } else { step };
    let mut out = Vec::with_capacity(count as usize);
    let mut n = from;
    for _ in 0..count {
        out.push(Value::from(n));
        n = n.wrapping_add(step); // the last addition may pass the end; it is never used
    }
    Ok(Value::from(out))
}

/// `concat(delimiter, collection)`: the strings of an array or set joined by `delimiter`.
fn concat(args: &[Value]) -> Result<Value> {
    let delimiter = string(args, 0)?;
    let items: Vec<&Value> = match args.get(1) {
        Some(Value::Array(items)) => items.iter().collect(),
        Some(Value::Set(items)) => items.iter().collect(),
        other => bail!("operand 2 must be one of {{set, array}} but got {}", other.map_or("nothing", type_name)),
    };
    let mut parts = Vec::with_capacity(items.len());
    for item in items {
        match item {
            Value::String(s) => parts.push(s.as_ref()),
            other => bail!("operand 2 must be one of {{set, array}} of strings but got {} in it", type_name(other)),
        }
    }
    let bytes = parts.iter().map(|p| p.len() as u128).sum::<u128>()
        + delimiter.len() as u128 * parts.len().saturating_sub(1) as u128;
    claim(bytes, || format!("a string of {bytes} bytes"))?;
    Ok(Value::from(parts.join(delimiter)))
}

/// Fails unless `value`'s text, and every integer in it, fit the limits: for the builtins that write a
/// value out whole: `text_bytes` is the size of the text from the value's [`TextMeasure`] (its JSON
/// length stands for the text's, as YAML and Go's `%v` are of the same order, plus a line per value where
/// the text puts every value on a line of its own, or a factor for escapes).
///
/// Also refused: values nested deeper than JSON input may be ([`json::MAX_DEPTH`]). regorus writes
/// them by recursion, on the calling thread, and a value of 8,000 levels that rules had built
/// overflowed a 1 MiB thread stack there (SIGSEGV).
fn check_text(value: &Value, what: &str, text_bytes: impl FnOnce(&TextMeasure) -> u128) -> Result<()> {
    let measure = json::measure(value);
    check_widest(measure, what)?;
    if measure.depth as usize > json::MAX_DEPTH {
        bail!("{what} is nested {} levels deep, more than the {} levels sark-opa writes out", measure.depth, json::MAX_DEPTH);
    }
    let bytes = text_bytes(&measure);
    claim(bytes, || format!("{what} as text ({bytes} bytes or more)"))
}

fn check_printable(value: &Value, what: &str) -> Result<()> {
    check_text(value, what, |measure| measure.bytes)
}

/// [`check_printable`] for a text of up to `times` bytes per byte of the value's JSON: escapes that take
/// several bytes a character (URL encoding, Go's HTML-safe JSON), and base64 on top.
pub(super) fn check_printable_times(value: &Value, what: &str, times: u128) -> Result<()> {
    check_text(value, what, |measure| measure.bytes.saturating_mul(times))
}

fn json_marshal(args: &[Value]) -> Result<Value> {
    check_printable(args.first().unwrap_or(&Value::Undefined), "the value")?;
    regorus_own("json.marshal", &["x"], args)
}

/// Pretty output puts each value on a line of its own, after the prefix and an indent per level.
fn json_marshal_with_options(args: &[Value]) -> Result<Value> {
    let option = |name: &str| match args.get(1) {
        Some(Value::Object(options)) => options.get(&Value::from(name)).and_then(|v| v.as_string().ok()).map_or(0, |s| s.len()),
        _ => 0,
    };
    // "\t" when not given; a longer one is taken as given.
    let (prefix, indent) = (option("prefix") as u128, option("indent").max(1) as u128);
    check_text(args.first().unwrap_or(&Value::Undefined), "the value", |measure| {
        let per_line = 1 + prefix + indent * u128::from(measure.depth);
        measure.bytes.saturating_add(measure.values.saturating_mul(per_line))
    })?;
    regorus_own("json.marshal_with_options", &["x", "opts"], args)
}

/// YAML puts each value on a line of its own, indented two spaces a level.
fn yaml_marshal(args: &[Value]) -> Result<Value> {
    check_text(args.first().unwrap_or(&Value::Undefined), "the value", |measure| {
        measure.bytes.saturating_add(measure.values.saturating_mul(1 + 2 * u128::from(measure.depth)))
    })?;
    regorus_own("yaml.marshal", &["x"], args)
}

/// What one part of a split costs besides its text: its `Value`, and its string's own allocation.
const PART_BYTES: u128 = size_of::<Value>() as u128 + 16;

/// Fails unless `parts` strings taking `text` bytes in all fit the limit. A split multiplies memory:
/// a 100 MB text split into characters is 100 million values, 3.2 GB.
fn claim_parts(parts: usize, text: usize) -> Result<()> {
    let bytes = parts as u128 * PART_BYTES + text as u128;
    claim(bytes, || format!("{parts} parts"))
}

/// `split(x, delimiter)`: regorus' own, once its parts fit the limit (an empty delimiter splits
/// every character off).
fn split(args: &[Value]) -> Result<Value> {
    if let (Ok(text), Ok(delimiter)) = (string(args, 0), string(args, 1)) {
        let parts = if delimiter.is_empty() { text.chars().count() } else { text.matches(delimiter).count() + 1 };
        claim_parts(parts, text.len())?;
    }
    regorus_own("split", &["x", "delimiter"], args)
}

/// `regex.split(pattern, value)`: regorus' own, once its parts fit the limit.
fn regex_split(args: &[Value]) -> Result<Value> {
    if let (Ok(pattern), Ok(text)) = (string(args, 0), string(args, 1)) {
        if let Ok(regex) = regex::Regex::new(pattern) {
            claim_parts(regex.find_iter(text).count() + 1, text.len())?;
        }
    }
    regorus_own("regex.split", &["pattern", "value"], args)
}

/// How many matches the `n` operand of `regex.find_n` and its kin asks for: all of them when negative.
fn wanted_matches(args: &[Value]) -> usize {
    match args.get(2) {
        Some(Value::Number(n)) => n.as_i64().and_then(|n| usize::try_from(n).ok()).unwrap_or(usize::MAX),
        _ => usize::MAX,
    }
}

/// `regex.find_n(pattern, value, n)`: regorus' own, once the matches it returns fit the limit.
fn regex_find_n(args: &[Value]) -> Result<Value> {
    if let (Ok(pattern), Ok(text)) = (string(args, 0), string(args, 1)) {
        if let Ok(regex) = regex::Regex::new(pattern) {
            claim_parts(regex.find_iter(text).take(wanted_matches(args)).count(), text.len())?;
        }
    }
    regorus_own("regex.find_n", &["pattern", "value", "n"], args)
}

/// `regex.find_all_string_submatch_n(pattern, value, n)`: regorus' own, once its matches fit the limit:
/// each is an array of the match and its groups. An empty pattern matches at every character.
fn regex_find_all_submatches(args: &[Value]) -> Result<Value> {
    if let (Ok(pattern), Ok(text)) = (string(args, 0), string(args, 1)) {
        if let Ok(regex) = regex::Regex::new(pattern) {
            let matches = regex.find_iter(text).take(wanted_matches(args)).count();
            // The match and its groups each a part, and the array holding them one more.
            claim_parts(matches.saturating_mul(regex.captures_len() + 1), text.len())?;
        }
    }
    regorus_own("regex.find_all_string_submatch_n", &["pattern", "value", "n"], args)
}

/// What reading a JSON or YAML text into values may take, at most, per value: the `Value`, and the
/// allocation of its own that a number, string, array or object has.
const READ_VALUE_BYTES: u128 = size_of::<Value>() as u128 + 48;

/// Fails unless the values `text` reads as may fit the limit. A value's text can be far smaller than the
/// value: `[0,0,0,...]` is two bytes a value, and a 600 MB text of it asked for 1.6 GB in one
/// allocation (an abort). Every value but the first follows one of `, : [ {` (JSON), or a line break or
/// `-` (YAML's block style), so counting those bytes, inside strings too, bounds the number of values.
/// YAML's aliases repeat a value without its text; the YAML reader refuses texts that repeat a lot.
pub(super) fn claim_reading(text: &str, what: &str) -> Result<()> {
    let values = 1 + text.bytes().filter(|b| matches!(b, b',' | b':' | b'[' | b'{' | b'\n' | b'-')).count() as u128;
    let bytes = values * READ_VALUE_BYTES + text.len() as u128;
    claim(bytes, || format!("{what} of {} bytes, read into values,", text.len()))
}

fn json_unmarshal(args: &[Value]) -> Result<Value> {
    unmarshal("json.unmarshal", "a JSON text", args)
}

fn yaml_unmarshal(args: &[Value]) -> Result<Value> {
    unmarshal("yaml.unmarshal", "a YAML text", args)
}

/// regorus' own `name`, once the values its text reads as fit the limit ([`claim_reading`]).
fn unmarshal(name: &'static str, what: &str, args: &[Value]) -> Result<Value> {
    if let Ok(text) = string(args, 0) {
        claim_reading(text, what)?;
    }
    regorus_own(name, &["x"], args)
}

/// `array.concat(a, b)`: regorus' own, once the result fits the limit. The operands share their
/// elements with the result, but its array is new: `a1 := array.concat(a0, a0)`, `a2 := array.concat(a1,
/// a1)` and so on double it each time.
fn array_concat(args: &[Value]) -> Result<Value> {
    if let (Some(Value::Array(a)), Some(Value::Array(b))) = (args.first(), args.get(1)) {
        let elements = a.len() as u128 + b.len() as u128;
        claim(elements * size_of::<Value>() as u128, || format!("an array of {elements} elements"))?;
    }
    regorus_own("array.concat", &["x", "y"], args)
}

/// `urlquery.encode_object(object)`: regorus' own, once its text fits the limit (a byte can take three
/// escaped, and values that share their parts are written out for every reference).
fn urlquery_encode_object(args: &[Value]) -> Result<Value> {
    check_printable_times(args.first().unwrap_or(&Value::Undefined), "the object", 3)?;
    regorus_own("urlquery.encode_object", &["object"], args)
}

/// `replace(x, old, new)`: regorus' own, once its result fits the limit. The result grows with the
/// product of two operands: an empty `old` matches before every character and at the end, so a
/// 100 KB `x` and `new` make 10 GB.
fn replace(args: &[Value]) -> Result<Value> {
    if let (Ok(text), Ok(old), Ok(new)) = (string(args, 0), string(args, 1), string(args, 2)) {
        let matches = if old.is_empty() { text.chars().count() + 1 } else { text.matches(old).count() };
        let bytes = text.len() as u128 - (matches * old.len()) as u128 + matches as u128 * new.len() as u128;
        claim(bytes, || format!("a string of {bytes} bytes"))?;
    }
    regorus_own("replace", &["x", "old", "new"], args)
}

/// `regex.replace(s, pattern, value)`: regorus' own, once its result fits the limit. Each match becomes
/// `value`, whose `$` references each expand to at most the match itself; the matches are found here
/// first (a pattern that does not compile is left to regorus, which reports it).
fn regex_replace(args: &[Value]) -> Result<Value> {
    if let (Ok(text), Ok(pattern), Ok(value)) = (string(args, 0), string(args, 1), string(args, 2)) {
        if let Ok(regex) = regex::Regex::new(pattern) {
            let references = value.matches('$').count() as u128;
            let bytes = regex.find_iter(text).fold(text.len() as u128, |bytes, found| {
                bytes + value.len() as u128 + references * found.len() as u128
            });
            claim(bytes, || format!("a string of up to {bytes} bytes"))?;
        }
    }
    regorus_own("regex.replace", &["s", "pattern", "value"], args)
}

/// `sprintf(format, values)`: regorus' own, once the widths and precisions of `format` fit the limit
/// and no value is an integer too large to print in time (integers.rs).
/// regorus pads to a `%4200000000d` width before any check (and reads wider ones modulo 2^32), and
/// hands precisions to Rust's formatter, which panics above 65,535.
fn sprintf(args: &[Value]) -> Result<Value> {
    if let Some(Value::String(format)) = args.first() {
        let fields = FieldSizes::of(format);
        if let Some(widest) = fields.width.max(fields.precision) {
            claim(widest, || format!("a format field {widest} characters wide"))?;
        }
        if let Some(precision) = fields.precision.filter(|p| *p > u128::from(u16::MAX)) {
            bail!("a format precision of {precision} digits is more than the {} sark-opa prints", u16::MAX);
        }
    }
    if let Some(values) = args.get(1) {
        check_printable(values, "the values")?;
    }
    regorus_own("sprintf", &["format", "values"], args)
}

/// The largest width and the largest precision in a Go format string (`%08d`, `%.200f`, `%-10s`): the
/// digits that follow a `%` or a flag, and those that follow a `.`.
#[derive(Debug, Default, PartialEq, Eq)]
struct FieldSizes {
    width: Option<u128>,
    precision: Option<u128>,
}

impl FieldSizes {
    fn of(format: &str) -> FieldSizes {
        let mut sizes = FieldSizes::default();
        let mut chars = format.chars().peekable();
        while let Some(c) = chars.next() {
            if c != '%' {
                continue;
            }
            if chars.peek() == Some(&'%') {
                chars.next();
                continue;
            }
            // flags, width, '.', precision, until the verb
            let mut number: Option<u128> = None;
            let mut in_precision = false;
            while let Some(&next) = chars.peek() {
                match next {
                    '0'..='9' => {
                        let digit = u128::from(next as u8 - b'0');
                        number = Some(number.unwrap_or(0).saturating_mul(10).saturating_add(digit));
                    }
                    '.' | '+' | '-' | ' ' | '#' => {
                        sizes.note(number.take(), in_precision);
                        in_precision |= next == '.';
                    }
                    _ => break,
                }
                chars.next();
            }
            sizes.note(number, in_precision);
        }
        sizes
    }

    fn note(&mut self, number: Option<u128>, is_precision: bool) {
        let field = if is_precision { &mut self.precision } else { &mut self.width };
        *field = (*field).max(number);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ints(value: Value) -> Vec<i64> {
        value.as_array().unwrap().iter().map(|v| v.as_i64().unwrap()).collect()
    }

    #[test]
    fn ranges_count_up_down_and_by_steps_as_in_opa() {
        assert_eq!(ints(range(&[Value::from(1), Value::from(4)]).unwrap()), [1, 2, 3, 4]);
        assert_eq!(ints(range(&[Value::from(2), Value::from(-1)]).unwrap()), [2, 1, 0, -1]);
        assert_eq!(ints(range(&[Value::from(5), Value::from(5)]).unwrap()), [5]);
        assert_eq!(ints(range_step(&[Value::from(10), Value::from(3), Value::from(2)]).unwrap()), [10, 8, 6, 4]);
        assert_eq!(ints(range_step(&[Value::from(0), Value::from(10), Value::from(5)]).unwrap()), [0, 5, 10]);
        let step = range_step(&[Value::from(0), Value::from(10), Value::from(-2)]).unwrap_err();
        assert_eq!(step.to_string(), "step must be a positive integer");
        let float = range(&[Value::from(1.5), Value::from(3)]).unwrap_err();
        assert_eq!(float.to_string(), "operand 1 must be integer number but got floating-point number");
        let extremes = range_step(&[Value::from(i64::MIN), Value::from(i64::MAX), Value::from(i64::MAX)]).unwrap();
        assert_eq!(ints(extremes), [i64::MIN, -1, i64::MAX - 1]);
    }

    #[test]
    fn sprintf_is_regorus_own_within_the_limit() {
        let values = Value::from(vec![Value::from(42), Value::from("x")]);
        assert_eq!(sprintf(&[Value::from("%d-%s"), values.clone()]).unwrap(), Value::from("42-x"));
        assert_eq!(sprintf(&[Value::from("%05d|%s"), values.clone()]).unwrap(), Value::from("00042|x"));
        let wide = sprintf(&[Value::from("%04200000000d"), Value::from(vec![Value::from(1)])]).unwrap_err().to_string();
        assert!(wide.starts_with("a format field 4200000000 characters wide"), "{wide}");
        let precise = sprintf(&[Value::from("%.9999999999f"), Value::from(vec![Value::from(1.5)])]).unwrap_err();
        assert!(precise.to_string().contains("memory limit"), "{precise}");
        assert_eq!(FieldSizes::of("100%% sure, %-8s and %+.3f"), FieldSizes { width: Some(8), precision: Some(3) });
        assert_eq!(FieldSizes::of("%s %v"), FieldSizes::default());
        assert_eq!(FieldSizes::of("%08.20f %.9d"), FieldSizes { width: Some(8), precision: Some(20) });
        let past_rust = sprintf(&[Value::from("%.65536f"), Value::from(vec![Value::from(1.5)])]).unwrap_err().to_string();
        assert!(past_rust.contains("precision of 65536 digits is more than the 65535"), "{past_rust}");
        assert_eq!(sprintf(&[Value::from("%.3f"), Value::from(vec![Value::from(1.5)])]).unwrap(), Value::from("1.500"));
        assert!(sprintf(&[Value::from("%.65535f"), Value::from(vec![Value::from(1.5)])]).is_ok());
        let rust_limit = std::panic::catch_unwind(|| {
            regorus_own("sprintf", &["format", "values"], &[Value::from("%.65536f"), Value::from(vec![Value::from(1.5)])])
        });
        assert!(rust_limit.is_err(), "regorus' own sprintf panics one digit further, which is why it is refused");
        let missing = sprintf(&[Value::from("%d %d"), Value::from(vec![Value::from(1)])]).unwrap_err().to_string();
        assert!(missing.contains("no argument specified for format verb"), "{missing}");
    }

    #[test]
    fn sizes_past_the_memory_limit_are_refused_before_allocating() {
        let huge = range(&[Value::from(1), Value::from(100_000_000_000i64)]).unwrap_err().to_string();
        assert!(huge.starts_with("a range of 100000000000 numbers would take about"), "{huge}");
        assert!(huge.contains("more than the engine's memory limit of 1073741824 bytes"), "{huge}");
        let whole = range(&[Value::from(i64::MIN), Value::from(i64::MAX)]).unwrap_err().to_string();
        assert!(whole.contains("a range of 18446744073709551616 numbers"), "{whole}");

        with_memory_limit(1000, || {
            let piece = Value::from("x".repeat(400));
            let three = Value::from(vec![piece.clone(), piece.clone(), piece]);
            let error = concat(&[Value::from(","), three.clone()]).unwrap_err().to_string();
            assert!(error.starts_with("a string of 1202 bytes would take about 1202 bytes"), "{error}");
            assert!(range(&[Value::from(1), Value::from(1000)]).is_err());
            assert_eq!(concat(&[Value::from(""), Value::from(vec![Value::from("a"), Value::from("b")])]).unwrap(), Value::from("ab"));
        });
        // Made before the limits below: what an evaluation held before a claim counts against it (and
        // compiling a regex holds memory of its own).
        let text = Value::from("ab".repeat(100));
        with_memory_limit(1000, || {
            let empty = replace(&[text.clone(), Value::from(""), Value::from("xyzxyz")]).unwrap_err().to_string();
            assert!(empty.starts_with("a string of 1406 bytes would take"), "200 bytes and 201 insertions of 6: {empty}");
            let regex = regex_replace(&[text.clone(), Value::from("b"), Value::from("$0$0$0")]).unwrap_err().to_string();
            assert!(regex.starts_with("a string of up to 1100 bytes would take"), "200 bytes and 100 matches of 6 + 3 x 1: {regex}");
        });
        with_memory_limit(1_000_000, || {
            assert_eq!(replace(&[text.clone(), Value::from("ab"), Value::from("c")]).unwrap(), Value::from("c".repeat(100)));
            assert_eq!(regex_replace(&[text, Value::from("a"), Value::from("")]).unwrap(), Value::from("b".repeat(100)));
        });
        // What the evaluation holds already counts: 600 bytes held leave room for 400 more.
        let pieces = Value::from(vec![Value::from("x".repeat(300)); 2]);
        with_memory_limit(1000, || {
            let held = vec![0u8; 600];
            let error = concat(&[Value::from(""), pieces.clone()]).unwrap_err().to_string();
            assert!(error.starts_with("a string of 600 bytes would take about 600 bytes"), "{error}");
            drop((held, error));
            assert!(concat(&[Value::from(""), pieces]).is_ok(), "fits once the 600 bytes are freed");
        });
        // the limit is back to the default afterwards
        assert!(concat(&[Value::from(","), Value::from(vec![Value::from("x".repeat(400)); 3])]).is_ok());
    }

    #[test]
    fn writing_a_value_out_checks_its_integers_and_its_text() {
        assert_eq!(json_marshal(&[Value::from(vec![Value::from(1)])]).unwrap(), Value::from("[1]"));
        let huge = crate::builtins::integers::tests::big(crate::builtins::integers::MAX_INTEGER_BITS + 1);
        let nested = Value::from(vec![Value::from(1), Value::from(vec![huge])]);
        for error in [
            json_marshal(&[nested.clone()]).unwrap_err(),
            json_marshal_with_options(&[nested.clone(), Value::new_object()]).unwrap_err(),
            yaml_marshal(&[nested.clone()]).unwrap_err(),
            sprintf(&[Value::from("%v"), Value::from(vec![nested])]).unwrap_err(),
        ] {
            assert!(error.to_string().contains("an integer of 1048577 bits"), "{error}");
        }
        // A 10 KB indent on each of 1,001 lines: 10 MB, past a 1 MB limit; the compact text is 25 KB at most.
        with_memory_limit(1_000_000, || {
            let thousand = Value::from((0..1000).map(Value::from).collect::<Vec<_>>());
            let options = Value::from_json_str(&format!(r#"{{"pretty": true, "indent": "{}"}}"#, " ".repeat(10_000))).unwrap();
            let pretty = json_marshal_with_options(&[thousand.clone(), options]).unwrap_err().to_string();
            assert!(pretty.contains("the value as text (10036002") && pretty.contains("memory limit"), "{pretty}");
            assert!(json_marshal(&[thousand]).is_ok());
        });
    }

    #[test]
    fn values_nested_deeper_than_json_input_are_not_written_out() {
        let mut deep = Value::from(1);
        for _ in 0..json::MAX_DEPTH {
            deep = Value::from(vec![deep]);
        }
        assert!(json_marshal(&[deep.clone()]).is_ok(), "as deep as JSON input may be");
        let deeper = Value::from(vec![deep]);
        for error in [json_marshal(&[deeper.clone()]), yaml_marshal(&[deeper.clone()])] {
            let error = error.unwrap_err().to_string();
            assert!(error.contains("is nested 129 levels deep, more than the 128 levels"), "{error}");
        }
    }
}
