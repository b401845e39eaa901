//! Reading a template (see the parent module): text and actions, the actions' tokens as Go's lexer
//! reads them (its terminator and spacing rules included), and nodes, with Go's parse-time checks
//! (declared variables, `break` and `continue` inside a `range`).

use anyhow::{bail, Result};

use super::Datum;

/// Deepest nesting of control structures (an `else if` chain included) and parentheses in a template.
pub(super) const MAX_NESTING: usize = 100;

#[derive(Debug, Clone)]
pub(super) enum Node {
    Text(String),
    /// An action's pipeline; printed unless it declares or assigns variables.
    Action(Pipeline),
    If(Pipeline, Vec<Node>, Vec<Node>),
    /// Pipeline, body, `else` branch.
    Range(Pipeline, Vec<Node>, Vec<Node>),
    With(Pipeline, Vec<Node>, Vec<Node>),
    Break,
    Continue,
}

#[derive(Debug, Clone)]
pub(super) struct Pipeline {
    /// Variables declared (`$x :=`, `$i, $x :=`) or assigned (`$x =`).
    pub(super) variables: Vec<String>,
    pub(super) assigns: bool,
    pub(super) commands: Vec<Command>,
}

#[derive(Debug, Clone)]
pub(super) struct Command {
    pub(super) operands: Vec<Operand>,
}

#[derive(Debug, Clone)]
pub(super) enum Operand {
    /// `.` followed by fields (none for `.` itself).
    Dot(Vec<String>),
    /// `$name` followed by fields.
    Variable(String, Vec<String>),
    /// A parenthesized pipeline followed by fields.
    Group(Box<Pipeline>, Vec<String>),
    Constant(Datum),
    /// A function name.
    Function(String),
}

const KEYWORDS: &[&str] = &["if", "else", "end", "range", "with", "break", "continue", "define", "template", "block"];
pub(super) const FUNCTIONS: &[&str] = &["and", "or", "not", "len", "index", "eq", "ne", "lt", "le", "gt", "ge", "print", "println"];
const UNSUPPORTED: &[&str] =
    &["printf", "slice", "call", "html", "js", "urlquery", "define", "template", "block"];

/// Reads a template: text and actions, then the actions' tokens, into nodes.
pub(super) struct Parser<'a> {
    text: &'a str,
    at: usize,
    /// The tokens of the action being read, whether space came before each, and where reading stands.
    tokens: Vec<Token>,
    spaced: Vec<bool>,
    next: usize,
    depth: usize,
    /// Variables declared so far in scope (`$` first): using any other is an error, as in Go's parser.
    variables: Vec<String>,
    /// Enclosing `range`s, for `break` and `continue`.
    ranges: usize,
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Word(String),
    /// `.a.b` (empty list: `.` alone).
    Fields(Vec<String>),
    /// Fields written right after a variable or a closing parenthesis, with no space: `$x.a`, `(...).a`.
    Attached(Vec<String>),
    Variable(String),
    Str(String),
    Int(i64),
    Declare,
    Assign,
    Pipe,
    Open,
    Close,
    Comma,
}

/// How a list of nodes ended: at the end of the text, `{{end}}`, or `{{else ...}}` (the parser then stands
/// after `else`, on what follows it in that action).
enum ListEnd {
    Eof,
    EndAction,
    ElseAction,
}

impl<'a> Parser<'a> {
    pub(super) fn new(text: &'a str) -> Self {
        Parser {
            text,
            at: 0,
            tokens: Vec::new(),
            spaced: Vec::new(),
            next: 0,
            depth: 0,
            variables: vec!["$".to_string()],
            ranges: 0,
        }
    }

    pub(super) fn document(&mut self) -> Result<Vec<Node>> {
        match self.list()? {
            (nodes, ListEnd::Eof) => Ok(nodes),
            (_, ListEnd::EndAction) => bail!("template: unexpected {{{{end}}}}"),
            (_, ListEnd::ElseAction) => bail!("template: unexpected {{{{else}}}}"),
        }
    }

    fn deeper(&mut self) -> Result<()> {
        self.depth += 1;
        if self.depth > MAX_NESTING {
            bail!("template: nested deeper than {MAX_NESTING} levels");
        }
        Ok(())
    }

