//! JSON text to `regorus::Value` (and back): a small hand-written, non-recursive RFC 8259 reader.
//!
//! Why not serde_json: without its `arbitrary_precision` feature it reads integers beyond 64 bits as
//! f64 (`18446744073709551617 == 18446744073709551616` would hold) and rejects `1e400`; with it,
//! every object whose first key is `"$serde_json::private::Number"` becomes a number (a magic key an
//! attacker controls), and the feature would leak into regorus through feature unification. The
//! `jiter` crate was considered: it fits, but adds several crates (ahash, bitvec, lexical, smallvec)
//! for what is ~400 lines here, with full control over numbers, errors and depth.
//!
//! What this reader guarantees:
//! * No magic keys: every JSON object is an object. A duplicate key: the last value wins (as OPA,
//!   whose Go `encoding/json` assigns map entries in order).
//! * Numbers keep their precision as far as regorus' `Number` allows (see [`number`]): integers of
//!   any length are exact (`BigInt` beyond 64 bits), a number with an exponent whose value is an
//!   integer is that exact integer (`1e400` is 10^400, OPA keeps the text and compares exactly), other
//!   fractions are the nearest f64. Remaining differences from OPA are listed at [`number`].
//! * Nesting is limited to [`MAX_DEPTH`] levels (an error, never a stack overflow). Reading uses an
//!   explicit stack; values are at most [`MAX_DEPTH`] deep, so regorus' recursive drop stays bounded
//!   (also for the partial values dropped on an error).
//! * Strings: RFC 8259 escapes only; an escape of a lone UTF-16 surrogate (`"\uD800"`, `"\uDC00"`,
//!   a high surrogate not followed by a low one) is an error, as are raw control characters
//!   U+0000..U+001F; `\u0000` is a valid escape (a NUL in the string). Input is `&str` (valid UTF-8
//!   by construction); [`parse_bytes`] checks UTF-8 and reports where it is invalid.
//! * A byte order mark is an error (as in OPA / Go), so is anything but whitespace after the value.
//! * Errors read `<what> at line L column C`, with serde_json's wording where the meaning is the
//!   same; C counts characters (not bytes) from 1, and for an unexpected end it is the last column.
//!
//! [`parse_projected`] reads only the object members a projection keeps (everything else is still
//! fully validated, with the same errors), for `crate::projection`.
//!
//! [`to_string`] writes a `Value` as JSON text, like regorus' `Serialize` (serde_json) except that
//! integers beyond 64 bits are written exactly (serde_json without `arbitrary_precision` would turn
//! them into f64 text or fail), and without recursion on nested arrays and objects.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::fmt;

use regorus::Value;
use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

/// The deepest nesting of arrays and objects accepted: `[[1]]` is 2 levels. 128 is serde_json's
/// default (which serde_json counts slightly differently: it accepted 127). Deeper is an error.
pub const MAX_DEPTH: usize = 128;

/// The most decimal digits a number written with an exponent may expand to as an exact integer
/// (`1e400` has 401). Bounds the work and memory a short text such as `1e999999999` could cost.
/// Above it the number is an error ("number out of range"); see [`number`].
pub const MAX_EXPANDED_DIGITS: u64 = 1024;

/// The most digits of an integer written out in full that is read exactly (a `BigInt`). Converting
/// decimal text to a `BigInt` costs time quadratic in its length (the same limit Python set, for the
/// same reason, CVE-2020-10735); longer integers are an error ("number out of range").
pub const MAX_INTEGER_DIGITS: usize = 4300;

/// A JSON syntax error: what, and where (line and column from 1, column in characters).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    message: Cow<'static, str>,
    line: usize,
    column: usize,
}

impl Error {
    pub fn message(&self) -> &str {
        &self.message
    }
    pub fn line(&self) -> usize {
        self.line
    }
    pub fn column(&self) -> usize {
        self.column
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "{} at line {} column {}", self.message, self.line, self.column)
    }
}

impl std::error::Error for Error {}

/// Reads a whole JSON text.
pub fn parse(json: &str) -> Result<Value, Error> {
    Parser::new(json).document::<NoProjection>(None)
}

/// Reads a whole JSON text given as bytes, which must be UTF-8.
pub fn parse_bytes(json: &[u8]) -> Result<Value, Error> {
    match std::str::from_utf8(json) {
        Ok(text) => parse(text),
        Err(e) => {
            // Position of the first bad byte, counted over the valid text before it.
            let valid = std::str::from_utf8(&json[..e.valid_up_to()]).unwrap_or_default();
            let mut error = Parser::new(valid).error_at(valid.len(), "invalid UTF-8");
            error.column += 1;
            Err(error)
        }
    }
}

