//! OPA 1.2x's logical operators, which regorus 0.14 does not parse: `and` and `or` between the
//! expressions of a statement, braces as an operand body of their own, and `not` of a body.
//!
//! ```rego
//! import future.keywords.and
//! import future.keywords.or
//! import future.keywords.not
//!
//! p if input.x > 0 and input.y > 0
//! q if { is_admin or { some g in input.groups; g == "ops" } }
//! r if { not { input.a and input.b } }
//! ```
//!
//! They are keywords only in a module that imports them: `future.keywords.and`, `.or`, `.not`;
//! `future.keywords` in Rego v1; `rego.v2`, which brings all three and implies `rego.v1`. Elsewhere
//! `and` and `or` stay ordinary names. As in OPA, a statement made with them succeeds at most once,
//! whatever its operands enumerate, and binds nothing for the rest of the body; `and` binds tighter
//! than `or`, `not x` applies to its one operand, parentheses group; the right operand is evaluated
//! only when the left one leaves the answer open; an operand in braces has its own scope, so
//! `{ a := 1; a > 0 } and { a := 2; a > 1 }` declares two `a`s; a `with` after the last operand
//! applies to the whole statement (or parenthesized group).
//!
//! [`rewrite`] turns each such statement into comprehensions, which have exactly those properties
//! in regorus (they see the enclosing body's variables, scope their own, stop an evaluation on a
//! builtin error in strict mode, and come under the statement's `with`):
//!
//! - `A and B` -> `[1 | A; B] != []`, with an operand in braces as `[1 | body] != []` of its own;
//! - `A or B`  -> `[1 | [1 | A] == []; [1 | B] == []] == []`: not (neither A nor B), which stops
//!   at the first operand that holds;
//! - `not { body }` -> `[1 | body] == []`.
//!
//! The `future.keywords` imports of the three are blanked, and `import rego.v2` becomes
//! `import rego.v1`. Text is tokenized by regorus' lexer, so strings and comments are never
//! touched; a rewritten statement keeps its line count (the line breaks between its operands move to
//! its end, inside its brackets), so the lines after it keep their numbers.

use std::borrow::Cow;

use regorus::unstable::TokenKind;

use crate::keywords::Tokens;

/// `source` (one policy) with its logical operators rewritten; returned as it is when it imports
/// none of them, or does not tokenize (the parser then reports it).
pub fn rewrite(source: &str) -> Cow<'_, str> {
    if !might_import_operators(source) {
        return Cow::Borrowed(source);
    }
    let Some(tokens) = Tokens::of(source) else {
        return Cow::Borrowed(source);
    };
    let Some((enabled, imports)) = Enabled::imported(&tokens) else {
        return Cow::Borrowed(source);
    };
    let logic = Logic { tokens: &tokens, enabled };
    if !logic.balanced() {
        return Cow::Borrowed(source);
    }
    let mut edits: Vec<(usize, usize, String)> = imports
        .into_iter()
        .map(|import| {
            let (start, end) = (logic.extent(import.first).0, logic.extent(import.last).1);
            let text = if import.as_rego_v1 { "import rego.v1".to_string() } else { String::new() };
            (start, end, format!("{text:end$}", end = end - start))
        })
        .collect();
    if !tokens.list.is_empty() {
        edits.extend(logic.statements(0, tokens.list.len() - 1).into_iter().map(|s| {
            let (start, end) = (logic.extent(s.first).0, logic.extent(s.last).1);
            (start, end, logic.replacement(&s.tree, &source[start..end]))
        }));
    }
    edits.sort_by_key(|e| e.0);
    let mut out = String::with_capacity(source.len() + 64);
    let mut at = 0;
    for (start, end, text) in edits {
        if start < at {
            continue; // cannot happen (a statement never spans an import), but never cut text twice
        }
        out.push_str(&source[at..start]);
        out.push_str(&text);
        at = end;
    }
    out.push_str(&source[at..]);
    Cow::Owned(out)
}

/// Cheap test for an import that could enable the operators.
fn might_import_operators(source: &str) -> bool {
    source.contains("rego.v2") || source.contains("future.keywords")
}

