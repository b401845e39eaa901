//! Keywords as the first part of a reference or rule head, which OPA accepts (its
//! `keywords_in_refs`) and regorus 0.14 does not:
//!
//! ```rego
//! package test
//! p if { if.foo == 1; not.bar(2) == 2 }
//! if.foo := 1
//! default not.bar(_) := 0
//! ```
//!
//! regorus already accepts a keyword after a dot (`input.package`, `data.x.if.y`, `package a.in`,
//! `import data.x.as`), in policies and queries alike; only a keyword *before* the first dot fails.
//! Such a reference cannot name a local variable (keywords cannot be declared), so it always means
//! a rule of the package, or an import, and is rewritten to that absolute reference:
//! `if.foo` -> `data.test.if.foo`. A rule whose head starts with a keyword cannot be written in the
//! package at all, so it moves into a module of its own for the package one level down:
//! `if.foo := 1` in `package test` is `foo := 1` in `package test.if`. That module repeats the
//! imports, and references to rules of the original package in the moved bodies are made absolute,
//! since its own package would resolve them differently.
//!
//! Every module keeps the line numbers of the original (moved and removed text become blanks), so
//! errors point at the right line; columns move only after a rewritten reference on its line.
//! Text is tokenized by regorus' own lexer, so strings, raw strings, comments and numbers are never
//! touched.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};
use std::num::{NonZeroU32, NonZeroUsize};

use regorus::unstable::{AssignOp, Expr, Lexer, Literal, Parser, Rule, RuleHead, TokenKind};
use regorus::Source;

use crate::walk::{self, Node};

/// Reserved in every dialect; regorus' parser refuses them as variable names.
const KEYWORDS: [&str; 11] = [
    "as", "default", "else", "false", "import", "not", "null", "package", "some", "true", "with",
];
/// Keywords of Rego v1 (and of v0 once imported from `future.keywords`). `contains` is left out:
/// regorus accepts it as a name, since it is also a builtin.
const FUTURE_KEYWORDS: [&str; 3] = ["every", "if", "in"];

/// Rewrites the policies of one compile; knows the rule names of every package, which moved rules
/// need to reach their original package.
pub struct Rewriter {
    rego_v0: bool,
    /// Package path text (`a.b`) -> the first names of its rules, over all policies.
    rules: BTreeMap<String, BTreeSet<String>>,
}