/// What [`parse_projected`] keeps of an object member.
pub enum Member<'p, P: ?Sized> {
    /// Not read into the value (still validated).
    Skip,
    /// Read whole.
    Whole,
    /// Read projected: of an object, only the members `P` keeps; anything else whole.
    Project(&'p P),
}

/// A projection of objects, e.g. the input paths policies can read.
pub trait Projection {
    fn member(&self, key: &str) -> Member<'_, Self>;
}

/// Reads a JSON text, keeping only what `projection` keeps of its objects (`None`: all of it).
/// Arrays and other values are kept whole. Skipped members are validated exactly like kept ones
/// (same errors, same depth limit), but no `Value` is built for them.
pub fn parse_projected<P: Projection>(json: &str, projection: Option<&P>) -> Result<Value, Error> {
    Parser::new(json).document(projection)
}

/// The projection that keeps everything (used by [`parse`]; never instantiated).
enum NoProjection {}

impl Projection for NoProjection {
    fn member(&self, _: &str) -> Member<'_, Self> {
        match *self {}
    }
}

/// How the value being read is treated.
enum Mode<'p, P> {
    Build(Option<&'p P>),
    Skip,
}

impl<P> Clone for Mode<'_, P> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<P> Copy for Mode<'_, P> {}

/// An open array or object. `key: None` in an object: the current member is skipped.
enum Frame<'p, P> {
    Array(Vec<Value>),
    Object { members: BTreeMap<Value, Value>, key: Option<Value>, projection: Option<&'p P> },
    SkipArray,
    SkipObject,
}

struct Parser<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
}

type Result<T, E = Error> = std::result::Result<T, E>;

impl<'a> Parser<'a> {
    fn new(text: &'a str) -> Self {
        Parser { text, bytes: text.as_bytes(), pos: 0 }
    }

    /// An error about the character at byte `at` (or the end of the text).
    #[cold]
    fn error_at(&self, at: usize, message: impl Into<Cow<'static, str>>) -> Error {
        let at = at.min(self.bytes.len());
        let before = &self.text[..at];
        let line = 1 + before.bytes().filter(|&b| b == b'\n').count();
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let mut column = before[line_start..].chars().count();
        if at < self.bytes.len() {
            column += 1; // the offending character itself
        }
        Error { message: message.into(), line, column }
    }

    #[cold]
    fn error(&self, message: impl Into<Cow<'static, str>>) -> Error {
        self.error_at(self.pos, message)
    }

    #[inline]
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    #[inline]
    fn skip_whitespace(&mut self) {
        while let Some(b' ' | b'\n' | b'\r' | b'\t') = self.peek() {
            self.pos += 1;
        }
    }

    /// The whole text: one value, then only whitespace.
    fn document<P: Projection>(mut self, projection: Option<&P>) -> Result<Value> {
        if self.text.starts_with('\u{feff}') {
            return Err(self.error("byte order mark (U+FEFF) before the JSON value; expected value"));
        }
        let value = self.value(Mode::Build(projection))?;
        self.skip_whitespace();
        if self.pos < self.bytes.len() {
            return Err(self.error("trailing characters"));
        }
        Ok(value)
    }

