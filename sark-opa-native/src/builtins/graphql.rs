//! OPA's `graphql.*` builtins. OPA builds them on gqlparser (github.com/vektah/gqlparser); so that a
//! policy sees the same documents and the same errors, this module follows gqlparser's lexer, parser,
//! AST shape ([`ast`]) and schema checks ([`schema`]), and checks queries against a schema by the
//! rules of the GraphQL specification that gqlparser applies ([`validate`]).
//!
//! - `graphql.parse_query(query)` / `graphql.parse_schema(schema)`: the AST as an object, or an error.
//! - `graphql.schema_is_valid(schema)`, `graphql.is_valid(query, schema)`: booleans, never errors.
//! - `graphql.parse_and_verify(query, schema)`: `[true, query AST, schema AST]`, or `[false, {}, {}]`.
//! - `graphql.parse(query, schema)`: `[query AST, schema AST]`, or the first error.
//!
//! Queries and schemas may also be given as AST objects (what the parse builtins return); as in
//! gqlparser, every selection of such an object is read as a field.
//!
//! Size: an AST takes far more memory than its text (a one-character field is an object of two
//! strings), so the text's tokens are counted and claimed against the engine's memory limit first.

mod ast;
mod lexer;
mod object_keys;
mod overlap;
mod parser;
mod schema;
#[cfg(test)]
mod tests;
mod validate;

use anyhow::{anyhow, Result};
use regorus::Value;
use serde::de::DeserializeOwned;

use super::args::{string, type_name};
use super::limits::claim;
use super::Builtin;
use lexer::{Error, Kind, Lexer};

pub(super) const BUILTINS: &[(&str, u8, Builtin)] = &[
    ("graphql.parse_query", 1, parse_query),
    ("graphql.parse_schema", 1, parse_schema),
    ("graphql.schema_is_valid", 1, schema_is_valid),
    ("graphql.is_valid", 2, is_valid),
    ("graphql.parse_and_verify", 2, parse_and_verify),
    ("graphql.parse", 2, parse),
];

/// Memory an AST may take per token of its text, at its peak (the parsed document, its JSON and the
/// policy value are alive together). Measured (peak RSS of a probe, release build): 250,000 one-letter
/// fields 1.2 KB a token, a list of 250,000 one-digit integers 1.8 KB a token, the densest shapes.
const BYTES_PER_TOKEN: u128 = 2048;

/// Memory an AST object's copy takes per value (its JSON and the document read from it), on top of its
/// text's size.
const BYTES_PER_OBJECT_VALUE: u128 = 256;

/// The deepest AST object read: well beyond what `graphql.parse_query` returns (its nesting bound is 1,000
/// selections, each two levels), and far inside the evaluation stack for the copy's recursion.
const MAX_OBJECT_DEPTH: usize = 10_000;

fn parse_query(args: &[Value]) -> Result<Value> {
    let text = string(args, 0)?;
    let document = parse_text(text, parser::parse_query).map_err(Failure::into_error)?;
    to_value(&document)
}

fn parse_schema(args: &[Value]) -> Result<Value> {
    let text = string(args, 0)?;
    let document = parse_text(text, parser::parse_schema).map_err(Failure::into_error)?;
    to_value(&document)
}

fn schema_is_valid(args: &[Value]) -> Result<Value> {
    let checked = schema_document(&args[0])
        .and_then(|document| schema::validate(document).map_err(|e| Failure::from(anyhow!(e.message))));
    Ok(Value::from(match checked {
        Ok(_) => true,
        Err(Failure::Limit(e)) => return Err(e),
        Err(Failure::Invalid(_)) => false,
    }))
}

fn is_valid(args: &[Value]) -> Result<Value> {
    Ok(Value::from(match verify(args, false) {
        Ok(_) => true,
        Err(Failure::Limit(e)) => return Err(e),
        Err(Failure::Invalid(_)) => false,
    }))
}

