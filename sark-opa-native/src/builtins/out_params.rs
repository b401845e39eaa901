//! Rewrites OPA's out-parameter calls of this module's builtins, `io.jwt.decode(t, [h, p, s])`,
//! into `[h, p, s] = io.jwt.decode(t)`, which means the same in Rego.
//!
//! regorus recognises the out-parameter form only for the builtins compiled into it; a call of an
//! extension with one operand too many fails at evaluation. The form is common in older policies
//! and in OPA's own test suite, so policies go through [`rewrite`] before `Engine::add_policy`.
//! Only a call that is a whole statement is rewritten (the only place OPA allows the form). The
//! rewrite keeps the number of lines, so error positions stay on the right line.

use std::borrow::Cow;

use regorus::unstable::{Expr, Literal, Parser, Query, Ref, Rule, RuleHead};
use regorus::Source;

/// A query (`uri.parse(u, x)`, statements separated by `;` or new lines) with the same rewrite
/// as [`rewrite`], for callers that evaluate queries: regorus reads a query's out-parameter
/// calls of extensions no better than a policy's. The query is rewritten as the body of a rule.
pub fn rewrite_query(query: &str, rego_v0: bool) -> Cow<'_, str> {
    if !calls_any_builtin(query) {
        return Cow::Borrowed(query); // the usual query, `data.authz.allow`: no wrapping, no parse
    }
    const HEAD: &str = "package __sark_query\n__sark_query_rule ";
    const TAIL: &str = "\n}\n";
    let open = if rego_v0 { "{\n" } else { "if {\n" };
    let policy = format!("{HEAD}{open}{query}{TAIL}");
    match rewrite("query.rego", &policy, rego_v0) {
        Cow::Borrowed(_) => Cow::Borrowed(query),
        Cow::Owned(rewritten) => {
            let body = rewritten
                .strip_prefix(HEAD)
                .and_then(|r| r.strip_prefix(open))
                .and_then(|r| r.strip_suffix(TAIL));
            body.map_or(Cow::Borrowed(query), |b| Cow::Owned(b.to_string()))
        }
    }
}

/// Whether `source` may call one of SARK's builtins: a name followed by `(`, not part of a longer name.
/// (A plain substring test took `data.authz.allow` for a call of the deprecated `all` and parsed
/// every such query, which doubled the cost of a decision.) May say yes for a name in a string or a
/// comment; the parse that follows then finds nothing to rewrite. One pass over the text: for each `(`,
/// the name just before it is looked up (a search per builtin name cost 18% of a whole decision).
pub(super) fn calls_any_builtin(source: &str) -> bool {
    static NAMES: std::sync::OnceLock<std::collections::HashSet<&'static str>> = std::sync::OnceLock::new();
    let names = NAMES.get_or_init(|| super::names().into_iter().collect());
    calls_any(source, |name| names.contains(name))
}

/// Whether `source` has a call, a name followed by `(` (not part of a longer name), of a name `wanted`
/// accepts.
pub fn calls_any(source: &str, wanted: impl Fn(&str) -> bool) -> bool {
    let part_of_name = |c: char| c.is_alphanumeric() || c == '_' || c == '.';
    source.match_indices('(').any(|(open, _)| {
        let before = source[..open].trim_end();
        let name_start = before.char_indices().rev().take_while(|&(_, c)| part_of_name(c)).last().map_or(before.len(), |(at, _)| at);
        wanted(&before[name_start..])
    })
}

/// `source` with the out-parameter calls of this module's builtins rewritten. Text that does not
/// parse, or has no such call, is returned as it is (`add_policy` reports parse errors).
pub fn rewrite<'a>(name: &str, source: &'a str, rego_v0: bool) -> Cow<'a, str> {
    // Cheap test first: most policies and queries call none of these builtins, and parsing costs more
    // than a whole decision.
    if !calls_any_builtin(source) {
        return Cow::Borrowed(source);
    }
    let Ok(parsed) = Source::from_contents(name.to_string(), source.to_string()) else {
        return Cow::Borrowed(source);
    };
    let Ok(mut parser) = Parser::new(&parsed) else {
        return Cow::Borrowed(source);
    };
    // No line-length limit of its own: the engine applies its configured one when the policy is added.
    parser.set_max_col(std::num::NonZeroU32::MAX);
    if !rego_v0 && parser.enable_rego_v1().is_err() {
        return Cow::Borrowed(source);
    }
    let Ok(module) = parser.parse() else {
        return Cow::Borrowed(source);
    };

    let mut edits = Vec::new();
    for rule in &module.policy {
        match rule.as_ref() {
            Rule::Spec { head, bodies, .. } => {
                match head {
                    RuleHead::Compr { assign, .. } | RuleHead::Func { assign, .. } => {
                        if let Some(a) = assign {
                            in_expr(&a.value, source, &mut edits);
                        }
                    }
                    RuleHead::Set { key, .. } => {
                        if let Some(k) = key {
                            in_expr(k, source, &mut edits);
                        }
                    }
                }
                for body in bodies {
                    if let Some(a) = &body.assign {
                        in_expr(&a.value, source, &mut edits);
                    }
                    in_query(&body.query, source, &mut edits);
                }
            }
            Rule::Default { value, .. } => in_expr(value, source, &mut edits),
        }
    }
    if edits.is_empty() {
        return Cow::Borrowed(source);
    }
    // Apply from the end so earlier offsets stay valid.
    edits.sort_by_key(|e| std::cmp::Reverse(e.0));
    let mut out = source.to_string();
    for (start, end, text) in edits {
        out.replace_range(start..end, &text);
    }
    Cow::Owned(out)
}

