//! `time.parse_duration_ns` with OPA 1.2x's day, week and year units (`"1d2h"`, `"1.5w"`, `"2y"`),
//! which regorus 0.14.1 refuses. As OPA does (topdown/time.go, `parseExtendedDuration`), a text
//! with a `d`, `w` or `y` is read as an optional sign and segments of digits and dots followed by a
//! unit, the three new units become hours (24, 168 and 8,760 a unit; a year is 365 days), and the
//! rewritten text is parsed as a Go duration; any other text goes to regorus' own builtin as it is.

use super::Builtin;

/// regorus has `time.*` everywhere but on Apple targets (Cargo.toml); there this override has nothing
/// to hand ordinary durations to, so it is left out.
#[cfg(not(target_vendor = "apple"))]
pub(super) const BUILTINS: &[(&str, u8, Builtin)] = &[("time.parse_duration_ns", 1, extended::parse_duration_ns)];
#[cfg(target_vendor = "apple")]
pub(super) const BUILTINS: &[(&str, u8, Builtin)] = &[];

#[cfg(not(target_vendor = "apple"))]
mod extended {
    use anyhow::{anyhow, Result};
    use regorus::Value;

    use super::super::args::{go_quote, string};
    use super::super::own::regorus_own;

    const NAME: &str = "time.parse_duration_ns";

    pub(in super::super) fn parse_duration_ns(args: &[Value]) -> Result<Value> {
        let text = string(args, 0)?;
        if !text.contains(['d', 'w', 'y']) {
            return regorus_own(NAME, &["duration"], args);
        }
        let invalid = || anyhow!("time: invalid duration {}", go_quote(text));
        let hours = in_hours(text).ok_or_else(invalid)?;
        regorus_own(NAME, &["duration"], &[Value::from(hours)]).map_err(|e| {
            // Go's message quotes the text it parsed; name the caller's instead.
            let message = e.to_string();
            let without_text = message.rsplit_once(' ').map_or(message.as_str(), |(m, _)| m);
            anyhow!("{without_text} {}", go_quote(text))
        })
    }

    /// `text` with its day, week and year segments written as hours, or `None` when it is not a sign
    /// and segments of `[0-9.]+` and a unit (`ms`, `us`, `µs`, `ns` or one letter).
    pub(super) fn in_hours(text: &str) -> Option<String> {
        let (sign, mut rest) = match text.as_bytes().first() {
            Some(b'-' | b'+') => text.split_at(1),
            _ => ("", text),
        };
        let mut out = sign.to_string();
        if rest.is_empty() {
            return None;
        }
        while !rest.is_empty() {
            let digits_end = rest.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(rest.len());
            let (digits, after) = rest.split_at(digits_end);
            let unit_len = ["ms", "us", "µs", "ns"]
                .iter()
                .find(|u| after.starts_with(**u))
                .map(|u| u.len())
                .or_else(|| after.chars().next().filter(char::is_ascii_lowercase).map(|_| 1))?;
            if digits.is_empty() {
                return None;
            }
            let (unit, next) = after.split_at(unit_len);
            let hours_per_unit = match unit {
                "d" => 24.0,
                "w" => 7.0 * 24.0,
                "y" => 365.0 * 24.0,
                _ => {
                    out.push_str(digits);
                    out.push_str(unit);
                    rest = next;
                    continue;
                }
            };
            // Go's strconv.ParseFloat, then FormatFloat(h, 'f', -1): the shortest digits, no exponent.
            let hours = digits.parse::<f64>().ok()? * hours_per_unit;
            out.push_str(&format!("{hours}h"));
            rest = next;
        }
        Some(out)
    }
}

#[cfg(all(test, not(target_vendor = "apple")))]
mod tests {
    use super::extended::{in_hours, parse_duration_ns};
    use regorus::Value;

    #[test]
    fn days_weeks_and_years_are_hours() {
        assert_eq!(in_hours("1d2h30m").as_deref(), Some("24h2h30m"));
        assert_eq!(in_hours("-1.5w").as_deref(), Some("-252h"));
        assert_eq!(in_hours("1y10µs").as_deref(), Some("8760h10µs"));
        assert_eq!(in_hours("d"), None);
        assert_eq!(in_hours("1d2"), None);
        assert_eq!(in_hours("1dX"), None);
        assert_eq!(in_hours("+"), None);
    }

    #[test]
    fn the_builtin_answers_nanoseconds_and_go_errors() {
        let ns = |text: &str| parse_duration_ns(&[Value::from(text)]);
        assert_eq!(ns("1d2h").unwrap(), Value::from(93_600_000_000_000i64));
        assert_eq!(ns("1w").unwrap(), Value::from(604_800_000_000_000i64));
        assert_eq!(ns("90m").unwrap(), Value::from(5_400_000_000_000i64));
        assert!(ns("1.2.3d").unwrap_err().to_string().contains("\"1.2.3d\""));
        assert!(ns("1000y").unwrap_err().to_string().ends_with("\"1000y\""), "overflow names the caller's text");
    }
}