    /// One value, nested arrays and objects read with an explicit stack (no recursion).
    fn value<'p, P: Projection>(&mut self, mut mode: Mode<'p, P>) -> Result<Value> {
        let mut stack: Vec<Frame<'p, P>> = Vec::new();
        'value: loop {
            self.skip_whitespace();
            let build = matches!(mode, Mode::Build(_));
            let mut value = match self.peek() {
                None => return Err(self.error("EOF while parsing a value")),
                Some(b'[') => {
                    self.open(&stack)?;
                    self.skip_whitespace();
                    if self.peek() == Some(b']') {
                        self.pos += 1;
                        if build { Value::from(Vec::new()) } else { Value::Null }
                    } else if self.peek().is_none() {
                        return Err(self.error("EOF while parsing a list"));
                    } else {
                        stack.push(if build { Frame::Array(Vec::new()) } else { Frame::SkipArray });
                        // Arrays are kept whole.
                        mode = if build { Mode::Build(None) } else { Mode::Skip };
                        continue 'value;
                    }
                }
                Some(b'{') => {
                    self.open(&stack)?;
                    self.skip_whitespace();
                    match self.peek() {
                        Some(b'}') => {
                            self.pos += 1;
                            if build { Value::new_object() } else { Value::Null }
                        }
                        Some(b'"') => {
                            let frame = match mode {
                                Mode::Build(projection) => {
                                    Frame::Object { members: BTreeMap::new(), key: None, projection }
                                }
                                Mode::Skip => Frame::SkipObject,
                            };
                            stack.push(frame);
                            mode = self.member(stack.last_mut().expect("just pushed"))?;
                            continue 'value;
                        }
                        None => return Err(self.error("EOF while parsing an object")),
                        Some(_) => return Err(self.error("key must be a string")),
                    }
                }
                Some(b'"') => {
                    let s = self.string()?;
                    if build { Value::from(s.as_ref()) } else { Value::Null }
                }
                Some(b't') => self.literal("true", Value::Bool(true))?,
                Some(b'f') => self.literal("false", Value::Bool(false))?,
                Some(b'n') => self.literal("null", Value::Null)?,
                Some(b'-' | b'0'..=b'9') => self.number(build)?,
                Some(_) => return Err(self.error("expected value")),
            };
            // A value is complete: hand it to the open containers, closing those that end here.
            loop {
                let Some(frame) = stack.last_mut() else {
                    return Ok(value);
                };
                match frame {
                    Frame::Array(items) => items.push(value),
                    Frame::Object { members, key, .. } => {
                        if let Some(key) = key.take() {
                            members.insert(key, value); // a duplicate key: the last value wins
                        }
                    }
                    Frame::SkipArray | Frame::SkipObject => {}
                }
                let is_array = matches!(frame, Frame::Array(_) | Frame::SkipArray);
                self.skip_whitespace();
                match (self.peek(), is_array) {
                    (Some(b','), true) => {
                        self.pos += 1;
                        self.skip_whitespace();
                        if self.peek() == Some(b']') {
                            return Err(self.error("trailing comma"));
                        }
                        continue 'value; // the mode of the array's elements is unchanged
                    }
                    (Some(b','), false) => {
                        self.pos += 1;
                        self.skip_whitespace();
                        match self.peek() {
                            Some(b'"') => {}
                            Some(b'}') => return Err(self.error("trailing comma")),
                            None => return Err(self.error("EOF while parsing an object")),
                            Some(_) => return Err(self.error("key must be a string")),
                        }
                        mode = self.member(frame)?;
                        continue 'value;
                    }
                    (Some(b']'), true) | (Some(b'}'), false) => {
                        self.pos += 1;
                        value = match stack.pop().expect("a frame is open") {
                            Frame::Array(items) => Value::from(items),
                            Frame::Object { members, .. } => Value::from(members),
                            Frame::SkipArray | Frame::SkipObject => Value::Null,
                        };
                        // The mode to restore for the next sibling is recomputed by `member` or
                        // is the enclosing array's (unchanged since it was set for its elements).
                        mode = match stack.last() {
                            Some(Frame::Array(_)) => Mode::Build(None),
                            Some(Frame::SkipArray | Frame::SkipObject) => Mode::Skip,
                            _ => mode,
                        };
                    }
                    (None, true) => return Err(self.error("EOF while parsing a list")),
                    (None, false) => return Err(self.error("EOF while parsing an object")),
                    (Some(_), true) => return Err(self.error("expected `,` or `]`")),
                    (Some(_), false) => return Err(self.error("expected `,` or `}`")),
                }
            }
        }
    }

    /// At `[` or `{`: one more level, within [`MAX_DEPTH`].
    #[inline]
    fn open<P>(&mut self, stack: &[Frame<'_, P>]) -> Result<()> {
        if stack.len() >= MAX_DEPTH {
            return Err(self.error(format!(
                "recursion limit exceeded (arrays and objects nested deeper than {MAX_DEPTH} levels)"
            )));
        }
        self.pos += 1;
        Ok(())
    }

    /// At the `"` of a member's key: reads the key and the `:`, returns how to read the value.
    fn member<'p, P: Projection>(&mut self, frame: &mut Frame<'p, P>) -> Result<Mode<'p, P>> {
        let key = self.string()?;
        self.skip_whitespace();
        match self.peek() {
            Some(b':') => self.pos += 1,
            None => return Err(self.error("EOF while parsing an object")),
            Some(_) => return Err(self.error("expected `:`")),
        }
        let Frame::Object { key: slot, projection, .. } = frame else {
            return Ok(Mode::Skip);
        };
        let mode = match projection {
            None => Mode::Build(None),
            Some(projection) => match projection.member(&key) {
                Member::Skip => return Ok(Mode::Skip),
                Member::Whole => Mode::Build(None),
                Member::Project(inner) => Mode::Build(Some(inner)),
            },
        };
        *slot = Some(Value::from(key.as_ref()));
        Ok(mode)
    }

    fn literal(&mut self, word: &'static str, value: Value) -> Result<Value> {
        for &expected in word.as_bytes() {
            match self.peek() {
                Some(b) if b == expected => self.pos += 1,
                None => return Err(self.error("EOF while parsing a value")),
                Some(_) => return Err(self.error("expected ident")),
            }
        }
        Ok(value)
    }

    /// At a `"`: the string's text, borrowed from the input when it has no escapes.
    fn string(&mut self) -> Result<Cow<'a, str>> {
        self.pos += 1; // the opening quote
        let start = self.pos;
        let mut owned: Option<String> = None;
        let mut chunk = start;
        loop {
            // Plain characters: everything but `"`, `\` and control characters. Multi-byte UTF-8
            // sequences never contain bytes below 0x80, so byte-wise scanning is exact.
            while let Some(&b) = self.bytes.get(self.pos) {
                if b == b'"' || b == b'\\' || b < 0x20 {
                    break;
                }
                self.pos += 1;
            }
            match self.peek() {
                Some(b'"') => {
                    let tail = &self.text[chunk..self.pos];
                    self.pos += 1;
                    return Ok(match owned {
                        None => Cow::Borrowed(tail),
                        Some(mut s) => {
                            s.push_str(tail);
                            Cow::Owned(s)
                        }
                    });
                }
                Some(b'\\') => {
                    let s = owned.get_or_insert_with(String::new);
                    s.push_str(&self.text[chunk..self.pos]);
                    let c = self.escape()?;
                    s.push(c);
                    chunk = self.pos;
                }
                Some(_) => {
                    return Err(self.error("control character (\\u0000-\\u001F) found while parsing a string"))
                }
                None => return Err(self.error("EOF while parsing a string")),
            }
        }
    }

    /// At a `\` in a string: the escaped character.
    fn escape(&mut self) -> Result<char> {
        let at = self.pos;
        self.pos += 1;
        let Some(b) = self.peek() else {
            return Err(self.error("EOF while parsing a string"));
        };
        self.pos += 1;
        Ok(match b {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => {
                let unit = self.hex4()?;
                match unit {
                    0xD800..=0xDBFF => {
                        // A high surrogate: must be followed by an escaped low surrogate.
                        if self.bytes.get(self.pos..self.pos + 2) != Some(b"\\u") {
                            return Err(self.error_at(at, "lone surrogate in hex escape (a high surrogate without a low one)"));
                        }
                        self.pos += 2;
                        let low = self.hex4()?;
                        if !(0xDC00..=0xDFFF).contains(&low) {
                            return Err(self.error_at(at, "lone surrogate in hex escape (a high surrogate without a low one)"));
                        }
                        let c = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00);
                        char::from_u32(c).expect("a surrogate pair is a scalar value")
                    }
                    0xDC00..=0xDFFF => {
                        return Err(self.error_at(at, "lone surrogate in hex escape (a low surrogate without a high one)"))
                    }
                    _ => char::from_u32(unit).expect("not a surrogate"),
                }
            }
            _ => return Err(self.error_at(self.pos - 1, "invalid escape")),
        })
    }

    fn hex4(&mut self) -> Result<u32> {
        let mut unit = 0u32;
        for _ in 0..4 {
            let digit = match self.peek() {
                Some(b @ b'0'..=b'9') => b - b'0',
                Some(b @ b'a'..=b'f') => b - b'a' + 10,
                Some(b @ b'A'..=b'F') => b - b'A' + 10,
                None => return Err(self.error("EOF while parsing a string")),
                Some(_) => return Err(self.error("invalid escape")),
            };
            unit = unit * 16 + u32::from(digit);
            self.pos += 1;
        }
        Ok(unit)
    }

    fn digits(&mut self) -> usize {
        let start = self.pos;
        while let Some(b'0'..=b'9') = self.peek() {
            self.pos += 1;
        }
        self.pos - start
    }

    /// At `-` or a digit: a number per RFC 8259's grammar, converted by [`number`].
    fn number(&mut self, build: bool) -> Result<Value> {
        let start = self.pos;
        let negative = self.peek() == Some(b'-');
        if negative {
            self.pos += 1;
        }
        match self.peek() {
            Some(b'0') => {
                self.pos += 1;
                if let Some(b'0'..=b'9') = self.peek() {
                    return Err(self.error("invalid number"));
                }
            }
            Some(b'1'..=b'9') => {
                self.digits();
            }
            None => return Err(self.error("EOF while parsing a value")),
            Some(_) => return Err(self.error("invalid number")),
        }
        let int_end = self.pos;
        let mut fraction = None;
        if self.peek() == Some(b'.') {
            self.pos += 1;
            let from = self.pos;
            if self.digits() == 0 {
                return Err(self.number_error());
            }
            fraction = Some(from..self.pos);
        }
        let mut exponent = None;
        if let Some(b'e' | b'E') = self.peek() {
            self.pos += 1;
            let with_sign = self.pos;
            if let Some(b'+' | b'-') = self.peek() {
                self.pos += 1;
            }
            if self.digits() == 0 {
                return Err(self.number_error());
            }
            exponent = Some(with_sign..self.pos);
        }
        let text = &self.text[start..self.pos];
        // Plain integers are the common case: no conversion beyond u64/i64 arithmetic.
        if fraction.is_none() && exponent.is_none() {
            let digits = &self.text[start + usize::from(negative)..int_end];
            if digits.len() <= 18 {
                if !build {
                    return Ok(Value::Null);
                }
                let magnitude = digits.bytes().fold(0u64, |n, d| n * 10 + u64::from(d - b'0'));
                return Ok(if negative {
                    Value::from(-(magnitude as i64))
                } else {
                    Value::from(magnitude)
                });
            }
        }
        // Short fractions without exponent: exact significand / exact power of ten, one correctly
        // rounded division (both operands are exact f64s: significand < 2^53, power <= 10^22).
        if let (Some(fraction), None) = (&fraction, &exponent) {
            let int_digits = &self.bytes[start + usize::from(negative)..int_end];
            let frac_digits = &self.bytes[fraction.clone()];
            if int_digits.len() + frac_digits.len() <= 15 {
                if !build {
                    return Ok(Value::Null);
                }
                let significand =
                    int_digits.iter().chain(frac_digits).fold(0u64, |n, d| n * 10 + u64::from(d - b'0'));
                let float = significand as f64 / POWERS_OF_TEN[frac_digits.len()];
                return Ok(Value::from(if negative { -float } else { float }));
            }
        }
        let parts = NumberParts {
            text,
            negative,
            integer: &self.text[start + usize::from(negative)..int_end],
            fraction: fraction.map_or("", |r| &self.text[r]),
            exponent: exponent.map(|r| &self.text[r]),
        };
        number(&parts, build).map_err(|message| self.error_at(start, message))
    }

    #[cold]
    fn number_error(&self) -> Error {
        match self.peek() {
            None => self.error("EOF while parsing a value"),
            Some(_) => self.error("invalid number"),
        }
    }
}

