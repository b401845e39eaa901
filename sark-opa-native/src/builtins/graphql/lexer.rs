//! GraphQL's tokens, read as gqlparser (the library OPA's `graphql.*` builtins use) reads them: the
//! same token kinds, the same positions (line and column count characters, not bytes) and the same
//! error texts, since OPA's errors quote them.

use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Invalid,
    Eof,
    Bang,
    Dollar,
    Amp,
    ParenL,
    ParenR,
    Spread,
    Colon,
    Equals,
    At,
    BracketL,
    BracketR,
    BraceL,
    BraceR,
    Pipe,
    Name,
    Int,
    Float,
    String,
    BlockString,
    Comment,
}

impl fmt::Display for Kind {
    /// The way gqlparser's messages name a kind ("Expected Name, found <EOF>").
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(match self {
            Kind::Invalid => "<Invalid>",
            Kind::Eof => "<EOF>",
            Kind::Bang => "!",
            Kind::Dollar => "$",
            Kind::Amp => "&",
            Kind::ParenL => "(",
            Kind::ParenR => ")",
            Kind::Spread => "...",
            Kind::Colon => ":",
            Kind::Equals => "=",
            Kind::At => "@",
            Kind::BracketL => "[",
            Kind::BracketR => "]",
            Kind::BraceL => "{",
            Kind::BraceR => "}",
            Kind::Pipe => "|",
            Kind::Name => "Name",
            Kind::Int => "Int",
            Kind::Float => "Float",
            Kind::String => "String",
            Kind::BlockString => "BlockString",
            Kind::Comment => "Comment",
        })
    }
}

/// Where a token starts (or where reading one failed), 1-based. As in gqlparser, a token is placed on
/// the line where it ends, so the column of a block string that spans lines can be 0 or negative.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Position {
    pub line: usize,
    pub column: isize,
}

#[derive(Clone, Debug)]
pub struct Token {
    pub kind: Kind,
    /// The token's text (a string's decoded value); empty for punctuation.
    pub value: String,
    pub pos: Position,
}

impl fmt::Display for Token {
    /// `Name "foo"`, or the kind alone for a token without a value.
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        if self.value.is_empty() {
            write!(f, "{}", self.kind)
        } else {
            write!(f, "{} {}", self.kind, super::super::args::go_quote(&self.value))
        }
    }
}

/// An error with the place it refers to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    pub message: String,
    pub pos: Option<Position>,
}

impl Error {
    pub fn at(pos: Position, message: impl Into<String>) -> Error {
        Error { message: message.into(), pos: Some(pos) }
    }
}

pub struct Lexer<'a> {
    input: &'a str,
    bytes: &'a [u8],
    start: usize,
    start_runes: usize,
    end: usize,
    end_runes: usize,
    line: usize,
    line_start_runes: usize,
}

/// A failed read: the `Invalid` token the parser sees in its place, and the error reported when the
/// parser consumes it.
pub type Read = Result<Token, (Token, Error)>;