/// Which operators a module imported.
#[derive(Clone, Copy)]
struct Enabled {
    and: bool,
    or: bool,
    /// `not { ... }` and `not ( ... )` as the negation of a body (`future.keywords.not`).
    not_bodies: bool,
}

/// An import regorus does not know, tokens `first..=last`: blanked, or `import rego.v2` read as the
/// `import rego.v1` it implies (unless the module has that too).
struct Import {
    first: usize,
    last: usize,
    as_rego_v1: bool,
}

impl Enabled {
    const ALL: Enabled = Enabled { and: true, or: true, not_bodies: true };

    /// The operators the module imports, and the imports to rewrite; `None` when it imports none.
    /// `import future.keywords` brings them all, in v0 as in v1 (OPA's capabilities list them as
    /// future keywords of both).
    fn imported(tokens: &Tokens) -> Option<(Enabled, Vec<Import>)> {
        let mut enabled = Enabled { and: false, or: false, not_bodies: false };
        let mut imports = Vec::new();
        let (mut all_future, mut rego_v1) = (false, false);
        let path = |i: usize, parts: &[&str]| {
            parts.iter().enumerate().all(|(k, part)| {
                let kind = if k % 2 == 1 { TokenKind::Symbol } else { TokenKind::Ident };
                tokens.is(i + k, kind, part)
            })
        };
        for i in 0..tokens.list.len() {
            if !tokens.is(i, TokenKind::Ident, "import") || tokens.after_dot(i) {
                continue;
            }
            if path(i + 1, &["rego", ".", "v2"]) {
                enabled = Enabled::ALL;
                imports.push(Import { first: i, last: i + 3, as_rego_v1: true });
            } else if path(i + 1, &["rego", ".", "v1"]) {
                rego_v1 = true;
            } else if path(i + 1, &["future", ".", "keywords", "."]) {
                let keyword = i + 5;
                let flag = match tokens.list.get(keyword).map(|_| tokens.text(keyword)) {
                    Some("and") => &mut enabled.and,
                    Some("or") => &mut enabled.or,
                    Some("not") => &mut enabled.not_bodies,
                    _ => continue,
                };
                *flag = true;
                imports.push(Import { first: i, last: keyword, as_rego_v1: false });
            } else if path(i + 1, &["future", ".", "keywords"]) {
                all_future = true;
            }
        }
        if all_future {
            enabled = Enabled::ALL;
        }
        if rego_v1 {
            imports.iter_mut().for_each(|import| import.as_rego_v1 = false);
        }
        (enabled.and || enabled.or || enabled.not_bodies).then_some((enabled, imports))
    }
}

/// A statement made with the operators: tokens `first..=last`, and its logical structure.
struct Statement {
    first: usize,
    last: usize,
    tree: Node,
}

/// A statement's logical structure; ranges are inclusive token indexes.
enum Node {
    /// An expression as written (`input.x > 0`, `not input.y`, `f(x)`).
    Plain(usize, usize),
    /// The statements inside an operand's braces.
    Body(usize, usize),
    Not(Box<Node>),
    And(Vec<Operand>),
    Or(Vec<Operand>),
    /// A clause and the `with` modifiers after it (tokens), which apply to all of it.
    With(Box<Node>, usize, usize),
}

/// An operand of `and` or `or`, and its tokens (for the line breaks between operands).
struct Operand {
    node: Node,
    first: usize,
    last: usize,
}

struct Logic<'t, 'a> {
    tokens: &'t Tokens<'a>,
    enabled: Enabled,
}

impl Logic<'_, '_> {
    /// Byte range of token `i`'s text, a string's quotes included.
    fn extent(&self, i: usize) -> (usize, usize) {
        let token = &self.tokens.list[i];
        match token.kind {
            TokenKind::String | TokenKind::RawString => (token.start - 1, token.end + 1),
            _ => (token.start, token.end),
        }
    }

    /// The symbol at `i`. regorus' lexer reads `set()` as the name `set(` and `)`: that name counts as
    /// the `(` it holds, so brackets still pair.
    fn symbol(&self, i: usize) -> Option<&str> {
        match self.tokens.list[i].kind {
            TokenKind::Symbol => Some(self.tokens.text(i)),
            TokenKind::Ident if self.tokens.text(i) == "set(" => Some("("),
            _ => None,
        }
    }