const POWERS_OF_TEN: [f64; 16] =
    [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

/// A syntactically valid JSON number, in parts.
struct NumberParts<'t> {
    text: &'t str,
    negative: bool,
    /// Integer digits, without sign.
    integer: &'t str,
    /// Fraction digits (after the `.`), maybe empty.
    fraction: &'t str,
    /// After the `e`/`E`: optional sign, then digits.
    exponent: Option<&'t str>,
}

impl NumberParts<'_> {
    /// The exponent's value (0 without one), saturated at +-2^40, far beyond any limit here.
    fn exponent_value(&self) -> i64 {
        let Some(exponent) = self.exponent else {
            return 0;
        };
        let (negative, digits) = match exponent.as_bytes()[0] {
            b'-' => (true, &exponent[1..]),
            b'+' => (false, &exponent[1..]),
            _ => (false, exponent),
        };
        let magnitude = digits.bytes().fold(0i64, |e, d| (e * 10 + i64::from(d - b'0')).min(1 << 40));
        if negative {
            -magnitude
        } else {
            magnitude
        }
    }
}

/// Converts a valid JSON number to regorus' `Number`, as exactly as it can hold it. `build: false`
/// only checks that it can (the same errors, no allocation of big values).
///
/// * An integer (no fraction, no exponent) is exact: u64/i64, else a `BigInt`, up to
///   [`MAX_INTEGER_DIGITS`] digits (longer: "number out of range").
/// * A number whose value is an integer because of its exponent (`1e400`, `1.5e3`, `12.50e1`) is
///   that exact integer, up to [`MAX_EXPANDED_DIGITS`] digits (more: "number out of range"). Zero is
///   zero whatever its exponent (`0e999999999`).
/// * Any other number (a fraction) is the nearest f64 (`0.1`, `1.0` which equals `1`, `-0.0`).
///   Below f64's range it becomes 0 or a subnormal (`1e-400` is 0). Above f64's range (a fraction
///   with more than 308 integer digits, e.g. `1` followed by 400 digits then `.5`) it is its integer
///   part, as a `BigInt`: a relative error below 1e-308.
///
/// Differences from OPA that remain (OPA keeps the number's text, `json.Number`, and compares and
/// computes with Go's big.Int / big.Float): OPA would compare `1e-400` as above 0 and `1e400 + 0.5`
/// fractions exactly, accepts any exponent, and prints numbers back as they were written (`1e400`,
/// `1.0`, `-0`), where regorus prints its value (`1000...0`, `1`, `0`).
fn number(n: &NumberParts, build: bool) -> std::result::Result<Value, &'static str> {
    let integer = n.integer.trim_start_matches('0');
    let fraction = n.fraction.trim_end_matches('0');
    if n.exponent.is_none() {
        if n.fraction.is_empty() {
            // An integer too long for the fast path.
            if integer.len() > MAX_INTEGER_DIGITS {
                return Err("number out of range (an integer of more than 4300 digits)");
            }
            if !build {
                return Ok(Value::Null);
            }
            return Value::from_numeric_string(n.text).map_err(|_| "invalid number");
        }
        return fraction_number(n, integer, fraction, build);
    }
    if integer.is_empty() && fraction.is_empty() {
        // Zero, whatever the exponent.
        return Ok(if !build {
            Value::Null
        } else if n.negative {
            Value::from(-0.0f64)
        } else {
            Value::from(0u64)
        });
    }
    // value = significand * 10^scale, the significand being the digits without point, leading
    // zeros or the fraction's trailing zeros.
    let exponent = n.exponent_value();
    let scale = exponent - fraction.len() as i64;
    if scale >= 0 {
        let significand = [integer, fraction].concat();
        let significand = significand.trim_start_matches('0');
        if significand.len() as i64 + scale > MAX_EXPANDED_DIGITS as i64 {
            return Err("number out of range (its exponent expands it to more than 1024 digits)");
        }
        if !build {
            return Ok(Value::Null);
        }
        // regorus reads `<digits>e<scale>` as that exact integer.
        let sign = if n.negative { "-" } else { "" };
        return Value::from_numeric_string(&format!("{sign}{significand}e{scale}")).map_err(|_| "invalid number");
    }
    fraction_number(n, integer, fraction, build)
}

