//! String builtins: `strings.split_n`, which regorus 0.14.1 lacks, and overrides of regorus'
//! `strings.count` and `strings.replace_n`, whose results differ from OPA's, and of `indexof_n`, whose
//! search took time quadratic in its operands (see [`super::OVERRIDES`]). OPA implements them with Go's
//! `strings` package.

use anyhow::{anyhow, bail, Result};
use regorus::Value;

use super::args::{int, object, string};
use super::limits::claim;
use super::Builtin;

pub(super) const BUILTINS: &[(&str, u8, Builtin)] = &[
    ("strings.split_n", 3, split_n),
    ("strings.count", 2, count),
    ("strings.replace_n", 2, replace_n),
    ("indexof_n", 2, indexof_n),
];

/// Go's `strings.Split`: an empty separator splits after each character, and an empty text
/// split by an empty separator has no parts at all.
fn go_split<'a>(text: &'a str, separator: &str) -> Vec<&'a str> {
    if separator.is_empty() {
        return text
            .char_indices()
            .map(|(i, c)| &text[i..i + c.len_utf8()])
            .collect();
    }
    text.split(separator).collect()
}

/// `strings.split_n(text, separator, n)`: the first `n` parts of the split when `n` is positive,
/// the last `-n` when it is negative, none when it is zero.
fn split_n(args: &[Value]) -> Result<Value> {
    let text = string(args, 0)?;
    let separator = string(args, 1)?;
    let n = int(args, 2)?;
    let parts = go_split(text, separator);
    let wanted = usize::try_from(n.unsigned_abs())
        .unwrap_or(usize::MAX)
        .min(parts.len());
    let kept = if n >= 0 {
        &parts[..wanted]
    } else {
        &parts[parts.len() - wanted..]
    };
    Ok(Value::from(
        kept.iter().map(|s| Value::from(*s)).collect::<Vec<_>>(),
    ))
}

/// `strings.count(text, sub)`: Go's `strings.Count`, which counts non-overlapping occurrences
/// ("11111" holds "11" twice, regorus says 4) and counts an empty `sub` once per character plus
/// one (regorus panics on it).
fn count(args: &[Value]) -> Result<Value> {
    let text = string(args, 0)?;
    let sub = string(args, 1)?;
    let n = if sub.is_empty() {
        text.chars().count() + 1
    } else {
        text.matches(sub).count()
    };
    Ok(Value::from(n))
}

/// The (old, new) pairs of `strings.replace_n`'s pattern object in OPA's order: keys sorted (a
/// regorus object is already ordered like OPA's `ast.Compare`), first key/value type error wins.
fn replacements(args: &[Value]) -> Result<Vec<(&str, &str)>> {
    let patterns = object(args, 0)?;
    let mut pairs = Vec::with_capacity(patterns.len());
    for (key, value) in patterns.iter() {
        let Value::String(old) = key else {
            bail!("operand 1 non-string key found in pattern object");
        };
        let Value::String(new) = value else {
            bail!("operand 1 non-string value found in pattern object");
        };
        pairs.push((old.as_ref(), new.as_ref()));
    }
    Ok(pairs)
}

/// `strings.replace_n(patterns, text)`: Go's `strings.NewReplacer(old1, new1, ...)` over the
/// sorted keys. The text is scanned once, left to right; at each position the first pair in key
/// order whose old string starts there is replaced and the scan continues after it (output is
/// never re-scanned, so replacements do not chain). regorus replaces key by key instead.
fn replace_n(args: &[Value]) -> Result<Value> {
    let pairs = replacements(args)?;
    let text = string(args, 1)?;
    Ok(Value::from(replace_once(text, &pairs)?))
}