impl Rewriter {
    pub fn new<'a>(policies: impl IntoIterator<Item = &'a str>, rego_v0: bool) -> Self {
        let mut rules: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        let policies: Vec<&str> = policies.into_iter().collect();
        // The index is needed only when some rule moves; most policy sets have no keyword roots.
        if policies.iter().any(|p| might_have_roots(p)) {
            for policy in policies {
                if let Some(module) = Tokens::of(policy).map(|t| t.module()) {
                    let names = rules.entry(module.package.clone()).or_default();
                    names.extend(module.rules.iter().map(|r| r.root_text.clone()));
                }
            }
        }
        Rewriter { rego_v0, rules }
    }

    /// The modules to load for `source`: itself, rewritten, followed by one module per keyword that
    /// starts rule heads. Text that does not tokenize is returned as it is (`add_policy` reports it).
    pub fn rewrite<'a>(&self, source: &'a str) -> Vec<Cow<'a, str>> {
        if !might_have_roots(source) {
            return vec![Cow::Borrowed(source)];
        }
        let Some(tokens) = Tokens::of(source) else {
            return vec![Cow::Borrowed(source)];
        };
        let module = tokens.module();
        let keywords = self.keywords(&tokens, &module);
        let roots = tokens.keyword_roots(&module, &keywords);
        if roots.is_empty() {
            return vec![Cow::Borrowed(source)];
        }
        let (heads, references): (Vec<Root>, Vec<Root>) = roots.into_iter().partition(|r| r.head.is_some());
        let edits: Vec<Edit> = references
            .iter()
            .map(|r| (r.start, r.end, module.absolute(&r.keyword)))
            .collect();
        let moved: BTreeSet<usize> = heads.iter().filter_map(|r| r.head).collect();
        let main = tokens.render(&module, &edits, |i| !moved.contains(&i), None);
        let mut out = vec![Cow::Owned(main)];
        let by_keyword: BTreeSet<&str> = heads.iter().map(|r| r.keyword.as_str()).collect();
        for keyword in by_keyword {
            let mut edits = edits.clone();
            // `if.foo` -> `   foo`: blanks keep the columns of the rest of the head.
            for root in heads.iter().filter(|r| r.keyword == keyword) {
                edits.push((root.start, root.end + 1, " ".repeat(root.end + 1 - root.start)));
            }
            edits.sort_by_key(|e| e.0);
            let own: BTreeSet<usize> = heads.iter().filter(|r| r.keyword == keyword).filter_map(|r| r.head).collect();
            let text = tokens.render(&module, &edits, |i| own.contains(&i), Some(keyword));
            out.push(Cow::Owned(self.qualify(text, &module.package)));
        }
        out
    }

    /// Keywords this module reserves: v1 reserves them all, v0 only those it imports.
    fn keywords(&self, tokens: &Tokens, module: &ModuleShape) -> BTreeSet<&'static str> {
        let mut keywords: BTreeSet<&'static str> = KEYWORDS.into_iter().collect();
        for keyword in FUTURE_KEYWORDS {
            let imported = module.imports.iter().any(|i| {
                let path = &tokens.source[i.path.0..i.path.1];
                path == "rego.v1" || path == "future.keywords" || path == format!("future.keywords.{keyword}")
            });
            if !self.rego_v0 || imported {
                keywords.insert(keyword);
            }
        }
        keywords
    }

    /// `text` (a module of moved rules) with references to rules of `package` made absolute.
    /// Unparseable text is returned as it is, for `add_policy` to report.
    fn qualify(&self, text: String, package: &str) -> String {
        let Some(names) = self.rules.get(package) else {
            return text;
        };
        let Some(module) = parse(&text, self.rego_v0) else {
            return text;
        };
        let mut edits = Vec::new();
        for rule in &module.policy {
            let locals = declared(rule);
            for_each_var(walk::rule_children(rule), &mut |span_start, span_end, name| {
                if names.contains(name) && !locals.contains(name) {
                    edits.push((span_start, span_end, format!("data.{package}.{name}")));
                }
            });
        }
        apply(&text, edits)
    }
}

/// (start, end, replacement) in bytes of the original text.
type Edit = (usize, usize, String);

/// Cheap test: a keyword directly followed by a dot and not part of a longer name or a field
/// (`input.package.x` needs nothing).
fn might_have_roots(source: &str) -> bool {
    let bytes = source.as_bytes();
    let starts_name = |i: usize| i == 0 || !(bytes[i - 1] == b'.' || bytes[i - 1] == b'_' || bytes[i - 1].is_ascii_alphanumeric());
    KEYWORDS
        .iter()
        .chain(FUTURE_KEYWORDS.iter())
        .any(|k| source.match_indices(k).any(|(i, _)| starts_name(i) && source[i + k.len()..].starts_with('.')))
}

pub(crate) struct Token {
    pub(crate) kind: TokenKind,
    /// Byte range of the token's text; a string's excludes its quotes (see [`Tokens::extent`]).
    pub(crate) start: usize,
    pub(crate) end: usize,
    pub(crate) line: u32,
}

/// A policy tokenized by regorus' lexer (comments are not tokens).
pub(crate) struct Tokens<'a> {
    pub(crate) source: &'a str,
    pub(crate) list: Vec<Token>,
}

/// A top-level statement: tokens `first..=last`, its text from its first token to the next
/// statement's.
struct Statement {
    first: usize,
    last: usize,
}

/// A rule statement and the token its head reference starts with (after `default`).
struct RuleShape {
    statement: usize,
    root: usize,
    root_text: String,
}

struct ImportShape {
    /// Byte range of the imported path (`data.a.b`).
    path: (usize, usize),
}

