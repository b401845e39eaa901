//! Byte and text encodings the way OPA (that is, Go's standard library) reads and writes them.
//!
//! The builtins here must fail on exactly the inputs OPA fails on and print what OPA prints, so
//! the generic Rust encoders are not enough: Go's base64 skips line breaks and accepts non-zero
//! trailing bits, Go's PEM reader tolerates text around a block, and Go's JSON writer escapes
//! `<`, `>` and `&`. Each function below states which Go behaviour it reproduces.

use anyhow::{anyhow, bail, Result};
use regorus::Value;

const STD: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const URL: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Which of Go's four base64 encodings.
#[derive(Clone, Copy)]
pub(super) struct Base64 {
    pub url: bool,
    pub padded: bool,
}

pub(super) const STD_PADDED: Base64 = Base64 {
    url: false,
    padded: true,
};
pub(super) const URL_PADDED: Base64 = Base64 {
    url: true,
    padded: true,
};
pub(super) const URL_RAW: Base64 = Base64 {
    url: true,
    padded: false,
};

impl Base64 {
    fn value(self, c: u8) -> Option<u8> {
        let alphabet = if self.url { URL } else { STD };
        alphabet.iter().position(|&a| a == c).map(|p| p as u8)
    }

    pub fn encode(self, data: &[u8]) -> String {
        let alphabet = if self.url { URL } else { STD };
        let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
        for chunk in data.chunks(3) {
            let b = [
                chunk[0],
                *chunk.get(1).unwrap_or(&0),
                *chunk.get(2).unwrap_or(&0),
            ];
            let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
            let chars = chunk.len() + 1;
            for i in 0..4 {
                if i < chars {
                    out.push(alphabet[(n >> (18 - 6 * i) & 63) as usize] as char);
                } else if self.padded {
                    out.push('=');
                }
            }
        }
        out
    }

    /// Go's `Encoding.DecodeString`: `\r` and `\n` are skipped anywhere, trailing bits need not
    /// be zero, and errors name the offending byte as "illegal base64 data at input byte N".
    pub fn decode(self, text: &str) -> Result<Vec<u8>> {
        let src = text.as_bytes();
        let illegal = |at: usize| anyhow!("illegal base64 data at input byte {at}");
        let skip_breaks = |mut i: usize| {
            while i < src.len() && (src[i] == b'\n' || src[i] == b'\r') {
                i += 1;
            }
            i
        };
        let mut out = Vec::with_capacity(src.len() / 4 * 3);
        let mut i = 0;
        loop {
            // One quantum: up to four symbols, possibly ended early by padding or the input's end.
            let mut quantum = [0u8; 4];
            let mut have = 0;
            let mut finished = false;
            while have < 4 {
                if i == src.len() {
                    if have == 0 {
                        return Ok(out);
                    }
                    if have == 1 || self.padded {
                        return Err(illegal(i - have));
                    }
                    finished = true;
                    break;
                }
                let c = src[i];
                i += 1;
                if let Some(v) = self.value(c) {
                    quantum[have] = v;
                    have += 1;
                    continue;
                }
                if c == b'\n' || c == b'\r' {
                    continue;
                }
                if c != b'=' || !self.padded || have < 2 {
                    return Err(illegal(i - 1));
                }
                if have == 2 {
                    // "==" expected: the second '=' may come after line breaks.
                    i = skip_breaks(i);
                    if i == src.len() {
                        return Err(illegal(src.len()));
                    }
                    if src[i] != b'=' {
                        return Err(illegal(i - 1));
                    }
                    i += 1;
                }
                i = skip_breaks(i);
                if i < src.len() {
                    return Err(illegal(i));
                }
                finished = true;
                break;
            }
            let n = (u32::from(quantum[0]) << 18)
                | (u32::from(quantum[1]) << 12)
                | (u32::from(quantum[2]) << 6)
                | u32::from(quantum[3]);
            let bytes = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
            out.extend_from_slice(&bytes[..have - 1]);
            if finished {
                return Ok(out);
            }
        }
    }
}

/// OPA's `base64url.decode`, which JWT parts go through: unpadded input is padded first (RFC 7515
/// appendix C), then decoded strictly with padding.
pub(super) fn base64url_decode_opa(text: &str) -> Result<Vec<u8>> {
    let mut padded = text.to_string();
    if !text.ends_with('=') {
        match text.len() % 4 {
            0 => {}
            2 => padded.push_str("=="),
            3 => padded.push('='),
            _ => bail!("illegal base64url string: {text}"),
        }
    }
    URL_PADDED.decode(&padded)
}

