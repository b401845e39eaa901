//! OPA 1.x template strings, which regorus 0.14's lexer does not know (it cannot even tokenize
//! `$`):
//!
//! ```rego
//! greeting := $"Hello {input.name}!"
//! report := $`total:
//!   {count(input.items)} items`
//! ```
//!
//! A template is text with embedded expressions in braces; `\{` is a literal brace. The value is a
//! string: text as written, each expression's value inserted, a string as it is and any other
//! value as OPA prints terms (`[1, "a"]`, `{"a": 1}`, `set()`), and `<undefined>` for an
//! expression without a value. Templates nest (`$"{$"{a}"}"`) and may appear in policies and
//! queries alike.
//!
//! [`rewrite`] turns each template into a call of the builtin `sark.interpolate`
//! (builtins/interpolate.rs) over an array of the literal parts and, for each expression, the set
//! of its values, `{v | v := EXPR}`, as OPA's compiler lowers templates to
//! `internal.template_string`. The set makes an undefined expression an empty set instead of
//! making the whole string undefined, and a template without expressions becomes a plain string.
//!
//! `$"a {x}\n"` -> `sark.interpolate(["a ", {__sark_t0__ | __sark_t0__ := x}, "\n"])`
//!
//! The text is scanned by hand, since regorus' lexer stops at the `$`: strings, raw strings and
//! comments are copied as they are. The rewrite keeps every line break where it was (a multi-line
//! template's breaks separate the array's elements), so the lines after a template, and the
//! expressions inside it, keep their numbers; columns move after a template on its line.

use std::borrow::Cow;

/// The builtin the templates become a call of.
pub const BUILTIN: &str = "sark.interpolate";

/// `source` (a policy or a query) with its templates rewritten. Text without a template is
/// returned as it is, as is text with a malformed one (an unterminated template, say), for the
/// parser to report.
pub fn rewrite(source: &str) -> Cow<'_, str> {
    if !might_have_templates(source) {
        return Cow::Borrowed(source);
    }
    let mut scanner = Scanner::new(source);
    match scanner.code(false) {
        Some(out) if scanner.rewritten => Cow::Owned(out),
        _ => Cow::Borrowed(source),
    }
}

/// Cheap test: `$"` or `` $` `` anywhere (in a string or a comment too).
pub fn might_have_templates(source: &str) -> bool {
    source.as_bytes().windows(2).any(|w| w[0] == b'$' && (w[1] == b'"' || w[1] == b'`'))
}

struct Scanner<'s> {
    text: &'s str,
    pos: usize,
    /// Prefix of the generated variables: `__sark_t`, with more underscores while the text
    /// contains it, so no name of the policy can be taken.
    prefix: String,
    next_var: usize,
    rewritten: bool,
}

/// A part of a template.
enum Part {
    /// Literal text, already escaped as the body of a Rego string.
    Text(String),
    /// An expression's text (templates in it already rewritten).
    Expr(String),
    /// A line break of the source, kept between the array's elements.
    Break,
}

impl<'s> Scanner<'s> {
    fn new(text: &'s str) -> Self {
        let mut prefix = "__sark_t".to_string();
        while text.contains(&prefix) {
            prefix.insert(0, '_');
        }
        Scanner { text, pos: 0, prefix, next_var: 0, rewritten: false }
    }

    fn peek(&self) -> Option<char> {
        self.text[self.pos..].chars().next()
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += c.len_utf8();
        Some(c)
    }

