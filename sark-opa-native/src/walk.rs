//! The one place that knows the shape of regorus' AST: what lies directly under a rule, a statement
//! and an expression. The analyses ([`crate::stack_guard`], [`crate::projection`]) match only the nodes
//! they treat specially and hand every other node back here, so a new kind of node in a regorus
//! release is a compile error in this file alone, and cannot be skipped silently by one analysis.

use regorus::unstable::{Expr, Literal, LiteralStmt, Query, Rule, RuleHead};

/// A node directly under another one: an expression, or the query of a comprehension, `every` body.
#[derive(Clone, Copy)]
pub enum Node<'a> {
    Expr(&'a Expr),
    Query(&'a Query),
}

/// The reference a rule defines (`allow`, `p.q[x]`, `f`).
pub fn rule_ref(rule: &Rule) -> &Expr {
    match rule {
        Rule::Spec {
            head: RuleHead::Compr { refr, .. } | RuleHead::Set { refr, .. } | RuleHead::Func { refr, .. },
            ..
        }
        | Rule::Default { refr, .. } => refr,
    }
}

/// What lies directly under a rule apart from [`rule_ref`]: its arguments, default or assigned
/// values, keys and body queries.
pub fn rule_children(rule: &Rule) -> Vec<Node<'_>> {
    let mut out = Vec::new();
    match rule {
        Rule::Spec { head, bodies, .. } => {
            match head {
                RuleHead::Compr { assign, .. } => out.extend(assign.iter().map(|a| Node::Expr(&a.value))),
                RuleHead::Set { key, .. } => out.extend(key.iter().map(|k| Node::Expr(k))),
                RuleHead::Func { args, assign, .. } => {
                    out.extend(args.iter().map(|a| Node::Expr(a)));
                    out.extend(assign.iter().map(|a| Node::Expr(&a.value)));
                }
            }
            for body in bodies {
                out.extend(body.assign.iter().map(|a| Node::Expr(&a.value)));
                out.push(Node::Query(&body.query));
            }
        }
        Rule::Default { args, value, .. } => {
            out.extend(args.iter().map(|a| Node::Expr(a)));
            out.push(Node::Expr(value));
        }
    }
    out
}

/// What lies directly under a statement: its expressions, an `every` body, and the targets and
/// values of its `with` modifiers.
pub fn statement_children(stmt: &LiteralStmt) -> Vec<Node<'_>> {
    let mut out = Vec::new();
    match &stmt.literal {
        Literal::SomeVars { .. } => {}
        Literal::SomeIn { key, value, collection, .. } => {
            out.extend(key.iter().map(|k| Node::Expr(k)));
            out.extend([Node::Expr(value), Node::Expr(collection)]);
        }
        Literal::Expr { expr, .. } | Literal::NotExpr { expr, .. } => out.push(Node::Expr(expr)),
        Literal::Every { domain, query, .. } => out.extend([Node::Expr(domain), Node::Query(query)]),
    }
    for modifier in &stmt.with_mods {
        out.extend([Node::Expr(&modifier.refr), Node::Expr(&modifier.r#as)]);
    }
    out
}

/// What lies directly under an expression: its operands, items, fields, call arguments, reference
/// links and index expressions, and the query of a comprehension.
pub fn expr_children(expr: &Expr) -> Vec<Node<'_>> {
    match expr {
        Expr::String { .. }
        | Expr::RawString { .. }
        | Expr::Number { .. }
        | Expr::Bool { .. }
        | Expr::Null { .. }
        | Expr::Var { .. } => Vec::new(),
        Expr::Array { items, .. } | Expr::Set { items, .. } => items.iter().map(|i| Node::Expr(i)).collect(),
        Expr::Object { fields, .. } => fields.iter().flat_map(|(_, k, v)| [Node::Expr(k), Node::Expr(v)]).collect(),
        Expr::ArrayCompr { term, query, .. } | Expr::SetCompr { term, query, .. } => {
            vec![Node::Expr(term), Node::Query(query)]
        }
        Expr::ObjectCompr { key, value, query, .. } => vec![Node::Expr(key), Node::Expr(value), Node::Query(query)],
        Expr::Call { fcn, params, .. } => std::iter::once(Node::Expr(fcn)).chain(params.iter().map(|p| Node::Expr(p))).collect(),
        Expr::UnaryExpr { expr, .. } => vec![Node::Expr(expr)],
        Expr::RefDot { refr, .. } => vec![Node::Expr(refr)],
        Expr::RefBrack { refr, index, .. } => vec![Node::Expr(refr), Node::Expr(index)],
        Expr::BinExpr { lhs, rhs, .. }
        | Expr::BoolExpr { lhs, rhs, .. }
        | Expr::ArithExpr { lhs, rhs, .. }
        | Expr::AssignExpr { lhs, rhs, .. } => vec![Node::Expr(lhs), Node::Expr(rhs)],
        Expr::Membership { key, value, collection, .. } => key
            .iter()
            .map(|k| Node::Expr(k))
            .chain([Node::Expr(value), Node::Expr(collection)])
            .collect(),
    }
}

/// Calls `f` on every statement under `nodes`, however deeply nested (comprehensions, `every`,
/// `some ... in`); iterative, so the depth of the AST costs no stack.
pub fn for_each_statement<'a>(nodes: Vec<Node<'a>>, f: &mut impl FnMut(&'a LiteralStmt)) {
    let mut pending = nodes;
    while let Some(node) = pending.pop() {
        match node {
            Node::Expr(expr) => pending.extend(expr_children(expr)),
            Node::Query(query) => {
                for stmt in &query.stmts {
                    f(stmt);
                    pending.extend(statement_children(stmt));
                }
            }
        }
    }
}