type Edit = (usize, usize, String);

fn in_query(query: &Ref<Query>, source: &str, edits: &mut Vec<Edit>) {
    for stmt in &query.stmts {
        match &stmt.literal {
            Literal::Expr { expr, .. } => {
                if let Some(edit) = out_param_call(expr, source) {
                    edits.push(edit);
                    // The operands may hold comprehensions with calls of their own, but their
                    // text moves with this edit; OPA's out-parameter operands are plain terms.
                } else {
                    in_expr(expr, source, edits);
                }
            }
            Literal::NotExpr { expr, .. } => in_expr(expr, source, edits),
            Literal::SomeIn {
                key,
                value,
                collection,
                ..
            } => {
                if let Some(k) = key {
                    in_expr(k, source, edits);
                }
                in_expr(value, source, edits);
                in_expr(collection, source, edits);
            }
            Literal::Every { domain, query, .. } => {
                in_expr(domain, source, edits);
                in_query(query, source, edits);
            }
            Literal::SomeVars { .. } => {}
        }
    }
}

/// Looks for comprehensions (whose bodies are queries) inside an expression.
fn in_expr(expr: &Ref<Expr>, source: &str, edits: &mut Vec<Edit>) {
    match expr.as_ref() {
        Expr::Array { items, .. } | Expr::Set { items, .. } => {
            items.iter().for_each(|i| in_expr(i, source, edits))
        }
        Expr::Object { fields, .. } => fields.iter().for_each(|(_, k, v)| {
            in_expr(k, source, edits);
            in_expr(v, source, edits);
        }),
        Expr::ArrayCompr { term, query, .. } | Expr::SetCompr { term, query, .. } => {
            in_expr(term, source, edits);
            in_query(query, source, edits);
        }
        Expr::ObjectCompr {
            key, value, query, ..
        } => {
            in_expr(key, source, edits);
            in_expr(value, source, edits);
            in_query(query, source, edits);
        }
        Expr::Call { params, .. } => params.iter().for_each(|p| in_expr(p, source, edits)),
        Expr::UnaryExpr { expr, .. } => in_expr(expr, source, edits),
        Expr::RefDot { refr, .. } => in_expr(refr, source, edits),
        Expr::RefBrack { refr, index, .. } => {
            in_expr(refr, source, edits);
            in_expr(index, source, edits);
        }
        Expr::BinExpr { lhs, rhs, .. }
        | Expr::BoolExpr { lhs, rhs, .. }
        | Expr::ArithExpr { lhs, rhs, .. }
        | Expr::AssignExpr { lhs, rhs, .. } => {
            in_expr(lhs, source, edits);
            in_expr(rhs, source, edits);
        }
        Expr::Membership {
            key,
            value,
            collection,
            ..
        } => {
            if let Some(k) = key {
                in_expr(k, source, edits);
            }
            in_expr(value, source, edits);
            in_expr(collection, source, edits);
        }
        _ => {}
    }
}

