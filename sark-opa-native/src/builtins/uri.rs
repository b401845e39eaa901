//! `uri.parse` and `uri.is_valid`, which regorus 0.14.1 lacks. OPA parses with Go's `net/url`
//! (`url.Parse`), whose rules differ from the WHATWG URL standard the `url` crate follows (no
//! normalisation, Go's own escape checks, no scheme-specific defaults), so this is a small parser
//! of its own that follows Go's rules and error texts.
//!
//! `uri.parse` answers an object with the parts OPA reports, each only when not empty: `scheme`,
//! `hostname`, `port`, `path`, `raw_path`, `raw_query` and `fragment` (OPA v1.22.4's conformance
//! cases show no user or opaque part). `raw_path` is the path as written when decoding and re-encoding
//! it would not give it back (`/a%2Fb`), else the decoded path, as Go's `URL.RawPath` with its
//! fallback to `URL.Path`.

use std::collections::BTreeMap;

use anyhow::{anyhow, bail, Result};
use regorus::Value;

use super::args::{go_quote, string};
use super::Builtin;

pub(super) const BUILTINS: &[(&str, u8, Builtin)] =
    &[("uri.parse", 1, parse), ("uri.is_valid", 1, is_valid)];

/// A URL as Go's `url.URL` holds it (its parts decoded; `uri.parse` reports some of them).
#[derive(Debug, Default, PartialEq)]
struct Url {
    scheme: String,
    opaque: String,
    /// Whether a `userinfo@` was given (Go's `User` is then non-nil).
    has_user: bool,
    host: String,
    path: String,
    raw_path: String,
    omit_host: bool,
    force_query: bool,
    raw_query: String,
    fragment: String,
    raw_fragment: String,
}

/// Go's `net/url` escaping contexts that change what `%XX` and bare characters may be.
#[derive(Clone, Copy, PartialEq)]
enum Mode {
    Path,
    Host,
    Zone,
    UserPassword,
    Fragment,
}

fn parse(args: &[Value]) -> Result<Value> {
    let text = string(args, 0)?;
    let url = go_parse(text).map_err(|e| anyhow!("parse {}: {e}", go_quote(text)))?;
    let (hostname, port) = split_host_port(&url.host);
    let mut out = BTreeMap::new();
    let raw_path = if url.raw_path.is_empty() {
        &url.path
    } else {
        &url.raw_path
    };
    for (name, part) in [
        ("scheme", url.scheme.as_str()),
        ("hostname", hostname),
        ("port", port),
        ("path", url.path.as_str()),
        ("raw_path", raw_path.as_str()),
        ("raw_query", url.raw_query.as_str()),
        ("fragment", url.fragment.as_str()),
    ] {
        if !part.is_empty() {
            out.insert(Value::from(name), Value::from(part));
        }
    }
    Ok(Value::from(out))
}

/// `uri.is_valid(text)`: whether `uri.parse` would succeed on a non-empty text.
fn is_valid(args: &[Value]) -> Result<Value> {
    let text = string(args, 0)?;
    Ok(Value::from(!text.is_empty() && go_parse(text).is_ok()))
}

/// Go's `url.Parse`: the fragment after the first `#`, then the rest.
fn go_parse(text: &str) -> Result<Url> {
    let (rest, fragment) = text.split_once('#').unwrap_or((text, ""));
    let mut url = parse_without_fragment(rest)?;
    url.fragment = unescape(fragment, Mode::Fragment)?;
    if escape(&url.fragment, Mode::Fragment) != fragment {
        url.raw_fragment = fragment.to_string();
    }
    Ok(url)
}

/// `text` parsed by Go's `url.Parse`, as Go marshals the `url.URL` to JSON (certificates' URIs).
pub(super) fn go_url_struct(text: &str) -> Result<Value> {
    let url = go_parse(text)?;
    let user = if url.has_user { Value::from(BTreeMap::<Value, Value>::new()) } else { Value::Null };
    let fields = [
        ("Scheme", Value::from(url.scheme)),
        ("Opaque", Value::from(url.opaque)),
        ("User", user),
        ("Host", Value::from(url.host)),
        ("Path", Value::from(url.path)),
        ("RawPath", Value::from(url.raw_path)),
        ("OmitHost", Value::from(url.omit_host)),
        ("ForceQuery", Value::from(url.force_query)),
        ("RawQuery", Value::from(url.raw_query)),
        ("Fragment", Value::from(url.fragment)),
        ("RawFragment", Value::from(url.raw_fragment)),
    ];
    Ok(Value::from(fields.into_iter().map(|(k, v)| (Value::from(k), v)).collect::<BTreeMap<_, _>>()))
}

