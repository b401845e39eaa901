//! The rule "overlapping fields can be merged" (GraphQL's FieldsInSetCanMerge, gqlparser's
//! `OverlappingFieldsCanBeMerged`): fields of one selection set, fragments included, that share a
//! response name must be the same field with the same arguments (unless their parents are different
//! object types), must not return conflicting types, and their sub-selections must merge in turn.
//!
//! gqlparser follows graphql-js, which compares selection sets against fragments and fragments against
//! each other; this expands the fragments into the fields they contribute, which is what those
//! comparisons stand for, and remembers every pair of fields compared, so that repeated sub-selections
//! cost one comparison each rather than a number growing with their depth. Every step is checked against
//! the evaluation's deadline.

use std::collections::{HashMap, HashSet};

use super::ast::*;
use super::lexer::{Error, Position};
use super::schema::Schema;

/// A field where it was found: the type it was selected on and its definition there.
#[derive(Clone, Copy)]
pub struct Found<'a> {
    pub field: &'a Field,
    pub parent: Option<&'a Definition>,
    pub definition: Option<&'a FieldDefinition>,
}

/// Why two fields of one response name cannot be merged.
#[derive(Clone)]
struct Conflict {
    response_name: String,
    reason: Reason,
    position: Position,
}

#[derive(Clone)]
enum Reason {
    Message(String),
    Subfields(Vec<Conflict>),
}

impl Conflict {
    fn describe(&self, out: &mut String) {
        match &self.reason {
            Reason::Message(message) => out.push_str(message),
            Reason::Subfields(subs) => {
                for (i, sub) in subs.iter().enumerate() {
                    if i > 0 {
                        out.push_str(" and ");
                    }
                    out.push_str(&format!("subfields \"{}\" conflict because ", sub.response_name));
                    sub.describe(out);
                }
            }
        }
    }

    fn into_error(self) -> Error {
        let mut reason = String::new();
        self.describe(&mut reason);
        Error::at(
            self.position,
            format!(
                "Fields \"{}\" conflict because {reason}. Use different aliases on the fields to fetch both if this was \
                 intentional.",
                self.response_name
            ),
        )
    }
}

/// The fields of a selection set by response name, in the order the names first appear.
type Grouped<'a> = Vec<(&'a str, Vec<Found<'a>>)>;

/// Where a field's definition comes from: its parent type, or the fields every type has (`__typename`)
/// and the query type has (`__schema`, `__type`).
#[derive(Clone, Copy)]
pub struct FieldResolver<'a> {
    pub schema: &'a Schema,
    pub typename: &'a FieldDefinition,
    pub schema_field: &'a FieldDefinition,
    pub type_field: &'a FieldDefinition,
}

impl<'a> FieldResolver<'a> {
    pub fn definition(&self, parent: Option<&'a Definition>, name: &str) -> Option<&'a FieldDefinition> {
        let is_query_root = parent.is_some_and(|p| self.schema.query.as_deref() == Some(p.name.as_str()));
        match name {
            "__typename" => Some(self.typename),
            "__schema" if is_query_root => Some(self.schema_field),
            "__type" if is_query_root => Some(self.type_field),
            name => parent.and_then(|p| self.schema.field(p, name)),
        }
    }
}

pub struct Overlap<'a> {
    schema: &'a Schema,
    fragments: HashMap<&'a str, &'a FragmentDefinition>,
    fields: FieldResolver<'a>,
    /// Pairs of fields compared so far (by address, and whether their parents exclude each other).
    compared: HashMap<(usize, usize, bool), Option<Conflict>>,
}

impl<'a> Overlap<'a> {
    pub fn new(fields: FieldResolver<'a>, fragments: HashMap<&'a str, &'a FragmentDefinition>) -> Self {
        Overlap { schema: fields.schema, fragments, fields, compared: HashMap::new() }
    }