/// A number that is not an integer: the nearest f64, or, above f64's range, its integer part.
fn fraction_number(n: &NumberParts, integer: &str, fraction: &str, build: bool) -> std::result::Result<Value, &'static str> {
    let float: f64 = n.text.parse().map_err(|_| "invalid number")?;
    if float.is_finite() {
        return Ok(if build { Value::from(float) } else { Value::Null });
    }
    // Above f64's range, hence at least 309 integer digits: the integer part. Its digits are the
    // significand's first (integer + fraction - decimals) digits, where decimals = fraction digits
    // minus the exponent.
    let exponent = n.exponent_value();
    let all_digits: String = [integer, fraction].concat();
    let decimals = fraction.len() as i64 - exponent;
    let keep = all_digits.len() as i64 - decimals;
    if keep <= 0 || keep > all_digits.len() as i64 {
        return Err("invalid number"); // unreachable for a non-finite float
    }
    if keep as usize > MAX_INTEGER_DIGITS {
        return Err("number out of range (an integer part of more than 4300 digits)");
    }
    if !build {
        return Ok(Value::Null);
    }
    let sign = if n.negative { "-" } else { "" };
    Value::from_numeric_string(&format!("{sign}{}", &all_digits[..keep as usize])).map_err(|_| "invalid number")
}