    /// Copies code up to the end of the text, or (`in_template`) up to the `}` that closes a
    /// template expression, which is consumed and not copied. `None` when a string, raw string or
    /// template does not end, or an expression is not closed.
    fn code(&mut self, in_template: bool) -> Option<String> {
        let mut out = String::new();
        let mut depth = 0usize;
        loop {
            let Some(c) = self.peek() else {
                return if in_template { None } else { Some(out) };
            };
            match c {
                '"' => {
                    let start = self.pos;
                    self.bump();
                    loop {
                        match self.bump()? {
                            '\\' => {
                                self.bump()?;
                            }
                            '"' => break,
                            '\n' => return None,
                            _ => {}
                        }
                    }
                    out.push_str(&self.text[start..self.pos]);
                }
                '`' => {
                    let start = self.pos;
                    self.bump();
                    while self.bump()? != '`' {}
                    out.push_str(&self.text[start..self.pos]);
                }
                '#' => {
                    let end = self.text[self.pos..].find('\n').map_or(self.text.len(), |i| self.pos + i);
                    out.push_str(&self.text[self.pos..end]);
                    self.pos = end;
                }
                '$' if matches!(self.text[self.pos + 1..].chars().next(), Some('"' | '`')) => {
                    self.bump();
                    let raw = self.bump() == Some('`');
                    let parts = self.template(raw)?;
                    out.push_str(&self.render(parts));
                    self.rewritten = true;
                }
                '{' => {
                    depth += 1;
                    out.push(c);
                    self.bump();
                }
                '}' => {
                    self.bump();
                    if in_template && depth == 0 {
                        return Some(out);
                    }
                    depth = depth.saturating_sub(1);
                    out.push(c);
                }
                _ => {
                    out.push(c);
                    self.bump();
                }
            }
        }
    }

    /// The parts of a template whose opening `$"` or `` $` `` has been read, up to and including
    /// its closing quote.
    fn template(&mut self, raw: bool) -> Option<Vec<Part>> {
        let mut parts = Vec::new();
        let mut text = String::new();
        loop {
            let c = self.bump()?;
            match c {
                '"' if !raw => break,
                '`' if raw => break,
                '\\' if self.peek() == Some('{') => {
                    self.bump();
                    text.push('{');
                }
                // A string's escapes stay as they are, for regorus to read (and check).
                '\\' if !raw => {
                    text.push('\\');
                    text.push(self.bump()?);
                }
                '\n' if !raw => return None,
                '{' => {
                    let expr = self.code(true)?;
                    if !text.is_empty() {
                        parts.push(Part::Text(std::mem::take(&mut text)));
                    }
                    // The expression's own line breaks stay in it; they are inside the
                    // comprehension's braces.
                    parts.push(Part::Expr(expr));
                }
                '\n' => {
                    text.push_str("\\n");
                    parts.push(Part::Text(std::mem::take(&mut text)));
                    parts.push(Part::Break);
                }
                c => escape_into(c, &mut text),
            }
        }
        if !text.is_empty() {
            parts.push(Part::Text(text));
        }
        Some(parts)
    }

    /// The Rego text for a template's parts: a plain string when there is no expression and no
    /// line break, else a call of [`BUILTIN`].
    fn render(&mut self, parts: Vec<Part>) -> String {
        if parts.iter().all(|p| matches!(p, Part::Text(_))) {
            let body: String = parts
                .into_iter()
                .map(|p| match p {
                    Part::Text(t) => t,
                    _ => String::new(),
                })
                .collect();
            return format!("\"{body}\"");
        }
        let mut out = format!("{BUILTIN}([");
        let mut first = true;
        for part in parts {
            match part {
                Part::Break => out.push('\n'),
                Part::Text(text) => {
                    if !std::mem::take(&mut first) {
                        out.push_str(", ");
                    }
                    out.push('"');
                    out.push_str(&text);
                    out.push('"');
                }
                Part::Expr(expr) => {
                    if !std::mem::take(&mut first) {
                        out.push_str(", ");
                    }
                    let var = format!("{}{}__", self.prefix, self.next_var);
                    self.next_var += 1;
                    out.push_str(&format!("{{{var} | {var} := {expr}}}"));
                }
            }
        }
        out.push_str("])");
        out
    }
}

/// `c` of a raw template's text, escaped for the body of a Rego string.
fn escape_into(c: char, out: &mut String) {
    match c {
        '"' => out.push_str("\\\""),
        '\\' => out.push_str("\\\\"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        c if (c as u32) < 0x20 || c == '\x7f' => out.push_str(&format!("\\u{:04x}", c as u32)),
        c => out.push(c),
    }
}

#[cfg(test)]
mod tests;