    /// Whether every bracket of the module pairs up. Stray closing brackets would make each statement's
    /// scan run to the start of the module (quadratic); such text is left for the parser to report.
    fn balanced(&self) -> bool {
        let mut open: Vec<&str> = Vec::new();
        for i in 0..self.tokens.list.len() {
            match self.symbol(i) {
                Some(s @ ("(" | "[" | "{")) => open.push(s),
                Some(s @ (")" | "]" | "}")) => {
                    let pair = match s {
                        ")" => "(",
                        "]" => "[",
                        _ => "{",
                    };
                    if open.pop() != Some(pair) {
                        return false;
                    }
                }
                _ => {}
            }
        }
        open.is_empty()
    }

    /// A keyword name at `i` (not a field after a dot).
    fn keyword(&self, i: usize, name: &str) -> bool {
        self.tokens.is(i, TokenKind::Ident, name) && !self.tokens.after_dot(i)
    }

    fn operator(&self, i: usize, name: &str) -> bool {
        self.logical_word(i) && self.tokens.text(i) == name && !self.names_something(i)
    }

    /// An imported `and` or `or` at `i` (an operator, or a name as [`Logic::names_something`] says).
    fn logical_word(&self, i: usize) -> bool {
        let on = match self.tokens.text(i) {
            "and" => self.enabled.and,
            "or" => self.enabled.or,
            _ => false,
        };
        on && self.tokens.list[i].kind == TokenKind::Ident && !self.tokens.after_dot(i)
    }

    /// `and`/`or` at `i` is a name where a term is expected (a statement's start, a line's start, or
    /// after an operator) and directly followed by `(` or `.`: a call of OPA's set builtins `and` and
    /// `or`, or a reference such as the rule `or.foo`, as OPA's parser reads them.
    fn names_something(&self, i: usize) -> bool {
        let next = i + 1;
        let opens = next < self.tokens.list.len()
            && matches!(self.symbol(next), Some("(" | "."))
            && self.tokens.list[i].end == self.tokens.list[next].start;
        if !opens || i == 0 || !self.ends_operand(i - 1) {
            return opens;
        }
        // After a complete expression: `or(` on the next line is still the operator, as OPA reads it;
        // `or.foo` there starts a rule.
        self.symbol(next) == Some(".") && self.end_line(i - 1) < self.tokens.list[i].line
    }

    /// The line token `i` ends on (a string may span lines).
    fn end_line(&self, i: usize) -> u32 {
        let (start, end) = self.extent(i);
        self.tokens.list[i].line + self.tokens.source[start..end].matches('\n').count() as u32
    }

    fn either_operator(&self, i: usize) -> bool {
        self.operator(i, "and") || self.operator(i, "or")
    }

    /// Index of the bracket closing the one opened at `open`; `None` when there is none before
    /// `last`, or `open` opens nothing.
    fn closing(&self, open: usize, last: usize) -> Option<usize> {
        let mut depth = 0usize;
        for i in open..=last {
            match self.symbol(i) {
                Some("(" | "[" | "{") => depth += 1,
                Some(")" | "]" | "}") => {
                    depth = depth.checked_sub(1)?;
                    if depth == 0 {
                        return Some(i);
                    }
                }
                _ => {}
            }
        }
        None
    }

    /// Tokens `first..=last` at bracket depth 0 (relative to `first`) for which `at` holds.
    fn top_level(&self, first: usize, last: usize, at: impl Fn(usize) -> bool) -> Vec<usize> {
        let mut depth = 0usize;
        let mut found = Vec::new();
        for i in first..=last {
            match self.symbol(i) {
                Some("(" | "[" | "{") => depth += 1,
                Some(")" | "]" | "}") => depth = depth.saturating_sub(1),
                _ if depth == 0 && at(i) => found.push(i),
                _ => {}
            }
        }
        found
    }

