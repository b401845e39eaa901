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

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;

use regorus::unstable::{Expr, Lexer, Module, Rule, TokenKind};
use regorus::Value;
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

use crate::walk::{self, Node};

const PRIVATE_NUMBER: &str = "$serde_json::private::Number";

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

// The projecting parser. Kept parts are built exactly as `json::parse` builds them.

pub fn parse(json: &str, paths: &Paths) -> Result<Value, serde_json::Error> {
    let mut de = serde_json::Deserializer::from_str(json);
    let value = Project(paths).deserialize(&mut de)?;
    de.end()?;
    Ok(value)
}

struct Project<'p>(&'p Paths);

/// An object key as text, borrowed when it has no escapes.
struct Key;

impl<'de> DeserializeSeed<'de> for Key {
    type Value = Cow<'de, str>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_str(self)
    }
}
impl<'de> Visitor<'de> for Key {
    type Value = Cow<'de, str>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a key")
    }
    fn visit_borrowed_str<E>(self, s: &'de str) -> Result<Self::Value, E> {
        Ok(Cow::Borrowed(s))
    }
    fn visit_str<E>(self, s: &str) -> Result<Self::Value, E> {
        Ok(Cow::Owned(s.to_owned()))
    }
}

fn full<'de, A: MapAccess<'de>>(map: &mut A) -> Result<Value, A::Error> {
    map.next_value_seed(crate::json::Seed)
}

/// regorus' quirk: `{"$serde_json::private::Number": "<text>", ...}` is that number (the rest unread).
fn private_number<E: de::Error>(value: &Value) -> Option<Result<Value, E>> {
    match value {
        Value::String(v) => {
            Some(Value::from_numeric_string(v).map_err(|_| de::Error::custom("failed to read big number")))
        }
        _ => None,
    }
}

impl<'de, 'p> DeserializeSeed<'de> for Project<'p> {
    type Value = Value;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        if self.0.whole {
            return crate::json::Seed.deserialize(d);
        }
        d.deserialize_any(self)
    }
}

impl<'de, 'p> Visitor<'de> for Project<'p> {
    type Value = Value;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a value")
    }
    // Anything but an object is kept whole.
    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        crate::json::Seed.visit_unit()
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Value, E> {
        crate::json::Seed.visit_bool(v)
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Value, E> {
        crate::json::Seed.visit_u64(v)
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Value, E> {
        crate::json::Seed.visit_i64(v)
    }
    fn visit_u128<E: de::Error>(self, v: u128) -> Result<Value, E> {
        crate::json::Seed.visit_u128(v)
    }
    fn visit_i128<E: de::Error>(self, v: i128) -> Result<Value, E> {
        crate::json::Seed.visit_i128(v)
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        crate::json::Seed.visit_f64(v)
    }
    fn visit_str<E: de::Error>(self, s: &str) -> Result<Value, E> {
        crate::json::Seed.visit_str(s)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Value, A::Error> {
        crate::json::Seed.visit_seq(seq)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut object = BTreeMap::new();
        let mut first = true;
        while let Some(key) = map.next_key_seed(Key)? {
            if std::mem::take(&mut first) && key == PRIVATE_NUMBER {
                let value = full(&mut map)?;
                if let Some(number) = private_number(&value) {
                    return number;
                }
                if self.0.children.contains_key(PRIVATE_NUMBER) {
                    object.insert(Value::from(PRIVATE_NUMBER), value);
                }
                continue;
            }
            match self.0.children.get(key.as_ref()) {
                Some(paths) => {
                    let value = map.next_value_seed(Project(paths))?;
                    object.insert(Value::from(key.as_ref()), value);
                }
                None => map.next_value_seed(Skip)?,
            }
        }
        Ok(Value::from(object))
    }
}

/// Parses and validates a value (same parser path as a kept one, hence the same errors), builds nothing.
struct Skip;

impl<'de> DeserializeSeed<'de> for Skip {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Skip {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a value")
    }
    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        Ok(())
    }
    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        Ok(())
    }
    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        Ok(())
    }
    fn visit_u128<E>(self, _: u128) -> Result<(), E> {
        Ok(())
    }
    fn visit_i128<E>(self, _: i128) -> Result<(), E> {
        Ok(())
    }
    fn visit_f64<E>(self, _: f64) -> Result<(), E> {
        Ok(())
    }
    fn visit_str<E>(self, _: &str) -> Result<(), E> {
        Ok(())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element_seed(Skip)?.is_some() {}
        Ok(())
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let Some(key) = map.next_key_seed(Key)? else {
            return Ok(());
        };
        if key == PRIVATE_NUMBER {
            // Replicate regorus: a string value is read as a number (or fails), the rest stays unread.
            let value = full(&mut map)?;
            if let Some(number) = private_number::<A::Error>(&value) {
                return number.map(|_| ());
            }
        } else {
            map.next_value_seed(Skip)?;
        }
        while map.next_key_seed(Skip)?.is_some() {
            map.next_value_seed(Skip)?;
        }
        Ok(())
    }
}