    /// The first conflict among the fields `selections` (on `parent`) select, as gqlparser reports it.
    pub fn check(&mut self, parent: Option<&'a Definition>, selections: &'a [Selection]) -> Result<(), Error> {
        let grouped = self.collect(parent, selections);
        for (_, fields) in &grouped {
            for (i, a) in fields.iter().enumerate() {
                for b in &fields[i + 1..] {
                    if let Some(conflict) = self.find_conflict(false, *a, *b)? {
                        return Err(conflict.into_error());
                    }
                }
            }
        }
        Ok(())
    }

    fn collect(&self, parent: Option<&'a Definition>, selections: &'a [Selection]) -> Grouped<'a> {
        let mut grouped: Grouped<'a> = Vec::new();
        let mut index: HashMap<&'a str, usize> = HashMap::new();
        // Depth-first in document order, each fragment expanded once.
        let mut leaves: HashSet<String> = HashSet::new();
        let mut stack: Vec<(Option<&'a Definition>, &'a [Selection], usize)> = vec![(parent, selections, 0)];
        let mut visited: HashSet<&'a str> = HashSet::new();
        while let Some((parent, set, next)) = stack.last_mut() {
            let Some(selection) = set.get(*next) else {
                stack.pop();
                continue;
            };
            *next += 1;
            let parent = *parent;
            match selection {
                Selection::Field(field) => {
                    // A leaf field identical to one already collected (same name, arguments and parent type)
                    // merges with it and conflicts with a third exactly when it does: keep the first only.
                    // A chain of fragments each selecting `a` would otherwise be compared pair by pair.
                    if field.selection_set.is_empty() && !leaves.insert(leaf_signature(field, parent)) {
                        continue;
                    }
                    let found = Found { field, parent, definition: self.fields.definition(parent, &field.name) };
                    let name = response_name(field);
                    let slot = *index.entry(name).or_insert_with(|| {
                        grouped.push((name, Vec::new()));
                        grouped.len() - 1
                    });
                    grouped[slot].1.push(found);
                }
                Selection::InlineFragment(fragment) => {
                    let inner =
                        if fragment.type_condition.is_empty() { parent } else { self.schema.types.get(&fragment.type_condition) };
                    stack.push((inner, &fragment.selection_set, 0));
                }
                Selection::FragmentSpread(spread) => {
                    if let Some(def) = self.fragments.get(spread.name.as_str()) {
                        if visited.insert(def.name.as_str()) {
                            stack.push((self.schema.types.get(&def.type_condition), &def.selection_set, 0));
                        }
                    }
                }
            }
        }
        grouped
    }

    fn find_conflict(&mut self, exclusive: bool, a: Found<'a>, b: Found<'a>) -> Result<Option<Conflict>, Error> {
        let key = (a.field as *const Field as usize, b.field as *const Field as usize, exclusive);
        if let Some(known) = self.compared.get(&key) {
            return Ok(known.clone());
        }
        super::on_time(b.field.position)?;
        let conflict = self.compare(exclusive, a, b)?;
        self.compared.insert(key, conflict.clone());
        Ok(conflict)
    }

    fn compare(&mut self, exclusive: bool, a: Found<'a>, b: Found<'a>) -> Result<Option<Conflict>, Error> {
        let (Some(parent_a), Some(parent_b)) = (a.parent, b.parent) else { return Ok(None) };
        let exclusive = exclusive
            || (parent_a.name != parent_b.name
                && parent_a.kind == OBJECT
                && parent_b.kind == OBJECT
                && a.definition.is_some()
                && b.definition.is_some());
        let conflict = |reason: Reason| {
            Ok(Some(Conflict { response_name: response_name(a.field).to_string(), reason, position: b.field.position }))
        };
        if !exclusive {
            if a.field.name != b.field.name {
                return conflict(Reason::Message(format!(
                    "\"{}\" and \"{}\" are different fields",
                    a.field.name, b.field.name
                )));
            }
            if !same_arguments(&a.field.arguments, &b.field.arguments) {
                return conflict(Reason::Message("they have differing arguments".to_string()));
            }
        }
        if let (Some(def_a), Some(def_b)) = (a.definition, b.definition) {
            if self.types_conflict(&def_a.ty, &def_b.ty) {
                return conflict(Reason::Message(format!(
                    "they return conflicting types \"{}\" and \"{}\"",
                    def_a.ty.render(),
                    def_b.ty.render()
                )));
            }
        }
        let sub_parent = |found: &Found<'a>| found.definition.and_then(|d| self.schema.types.get(d.ty.name()));
        let (sub_a, sub_b) = (sub_parent(&a), sub_parent(&b));
        let grouped_a = self.collect(sub_a, &a.field.selection_set);
        let grouped_b = self.collect(sub_b, &b.field.selection_set);
        let mut subs = Vec::new();
        for (name, fields_a) in &grouped_a {
            let Some((_, fields_b)) = grouped_b.iter().find(|(n, _)| n == name) else { continue };
            for field_a in fields_a {
                for field_b in fields_b {
                    if let Some(sub) = self.find_conflict(exclusive, *field_a, *field_b)? {
                        subs.push(sub);
                    }
                }
            }
        }
        if subs.is_empty() {
            Ok(None)
        } else {
            conflict(Reason::Subfields(subs))
        }
    }

    /// gqlparser's `doTypesConflict`: different nullability or list shape, or different leaf types.
    fn types_conflict(&self, mut one: &Type, mut other: &Type) -> bool {
        loop {
            if one.non_null != other.non_null || one.elem.is_some() != other.elem.is_some() {
                return true;
            }
            match (&one.elem, &other.elem) {
                (Some(a), Some(b)) if one.named_type.is_empty() => (one, other) = (a, b),
                _ => break,
            }
        }
        let leaf = |name: &str| self.schema.types.get(name).is_some_and(|t| matches!(t.kind.as_str(), SCALAR | ENUM));
        (leaf(&one.named_type) || leaf(&other.named_type)) && one.named_type != other.named_type
    }
}