    /// Token `i` can end an expression.
    fn ends_operand(&self, i: usize) -> bool {
        match self.tokens.list[i].kind {
            TokenKind::Symbol => matches!(self.tokens.text(i), ")" | "]" | "}"),
            TokenKind::Ident if self.tokens.after_dot(i) => true,
            // An imported `and`/`or` is an operator, or a name that `(` or `.` continues.
            TokenKind::Ident => {
                !self.logical_word(i)
                    && !matches!(self.tokens.text(i), "in" | "not" | "with" | "as" | "if" | "else" | "contains" | "some" | "every")
            }
            _ => true,
        }
    }

    /// Token `i`, first on its line, continues the expression of the line before.
    fn continues(&self, i: usize) -> bool {
        match self.tokens.list[i].kind {
            TokenKind::Symbol => matches!(
                self.tokens.text(i),
                "." | "==" | "!=" | "<" | "<=" | ">" | ">=" | "+" | "-" | "*" | "/" | "%" | "&" | "|" | ":=" | "="
            ),
            TokenKind::Ident => self.either_operator(i) || matches!(self.tokens.text(i), "with" | "as" | "in"),
            // The lexer reads `-1` as one number; after a line's expression it is a subtraction.
            TokenKind::Number => self.tokens.text(i).starts_with('-'),
            _ => false,
        }
    }

    /// The bracket at `open` starts a term (an array, set, object or comprehension), not a body: it is
    /// a `[`, or a `{` after an operator, bracket, comma, `in` or `as` (a body's `{` follows `if`,
    /// `else`, `not`, a rule head or `every`'s domain).
    fn opens_term(&self, open: usize) -> bool {
        self.symbol(open) == Some("[")
            || open == 0
            || matches!(self.symbol(open - 1), Some(s) if !matches!(s, ")" | "]" | "}"))
            || self.keyword(open - 1, "in")
            || self.keyword(open - 1, "as")
    }

    /// A line break between tokens `a` and `b = a + 1` ends a statement.
    fn breaks_between(&self, a: usize, b: usize) -> bool {
        self.end_line(a) < self.tokens.list[b].line && self.ends_operand(a) && !self.continues(b)
    }

    /// The statement around token `k`, within `lo..=hi`: from after the enclosing bracket (or the
    /// comprehension bar inside it), `;`, `if`, `else` or line break, to before the next such boundary.
    fn statement_around(&self, k: usize, lo: usize, hi: usize) -> (usize, usize) {
        // `k` may itself be a bracket: the scan away from it starts inside it.
        let (mut first, mut depth) = (k, usize::from(matches!(self.symbol(k), Some(")" | "]" | "}"))));
        // The leftmost `|` met at depth 0: a comprehension's bar if an enclosing `[` or `{` follows,
        // else set union inside the statement.
        let mut bar = None;
        while first > lo {
            let previous = first - 1;
            if depth == 0
                && (self.breaks_between(previous, first) || self.keyword(previous, "if") || self.keyword(previous, "else"))
            {
                break;
            }
            match self.symbol(previous) {
                Some(")" | "]" | "}") => depth += 1,
                Some("[" | "{") if depth == 0 => {
                    if self.opens_term(previous) {
                        first = bar.unwrap_or(first);
                    }
                    break;
                }
                Some("(") if depth == 0 => break,
                Some("(" | "[" | "{") => depth -= 1,
                Some(";") if depth == 0 => break,
                Some("|") if depth == 0 => bar = Some(first),
                _ => {}
            }
            first = previous;
        }
        let (mut last, mut depth) = (k, usize::from(matches!(self.symbol(k), Some("(" | "[" | "{"))));
        while last < hi {
            let next = last + 1;
            if depth == 0 && (self.breaks_between(last, next) || self.keyword(next, "else")) {
                break;
            }
            match self.symbol(next) {
                Some("(" | "[" | "{") => depth += 1,
                Some(")" | "]" | "}") if depth == 0 => break,
                Some(")" | "]" | "}") => depth -= 1,
                Some(";") if depth == 0 => break,
                _ => {}
            }
            last = next;
        }
        (first, last)
    }