fn parse_without_fragment(text: &str) -> Result<Url> {
    if text.bytes().any(|b| b < b' ' || b == 0x7f) {
        bail!("net/url: invalid control character in URL");
    }
    let mut url = Url::default();
    if text == "*" {
        url.path = "*".into();
        return Ok(url);
    }
    let (scheme, rest) = split_scheme(text)?;
    url.scheme = scheme.to_ascii_lowercase();
    // Go keeps the query as written; a lone trailing '?' is its ForceQuery (an empty query).
    let rest = if rest.ends_with('?') && rest.matches('?').count() == 1 {
        url.force_query = true;
        &rest[..rest.len() - 1]
    } else {
        match rest.split_once('?') {
            Some((before, query)) => {
                url.raw_query = query.to_string();
                before
            }
            None => rest,
        }
    };
    if !rest.starts_with('/') {
        if !url.scheme.is_empty() {
            url.opaque = rest.to_string(); // as in "mailto:user@example.com"
            return Ok(url);
        }
        let first_segment = rest.split('/').next().unwrap_or("");
        if first_segment.contains(':') {
            bail!("first path segment in URL cannot contain colon");
        }
    }
    let mut path = rest;
    match rest.strip_prefix("//") {
        Some(after) if !url.scheme.is_empty() || !rest.starts_with("///") => {
            let end = after.find('/').unwrap_or(after.len());
            url.has_user = after[..end].contains('@');
            url.host = parse_authority(&after[..end])?;
            path = &after[end..];
        }
        _ => url.omit_host = !url.scheme.is_empty() && rest.starts_with('/'),
    }
    url.path = unescape(path, Mode::Path)?;
    if escape_path(&url.path) != path {
        url.raw_path = path.to_string();
    }
    Ok(url)
}

/// The parts of `text`'s URL that an AWS signature covers, as Go's `net/url` gives them: `Host` (with
/// its port), `EscapedPath()` and `RawQuery`. Errors are `url.Parse`'s, in its words.
pub(super) fn signed_parts(text: &str) -> Result<(String, String, String)> {
    let url = go_parse(text).map_err(|e| anyhow!("parse {}: {e}", go_quote(text)))?;
    Ok((url.host.clone(), escaped_path(&url), url.raw_query))
}

/// Go's `URL.EscapedPath`: the path as written when that is a valid encoding of it, else the path
/// escaped.
fn escaped_path(url: &Url) -> String {
    let valid_encoding = |raw: &str| {
        raw.bytes().all(|b| b"!$&'()*+,;=:@[]%".contains(&b) || !should_escape(b, Mode::Path))
    };
    if !url.raw_path.is_empty()
        && valid_encoding(&url.raw_path)
        && unescape(&url.raw_path, Mode::Path).is_ok_and(|p| p == url.path)
    {
        return url.raw_path.clone();
    }
    if url.path == "*" {
        return "*".to_string();
    }
    escape_path(&url.path)
}

/// Go's `getScheme`: letters, then letters, digits, `+`, `-` or `.`, up to a `:`; anything else
/// first means there is no scheme.
fn split_scheme(text: &str) -> Result<(&str, &str)> {
    for (i, c) in text.char_indices() {
        match c {
            'a'..='z' | 'A'..='Z' => {}
            '0'..='9' | '+' | '-' | '.' if i > 0 => {}
            ':' if i == 0 => bail!("missing protocol scheme"),
            ':' => return Ok((&text[..i], &text[i + 1..])),
            _ => return Ok(("", text)),
        }
    }
    Ok(("", text))
}

/// Go's `parseAuthority`: an optional `userinfo@`, which must be valid, then the host.
fn parse_authority(authority: &str) -> Result<String> {
    let Some(at) = authority.rfind('@') else {
        return parse_host(authority);
    };
    let host = parse_host(&authority[at + 1..])?;
    let userinfo = &authority[..at];
    if !valid_userinfo(userinfo) {
        bail!("net/url: invalid userinfo");
    }
    for part in userinfo.splitn(2, ':') {
        unescape(part, Mode::UserPassword)?;
    }
    Ok(host)
}

fn valid_userinfo(userinfo: &str) -> bool {
    userinfo
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "-._:~!$&'()*+,;=%@".contains(c))
}