impl<'a> Lexer<'a> {
    pub fn new(input: &'a str) -> Lexer<'a> {
        Lexer { input, bytes: input.as_bytes(), start: 0, start_runes: 0, end: 0, end_runes: 0, line: 1, line_start_runes: 0 }
    }

    fn token(&self, kind: Kind, value: String) -> Read {
        let pos = Position { line: self.line, column: column(self.start_runes, self.line_start_runes) };
        Ok(Token { kind, value, pos })
    }

    fn text_token(&self, kind: Kind) -> Read {
        self.token(kind, self.input[self.start..self.end].to_string())
    }

    fn error(&self, message: String) -> Read {
        let pos = Position { line: self.line, column: column(self.end_runes, self.line_start_runes) };
        Err((Token { kind: Kind::Invalid, value: String::new(), pos }, Error::at(pos, message)))
    }

    fn advance(&mut self, bytes: usize, runes: usize) {
        self.end += bytes;
        self.end_runes += runes;
    }

    fn next_line(&mut self) {
        self.line += 1;
        self.line_start_runes = self.end_runes;
    }

    pub fn read(&mut self) -> Read {
        self.whitespace();
        self.start = self.end;
        self.start_runes = self.end_runes;
        let Some(&byte) = self.bytes.get(self.start) else {
            return self.token(Kind::Eof, String::new());
        };
        self.advance(1, 1);
        let punctuation = match byte {
            b'!' => Some(Kind::Bang),
            b'$' => Some(Kind::Dollar),
            b'&' => Some(Kind::Amp),
            b'(' => Some(Kind::ParenL),
            b')' => Some(Kind::ParenR),
            b':' => Some(Kind::Colon),
            b'=' => Some(Kind::Equals),
            b'@' => Some(Kind::At),
            b'[' => Some(Kind::BracketL),
            b']' => Some(Kind::BracketR),
            b'{' => Some(Kind::BraceL),
            b'}' => Some(Kind::BraceR),
            b'|' => Some(Kind::Pipe),
            _ => None,
        };
        if let Some(kind) = punctuation {
            return self.token(kind, String::new());
        }
        match byte {
            b'.' if self.input[self.start..].starts_with("...") => {
                self.advance(2, 2);
                return self.token(Kind::Spread, String::new());
            }
            b'#' => return self.comment(),
            b'_' | b'a'..=b'z' | b'A'..=b'Z' => return self.name(),
            b'-' | b'0'..=b'9' => return self.number(),
            b'"' if self.input[self.start..].starts_with("\"\"\"") => return self.block_string(),
            b'"' => return self.string(),
            _ => {}
        }
        self.advance_back();
        if byte < 0x20 && !matches!(byte, b'\t' | b'\n' | b'\r') {
            return self.error(format!("Cannot contain the invalid character \"\\u{byte:04x}\""));
        }
        if byte == b'\'' {
            return self.error(
                "Unexpected single quote character ('), did you mean to use a double quote (\")?".to_string(),
            );
        }
        // Go converts the byte itself to a character (a multi-byte character shows as its first byte).
        self.error(format!("Cannot parse the unexpected character \"{}\".", char::from(byte)))
    }

    fn advance_back(&mut self) {
        self.end -= 1;
        self.end_runes -= 1;
    }

    fn whitespace(&mut self) {
        while let Some(&byte) = self.bytes.get(self.end) {
            match byte {
                b'\t' | b' ' | b',' => self.advance(1, 1),
                b'\n' => {
                    self.advance(1, 1);
                    self.next_line();
                }
                b'\r' => {
                    self.advance(1, 1);
                    self.next_line();
                    if self.bytes.get(self.end) == Some(&b'\n') {
                        self.advance(1, 1);
                    }
                }
                // A byte order mark.
                0xef if self.bytes.get(self.end + 1..self.end + 3) == Some(&[0xbb, 0xbf]) => self.advance(3, 1),
                _ => return,
            }
        }
    }

    fn peek_char(&self) -> Option<char> {
        self.input[self.end..].chars().next()
    }

    fn comment(&mut self) -> Read {
        while let Some(c) = self.peek_char() {
            if c > '\u{1f}' || c == '\t' {
                self.advance(c.len_utf8(), 1);
            } else {
                break;
            }
        }
        self.text_token(Kind::Comment)
    }

    fn name(&mut self) -> Read {
        while let Some(&byte) = self.bytes.get(self.end) {
            if byte.is_ascii_alphanumeric() || byte == b'_' {
                self.advance(1, 1);
            } else {
                break;
            }
        }
        self.text_token(Kind::Name)
    }

    fn accept(&mut self, options: &[u8]) -> bool {
        match self.bytes.get(self.end) {
            Some(byte) if options.contains(byte) => {
                self.advance(1, 1);
                true
            }
            _ => false,
        }
    }

    fn digits(&mut self) -> usize {
        let mut consumed = 0;
        while self.bytes.get(self.end).is_some_and(u8::is_ascii_digit) {
            self.advance(1, 1);
            consumed += 1;
        }
        consumed
    }

    fn describe_next(&self) -> String {
        match self.bytes.get(self.end) {
            Some(&byte) => format!("\"{}\"", char::from(byte)),
            None => "<EOF>".to_string(),
        }
    }

    fn number(&mut self) -> Read {
        let mut float = false;
        self.advance_back();
        self.accept(b"-");
        if self.accept(b"0") {
            let consumed = self.digits();
            if consumed != 0 {
                self.end -= consumed;
                self.end_runes -= consumed;
                return self.error(format!("Invalid number, unexpected digit after 0: {}.", self.describe_next()));
            }
        } else if self.digits() == 0 {
            return self.error(format!("Invalid number, expected digit but got: {}.", self.describe_next()));
        }
        if self.accept(b".") {
            float = true;
            if self.digits() == 0 {
                return self.error(format!("Invalid number, expected digit but got: {}.", self.describe_next()));
            }
        }
        if self.accept(b"eE") {
            float = true;
            self.accept(b"-+");
            if self.digits() == 0 {
                return self.error(format!("Invalid number, expected digit but got: {}.", self.describe_next()));
            }
        }
        self.text_token(if float { Kind::Float } else { Kind::Int })
    }

    fn string(&mut self) -> Read {
        self.start += 1;
        self.start_runes += 1;
        // Only a string with escapes is copied; the others are a slice of the input.
        let mut decoded: Option<String> = None;
        while let Some(&byte) = self.bytes.get(self.end) {
            if byte == b'\n' || byte == b'\r' {
                break;
            }
            if byte < 0x20 && byte != b'\t' {
                return self.error(format!("Invalid character within String: \"\\u{byte:04x}\"."));
            }
            match byte {
                b'"' => {
                    let value = decoded.take().unwrap_or_else(|| self.input[self.start..self.end].to_string());
                    // Placed after the opening quote, as gqlparser places it.
                    let token = self.token(Kind::String, value);
                    self.advance(1, 1);
                    return token;
                }
                b'\\' => {
                    if self.end + 1 >= self.bytes.len() {
                        self.advance(1, 1);
                        return self.error("Invalid character escape sequence.".to_string());
                    }
                    let buffer = decoded.get_or_insert_with(|| self.input[self.start..self.end].to_string());
                    let escape = self.bytes[self.end + 1];
                    if escape == b'u' {
                        if let Err(e) = self.unicode_escape(buffer) {
                            return e;
                        }
                        continue;
                    }
                    let plain = match escape {
                        b'"' | b'/' | b'\\' => escape as char,
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        _ => {
                            self.advance(1, 1);
                            let shown = self.input[self.end..].chars().next().unwrap_or_default();
                            return self.error(format!("Invalid character escape sequence: \\{shown}."));
                        }
                    };
                    buffer.push(plain);
                    self.advance(2, 2);
                }
                _ => {
                    let c = self.peek_char().expect("a byte is there");
                    self.advance(c.len_utf8(), 1);
                    if let Some(buffer) = decoded.as_mut() {
                        buffer.push(c);
                    }
                }
            }
        }
        self.error("Unterminated string.".to_string())
    }

    /// `\uXXXX` (with a following low surrogate joined to a high one) or `\u{X...}` at `self.end`.
    fn unicode_escape(&mut self, buffer: &mut String) -> Result<(), Read> {
        let rest = &self.input[self.end..];
        if rest[2..].starts_with('{') {
            let (value, length) = braced_hex(&rest[3..]);
            let Some(c) = value else {
                self.advance(1, 1);
                let shown = self.input.get(self.end..self.end + 2 + length).unwrap_or(&self.input[self.end..]);
                return Err(self.error(format!("Invalid character escape sequence: \\{shown}.")));
            };
            self.advance(3 + length, 3 + length);
            buffer.push(c);
            return Ok(());
        }
        if self.end + 6 >= self.bytes.len() {
            self.advance(1, 1);
            return Err(self.error(format!("Invalid character escape sequence: \\{}.", &self.input[self.end..])));
        }
        let Some(mut code) = hex(&self.bytes[self.end + 2..self.end + 6]) else {
            self.advance(1, 1);
            let shown = String::from_utf8_lossy(&self.bytes[self.end..self.end + 5]).into_owned();
            return Err(self.error(format!("Invalid character escape sequence: \\{shown}.")));
        };
        self.advance(6, 6);
        if (0xd800..0xdc00).contains(&code) && self.end + 6 < self.bytes.len() {
            let next = &self.bytes[self.end..self.end + 6];
            if let (b"\\u", Some(low @ 0xdc00..=0xdfff)) = (&next[..2], hex(&next[2..])) {
                code = 0x10000 + ((code - 0xd800) << 10) + (low - 0xdc00);
                self.advance(6, 6);
            }
        }
        // Go writes a lone surrogate as U+FFFD.
        buffer.push(char::from_u32(code).unwrap_or('\u{fffd}'));
        Ok(())
    }

    fn block_string(&mut self) -> Read {
        let mut raw = String::new();
        self.start += 3;
        self.start_runes += 3;
        self.advance(2, 2);
        while let Some(&byte) = self.bytes.get(self.end) {
            if byte == b'"' {
                let quotes = self.bytes[self.end..].iter().take_while(|&&b| b == b'"').count();
                if quotes >= 3 {
                    raw.extend(std::iter::repeat_n('"', quotes - 3));
                    // Placed after the opening quotes, as gqlparser places it.
                    let token = self.token(Kind::BlockString, block_string_value(&raw));
                    self.advance(quotes, quotes);
                    return token;
                }
            }
            if byte < 0x20 && !matches!(byte, b'\t' | b'\n' | b'\r') {
                return self.error(format!("Invalid character within String: \"\\u{byte:04x}\"."));
            }
            if self.input[self.end..].starts_with("\\\"\"\"") {
                raw.push_str("\"\"\"");
                self.advance(4, 4);
            } else if byte == b'\r' {
                if self.bytes.get(self.end + 1) == Some(&b'\n') {
                    self.advance(1, 1);
                }
                raw.push('\n');
                self.advance(1, 1);
                self.next_line();
            } else {
                let c = self.peek_char().expect("a byte is there");
                self.advance(c.len_utf8(), 1);
                raw.push(c);
                if c == '\n' {
                    self.next_line();
                }
            }
        }
        self.error("Unterminated string.".to_string())
    }
}

/// The 1-based column of the character at `runes`, on the line that starts at `line_start`.
fn column(runes: usize, line_start: usize) -> isize {
    runes as isize - line_start as isize + 1
}

fn hex(digits: &[u8]) -> Option<u32> {
    digits.iter().try_fold(0u32, |value, &d| Some(value << 4 | char::from(d).to_digit(16)?))
}

/// The character of `\u{...}`'s digits (up to 8 and the closing brace, at the start of `text`) and how
/// many bytes were looked at.
fn braced_hex(text: &str) -> (Option<char>, usize) {
    let mut value: u32 = 0;
    for (n, byte) in text.bytes().enumerate().take(9) {
        if byte == b'}' {
            return (if n == 0 { None } else { char::from_u32(value) }, n + 1);
        }
        let Some(digit) = char::from(byte).to_digit(16) else {
            return (None, n);
        };
        value = value.wrapping_shl(4) | digit;
    }
    (None, text.len().min(9))
}

/// A block string's value: the common indentation of its lines after the first removed, and blank
/// leading and trailing lines dropped (GraphQL's BlockStringValue).
fn block_string_value(raw: &str) -> String {
    let mut lines: Vec<&str> = raw.split('\n').collect();
    let common = lines.iter().filter_map(|line| indentation(line)).min();
    if let Some(common) = common {
        for line in lines.iter_mut().skip(1) {
            *line = line.get(common..).unwrap_or("");
        }
    }
    let first = lines.iter().position(|line| indentation(line).is_some()).unwrap_or(lines.len());
    let last = lines.iter().rposition(|line| indentation(line).is_some()).map_or(first, |i| i + 1);
    lines[first..last.max(first)].join("\n")
}

/// The leading spaces and tabs of a line that has something else; `None` for a blank line.
fn indentation(line: &str) -> Option<usize> {
    line.bytes().position(|b| b != b' ' && b != b'\t')
}