fn parse_and_verify(args: &[Value]) -> Result<Value> {
    let empty = || Value::from(std::collections::BTreeMap::<Value, Value>::new());
    Ok(match verify(args, true) {
        Ok(Some((query, schema))) => Value::from(vec![Value::from(true), query, schema]),
        Ok(None) => unreachable!("asked for the ASTs"),
        Err(Failure::Limit(e)) => return Err(e),
        Err(Failure::Invalid(_)) => Value::from(vec![Value::from(false), empty(), empty()]),
    })
}

fn parse(args: &[Value]) -> Result<Value> {
    match verify(args, true).map_err(Failure::into_error)? {
        Some((query, schema)) => Ok(Value::from(vec![query, schema])),
        None => unreachable!("asked for the ASTs"),
    }
}

/// Why a document was not read or not valid.
enum Failure {
    /// Past the memory limit or the deadline: always an error, even where OPA would answer false (an
    /// answer cut short is not one).
    Limit(anyhow::Error),
    Invalid(anyhow::Error),
}

impl Failure {
    fn into_error(self) -> anyhow::Error {
        match self {
            Failure::Limit(e) | Failure::Invalid(e) => e,
        }
    }
}

impl From<anyhow::Error> for Failure {
    fn from(e: anyhow::Error) -> Failure {
        if crate::execution_clock::ran_out() {
            Failure::Limit(e)
        } else {
            Failure::Invalid(e)
        }
    }
}

/// Fails once the evaluation is past its deadline, for the checks whose work grows with the product of
/// two parts of a document (gqlparser looks names up in lists). [`Failure`] then reports an error.
fn on_time(pos: lexer::Position) -> Result<(), Error> {
    if crate::execution_clock::past_deadline() {
        let e = crate::execution_clock::give_up("checking a GraphQL document");
        return Err(Error::at(pos, e.to_string()));
    }
    Ok(())
}

/// Checks the query against the schema; with `asts`, also gives their ASTs (made in OPA's order, before
/// the checks; `graphql.is_valid` needs no AST and makes none).
fn verify(args: &[Value], asts: bool) -> Result<Option<(Value, Value)>, Failure> {
    let query = query_document(&args[0])?;
    let query_ast = asts.then(|| to_value(&query)).transpose().map_err(Failure::Limit)?;
    let schema_doc = schema_document(&args[1])?;
    let schema_ast = asts.then(|| to_value(&schema_doc)).transpose().map_err(Failure::Limit)?;
    let schema = schema::validate(schema_doc).map_err(schema_error)?;
    validate::validate(&schema, &query).map_err(validation_error)?;
    Ok(query_ast.zip(schema_ast))
}

fn query_document(operand: &Value) -> Result<ast::QueryDocument, Failure> {
    match operand {
        Value::String(text) => parse_text(text, parser::parse_query),
        Value::Object(_) => from_object(operand, object_keys::Shape::QueryDocument),
        // OPA numbers these two operands from 0 (its builtins pass the index as it is).
        other => Err(Failure::Invalid(anyhow!("operand 0 must be one of {{string, object}} but got {}", type_name(other)))),
    }
}

fn schema_document(operand: &Value) -> Result<ast::SchemaDocument, Failure> {
    match operand {
        Value::String(text) => parse_text(text, parser::parse_schema),
        Value::Object(_) => from_object(operand, object_keys::Shape::SchemaDocument),
        other => Err(Failure::Invalid(anyhow!("operand 1 must be one of {{string, object}} but got {}", type_name(other)))),
    }
}