/// Go's `parseHost`: a bracketed IPv6 literal (with an optional `%25` zone) and port, or a name
/// and port; the port must be ASCII digits.
fn parse_host(host: &str) -> Result<String> {
    if host.starts_with('[') {
        let close = host
            .rfind(']')
            .ok_or_else(|| anyhow!("missing ']' in host"))?;
        let port = &host[close + 1..];
        if !valid_optional_port(port) {
            bail!("invalid port {} after host", go_quote(port));
        }
        if let Some(zone) = host[..close].find("%25") {
            return Ok(unescape(&host[..zone], Mode::Host)?
                + &unescape(&host[zone..close], Mode::Zone)?
                + &unescape(&host[close..], Mode::Host)?);
        }
    } else if let Some(colon) = host.rfind(':') {
        let port = &host[colon..];
        if !valid_optional_port(port) {
            bail!("invalid port {} after host", go_quote(port));
        }
    }
    unescape(host, Mode::Host)
}

fn valid_optional_port(port: &str) -> bool {
    match port.strip_prefix(':') {
        None => port.is_empty(),
        Some(digits) => digits.bytes().all(|b| b.is_ascii_digit()),
    }
}

/// Go's `splitHostPort` behind `URL.Hostname` and `URL.Port`.
fn split_host_port(host: &str) -> (&str, &str) {
    let (mut name, mut port) = (host, "");
    if let Some(colon) = host.rfind(':') {
        if valid_optional_port(&host[colon..]) {
            (name, port) = (&host[..colon], &host[colon + 1..]);
        }
    }
    if name.starts_with('[') && name.ends_with(']') && name.len() >= 2 {
        name = &name[1..name.len() - 1];
    }
    (name, port)
}

/// Go's `shouldEscape`: whether `byte` must be percent-encoded in `mode`.
fn should_escape(byte: u8, mode: Mode) -> bool {
    if byte.is_ascii_alphanumeric() {
        return false;
    }
    if matches!(mode, Mode::Host | Mode::Zone) && b"!$&'()*+,;=:[]<>\"".contains(&byte) {
        return false;
    }
    match byte {
        b'-' | b'_' | b'.' | b'~' => false,
        b'$' | b'&' | b'+' | b',' | b'/' | b':' | b';' | b'=' | b'?' | b'@' => match mode {
            Mode::Path => byte == b'?',
            Mode::UserPassword => matches!(byte, b'@' | b'/' | b'?' | b':'),
            Mode::Fragment => false,
            Mode::Host | Mode::Zone => true,
        },
        b'!' | b'(' | b')' | b'*' => mode != Mode::Fragment,
        _ => true,
    }
}

/// Go's `unescape`: `%XX` decoded, with Go's refusals (a malformed escape; in a host an escape
/// of an ASCII byte other than `%25`, or a bare character that needs escaping).
fn unescape(text: &str, mode: Mode) -> Result<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'%' {
            let byte = escaped_byte(text, i, mode)?;
            out.push(byte);
            i += 3;
            continue;
        }
        if matches!(mode, Mode::Host | Mode::Zone) && b < 0x80 && should_escape(b, mode) {
            bail!(
                "invalid character {} in host name",
                go_quote(&text[i..i + 1])
            );
        }
        out.push(b);
        i += 1;
    }
    // Go keeps decoded bytes as they are; a Rego string must be UTF-8.
    Ok(String::from_utf8_lossy(&out).into_owned())
}

/// The byte of the escape at `text[i]` (a `%`), or Go's `invalid URL escape "%.."` error.
fn escaped_byte(text: &str, i: usize, mode: Mode) -> Result<u8> {
    let bytes = text.as_bytes();
    let invalid = || {
        let end = (i + 3).min(text.len());
        let shown = String::from_utf8_lossy(&bytes[i..end]).into_owned();
        anyhow!("invalid URL escape {}", go_quote(&shown))
    };
    let hex = |k: usize| bytes.get(k).and_then(|b| (*b as char).to_digit(16));
    let (Some(high), Some(low)) = (hex(i + 1), hex(i + 2)) else {
        return Err(invalid());
    };
    let byte = (high * 16 + low) as u8;
    let is_25 = &text[i..i + 3] == "%25";
    let refused = match mode {
        Mode::Host => high < 8 && !is_25,
        Mode::Zone => !is_25 && byte != b' ' && should_escape(byte, Mode::Host),
        _ => false,
    };
    if refused {
        return Err(invalid());
    }
    Ok(byte)
}

/// Go's `escape(path, encodePath)`, to tell whether a path round-trips.
fn escape_path(path: &str) -> String {
    escape(path, Mode::Path)
}

/// Go's `escape(text, mode)`: the bytes that need it as `%XX`.
fn escape(text: &str, mode: Mode) -> String {
    let mut out = String::with_capacity(text.len());
    for &b in text.as_bytes() {
        if should_escape(b, mode) {
            out.push_str(&format!("%{b:02X}"));
        } else {
            out.push(b as char);
        }
    }
    out
}
