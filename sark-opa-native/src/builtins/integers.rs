//! Integers too large to work with inside one builtin call, refused before the call starts.
//!
//! regorus' integers have no size bound, and its conversions between integers and decimal text take
//! time quadratic in the number of digits. A builtin call runs to its end before the evaluation's
//! deadline is looked at again, so one call on a huge integer can hold the calling thread far past the
//! timeout. Measured with a 2 s timeout:
//! - `sprintf("%d", [bits.lsh(1, 30000000)])` took 6.4 s;
//! - `units.parse_bytes` of a string of 3 million digits took 8.6 s;
//! - each doubling of the integer makes either about 4x slower.
//!
//! Huge integers are cheap to make: `bits.lsh(1, 4294967295)` makes one of 4.3 billion bits in half a
//! second, and `product` multiplies a whole collection in one call.
//!
//! So the builtins that shift, multiply a collection, or convert between integers and decimal text
//! refuse integers of more than [`MAX_INTEGER_BITS`]. Converting an integer of that size takes about
//! 10 ms. Within the bound they are regorus' own. The JSON output of results (json.rs), and `sprintf`,
//! `json.marshal` and `yaml.marshal` (limits.rs) refuse them too.
//!
//! Integers are still unbounded in the interpreter's own arithmetic (`*`, `+`, `%`), which
//! extensions cannot reach. There an integer at most doubles per operation, and an evaluation that
//! multiplies has its deadline checked at every step (`MULTIPLYING_CHECK_INTERVAL` in store.rs), so a
//! chain of squarings overruns the timeout by about the time of its last step, not without bound.

use anyhow::{anyhow, bail, Result};
use regorus::Value;

use super::args::string;
use super::own::regorus_own;
use super::Builtin;
use crate::json::TextMeasure;

/// The most bits of an integer these builtins take or make: 2^20, about 315,000 decimal digits.
pub const MAX_INTEGER_BITS: u64 = 1 << 20;
/// The most decimal digits of an integer these builtins read: those of a [`MAX_INTEGER_BITS`]-bit integer.
pub const MAX_INTEGER_DIGITS: usize = 315_653;

pub(super) const BUILTINS: &[(&str, u8, Builtin)] = &[
    ("bits.lsh", 2, lsh),
    ("product", 1, product),
    ("format_int", 2, format_int),
    ("units.parse", 1, units_parse),
    ("units.parse_bytes", 1, units_parse_bytes),
];

/// The bits of `value` if it is an integer of more than 64 bits; 0 for anything else.
pub fn big_integer_bits(value: &Value) -> u64 {
    match value {
        Value::Number(n) if n.as_i64().is_none() && n.as_u64().is_none() => n.as_big().map_or(0, |big| big.bits()),
        _ => 0,
    }
}

/// The bits of an integer operand, exactly for small ones; 0 for anything that is not an integer.
fn integer_bits(value: &Value) -> u64 {
    match value {
        Value::Number(n) => match (n.as_i64(), n.as_u64()) {
            (Some(i), _) if n.is_integer() => u64::from(64 - i.unsigned_abs().leading_zeros()),
            (_, Some(u)) if n.is_integer() => u64::from(64 - u.leading_zeros()),
            _ => big_integer_bits(value),
        },
        _ => 0,
    }
}

fn refuse(bits: u64, what: &str) -> anyhow::Error {
    anyhow!("{what} would be an integer of {bits} bits, more than the {MAX_INTEGER_BITS} bits sark-opa computes with")
}

/// Fails when `what` holds an integer of `bits` bits, more than [`MAX_INTEGER_BITS`]: the one check
/// behind every refusal to print or parse a huge integer.
pub fn check_bits(bits: u64, what: &str) -> Result<()> {
    if bits > MAX_INTEGER_BITS {
        bail!("{what} holds an integer of {bits} bits, more than the {MAX_INTEGER_BITS} bits sark-opa prints");
    }
    Ok(())
}

/// [`check_bits`] for the widest integer anywhere in a measured value (keys included).
pub(super) fn check_widest(measure: TextMeasure, what: &str) -> Result<()> {
    check_bits(measure.widest_integer_bits, what)
}

/// `bits.lsh(x, s)`: refused when the result would pass the bound (its size is x's bits + s).
fn lsh(args: &[Value]) -> Result<Value> {
    if let Some(shift) = args.get(1).and_then(|s| match s {
        Value::Number(n) if n.is_integer() => n.as_u64(),
        _ => None,
    }) {
        let value_bits = args.first().map_or(0, integer_bits);
        let bits = value_bits.saturating_add(shift);
        if bits > MAX_INTEGER_BITS && value_bits > 0 {
            return Err(refuse(bits, "the shifted value"));
        }
    }
    regorus_own("bits.lsh", &["x", "s"], args)
}

/// `product(collection)`: refused when the integers' bits add up past the bound (a product has at
/// most as many bits as its factors together).
fn product(args: &[Value]) -> Result<Value> {
    let factors: Box<dyn Iterator<Item = &Value>> = match args.first() {
        Some(Value::Array(items)) => Box::new(items.iter()),
        Some(Value::Set(items)) => Box::new(items.iter()),
        _ => Box::new(std::iter::empty()),
    };
    let bits = factors.map(integer_bits).fold(0u64, u64::saturating_add);
    if bits > MAX_INTEGER_BITS {
        return Err(refuse(bits, "the product"));
    }
    regorus_own("product", &["collection"], args)
}

fn format_int(args: &[Value]) -> Result<Value> {
    check_bits(args.first().map_or(0, big_integer_bits), "the number")?;
    regorus_own("format_int", &["number", "base"], args)
}

fn units_parse(args: &[Value]) -> Result<Value> {
    check_digits(args)?;
    check_exponent(args)?;
    regorus_own("units.parse", &["x"], args)
}