/// A document given as an AST object, read as gqlparser reads its JSON ([`object_keys`]; missing
/// members are empty). The object is copied out whole, so it is measured first: a value whose parts are
/// shared (a million references to one big object) is small in memory and huge once copied, and the copy
/// recurses once per level.
fn from_object<T: DeserializeOwned>(operand: &Value, shape: object_keys::Shape) -> Result<T, Failure> {
    let measure = crate::json::measure(operand);
    if measure.depth as usize > MAX_OBJECT_DEPTH {
        return Err(Failure::Limit(anyhow!(
            "a GraphQL AST object nested {} levels deep, more than {MAX_OBJECT_DEPTH}",
            measure.depth
        )));
    }
    let bytes = measure.values.saturating_mul(BYTES_PER_OBJECT_VALUE).saturating_add(measure.bytes);
    claim(bytes, || format!("a GraphQL AST object of {} values", measure.values)).map_err(Failure::Limit)?;
    let json = serde_json::to_value(operand).map_err(|e| Failure::Invalid(e.into()))?;
    let json = object_keys::normalize(json, shape).map_err(|e| Failure::Invalid(anyhow!("{e}")))?;
    serde_json::from_value(json).map_err(|e| Failure::Invalid(anyhow!("GraphQL AST object: {e}")))
}

/// Parses `text` after claiming the memory its AST may take.
fn parse_text<T>(text: &str, parse: fn(&str) -> Result<T, Error>) -> Result<T, Failure> {
    let tokens = count_tokens(text);
    claim(tokens * BYTES_PER_TOKEN, || format!("a GraphQL document of {tokens} tokens")).map_err(Failure::Limit)?;
    parse(text).map_err(|e| Failure::Invalid(gql_error(e)))
}

/// How many tokens `text` holds, up to its first error.
fn count_tokens(text: &str) -> u128 {
    let mut lexer = Lexer::new(text);
    let mut tokens = 0;
    while let Ok(token) = lexer.read() {
        if token.kind == Kind::Eof {
            break;
        }
        tokens += 1;
    }
    tokens
}

/// A parse error as OPA words gqlparser's ([`opa_error`]).
fn gql_error(error: Error) -> anyhow::Error {
    opa_error(&gqlparser_text(&error))
}

/// A query validation error: gqlparser returns a list, whose text ends each error with a line break.
fn validation_error(error: Error) -> anyhow::Error {
    opa_error(&format!("{}\n", gqlparser_text(&error)))
}

/// gqlparser's text of an error: "input:<line>:<column>: <message>", or "input: <message>" for a node
/// without a position (read from an AST object).
fn gqlparser_text(error: &Error) -> String {
    match error.pos {
        Some(pos) if pos.line > 0 => format!("input:{}:{}: {}", pos.line, pos.column, error.message),
        _ => format!("input: {}", error.message),
    }
}

/// OPA's `formatGqlParserError`: "<message> in GraphQL string at location <line>:<column>" when the text
/// starts with a line and column that read as unsigned numbers (the message loses a final ".\n"), else
/// "GraphQL parse error: <text>".
fn opa_error(text: &str) -> anyhow::Error {
    let parts: Vec<&str> = text.splitn(4, ':').collect();
    if let [_, line, column, message] = parts.as_slice() {
        if let (Ok(line), Ok(column)) = (line.parse::<u64>(), column.parse::<u64>()) {
            let message = message.trim_start_matches(' ');
            let message = message.strip_suffix(".\n").unwrap_or(message);
            return anyhow!("{message} in GraphQL string at location {line}:{column}");
        }
    }
    anyhow!("GraphQL parse error: {text}")
}

/// A schema error as OPA wraps it; a definition read from an AST object has no position, which
/// gqlparser prints as -1:-1.
fn schema_error(error: Error) -> anyhow::Error {
    let (line, column) = match error.pos {
        Some(pos) if pos.line > 0 => (pos.line as i64, pos.column as i64),
        _ => (-1, -1),
    };
    anyhow!("Error in gqlparser SchemaDocument to Schema conversion: input:{line}:{column}: {}", error.message)
}

/// The pruned AST as a policy value.
fn to_value<T: serde::Serialize>(document: &T) -> Result<Value> {
    let json = serde_json::to_value(document)?;
    let pruned = ast::prune(json).unwrap_or_else(|| serde_json::Value::Object(Default::default()));
    Ok(serde_json::from_value(pruned)?)
}