pub(super) fn hex(data: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(data.len() * 2);
    for b in data {
        out.push(DIGITS[usize::from(b >> 4)] as char);
        out.push(DIGITS[usize::from(b & 15)] as char);
    }
    out
}

/// One PEM block: its type line and decoded body.
pub(super) struct Pem {
    pub label: String,
    pub body: Vec<u8>,
}

/// Go's `pem.Decode`: the first well-formed block anywhere in `text` (text before it is ignored,
/// malformed candidates are skipped), and what follows the block's END line. `None` if there is no
/// block, in which case OPA goes on to read the text as a JWK.
pub(super) fn pem_decode(text: &str) -> Option<(Pem, &str)> {
    const BEGIN: &str = "-----BEGIN ";
    const END: &str = "\n-----END ";
    const DASHES: &str = "-----";
    let mut rest = text;
    // Where the next END line after a candidate starts (an offset into `text`): candidates only move
    // forward, so each END is searched for once (text of many BEGIN lines was quadratic: 80,000 took 38 s).
    let mut next_end: Option<usize> = None;
    let offset_of = |part: &str| part.as_ptr() as usize - text.as_ptr() as usize;
    loop {
        // A BEGIN line starts the input or follows a newline.
        rest = if let Some(after) = rest.strip_prefix(BEGIN) {
            after
        } else {
            let at = rest.find("\n-----BEGIN ")?;
            &rest[at + 1 + BEGIN.len()..]
        };
        let (type_line, mut body) = line(rest);
        rest = body;
        let Some(label) = type_line.strip_suffix(DASHES) else {
            continue;
        };
        // Optional "Key: value" header lines.
        let mut has_headers = false;
        loop {
            if body.is_empty() {
                return None;
            }
            let (l, next) = line(body);
            if !l.contains(':') {
                break;
            }
            has_headers = true;
            body = next;
        }
        let (end_at, trailer_at) = if !has_headers && body.starts_with(&END[1..]) {
            (0, END.len() - 1)
        } else {
            let start = offset_of(body);
            let end = match next_end {
                Some(end) if end >= start => end,
                _ => {
                    // No END after this candidate means none after any later one either.
                    let end = start + body.find(END)?;
                    next_end = Some(end);
                    end
                }
            };
            (end - start, end - start + END.len())
        };
        let trailer = &body[trailer_at..];
        let expected = label.len() + DASHES.len();
        if trailer.len() < expected
            || !trailer.is_char_boundary(expected)
            || trailer[..expected] != format!("{label}{DASHES}")
            || !line(&trailer[expected..]).0.is_empty()
        {
            continue;
        }
        let encoded: String = body[..end_at]
            .chars()
            .filter(|c| *c != ' ' && *c != '\t')
            .collect();
        let Ok(decoded) = STD_PADDED.decode(&encoded) else {
            continue;
        };
        let (_, after) = line(&body[end_at + END.len() - 1..]);
        return Some((
            Pem {
                label: label.to_string(),
                body: decoded,
            },
            after,
        ));
    }
}

/// Go's `getLine` in encoding/pem: the line without trailing spaces, tabs and `\r`, and the rest.
fn line(text: &str) -> (&str, &str) {
    let (l, rest) = match text.find('\n') {
        Some(at) => (&text[..at], &text[at + 1..]),
        None => (text, ""),
    };
    (l.trim_end_matches([' ', '\t', '\r']), rest)
}

/// JSON text to a value, as OPA's `json.unmarshal` (and so its JWT code) reads it: the whole text
/// must be one JSON value; errors read like Go's.
pub(super) fn parse_json(text: &str) -> Result<Value> {
    super::limits::claim_reading(text, "a JSON text")?;
    let parsed: serde_json::Value =
        serde_json::from_str(text).map_err(|e| go_json_error(&e, text))?;
    Ok(Value::from(parsed))
}

/// Go's wording for the JSON errors OPA's tests look for.
pub(super) fn go_json_error(e: &serde_json::Error, text: &str) -> anyhow::Error {
    if e.is_eof() {
        return anyhow!("unexpected end of JSON input");
    }
    // serde_json reports line and column (1-based, in characters); point at that character.
    let offending = text
        .lines()
        .nth(e.line().saturating_sub(1))
        .and_then(|l| l.chars().nth(e.column().saturating_sub(1)))
        .unwrap_or(' ');
    anyhow!("invalid character '{offending}' ({e})")
}

/// Go's `json.Marshal` of the value OPA's `ast.JSON` makes of `value`: object keys sorted, non-string
/// keys written as their JSON text, sets as arrays, `<`, `>`, `&`, U+2028 and U+2029 escaped.
pub(super) fn go_json(value: &Value) -> Result<String> {
    let mut out = String::new();
    write_go_json(value, &mut out)?;
    Ok(out)
}