/// The replaced text, built within the evaluation's memory limit: an empty old string puts its new
/// one before every character, so a 100 KB text and value make 10 GB.
fn replace_once(text: &str, pairs: &[(&str, &str)]) -> Result<String> {
    let mut out = String::with_capacity(text.len());
    let grow = |out: &mut String, piece: &str| -> Result<()> {
        let bytes = out.len() as u128 + piece.len() as u128;
        claim(bytes, || format!("a string of more than {} bytes", out.len()))?;
        out.try_reserve(piece.len()).map_err(|_| anyhow!("cannot allocate {bytes} bytes of native memory"))?;
        out.push_str(piece);
        Ok(())
    };
    let mut i = 0;
    // Go's rule for an empty old string: it matches at every position, but not twice in a row
    // at the same one, so the scan moves on (or a longer old string gets its turn).
    let mut after_empty_match = false;
    loop {
        let rest = &text[i..];
        let found = pairs
            .iter()
            .find(|(old, _)| rest.starts_with(old) && !(old.is_empty() && after_empty_match));
        if let Some((old, new)) = found {
            grow(&mut out, new)?;
            i += old.len();
            after_empty_match = old.is_empty();
            continue;
        }
        after_empty_match = false;
        // Go steps one byte; stepping one character gives the same text for every valid key and
        // keeps the result valid UTF-8 where Go would put an empty key's value inside a character.
        let Some(c) = rest.chars().next() else { break };
        grow(&mut out, &rest[..c.len_utf8()])?;
        i += c.len_utf8();
    }
    Ok(out)
}

/// `indexof_n(text, search)`: the character index of every occurrence of `search`, overlapping ones
/// included (`indexof_n("aaa", "aa")` is `[0, 1]`), and every index for an empty `search`, as
/// regorus' own gives. regorus compares `search` at every character, 10^12 byte comparisons for a text
/// of 3 million characters and a search of 1.5 million; here the occurrences are found in one pass
/// ([`occurrences`]), and the positions are claimed against the memory limit before they are built.
fn indexof_n(args: &[Value]) -> Result<Value> {
    let text = string(args, 0)?;
    let search = string(args, 1)?;
    let starts: Vec<usize> = if search.is_empty() {
        claim(text.len() as u128 * 8, || format!("{} positions", text.len()))?;
        text.char_indices().map(|(at, _)| at).collect()
    } else {
        occurrences(text.as_bytes(), search.as_bytes())?
    };
    claim(starts.len() as u128 * std::mem::size_of::<Value>() as u128, || format!("{} positions", starts.len()))?;
    let mut positions = Vec::with_capacity(starts.len());
    let (mut characters, mut last) = (0, 0);
    for start in starts {
        characters += text[last..start].chars().count();
        last = start;
        positions.push(Value::from(characters));
    }
    Ok(Value::from(positions))
}

/// The byte offsets where `search` (not empty) starts in `text`, overlapping occurrences included, in
/// time linear in both (Knuth-Morris-Pratt): memchr's and std's searches skip past each match, and
/// searching again from every match start is quadratic for texts like `aaaa...`. Every offset is a
/// character boundary, as `search` is valid UTF-8.
fn occurrences(text: &[u8], search: &[u8]) -> Result<Vec<usize>> {
    // The table (a usize per byte of `search`) and, at most, a usize per byte of `text`.
    let words = (search.len() as u128 + text.len() as u128) * std::mem::size_of::<usize>() as u128;
    claim(words, || format!("a search of {} bytes in {} bytes", search.len(), text.len()))?;
    // fallback[i]: the length of the longest proper prefix of search[..=i] that is also its suffix.
    let mut fallback = vec![0; search.len()];
    let mut matched = 0;
    for i in 1..search.len() {
        while matched > 0 && search[i] != search[matched] {
            matched = fallback[matched - 1];
        }
        if search[i] == search[matched] {
            matched += 1;
        }
        fallback[i] = matched;
    }
    let mut found = Vec::new();
    matched = 0;
    for (i, &byte) in text.iter().enumerate() {
        while matched > 0 && byte != search[matched] {
            matched = fallback[matched - 1];
        }
        if byte == search[matched] {
            matched += 1;
        }
        if matched == search.len() {
            found.push(i + 1 - search.len());
            matched = fallback[matched - 1];
        }
    }
    Ok(found)
}