struct ModuleShape {
    statements: Vec<Statement>,
    /// Index of the `package` statement and its path's byte range.
    package_statement: Option<(usize, (usize, usize))>,
    package: String,
    imports: Vec<ImportShape>,
    /// Indexes of import statements.
    import_statements: BTreeSet<usize>,
    rules: Vec<RuleShape>,
    /// Import bindings by name, to rewrite a root bound by an import to the imported path.
    bindings: BTreeMap<String, String>,
}

impl ModuleShape {
    /// What the root keyword `keyword` refers to: an import binding it, else the package's rule.
    fn absolute(&self, keyword: &str) -> String {
        match self.bindings.get(keyword) {
            Some(path) => path.clone(),
            None => format!("data.{}.{keyword}", self.package),
        }
    }
}

/// A keyword starting a reference; `head` is the statement whose rule head it starts.
struct Root {
    keyword: String,
    start: usize,
    end: usize,
    head: Option<usize>,
}

impl<'a> Tokens<'a> {
    pub(crate) fn of(source: &'a str) -> Option<Self> {
        let parsed = Source::from_contents_with_limits(String::new(), source.to_string(), NonZeroUsize::MAX, NonZeroUsize::MAX).ok()?;
        let mut lexer = Lexer::new(&parsed);
        lexer.set_max_col(NonZeroU32::MAX);
        let mut list = Vec::new();
        loop {
            let token = lexer.next_token().ok()?;
            if token.0 == TokenKind::Eof {
                return Some(Tokens { source, list });
            }
            let span = &token.1;
            list.push(Token { kind: token.0, start: span.start as usize, end: span.end as usize, line: span.line });
        }
    }

    pub(crate) fn text(&self, i: usize) -> &str {
        &self.source[self.list[i].start..self.list[i].end]
    }

    pub(crate) fn is(&self, i: usize, kind: TokenKind, text: &str) -> bool {
        self.list.get(i).is_some_and(|t| t.kind == kind) && self.text(i) == text
    }

    /// Token `i` is a name directly followed by `.name` and not itself after a dot: the first
    /// part of a reference.
    fn is_ref_root(&self, i: usize) -> bool {
        let adjacent = |a: usize, b: usize| self.list[a].end == self.list[b].start;
        self.list[i].kind == TokenKind::Ident
            && !self.after_dot(i)
            && self.is(i + 1, TokenKind::Symbol, ".")
            && adjacent(i, i + 1)
            && self.list.get(i + 2).is_some_and(|t| t.kind == TokenKind::Ident)
            && adjacent(i + 1, i + 2)
    }

    /// Token `i` directly follows a dot: a field name.
    pub(crate) fn after_dot(&self, i: usize) -> bool {
        i > 0 && self.is(i - 1, TokenKind::Symbol, ".") && self.list[i - 1].end == self.list[i].start
    }

    /// Splits the token list into top-level statements: a new one starts with a name at the start
    /// of a line, outside brackets, after a complete operand, unless it continues a rule head
    /// (`else`, `if`, `contains`...).
    fn statements(&self) -> Vec<Statement> {
        const CONTINUATIONS: [&str; 7] = ["else", "if", "contains", "in", "with", "as", "not"];
        let mut statements: Vec<Statement> = Vec::new();
        let mut depth = 0usize;
        for (i, token) in self.list.iter().enumerate() {
            let starts = depth == 0
                && match i.checked_sub(1) {
                    None => true,
                    Some(previous) => {
                        token.kind == TokenKind::Ident
                            && token.line > self.list[previous].line
                            && self.ends_operand(previous)
                            && (!CONTINUATIONS.contains(&self.text(i)) || self.is_ref_root(i))
                    }
                };
            if starts {
                statements.push(Statement { first: i, last: i });
            } else if let Some(current) = statements.last_mut() {
                current.last = i;
            }
            if token.kind == TokenKind::Symbol {
                match self.text(i) {
                    "{" | "[" | "(" => depth += 1,
                    "}" | "]" | ")" => depth = depth.saturating_sub(1),
                    _ => {}
                }
            }
        }
        statements
    }