// ---------------------------------------------------------------------------------------------
// Writing.

/// A `Value` as compact JSON text, as regorus' `Serialize` writes it through serde_json (object
/// members sorted, sets as arrays, non-string keys as their JSON text, `Undefined` as
/// `"<undefined>"`), except that integers beyond 64 bits are written exactly. Not recursive over
/// nested arrays and objects (object keys that are themselves arrays or objects are written by a
/// nested call).
pub fn to_string(value: &Value) -> Result<String, String> {
    // Measured first, so that a text past the limit is refused before any of it is written (writing
    // a gigabyte to find out took seconds); `make_room` stays the bound of the writing itself.
    let measured = measure(value).bytes;
    let limit = crate::builtins::limits::memory_limit();
    if measured > limit as u128 {
        return Err(format!(
            "its JSON text would take {measured} bytes, more than the engine's memory limit of {limit} bytes \
             (PolicyEngine.builder().memoryLimit)"
        ));
    }
    let mut out = String::new();
    write(value, &mut out)?;
    Ok(out)
}

enum Pending<'v> {
    Value(&'v Value),
    Text(&'static str),
    Key(&'v Value),
}

fn write(root: &Value, out: &mut String) -> Result<(), String> {
    let mut todo: Vec<Pending> = vec![Pending::Value(root)];
    while let Some(next) = todo.pop() {
        // Punctuation, literals and numbers: strings make room for themselves in `write_str`.
        make_room(out, 64)?;
        match next {
            Pending::Text(t) => out.push_str(t),
            Pending::Key(k) => match k {
                Value::String(s) => write_str(s, out)?,
                other => write_str(&to_string(other)?, out)?,
            },
            Pending::Value(v) => match v {
                Value::Null => out.push_str("null"),
                Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
                Value::String(s) => write_str(s, out)?,
                Value::Undefined => out.push_str("\"<undefined>\""),
                Value::Number(n) => {
                    // Printing takes time quadratic in the digits, after the evaluation's deadline.
                    let bits = crate::builtins::integers::big_integer_bits(v);
                    crate::builtins::integers::check_bits(bits, "the result").map_err(|e| e.to_string())?;
                    let text = n.format_decimal();
                    make_room(out, text.len())?;
                    let digits = text.strip_prefix('-').unwrap_or(&text);
                    let integer = !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit());
                    // Short integer text is exact for every kind of Number; longer text is written
                    // verbatim only for true integers (a big f64 goes through serde_json as before).
                    if integer && text != "-0" && (digits.len() <= 15 || n.as_big().is_some()) {
                        out.push_str(&text);
                    } else {
                        let number: serde_json::Number =
                            text.parse().map_err(|_| "could not serialize number".to_string())?;
                        out.push_str(&number.to_string());
                    }
                }
                Value::Array(items) => {
                    out.push('[');
                    todo.push(Pending::Text("]"));
                    for (i, item) in items.iter().enumerate().rev() {
                        todo.push(Pending::Value(item));
                        if i > 0 {
                            todo.push(Pending::Text(","));
                        }
                    }
                }
                Value::Set(items) => {
                    out.push('[');
                    todo.push(Pending::Text("]"));
                    let items: Vec<&Value> = items.iter_sorted().collect();
                    for (i, item) in items.into_iter().enumerate().rev() {
                        todo.push(Pending::Value(item));
                        if i > 0 {
                            todo.push(Pending::Text(","));
                        }
                    }
                }
                Value::Object(members) => {
                    out.push('{');
                    todo.push(Pending::Text("}"));
                    let members: Vec<(&Value, &Value)> = members.iter_sorted().collect();
                    for (i, (k, v)) in members.into_iter().enumerate().rev() {
                        todo.push(Pending::Value(v));
                        todo.push(Pending::Text(":"));
                        todo.push(Pending::Key(k));
                        if i > 0 {
                            todo.push(Pending::Text(","));
                        }
                    }
                }
            },
        }
    }
    Ok(())
}

/// Room for `more` bytes in `out`, within the evaluation's memory limit and reserved fallibly. Values
/// share their parts, so a small value can stand for a huge text (an array of a million references to
/// one 100 KB string is 100 GB of JSON); its writing must end in an error, not in a failed allocation,
/// which would abort the process.
fn make_room(out: &mut String, more: usize) -> Result<(), String> {
    let limit = crate::builtins::limits::memory_limit();
    let needed = out.len().saturating_add(more);
    if needed > limit {
        return Err(format!(
            "its JSON text would take more than the engine's memory limit of {limit} bytes \
             (PolicyEngine.builder().memoryLimit)"
        ));
    }
    out.try_reserve(more).map_err(|_| format!("cannot allocate {needed} bytes of native memory for its JSON text"))
}

/// What a value's JSON text would be: its length in bytes, and the bits of its widest integer (0 when
/// all fit 64 bits).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TextMeasure {
    pub bytes: u128,
    pub widest_integer_bits: u64,
    /// Values in it, counting each reference to a shared part again (as its text does).
    pub values: u128,
    /// Levels of arrays, sets and objects.
    pub depth: u32,
}