    /// The outermost statements within `lo..=hi` made with the operators, in order.
    fn statements(&self, lo: usize, hi: usize) -> Vec<Statement> {
        let mut found: Vec<Statement> = Vec::new();
        // For each bracket depth, the end of the last statement around a candidate there that turned
        // out not to be one (malformed, say): the other candidates at that depth in it are skipped, so
        // each statement is looked at once, not once per operator in it (quadratic in the policy's size).
        let mut not_logic: Vec<Option<usize>> = Vec::new();
        let mut depth = 0usize;
        for k in lo..=hi {
            let at_depth = depth;
            match self.symbol(k) {
                Some("(" | "[" | "{") => depth += 1,
                Some(")" | "]" | "}") => depth = depth.saturating_sub(1),
                _ => {}
            }
            let starts_logic = self.either_operator(k)
                || (self.enabled.not_bodies
                    && self.keyword(k, "not")
                    && k < hi
                    && matches!(self.symbol(k + 1), Some("{" | "(")));
            let seen = found.last().is_some_and(|s| k <= s.last)
                || not_logic.get(at_depth).copied().flatten().is_some_and(|last| k <= last);
            if !starts_logic || seen {
                continue;
            }
            let (mut first, mut last) = self.statement_around(k, lo, hi);
            // Parentheses around the whole statement group it: the statement is the one around them
            // (`x := 1⏎(a or b)` is a statement of its own, not an argument list after `1`).
            while first > lo && last < hi && self.symbol(first - 1) == Some("(") && self.symbol(last + 1) == Some(")") {
                (first, last) = self.statement_around(first - 1, lo, hi);
            }
            match self.statement(first, last) {
                Some(statement) => {
                    // A statement found later can only contain earlier ones, never overlap them.
                    while found.last().is_some_and(|s| s.first >= first) {
                        found.pop();
                    }
                    found.push(statement);
                }
                None => {
                    if not_logic.len() <= at_depth {
                        not_logic.resize(at_depth + 1, None);
                    }
                    not_logic[at_depth] = Some(last);
                }
            }
        }
        found
    }

    /// Tokens `first..=last` as a statement of the operators, or `None` when they are plain Rego
    /// (or malformed, which the parser then reports).
    fn statement(&self, first: usize, last: usize) -> Option<Statement> {
        let tree = self.clause(first, last)?;
        match &tree {
            Node::Plain(..) => None,
            Node::With(inner, ..) if matches!(**inner, Node::Plain(..)) => None,
            _ => Some(Statement { first, last, tree }),
        }
    }

    /// Operands and operators, and the `with` modifiers after the last operator, if any.
    fn clause(&self, first: usize, last: usize) -> Option<Node> {
        let operators = self.top_level(first, last, |i| self.either_operator(i));
        let after = operators.last().copied().unwrap_or(first);
        let with = self.top_level(first, last, |i| self.keyword(i, "with")).into_iter().find(|&w| w > after);
        Some(match with {
            Some(w) => Node::With(Box::new(self.or(first, w - 1)?), w, last),
            None => self.or(first, last)?,
        })
    }

    fn split(&self, first: usize, last: usize, operator: &str) -> Option<Vec<(usize, usize)>> {
        let mut parts = Vec::new();
        let mut from = first;
        for at in self.top_level(first, last, |i| self.operator(i, operator)) {
            parts.push((from, at.checked_sub(1)?));
            from = at + 1;
        }
        parts.push((from, last));
        parts.iter().all(|&(a, b)| a <= b).then_some(parts)
    }

    fn or(&self, first: usize, last: usize) -> Option<Node> {
        let parts = self.split(first, last, "or")?;
        if parts.len() == 1 {
            return self.and(first, last);
        }
        Some(Node::Or(parts.into_iter().map(|(a, b)| self.and(a, b).map(|node| Operand { node, first: a, last: b })).collect::<Option<_>>()?))
    }

    fn and(&self, first: usize, last: usize) -> Option<Node> {
        let parts = self.split(first, last, "and")?;
        if parts.len() == 1 {
            return self.operand(first, last);
        }
        Some(Node::And(parts.into_iter().map(|(a, b)| self.operand(a, b).map(|node| Operand { node, first: a, last: b })).collect::<Option<_>>()?))
    }