    /// Token `i` can end an expression (so a name on the next line starts a new statement).
    fn ends_operand(&self, i: usize) -> bool {
        match self.list[i].kind {
            TokenKind::Symbol => matches!(self.text(i), "}" | "]" | ")"),
            // After a dot any name is a field (`import future.keywords.if`).
            TokenKind::Ident if self.after_dot(i) => true,
            TokenKind::Ident => !matches!(self.text(i), "in" | "not" | "with" | "as" | "if" | "else" | "contains" | "some" | "every"),
            _ => true,
        }
    }

    fn module(&self) -> ModuleShape {
        let statements = self.statements();
        let mut module = ModuleShape {
            statements: Vec::new(),
            package_statement: None,
            package: String::new(),
            imports: Vec::new(),
            import_statements: BTreeSet::new(),
            rules: Vec::new(),
            bindings: BTreeMap::new(),
        };
        for (index, statement) in statements.iter().enumerate() {
            let (first, last) = (statement.first, statement.last);
            let keyword_statement = !self.is_ref_root(first);
            match self.text(first) {
                "package" if keyword_statement && first < last => {
                    let path = (self.list[first + 1].start, self.list[last].end);
                    module.package = self.source[path.0..path.1].split_whitespace().collect();
                    module.package_statement = Some((index, path));
                }
                "import" if keyword_statement && first < last => {
                    let alias = (first + 1..last).find(|&i| self.is(i, TokenKind::Ident, "as") && !self.is_ref_root(i));
                    let path_last = alias.map_or(last, |a| a - 1);
                    let path = (self.list[first + 1].start, self.list[path_last].end);
                    let name = match alias {
                        Some(a) if a < last => self.text(a + 1).to_string(),
                        _ => self.text(path_last).to_string(),
                    };
                    let text = self.source[path.0..path.1].to_string();
                    if text.starts_with("data.") || text.starts_with("input.") {
                        module.bindings.insert(name, text);
                    }
                    module.imports.push(ImportShape { path });
                    module.import_statements.insert(index);
                }
                _ => {
                    let root = if self.text(first) == "default" && keyword_statement { first + 1 } else { first };
                    if root <= last {
                        module.rules.push(RuleShape { statement: index, root, root_text: self.text(root).to_string() });
                    }
                }
            }
        }
        module.statements = statements;
        module
    }

    /// Keywords that start a reference, outside the package and import statements.
    fn keyword_roots(&self, module: &ModuleShape, keywords: &BTreeSet<&str>) -> Vec<Root> {
        let heads: BTreeMap<usize, usize> = module.rules.iter().map(|r| (r.root, r.statement)).collect();
        let mut roots = Vec::new();
        for (index, statement) in module.statements.iter().enumerate() {
            if module.import_statements.contains(&index) || module.package_statement.is_some_and(|(p, _)| p == index) {
                continue;
            }
            for i in statement.first..=statement.last {
                if keywords.contains(self.text(i)) && self.is_ref_root(i) {
                    roots.push(Root {
                        keyword: self.text(i).to_string(),
                        start: self.list[i].start,
                        end: self.list[i].end,
                        head: heads.get(&i).copied(),
                    });
                }
            }
        }
        roots
    }

    /// The module text with the statements `keep` accepts (plus the package and imports) and
    /// `edits` applied; other statements become blanks. `subpackage` appends a part to the package.
    fn render(&self, module: &ModuleShape, edits: &[Edit], keep: impl Fn(usize) -> bool, subpackage: Option<&str>) -> String {
        let mut edits: Vec<Edit> = edits.to_vec();
        if let (Some(keyword), Some((_, (_, end)))) = (subpackage, module.package_statement) {
            edits.push((end, end, format!(".{keyword}")));
        }
        edits.sort_by_key(|e| e.0);
        let lead = module.statements.first().map_or(self.source.len(), |s| self.list[s.first].start);
        let mut out = String::with_capacity(self.source.len());
        let copy = |from: usize, to: usize, kept: bool, out: &mut String| {
            if kept {
                out.push_str(&apply_range(self.source, from, to, &edits));
            } else {
                out.extend(self.source[from..to].chars().map(|c| if c == '\n' { '\n' } else { ' ' }));
            }
        };
        copy(0, lead, subpackage.is_none(), &mut out);
        for (index, statement) in module.statements.iter().enumerate() {
            let from = self.list[statement.first].start;
            let to = module.statements.get(index + 1).map_or(self.source.len(), |s| self.list[s.first].start);
            let structural = module.import_statements.contains(&index) || module.package_statement.is_some_and(|(p, _)| p == index);
            let is_rule = module.rules.iter().any(|r| r.statement == index);
            let kept = structural || (is_rule && keep(index)) || (!is_rule && subpackage.is_none());
            copy(from, to, kept, &mut out);
        }
        out
    }
}