fn write_go_json(value: &Value, out: &mut String) -> Result<()> {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(_) => out.push_str(&serde_json::to_string(value)?),
        Value::String(s) => write_go_string(s, out),
        Value::Array(items) => write_list(items.iter(), out)?,
        Value::Set(items) => write_list(items.iter(), out)?,
        Value::Object(fields) => {
            let mut entries = Vec::with_capacity(fields.len());
            for (k, v) in fields.iter() {
                let key = match k {
                    Value::String(s) => s.to_string(),
                    other => go_json(other)?,
                };
                entries.push((key, v));
            }
            // Go sorts map keys as byte strings; later duplicates (two keys with one text) win.
            entries.sort_by(|a, b| a.0.cmp(&b.0));
            entries.dedup_by(|later, earlier| {
                let same = later.0 == earlier.0;
                if same {
                    std::mem::swap(later, earlier);
                }
                same
            });
            out.push('{');
            for (i, (k, v)) in entries.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_go_string(k, out);
                out.push(':');
                write_go_json(v, out)?;
            }
            out.push('}');
        }
        Value::Undefined => bail!("cannot marshal an undefined value"),
    }
    Ok(())
}

fn write_list<'a>(items: impl Iterator<Item = &'a Value>, out: &mut String) -> Result<()> {
    out.push('[');
    for (i, item) in items.enumerate() {
        if i > 0 {
            out.push(',');
        }
        write_go_json(item, out)?;
    }
    out.push(']');
    Ok(())
}

fn write_go_string(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '<' | '>' | '&' | '\u{2028}' | '\u{2029}' => {
                out.push_str(&format!("\\u{:04x}", c as u32))
            }
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_follows_go() {
        assert_eq!(STD_PADDED.decode("aGVsbG8=").unwrap(), b"hello");
        assert_eq!(
            STD_PADDED.decode("aGVs\nbG8=").unwrap(),
            b"hello",
            "line breaks are skipped"
        );
        assert_eq!(URL_RAW.decode("aGVsbG8").unwrap(), b"hello");
        // Go accepts non-zero trailing bits ("aGVsbG9" would be canonical).
        assert_eq!(URL_RAW.decode("aGVsbG9").unwrap(), b"hello");
        assert_eq!(
            STD_PADDED.decode("aGVsbG8").unwrap_err().to_string(),
            "illegal base64 data at input byte 4"
        );
        assert_eq!(
            URL_PADDED
                .decode("eyJhbGciOiJIU^%z")
                .unwrap_err()
                .to_string(),
            "illegal base64 data at input byte 13"
        );
        assert!(
            URL_RAW.decode("aGVsbG8=").is_err(),
            "raw encodings have no padding"
        );
        assert!(
            STD_PADDED.decode("aGVsbG8=x").is_err(),
            "nothing may follow padding"
        );
        assert_eq!(URL_RAW.encode(b"hello"), "aGVsbG8");
        assert_eq!(STD_PADDED.encode(b"hello"), "aGVsbG8=");
        assert_eq!(base64url_decode_opa("aGVsbG8").unwrap(), b"hello");
        assert!(base64url_decode_opa("aGVsb")
            .unwrap_err()
            .to_string()
            .contains("illegal base64url"));
    }

    #[test]
    fn pem_blocks_are_found_like_go() {
        let text = "junk\n-----BEGIN PUBLIC KEY-----\naGVs\nbG8=\n-----END PUBLIC KEY-----\n";
        let (pem, rest) = pem_decode(text).unwrap();
        assert_eq!(
            (pem.label.as_str(), pem.body.as_slice(), rest),
            ("PUBLIC KEY", &b"hello"[..], "")
        );
        let (_, rest) = pem_decode("-----BEGIN X-----\naGVsbG8=\n-----END X-----\n\nmore").unwrap();
        assert_eq!(rest, "\nmore");
        assert!(pem_decode("-----BEGIN X-----\naGVsbG8=\n-----END Y-----\n").is_none());
        assert!(pem_decode("{\"kty\": \"RSA\"}").is_none());
    }

    #[test]
    fn json_is_written_like_go() {
        let v = Value::from_json_str(r#"{"b": [1, "<&>"], "a": {"y": null, "x": true}}"#).unwrap();
        assert_eq!(
            go_json(&v).unwrap(),
            r#"{"a":{"x":true,"y":null},"b":[1,"\u003c\u0026\u003e"]}"#
        );
    }
}