    /// Nodes up to the end of the text or an `end` or `else` action.
    fn list(&mut self) -> Result<(Vec<Node>, ListEnd)> {
        self.deeper()?;
        let mut nodes = Vec::new();
        let end = loop {
            if !self.next_action(&mut nodes)? {
                break ListEnd::Eof;
            }
            let Some(Token::Word(word)) = self.peek().cloned() else {
                nodes.push(Node::Action(self.pipeline(false)?));
                continue;
            };
            match word.as_str() {
                "end" => {
                    self.alone("end")?;
                    break ListEnd::EndAction;
                }
                "else" => {
                    self.next += 1;
                    break ListEnd::ElseAction;
                }
                "if" | "range" | "with" => {
                    self.next += 1;
                    nodes.push(self.control(&word)?);
                }
                "break" | "continue" => {
                    self.alone(&word)?;
                    if self.ranges == 0 {
                        bail!("template: {{{{{word}}}}} outside {{{{range}}}}");
                    }
                    nodes.push(if word == "break" { Node::Break } else { Node::Continue });
                }
                _ => nodes.push(Node::Action(self.pipeline(false)?)),
            }
        };
        self.depth -= 1;
        Ok((nodes, end))
    }

    /// `if`, `range` or `with` after its keyword: pipeline, body, and `else` branch. Variables it declares
    /// are in scope until its `end`.
    fn control(&mut self, keyword: &str) -> Result<Node> {
        // Each `else if` is a control inside the one before it: counted, so a long chain is bounded too.
        self.deeper()?;
        let scope = self.variables.len();
        let pipeline = self.pipeline(false)?;
        if keyword != "range" && pipeline.variables.len() > 1 {
            bail!("template: too many declarations in {keyword}");
        }
        let range = usize::from(keyword == "range");
        self.ranges += range;
        let (body, end) = self.list()?;
        self.ranges -= range;
        let otherwise = match end {
            ListEnd::Eof => bail!("template: unexpected EOF in {keyword}"),
            ListEnd::EndAction => Vec::new(),
            ListEnd::ElseAction if self.peek().is_none() => match self.list()? {
                (nodes, ListEnd::EndAction) => nodes,
                _ => bail!("template: expected end after else in {keyword}"),
            },
            // `else if ...` / `else with ...`: a nested control that shares this one's end.
            ListEnd::ElseAction => match self.peek() {
                Some(Token::Word(word)) if word == keyword && keyword != "range" => {
                    self.next += 1;
                    vec![self.control(keyword)?]
                }
                _ => bail!("template: unexpected tokens after else in {keyword}"),
            },
        };
        self.variables.truncate(scope);
        self.depth -= 1;
        Ok(match keyword {
            "if" => Node::If(pipeline, body, otherwise),
            "range" => Node::Range(pipeline, body, otherwise),
            _ => Node::With(pipeline, body, otherwise),
        })
    }

    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.next)
    }

    /// The action is this keyword alone.
    fn alone(&mut self, keyword: &str) -> Result<()> {
        if self.tokens.len() != 1 {
            bail!("template: unexpected tokens in {{{{{keyword}}}}}");
        }
        self.next = 1;
        Ok(())
    }

    fn variable_in_scope(&self, name: &str) -> Result<()> {
        if !self.variables.iter().any(|v| v == name) {
            bail!("template: undefined variable \"{name}\"");
        }
        Ok(())
    }

    /// A pipeline, inside parentheses when `grouped` (then it ends at the closing one).
    fn pipeline(&mut self, grouped: bool) -> Result<Pipeline> {
        let mut variables = Vec::new();
        let mut assigns = false;
        // A declaration: `$x :=`, `$i, $x :=`, or an assignment `$x =`.
        let start = self.next;
        while let Some(Token::Variable(name)) = self.peek().cloned() {
            self.next += 1;
            match self.peek() {
                Some(Token::Declare) | Some(Token::Assign) => {
                    assigns = self.peek() == Some(&Token::Assign);
                    self.next += 1;
                    variables.push(name);
                    break;
                }
                Some(Token::Comma) if variables.is_empty() => {
                    self.next += 1;
                    variables.push(name);
                }
                _ => {
                    self.next = start;
                    variables.clear();
                    break;
                }
            }
        }
        if !variables.is_empty() && self.tokens.get(self.next.wrapping_sub(1)) == Some(&Token::Comma) {
            bail!("template: a declaration of two variables needs :=");
        }
        // Declared names are checked here; assigned ones when they are assigned, as Go does.
        if !assigns {
            self.variables.extend(variables.iter().cloned());
        }
        let mut commands = vec![self.command()?];
        while self.peek() == Some(&Token::Pipe) {
            self.next += 1;
            // A `|` with nothing after it ends the pipeline, as in Go's parser.
            if matches!(self.peek(), None | Some(Token::Close)) {
                break;
            }
            commands.push(self.command()?);
        }
        match self.peek() {
            None => {}
            Some(Token::Close) if grouped => {}
            Some(Token::Close) => bail!("template: unexpected right paren"),
            Some(token) => bail!("template: unexpected {token:?} in pipeline"),
        }
        Ok(Pipeline { variables, assigns, commands })
    }

    fn command(&mut self) -> Result<Command> {
        let mut operands = Vec::new();
        while let Some(token) = self.peek().cloned() {
            if matches!(token, Token::Pipe | Token::Close) {
                break;
            }
            // Operands are separated by space: `(a)(b)` and `"a"b` are errors.
            if !operands.is_empty() && !self.spaced[self.next] {
                bail!("template: unexpected {token:?} in operand");
            }
            self.next += 1;
            let operand = match token {
                Token::Word(word) => match word.as_str() {
                    _ if matches!(self.peek(), Some(Token::Attached(_))) && matches!(word.as_str(), "true" | "false" | "nil") => {
                        bail!("template: unexpected . after term {word}")
                    }
                    "true" | "false" => Operand::Constant(Datum::Bool(word == "true")),
                    "nil" => Operand::Constant(Datum::Nil),
                    // `f.a`: the field of what `f` gives without arguments.
                    w if FUNCTIONS.contains(&w) && matches!(self.peek(), Some(Token::Attached(_))) => {
                        let call = Pipeline {
                            variables: Vec::new(),
                            assigns: false,
                            commands: vec![Command { operands: vec![Operand::Function(word)] }],
                        };
                        Operand::Group(Box::new(call), self.fields())
                    }
                    w if FUNCTIONS.contains(&w) => Operand::Function(word),
                    w if UNSUPPORTED.contains(&w) => {
                        bail!("template: {w} is not supported by sark-opa's strings.render_template")
                    }
                    _ => bail!("template: function \"{word}\" not defined"),
                },
                Token::Fields(fields) => Operand::Dot(fields),
                Token::Variable(name) => {
                    self.variable_in_scope(&name)?;
                    Operand::Variable(name, self.fields())
                }
                Token::Str(s) => Operand::Constant(Datum::Text(s.into(), false)),
                Token::Int(i) => Operand::Constant(Datum::Int(i)),
                Token::Open => {
                    self.deeper()?;
                    let inner = self.pipeline(true)?;
                    self.depth -= 1;
                    if self.peek() != Some(&Token::Close) {
                        bail!("template: unclosed left paren");
                    }
                    self.next += 1;
                    Operand::Group(Box::new(inner), self.fields())
                }
                Token::Pipe | Token::Close | Token::Declare | Token::Assign | Token::Comma | Token::Attached(_) => {
                    bail!("template: unexpected {token:?} in operand")
                }
            };
            operands.push(operand);
        }
        if operands.is_empty() {
            bail!("template: missing value for command");
        }
        Ok(Command { operands })
    }

    /// Fields written right after a variable or a parenthesis (`$x.a.b`, `(...).a`).
    fn fields(&mut self) -> Vec<String> {
        match self.peek() {
            Some(Token::Attached(fields)) => {
                let fields = fields.clone();
                self.next += 1;
                fields
            }
            _ => Vec::new(),
        }
    }

    /// Reads up to the next action: the text before it goes to `nodes`, its tokens to `self.tokens`.
    /// False at the end of the template.
    fn next_action(&mut self, nodes: &mut Vec<Node>) -> Result<bool> {
        loop {
            let rest = &self.text[self.at..];
            let Some(open) = rest.find("{{") else {
                if !rest.is_empty() {
                    nodes.push(Node::Text(rest.to_string()));
                }
                self.at = self.text.len();
                return Ok(false);
            };
            let mut text = &rest[..open];
            let mut inside = self.at + open + 2;
            // `{{- ` trims the whitespace before it (the marker is the dash and one space).
            if self.text[inside..].starts_with('-') && self.text[inside + 1..].starts_with(is_space) {
                text = text.trim_end_matches(is_space);
                inside += 2;
            }
            if !text.is_empty() {
                nodes.push(Node::Text(text.to_string()));
            }
            // A comment starts right at the delimiter (or its trim marker) and ends at the first `*/`.
            if let Some(comment) = self.text[inside..].strip_prefix("/*") {
                let Some(close) = comment.find("*/") else {
                    bail!("template: unclosed comment");
                };
                self.at = self.close_action(inside + 2 + close + 2, true)?;
                continue;
            }
            let (tokens, spaced, after) = lex(self.text, inside)?;
            self.at = self.close_action(after, false)?;
            if tokens.is_empty() {
                bail!("template: missing value for command");
            }
            (self.tokens, self.spaced, self.next) = (tokens, spaced, 0);
            return Ok(true);
        }
    }

    /// After an action's body at `at`: its `}}` (or ` -}}`, which trims the whitespace after it).
    fn close_action(&self, at: usize, comment: bool) -> Result<usize> {
        let rest = &self.text[at..];
        // After a comment only `}}` or one space and `-}}` may follow; after an action, any space.
        let trimmed = if comment {
            rest.strip_prefix(is_space).filter(|t| t.starts_with("-}}")).unwrap_or(rest)
        } else {
            rest.trim_start_matches(is_space)
        };
        if let Some(after) = trimmed.strip_prefix("-}}") {
            if trimmed.len() < rest.len() {
                let after = after.trim_start_matches(is_space);
                return Ok(self.text.len() - after.len());
            }
        }
        if let Some(after) = trimmed.strip_prefix("}}") {
            return Ok(self.text.len() - after.len());
        }
        if comment {
            bail!("template: comment ends before closing delimiter");
        }
        bail!("template: unclosed action")
    }
}

fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\r' | '\n')
}

/// The tokens of an action starting at byte `at` of `text`, whether space came before each, and where the
/// action's closing delimiter (with any trim marker and the space before it) starts.
fn lex(text: &str, mut at: usize) -> Result<(Vec<Token>, Vec<bool>, usize)> {
    let bytes = text.as_bytes();
    let (mut tokens, mut spaced) = (Vec::new(), Vec::new());
    loop {
        let before = at;
        while at < bytes.len() && is_space(bytes[at] as char) {
            at += 1;
        }
        let rest = &text[at..];
        if rest.starts_with("}}") || (at > before && rest.starts_with("-}}")) {
            return Ok((tokens, spaced, if rest.starts_with('-') { before } else { at }));
        }
        let Some(c) = rest.chars().next() else {
            bail!("template: unclosed action");
        };
        let (token, length) = match c {
            '|' => (Token::Pipe, 1),
            '(' => (Token::Open, 1),
            ')' => (Token::Close, 1),
            ',' => (Token::Comma, 1),
            '=' => (Token::Assign, 1),
            ':' if rest.starts_with(":=") => (Token::Declare, 2),
            '"' => quoted(rest)?,
            '`' => {
                let Some(end) = rest[1..].find('`') else {
                    bail!("template: unterminated raw quoted string");
                };
                (Token::Str(rest[1..1 + end].to_string()), end + 2)
            }
            '.' if !rest[1..].starts_with(|c: char| c.is_ascii_digit()) => {
                let (fields, length) = field_chain(rest)?;
                (Token::Fields(fields), length)
            }
            '$' => (Token::Variable(rest[..1 + identifier_length(&rest[1..])].to_string()), 1 + identifier_length(&rest[1..])),
            '0'..='9' | '-' | '+' | '.' => number(rest)?,
            c if c.is_alphabetic() || c == '_' => {
                let length = identifier_length(rest);
                (Token::Word(rest[..length].to_string()), length)
            }
            '\'' => bail!("template: character constants are not supported by sark-opa's strings.render_template"),
            _ => bail!("template: bad character {c:?} in action"),
        };
        let named = matches!(token, Token::Word(_) | Token::Fields(_) | Token::Variable(_));
        tokens.push(token);
        spaced.push(at > before);
        at += length;
        // `$x.a`, `(...).a`, `f.a`: fields right after a variable, a closing parenthesis or a name (not a
        // keyword: `if.a` is `if .a`).
        let chains = match tokens.last() {
            Some(Token::Variable(_) | Token::Close) => true,
            Some(Token::Word(word)) => !KEYWORDS.contains(&word.as_str()),
            _ => false,
        };
        if chains && text[at..].starts_with('.') {
            let (fields, length) = field_chain(&text[at..])?;
            if fields.is_empty() {
                bail!("template: unexpected . after term");
            }
            tokens.push(Token::Attached(fields));
            spaced.push(false);
            at += length;
        }
        // Go's lexer wants a name followed by space, a delimiter or punctuation (`nil"x"` is an error).
        if named {
            let next = text[at..].chars().next();
            let ends = next.is_none_or(|n| is_space(n) || ".,|:()".contains(n)) || text[at..].starts_with("}}");
            if !ends {
                bail!("template: bad character {:?} after a name", next.unwrap_or(' '));
            }
        }
    }
}