impl TextMeasure {
    fn leaf(bytes: u128, widest_integer_bits: u64) -> TextMeasure {
        TextMeasure { bytes, widest_integer_bits, values: 1, depth: 0 }
    }

    fn add(self, other: TextMeasure) -> TextMeasure {
        TextMeasure {
            bytes: self.bytes + other.bytes,
            widest_integer_bits: self.widest_integer_bits.max(other.widest_integer_bits),
            values: self.values + other.values,
            depth: self.depth.max(other.depth),
        }
    }
}

/// Measures `root`'s JSON text without writing it, in time proportional to the value's memory, not to
/// its text: values share their arrays, sets, objects and strings, so a small value can stand for a
/// huge text (an array of a million references to one 100 KB string is 100 GB of JSON), and each
/// shared part is measured once. Not recursive, however deep the value. Numbers count as at most 24
/// bytes, or their digits when beyond 64 bits.
pub fn measure(root: &Value) -> TextMeasure {
    enum Step<'v> {
        Visit(&'v Value),
        /// Combine the last `children` results into the part at `key` (punctuation: `extra` bytes).
        Combine { key: *const (), children: usize, extra: u128 },
    }
    let mut memo: HashMap<*const (), TextMeasure> = HashMap::new();
    let mut done: Vec<TextMeasure> = Vec::new();
    let mut todo = vec![Step::Visit(root)];
    while let Some(step) = todo.pop() {
        match step {
            Step::Combine { key, children, extra } => {
                let parts = done.split_off(done.len() - children);
                let mut whole = parts.into_iter().fold(TextMeasure::leaf(extra, 0), TextMeasure::add);
                whole.depth += 1;
                memo.insert(key, whole);
                done.push(whole);
            }
            Step::Visit(value) => {
                let shared = match value {
                    Value::String(s) => Some(s.as_ptr().cast::<()>()),
                    Value::Array(a) => Some(std::ptr::from_ref(&**a).cast::<()>()),
                    Value::Set(s) => Some(std::ptr::from_ref(&**s).cast::<()>()),
                    Value::Object(o) => Some(std::ptr::from_ref(&**o).cast::<()>()),
                    _ => None,
                };
                if let Some(known) = shared.and_then(|key| memo.get(&key)) {
                    done.push(*known);
                    continue;
                }
                let separators = |n: usize| n.saturating_sub(1) as u128;
                match value {
                    Value::Null => done.push(TextMeasure::leaf(4, 0)),
                    Value::Bool(_) => done.push(TextMeasure::leaf(5, 0)),
                    Value::Undefined => done.push(TextMeasure::leaf(13, 0)),
                    Value::Number(_) => {
                        let bits = crate::builtins::integers::big_integer_bits(value);
                        // log10(2) < 0.30103: digits, a sign and a rounding digit
                        let bytes = if bits == 0 { 24 } else { u128::from(bits) * 30_103 / 100_000 + 2 };
                        done.push(TextMeasure::leaf(bytes, bits));
                    }
                    Value::String(s) => {
                        let whole = TextMeasure::leaf((escaped_len(s) + 2) as u128, 0);
                        memo.insert(shared.expect("strings are shared"), whole);
                        done.push(whole);
                    }
                    Value::Array(items) => {
                        todo.push(Step::Combine { key: shared.expect("shared"), children: items.len(), extra: 2 + separators(items.len()) });
                        todo.extend(items.iter().map(Step::Visit));
                    }
                    Value::Set(items) => {
                        todo.push(Step::Combine { key: shared.expect("shared"), children: items.len(), extra: 2 + separators(items.len()) });
                        todo.extend(items.iter().map(Step::Visit));
                    }
                    Value::Object(fields) => {
                        // keys and values, a colon each and the commas between members
                        let extra = 2 + fields.len() as u128 + separators(fields.len());
                        todo.push(Step::Combine { key: shared.expect("shared"), children: 2 * fields.len(), extra });
                        for (key, value) in fields.iter() {
                            todo.push(Step::Visit(key));
                            todo.push(Step::Visit(value));
                        }
                    }
                }
            }
        }
    }
    done.pop().unwrap_or_default()
}