fn units_parse_bytes(args: &[Value]) -> Result<Value> {
    check_digits(args)?;
    check_exponent(args)?;
    regorus_own("units.parse_bytes", &["x"], args)
}

/// The most digits OPA reads in an amount's exponent (`1e999999`), as its `maxExponentDigits`.
const MAX_EXPONENT_DIGITS: usize = 6;

/// OPA's "exponent too large": an exponent of more than [`MAX_EXPONENT_DIGITS`] digits in the amount
/// (`10e10000000Ei`), which regorus would try to compute. A text with spaces is left to regorus, which
/// refuses it first, as OPA does.
fn check_exponent(args: &[Value]) -> Result<()> {
    let Ok(text) = string(args, 0) else { return Ok(()) };
    if text.contains(' ') {
        return Ok(());
    }
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'0'..=b'9' | b'.' | b'+' | b'-' => {}
            b'e' | b'E' => {
                let sign = matches!(bytes.get(i + 1), Some(b'+' | b'-'));
                if !sign && !bytes.get(i + 1).is_some_and(u8::is_ascii_digit) {
                    break; // the unit starts here ("1e" is not an exponent)
                }
                let start = i + 1 + usize::from(sign);
                let digits = bytes[start..].iter().take_while(|b| b.is_ascii_digit()).count();
                if digits > MAX_EXPONENT_DIGITS {
                    bail!("exponent too large");
                }
                i = start;
                continue;
            }
            _ => break,
        }
        i += 1;
    }
    Ok(())
}

/// Fails when the text operand has more digits than a [`MAX_INTEGER_BITS`] integer.
fn check_digits(args: &[Value]) -> Result<()> {
    if let Ok(text) = string(args, 0) {
        let digits = text.bytes().filter(u8::is_ascii_digit).count();
        if digits > MAX_INTEGER_DIGITS {
            bail!("the amount has {digits} digits, more than the {MAX_INTEGER_DIGITS} sark-opa reads");
        }
    }
    Ok(())
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    /// 2^(bits - 1), made by regorus' own shift, which has no bound.
    pub(in crate::builtins) fn big(bits: u64) -> Value {
        regorus_own("bits.lsh", &["x", "s"], &[Value::from(1), Value::from(bits - 1)]).unwrap()
    }

    #[test]
    fn within_the_bound_the_builtins_are_regorus_own() {
        assert_eq!(lsh(&[Value::from(1), Value::from(3)]).unwrap(), Value::from(8));
        assert_eq!(big_integer_bits(&lsh(&[Value::from(1), Value::from(MAX_INTEGER_BITS - 1)]).unwrap()), MAX_INTEGER_BITS);
        assert_eq!(product(&[Value::from(vec![Value::from(2), Value::from(3), Value::from(7)])]).unwrap(), Value::from(42));
        assert_eq!(format_int(&[Value::from(255), Value::from(16)]).unwrap(), Value::from("ff"));
        assert_eq!(units_parse_bytes(&[Value::from("2KiB")]).unwrap(), Value::from(2048));
        assert_eq!(format_int(&[big(MAX_INTEGER_BITS), Value::from(2)]).unwrap().as_string().unwrap().len() as u64, MAX_INTEGER_BITS);
        let wrong = format_int(&[Value::from("x"), Value::from(2)]).unwrap_err().to_string();
        assert!(!wrong.is_empty() && !wrong.starts_with("format_int: "), "regorus' own error, without the name: {wrong}");
    }

    #[test]
    fn exponents_of_more_than_six_digits_are_refused_as_opa_does() {
        for text in ["10e10000000Ei", "1E+1234567", "2.5e-9999999"] {
            assert_eq!(units_parse(&[Value::from(text)]).unwrap_err().to_string(), "exponent too large", "{text}");
        }
        assert_eq!(units_parse_bytes(&[Value::from("10e10000000EiB")]).unwrap_err().to_string(), "exponent too large");
        assert_eq!(units_parse(&[Value::from("1e3")]).unwrap(), Value::from(1000));
        assert_eq!(units_parse_bytes(&[Value::from("1e3KB")]).unwrap(), Value::from(1_000_000));
        assert!(units_parse(&[Value::from("1e1234567 K")]).unwrap_err().to_string().contains("spaces"));
    }

    #[test]
    fn integers_past_the_bound_are_refused_before_the_work() {
        let shift = lsh(&[Value::from(1), Value::from(4_294_967_295u64)]).unwrap_err().to_string();
        assert!(shift.contains("an integer of 4294967296 bits, more than the 1048576 bits"), "{shift}");
        assert!(lsh(&[Value::from(0), Value::from(4_294_967_295u64)]).is_ok(), "zero shifted stays zero");
        let factors = Value::from(vec![big(MAX_INTEGER_BITS / 2 + 1), big(MAX_INTEGER_BITS / 2 + 1)]);
        assert!(product(&[factors]).unwrap_err().to_string().starts_with("the product would be an integer of"));
        let many = Value::from((1..=100_000).map(Value::from).collect::<Vec<_>>());
        assert!(product(&[many]).is_err(), "100000! has about 1.5 million bits");
        let huge = big(MAX_INTEGER_BITS + 1);
        let error = format_int(&[huge, Value::from(10)]).unwrap_err().to_string();
        assert!(error.contains("an integer of 1048577 bits"), "{error}");
        let digits = format!("{}KB", "7".repeat(MAX_INTEGER_DIGITS + 1));
        assert!(units_parse_bytes(&[Value::from(digits.as_str())]).unwrap_err().to_string().contains("digits, more than"));
        assert!(units_parse(&[Value::from(digits.as_str())]).is_err());
    }
}