/// The edit for `f(a, ..., out)` when `f` is one of this module's builtins and gets one operand
/// more than it takes: `out = f(a, ...)`, with the line breaks of the removed text kept.
fn out_param_call(expr: &Ref<Expr>, source: &str) -> Option<Edit> {
    let Expr::Call {
        span, fcn, params, ..
    } = expr.as_ref()
    else {
        return None;
    };
    let name = &source[fcn.span().start as usize..fcn.span().end as usize];
    let nargs = usize::from(super::arity(name)?);
    // regorus reads the form itself for its own builtins, but not for those an extension
    // overrides: the extension is called instead, with the out operand as one operand too many.
    let regorus_reads_it =
        regorus::unstable::BUILTINS.contains_key(name) && !super::is_override(name);
    if regorus_reads_it || params.len() != nargs + 1 {
        return None;
    }
    let out = params.last()?.span();
    let (start, end) = (span.start as usize, span.end as usize);
    // The call up to the comma before the out operand (or its opening parenthesis). regorus'
    // spans are not exact at the end (a string literal's leaves out the closing quote, `set()`'s
    // takes in the comma after it), so the last comma before the out operand is searched for
    // from the start of the operand before it.
    let kept_end = match params.len() {
        1 => source[start..out.start as usize].rfind('(')? + start + 1,
        _ => {
            let previous = params[params.len() - 2].span().start as usize;
            source[previous..out.start as usize].rfind(',')? + previous
        }
    };
    let removed = &source[kept_end..end];
    // The out operand is the text between that comma (or parenthesis) and the call's closing
    // parenthesis, not its span: a string literal's span leaves out both quotes, which would turn
    // the literal `"x"` into a new variable `x` that matches anything.
    let inside = removed.strip_prefix(',').unwrap_or(removed).trim_end().strip_suffix(')')?.trim_end();
    let out_text = inside.strip_suffix(',').unwrap_or(inside).trim(); // `f(a, x,\n)`: a trailing comma
    let breaks = "\n".repeat(removed.matches('\n').count());
    let call = &source[start..kept_end];
    Some((start, end, format!("{out_text} = {call}){breaks}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_literal_out_operand_stays_a_literal() {
        let src = "package g\np if {\n\tconcat(\"/\", [\"a\", \"b\"], \"deadbeef\")\n}\nq if {\n\tconcat(\"/\", [\"a\"], x)\n}\n\
                   r if {\n\tconcat(\n\t\t\"/\",\n\t\t[\"a\"],\n\t\ty,\n\t)\n}\n";
        let out = rewrite("p.rego", src, false);
        assert!(out.contains("\t\"deadbeef\" = concat(\"/\", [\"a\", \"b\"])\n"), "{out}");
        assert!(out.contains("\tx = concat(\"/\", [\"a\"])\n"), "{out}");
        // a trailing comma after the out operand, and the line count kept
        assert!(out.contains("\ty = concat(\n\t\t\"/\",\n\t\t[\"a\"])\n\n\n}"), "{out}");
        assert_eq!(out.lines().count(), src.lines().count());
    }

    #[test]
    fn out_parameters_become_assignments() {
        let policy = "package p\n\nx := [a, b, c] if {\n\tio.jwt.decode(input.t, [a, b, c])\n}\n\
                      y if { crypto.sha256(\"x\", h); h != \"\" }\nz := count([1]) if { true }\n";
        let rewritten = rewrite("p.rego", policy, false);
        assert_eq!(
            rewritten,
            "package p\n\nx := [a, b, c] if {\n\t[a, b, c] = io.jwt.decode(input.t)\n}\n\
             y if { h = crypto.sha256(\"x\"); h != \"\" }\nz := count([1]) if { true }\n"
        );
    }

    #[test]
    fn other_text_is_left_alone() {
        for policy in [
            "package p\nx := io.jwt.decode(input.t)\n",
            "package p\nx := count([1])\n",
            "package p\nthis does not parse io.jwt.decode(\n",
        ] {
            assert!(
                matches!(rewrite("p.rego", policy, false), Cow::Borrowed(_)),
                "{policy}"
            );
        }
    }

    #[test]
    fn queries_are_rewritten() {
        assert_eq!(
            rewrite_query("uri.parse(\"http://a/\", x)", false),
            "x = uri.parse(\"http://a/\")"
        );
        assert_eq!(
            rewrite_query("y := 1; all([true], x)", true),
            "y := 1; x = all([true])"
        );
        assert!(matches!(
            rewrite_query("data.p.x = y", false),
            Cow::Borrowed(_)
        ));
        assert!(matches!(
            rewrite_query("uri.parse(", false),
            Cow::Borrowed(_)
        ));
    }

    #[test]
    fn an_empty_set_operand_is_rewritten() {
        // regorus' span of `set()` takes in the comma after it.
        let policy = "package p\np = x {\n  all(set(), x)\n}\n";
        assert_eq!(
            rewrite("p.rego", policy, true),
            "package p\np = x {\n  x = all(set())\n}\n"
        );
    }

    #[test]
    fn overridden_regorus_builtins_are_rewritten() {
        let policy = "package p\nn := c if { strings.count(\"a,b\", \",\", c) }\n";
        assert_eq!(
            rewrite("p.rego", policy, false),
            "package p\nn := c if { c = strings.count(\"a,b\", \",\") }\n"
        );
    }

    #[test]
    fn line_count_is_kept() {
        let policy =
            "package p\ny if {\n\tio.jwt.decode(\n\t\tinput.t,\n\t\t[a, b, c]\n\t)\n\ta != 1\n}\n";
        let rewritten = rewrite("p.rego", policy, false);
        assert_eq!(
            rewritten.lines().count(),
            policy.lines().count(),
            "{rewritten}"
        );
        assert!(
            rewritten.contains("[a, b, c] = io.jwt.decode(\n\t\tinput.t)"),
            "{rewritten}"
        );
    }
}