/// `source[from..to]` with the edits that lie inside it applied (`edits` sorted by start).
fn apply_range(source: &str, from: usize, to: usize, edits: &[Edit]) -> String {
    let mut out = String::new();
    let mut at = from;
    // An insertion at `to` belongs here only at the end of the text (a statement never starts
    // right where an insertion is made).
    let inside = |e: &&Edit| e.0 >= from && e.1 <= to && (e.0 < to || e.0 == e.1);
    for (start, end, text) in edits.iter().filter(inside) {
        if *start < at {
            continue;
        }
        out.push_str(&source[at..*start]);
        out.push_str(text);
        at = *end;
    }
    out.push_str(&source[at..to]);
    out
}

fn apply(text: &str, mut edits: Vec<Edit>) -> String {
    edits.sort_by_key(|e| e.0);
    apply_range(text, 0, text.len(), &edits)
}

fn parse(text: &str, rego_v0: bool) -> Option<regorus::unstable::Module> {
    let source = Source::from_contents_with_limits(String::new(), text.to_string(), NonZeroUsize::MAX, NonZeroUsize::MAX).ok()?;
    let mut parser = Parser::new(&source).ok()?;
    parser.set_max_col(NonZeroU32::MAX);
    if !rego_v0 {
        parser.enable_rego_v1().ok()?;
    }
    parser.parse().ok()
}

/// Names a rule declares (arguments, `:=`, `some`, `every`): these shadow rules of the package.
fn declared(rule: &Rule) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let args: &[_] = match rule {
        Rule::Spec { head: RuleHead::Func { args, .. }, .. } | Rule::Default { args, .. } => args,
        Rule::Spec { .. } => &[],
    };
    for arg in args {
        for_each_var(vec![Node::Expr(arg)], &mut |_, _, name| {
            out.insert(name.to_string());
        });
    }
    walk::for_each_statement(walk::rule_children(rule), &mut |stmt| match &stmt.literal {
        Literal::SomeVars { vars, .. } => out.extend(vars.iter().map(|v| v.text().to_string())),
        Literal::SomeIn { key, value, .. } => {
            for e in key.iter().chain([value]) {
                for_each_var(vec![Node::Expr(e)], &mut |_, _, name| {
                    out.insert(name.to_string());
                });
            }
        }
        Literal::Every { key, value, .. } => out.extend(key.iter().chain([value]).map(|v| v.text().to_string())),
        Literal::Expr { expr, .. } | Literal::NotExpr { expr, .. } => {
            if let Expr::AssignExpr { op: AssignOp::ColEq, lhs, .. } = &**expr {
                for_each_var(vec![Node::Expr(lhs)], &mut |_, _, name| {
                    out.insert(name.to_string());
                });
            }
        }
    });
    out
}

/// Calls `f(start, end, name)` for every variable under `nodes` (reference roots, call names,
/// patterns); reference fields are not variables and are not visited.
fn for_each_var(nodes: Vec<Node<'_>>, f: &mut impl FnMut(usize, usize, &str)) {
    let mut pending = nodes;
    while let Some(node) = pending.pop() {
        match node {
            Node::Expr(Expr::Var { span, .. }) => f(span.start as usize, span.end as usize, span.text()),
            Node::Expr(expr) => pending.extend(walk::expr_children(expr)),
            Node::Query(query) => {
                for stmt in &query.stmts {
                    pending.extend(walk::statement_children(stmt));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests;