/// Bytes of an identifier: letters, digits and `_`.
fn identifier_length(text: &str) -> usize {
    text.char_indices()
        .find(|&(_, c)| !(c.is_alphanumeric() || c == '_'))
        .map_or(text.len(), |(i, _)| i)
}

/// `.a.b` at the start of `text` (no fields for `.` alone), and its length; a `.` that names nothing after
/// a field, or after `.` itself, is an error, as in Go's parser.
fn field_chain(text: &str) -> Result<(Vec<String>, usize)> {
    let mut fields = Vec::new();
    let mut at = 0;
    while text[at..].starts_with('.') {
        if at > 0 && text[at + 1..].starts_with(|c: char| c.is_ascii_digit()) {
            bail!("template: bad number syntax after a field");
        }
        let length = identifier_length(&text[at + 1..]);
        if length == 0 {
            if !fields.is_empty() {
                bail!("template: unexpected <.> in operand");
            }
            at += 1;
            break;
        }
        fields.push(text[at + 1..at + 1 + length].to_string());
        at += 1 + length;
    }
    if text[at..].starts_with('.') {
        bail!("template: unexpected . after term");
    }
    Ok((fields, at))
}

/// A Go interpreted string literal at the start of `text`, and its length.
fn quoted(text: &str) -> Result<(Token, usize)> {
    let mut out = String::new();
    let mut chars = text.char_indices().skip(1);
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return Ok((Token::Str(out), i + 1)),
            '\n' => break,
            '\\' => {
                let Some((_, e)) = chars.next() else { break };
                match e {
                    'n' => out.push('\n'),
                    't' => out.push('\t'),
                    'r' => out.push('\r'),
                    'a' => out.push('\u{7}'),
                    'b' => out.push('\u{8}'),
                    'f' => out.push('\u{c}'),
                    'v' => out.push('\u{b}'),
                    '\\' => out.push('\\'),
                    '"' => out.push('"'),
                    'u' | 'U' => {
                        let n = if e == 'u' { 4 } else { 8 };
                        let digits: String = chars.by_ref().take(n).map(|(_, d)| d).collect();
                        let code = u32::from_str_radix(&digits, 16).ok().filter(|_| digits.len() == n);
                        match code.and_then(char::from_u32) {
                            Some(c) => out.push(c),
                            None => bail!("template: bad escape in string"),
                        }
                    }
                    _ => bail!("template: escape \\{e} is not supported by sark-opa's strings.render_template"),
                }
            }
            c => out.push(c),
        }
    }
    bail!("template: unterminated quoted string")
}

/// A decimal integer constant at the start of `text`, and its length.
fn number(text: &str) -> Result<(Token, usize)> {
    let length = text
        .char_indices()
        .find(|&(i, c)| !(c.is_ascii_alphanumeric() || c == '.' || c == '_' || (i == 0 && (c == '-' || c == '+'))))
        .map_or(text.len(), |(i, _)| i);
    let literal = &text[..length];
    // Decimal only: Go reads `012` as octal and `0x1F`, `1_000` and `1e3` too, which are not supported here.
    let digits = literal.trim_start_matches(['-', '+']);
    let decimal = digits.bytes().all(|b| b.is_ascii_digit()) && !(digits.len() > 1 && digits.starts_with('0'));
    match literal.parse::<i64>() {
        Ok(n) if decimal && literal.len() - digits.len() <= 1 => Ok((Token::Int(n), length)),
        _ => bail!("template: number {literal} is not supported by sark-opa's strings.render_template (decimal integers only)"),
    }
}