/// The length of `s` once escaped as [`write_str`] escapes it, without the quotes.
fn escaped_len(s: &str) -> usize {
    s.len()
        + s.bytes()
            .map(|b| match b {
                b'"' | b'\\' | b'\n' | b'\r' | b'\t' | 0x08 | 0x0c => 1,
                0x00..=0x1f => 5,
                _ => 0,
            })
            .sum::<usize>()
}

/// A JSON string literal, escaped as serde_json escapes it.
fn write_str(s: &str, out: &mut String) -> Result<(), String> {
    // The text and its quotes now; each escape makes room again, for itself and what follows, when it
    // comes, so the string is scanned once (escapes are rare).
    make_room(out, s.len() + 2)?;
    out.push('"');
    let mut chunk = 0;
    for (i, b) in s.bytes().enumerate() {
        let escaped = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0x08 => "\\b",
            0x0c => "\\f",
            0x00..=0x1f => "",
            _ => continue,
        };
        out.push_str(&s[chunk..i]);
        // The escape (at most 6 bytes), the rest of the text and the closing quote.
        make_room(out, 6 + (s.len() - i) + 1)?;
        if escaped.is_empty() {
            out.push_str(&format!("\\u{b:04x}"));
        } else {
            out.push_str(escaped);
        }
        chunk = i + 1;
    }
    out.push_str(&s[chunk..]);
    out.push('"');
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// The serde reader, kept for `crate::projection` until it moves to `parse_projected`. It no longer
// reads `{"$serde_json::private::Number": ...}` as a number, but its numbers are serde_json's
// (integers beyond 128 bits become f64, `1e400` is an error).

#[derive(Clone, Copy)]
pub struct Seed;

impl<'de> DeserializeSeed<'de> for Seed {
    type Value = Value;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Seed {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a value")
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_u128<E>(self, v: u128) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_i128<E>(self, v: i128) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_str<E>(self, s: &str) -> Result<Value, E> {
        Ok(Value::from(s))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut array = Vec::new();
        while let Some(v) = seq.next_element_seed(self)? {
            array.push(v);
        }
        Ok(Value::from(array))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut object = BTreeMap::new();
        while let Some(k) = map.next_key_seed(self)? {
            let v = map.next_value_seed(self)?;
            object.insert(k, v); // a duplicate key: the last value wins
        }
        Ok(Value::from(object))
    }
}

#[cfg(test)]
mod tests;