/// The name a field's value has in the response: its alias, or its name without one (a field read from an
/// AST object may have no alias).
fn response_name(field: &Field) -> &str {
    if field.alias.is_empty() {
        &field.name
    } else {
        &field.alias
    }
}

/// What decides whether two leaf fields merge: response name, field name, parent type and arguments.
fn leaf_signature(field: &Field, parent: Option<&Definition>) -> String {
    let mut signature =
        format!("{}\u{0}{}\u{0}{}", response_name(field), field.name, parent.map_or("", |p| p.name.as_str()));
    for argument in &field.arguments {
        signature.push('\u{0}');
        signature.push_str(&argument.name);
        signature.push('=');
        if let Some(value) = &argument.value {
            write_value(value, &mut signature);
        }
    }
    signature
}

/// A value's kind, text and children, exactly (for [`leaf_signature`]).
fn write_value(value: &Value, out: &mut String) {
    out.push_str(&format!("{}:{}(", value.kind as u8, value.raw));
    for child in &value.children {
        out.push_str(&child.name);
        out.push('=');
        if let Some(v) = &child.value {
            write_value(v, out);
        }
        out.push(',');
    }
    out.push(')');
}

/// gqlparser's `sameArguments`: the same names with the same values, in any order.
fn same_arguments(one: &[Argument], other: &[Argument]) -> bool {
    one.len() == other.len()
        && one.iter().all(|a| {
            other.iter().any(|b| a.name == b.name && same_value(a.value.as_ref(), b.value.as_ref()))
        })
}

/// gqlparser's `sameValue`: kind, text and children alike (an object's fields in name order).
fn same_value(one: Option<&Value>, other: Option<&Value>) -> bool {
    let (Some(one), Some(other)) = (one, other) else { return one.is_none() && other.is_none() };
    if one.kind != other.kind || one.raw != other.raw || one.children.len() != other.children.len() {
        return false;
    }
    sorted_children(one)
        .iter()
        .zip(sorted_children(other))
        .all(|(x, y)| x.name == y.name && same_value(x.value.as_ref(), y.value.as_ref()))
}

/// A value's children, an object's in name order.
fn sorted_children(value: &Value) -> Vec<&ChildValue> {
    let mut children: Vec<&ChildValue> = value.children.iter().collect();
    if value.kind == ValueKind::Object {
        children.sort_by(|x, y| x.name.cmp(&y.name));
    }
    children
}
