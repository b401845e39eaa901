//! Parse only the parts of the input that the policies can read. On a 10 KB input this is 7x faster
//! than parsing all of it (building and dropping regorus values is most of a large decision's time).
//!
//! At snapshot build time, every reference to `input` in every module (rule heads and bodies,
//! functions, defaults, comprehensions, `every`, `some ... in`, imports) is reduced to its static
//! prefix: `input.user.role` -> ["user","role"], `input.headers[k]` -> ["headers"],
//! `input.claims[0].iss` -> ["claims"]. Per decision, object members on none of those paths are
//! skipped by the JSON parser (still fully validated: same parser, same errors), so no Value is built
//! or dropped for them. A subtree at the end of a path is kept whole, arrays are kept whole.
//!
//! Falls back to the whole input (None) when: `input` is used bare (`input`, `input[x]`, `walk(input)`,
//! `import input`), any `with` modifier exists, or the number of `input` identifiers the lexer sees
//! differs from the number of references found in the AST (a guard against a missed AST node).
//! Only valid for queries that are `data.` paths (the product's `is_rule_path`): arbitrary query
//! text may mention input itself.

use std::collections::BTreeMap;

use regorus::unstable::{Expr, Lexer, Module, Rule, TokenKind};
use regorus::Value;

use crate::json;
use crate::walk::{self, Node};

/// Object members to keep. `whole`: keep this subtree entirely.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Paths {
    whole: bool,
    children: BTreeMap<String, Paths>,
}

impl Paths {
    fn add(&mut self, path: &[String]) {
        if self.whole {
            return;
        }
        match path.split_first() {
            None => {
                self.whole = true;
                self.children.clear();
            }
            Some((first, rest)) => self.children.entry(first.clone()).or_default().add(rest),
        }
    }
}

/// The input paths the modules can read, or None when they may read all of it.
pub fn input_paths<M: AsRef<Module>>(modules: &[M]) -> Option<Paths> {
    let mut walk = Walk::default();
    let mut tokens = 0usize;
    for module in modules {
        let module = module.as_ref();
        for import in &module.imports {
            walk.expr(&import.refr);
        }
        for rule in &module.policy {
            walk.rule(rule);
        }
        let source = module.package.refr.span().source.clone();
        let mut lexer = Lexer::new(&source);
        loop {
            match lexer.next_token() {
                Ok(token) if matches!(token.0, TokenKind::Eof) => break,
                Ok(token) if matches!(token.0, TokenKind::Ident) && token.1.text() == "input" => tokens += 1,
                Ok(_) => {}
                Err(_) => return None,
            }
        }
    }
    if walk.bare || walk.with_modifier || walk.seen != tokens {
        return None;
    }
    Some(walk.paths)
}

#[derive(Default)]
struct Walk {
    paths: Paths,
    /// `input` references found.
    seen: usize,
    bare: bool,
    with_modifier: bool,
}

impl Walk {
    fn rule(&mut self, rule: &Rule) {
        self.expr(walk::rule_ref(rule));
        self.nodes(walk::rule_children(rule));
    }

    fn nodes(&mut self, nodes: Vec<Node<'_>>) {
        for node in nodes {
            match node {
                Node::Expr(expr) => self.expr(expr),
                Node::Query(query) => {
                    for stmt in &query.stmts {
                        self.with_modifier |= !stmt.with_mods.is_empty();
                        self.nodes(walk::statement_children(stmt));
                    }
                }
            }
        }
    }

    fn expr(&mut self, expr: &Expr) {
        match expr {
            Expr::Var { span, .. } if span.text() == "input" => {
                self.seen += 1;
                self.bare = true;
            }
            Expr::RefDot { .. } | Expr::RefBrack { .. } => self.reference(expr),
            _ => self.nodes(walk::expr_children(expr)),
        }
    }

    /// `a.b["c"][x].d`: the root, and its links (None: not a literal string).
    fn reference(&mut self, expr: &Expr) {
        let mut links: Vec<Option<String>> = Vec::new();
        let mut current = expr;
        loop {
            match current {
                Expr::RefDot { refr, field, .. } => {
                    links.push(field.1.as_string().ok().map(|s| s.to_string()));
                    current = refr;
                }
                Expr::RefBrack { refr, index, .. } => {
                    match index.as_ref() {
                        Expr::String { value, .. } | Expr::RawString { value, .. } => {
                            links.push(value.as_string().ok().map(|s| s.to_string()))
                        }
                        other => {
                            links.push(None);
                            self.expr(other);
                        }
                    }
                    current = refr;
                }
                _ => break,
            }
        }
        match current {
            Expr::Var { span, .. } if span.text() == "input" => {
                self.seen += 1;
                links.reverse();
                let prefix: Vec<String> = links.into_iter().map_while(|l| l).collect();
                if prefix.is_empty() {
                    self.bare = true;
                } else {
                    self.paths.add(&prefix);
                }
            }
            other => self.expr(other),
        }
    }
}

// Projection while parsing: `json::parse_projected` reads only the members these paths keep.

impl json::Projection for Paths {
    fn member(&self, key: &str) -> json::Member<'_, Self> {
        match self.children.get(key) {
            None => json::Member::Skip,
            Some(child) if child.whole => json::Member::Whole,
            Some(child) => json::Member::Project(child),
        }
    }
}

/// The input with only the members on `paths` (all of it when `paths` is whole); the rest is still
/// validated, with the same errors as a full parse.
pub fn parse(text: &str, paths: &Paths) -> Result<Value, json::Error> {
    json::parse_projected(text, (!paths.whole).then_some(paths))
}