    /// One operand: `{ body }`, `( group )`, either negated when `not` bodies are on, or plain.
    fn operand(&self, first: usize, last: usize) -> Option<Node> {
        let negated = self.enabled.not_bodies && self.keyword(first, "not") && first < last;
        let open = if negated { first + 1 } else { first };
        let enclosed = self.closing(open, last) == Some(last) && last > open + 1;
        let inner = match self.symbol(open) {
            Some("{") if enclosed => Node::Body(open + 1, last - 1),
            Some("(") if enclosed => match self.clause(open + 1, last - 1)? {
                // `(not x)` is `not x` (regorus refuses `not` inside parentheses)...
                Node::Plain(a, b) if !negated => Node::Plain(a, b),
                // ...but `({a})` is a set, as in OPA, and `not (x)` is plain Rego.
                Node::Plain(..) | Node::Body(..) => return Some(Node::Plain(first, last)),
                group => group,
            },
            _ => return Some(Node::Plain(first, last)),
        };
        Some(if negated { Node::Not(Box::new(inner)) } else { inner })
    }

    /// The text of tokens `first..=last` with the statements of the operators in it rewritten.
    fn text(&self, first: usize, last: usize) -> String {
        let mut out = String::new();
        let mut at = self.extent(first).0;
        for statement in self.statements(first, last) {
            let (start, end) = (self.extent(statement.first).0, self.extent(statement.last).1);
            out.push_str(&self.tokens.source[at..start]);
            out.push_str(&self.test(&statement.tree));
            at = end;
        }
        out.push_str(&self.tokens.source[at..self.extent(last).1]);
        out
    }

    /// A statement's replacement, `original` being its text: its test, padded with the line breaks
    /// it no longer has (inside its brackets, where a line break is always allowed), so the lines
    /// after it keep their numbers.
    fn replacement(&self, tree: &Node, original: &str) -> String {
        let (body, comparison) = self.test_parts(tree);
        let padding = "\n".repeat(original.matches('\n').count().saturating_sub(body.matches('\n').count()));
        format!("[1 | {body}{padding}] {comparison} []")
    }

    /// `node` as one expression that holds at most once: a comprehension compared with `[]`.
    fn test(&self, node: &Node) -> String {
        let (body, comparison) = self.test_parts(node);
        format!("[1 | {body}] {comparison} []")
    }

    /// The body of [`Logic::test`]'s comprehension, and whether the test wants it non-empty or empty.
    fn test_parts(&self, node: &Node) -> (String, &'static str) {
        match node {
            Node::Not(inner) => (self.body(inner), "=="),
            Node::Or(operands) => (self.joined(operands, |o| format!("[1 | {}] == []", self.body(o))), "=="),
            _ => (self.body(node), "!="),
        }
    }

    /// Statements that hold when `node` does (in a comprehension of their own).
    fn body(&self, node: &Node) -> String {
        match node {
            Node::Plain(first, last) | Node::Body(first, last) => self.text(*first, *last),
            Node::And(operands) => self.joined(operands, |o| self.single(o)),
            Node::With(inner, first, last) => format!("{} {}", self.single(inner), self.text(*first, *last)),
            Node::Not(_) | Node::Or(_) => self.test(node),
        }
    }

    /// The operands, each as `each` writes it, separated by `;` and the line breaks that were
    /// between them: a long statement keeps its lines, which regorus limits in length.
    fn joined(&self, operands: &[Operand], each: impl Fn(&Node) -> String) -> String {
        let mut out = String::new();
        for (i, operand) in operands.iter().enumerate() {
            if let Some(previous) = i.checked_sub(1).map(|p| &operands[p]) {
                let gap = &self.tokens.source[self.extent(previous.last).1..self.extent(operand.first).0];
                let breaks = gap.matches('\n').count();
                out.push(';');
                out.push_str(&if breaks == 0 { " ".to_string() } else { "\n".repeat(breaks) });
            }
            out.push_str(&each(&operand.node));
        }
        out
    }

    /// `node` as one statement: a plain expression as it is, anything with a scope of its own (or
    /// several statements) as a test.
    fn single(&self, node: &Node) -> String {
        match node {
            Node::Plain(first, last) => self.text(*first, *last),
            _ => self.test(node),
        }
    }
}

#[cfg(test)]
mod tests;
