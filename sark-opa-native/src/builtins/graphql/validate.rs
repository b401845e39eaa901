//! A query document checked against a schema by the validation rules gqlparser applies for OPA
//! (`validator.ValidateWithRules` with its default rules), walking the document in gqlparser's order
//! and reporting the first problem found. Left out: "overlapping fields can be merged" (two selections
//! of one response name that disagree, e.g. `{ a: b a: c }`), whose gqlparser rule compares every pair
//! of fields; such a query is accepted here, as by GraphQL servers that skip it.
//!
//! Fragments are followed where they are spread, once per operation, as gqlparser does (operations need
//! it: each counts the variables its fragments use). Walking the fragment definitions themselves,
//! gqlparser follows every spread again from each definition, quadratic in a chain of fragments; here a
//! fragment already walked from an earlier definition is not walked again (it was walked with the same
//! parent type and found sound, and the walk stops at the first error, so nothing is missed). Chains of
//! spreads and nested selections deeper than [`MAX_DEPTH`] are refused rather than followed down the stack.

use std::collections::{HashMap, HashSet};

use super::ast::*;
use super::lexer::{Error, Position};
use super::overlap::{FieldResolver, Overlap};
use super::schema::{is_compatible, Schema};

/// Nesting, through selection sets, fragment spreads and values, that the walk follows at most: measured,
/// the release build walks 40,000 levels within the 32 MiB evaluation stack.
const MAX_DEPTH: usize = 10_000;

type Check = Result<(), Error>;

fn fail(pos: Position, message: String) -> Check {
    Err(Error::at(pos, message))
}

pub fn validate(schema: &Schema, document: &QueryDocument) -> Check {
    let mut fragments = HashMap::new();
    for fragment in &document.fragments {
        fragments.entry(fragment.name.as_str()).or_insert(fragment);
    }
    let typename = FieldDefinition { name: "__typename".into(), ty: named("String", false), ..Default::default() };
    let schema_field = FieldDefinition { name: "__schema".into(), ty: named("__Schema", true), ..Default::default() };
    let type_field = FieldDefinition {
        name: "__type".into(),
        ty: named("__Type", false),
        arguments: vec![ArgumentDefinition { name: "name".into(), ty: named("String", true), ..Default::default() }],
        ..Default::default()
    };
    let fields = FieldResolver { schema, typename: &typename, schema_field: &schema_field, type_field: &type_field };
    let mut walker = Walker {
        schema,
        document,
        overlap: Overlap::new(fields, fragments.clone()),
        fragments,
        fields,
        operation: None,
        variables: HashMap::new(),
        used_variables: HashSet::new(),
        followed_spreads: HashSet::new(),
        used_fragments: HashSet::new(),
        in_fragment_definitions: false,
        seen_operations: HashSet::new(),
        seen_fragments: HashSet::new(),
        walked_fragments: HashSet::new(),
        cycle_checked: HashSet::new(),
        depth: 0,
    };
    for operation in &document.operations {
        walker.operation(operation)?;
    }
    for fragment in &document.fragments {
        walker.fragment_definition(fragment)?;
    }
    Ok(())
}

fn named(name: &str, non_null: bool) -> Type {
    Type { named_type: name.to_string(), non_null, ..Default::default() }
}

/// What a value is expected to be where it stands (gqlparser stores these on the value as it walks).
#[derive(Clone, Copy, Default)]
struct Expected<'a> {
    ty: Option<&'a Type>,
    definition: Option<&'a Definition>,
    has_default: bool,
}

struct Walker<'a> {
    schema: &'a Schema,
    document: &'a QueryDocument,
    fragments: HashMap<&'a str, &'a FragmentDefinition>,
    fields: FieldResolver<'a>,
    overlap: Overlap<'a>,
    operation: Option<&'a OperationDefinition>,
    /// The current operation's variables by name (the first of a name, as gqlparser finds it).
    variables: HashMap<&'a str, &'a VariableDefinition>,
    used_variables: HashSet<&'a str>,
    followed_spreads: HashSet<&'a str>,
    used_fragments: HashSet<&'a str>,
    in_fragment_definitions: bool,
    seen_operations: HashSet<&'a str>,
    seen_fragments: HashSet<&'a str>,
    /// Fragments walked to the end from a fragment definition (see the module documentation).
    walked_fragments: HashSet<&'a str>,
    cycle_checked: HashSet<&'a str>,
    depth: usize,
}

impl<'a> Walker<'a> {
    fn deeper(&mut self, pos: Position) -> Check {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return fail(pos, format!("selections and fragment spreads nested more than {MAX_DEPTH} deep"));
        }
        super::on_time(pos)
    }

    fn operation(&mut self, operation: &'a OperationDefinition) -> Check {
        self.operation = Some(operation);
        self.variables.clear();
        for var in &operation.variable_definitions {
            self.variables.entry(var.variable.as_str()).or_insert(var);
        }
        self.used_variables.clear();
        self.followed_spreads.clear();
        for var in &operation.variable_definitions {
            if !self.schema.types.contains_key(var.ty.name()) {
                return fail(var.position, format!("Unknown type \"{}\".", var.ty.name()));
            }
        }
        for var in &operation.variable_definitions {
            if let Some(default) = &var.default_value {
                let expected = Expected { ty: Some(&var.ty), definition: self.schema.types.get(var.ty.name()), has_default: false };
                self.value(default, expected)?;
            }
            self.directives(&var.directives, "VARIABLE_DEFINITION")?;
        }
        let (root, location) = match operation.operation.as_str() {
            "mutation" => (self.schema.root("mutation"), "MUTATION"),
            "subscription" => (self.schema.root("subscription"), "SUBSCRIPTION"),
            _ => (self.schema.root("query"), "QUERY"),
        };
        self.directives(&operation.directives, location)?;
        self.selection_set(root, &operation.selection_set)?;

        let kind = if operation.operation.is_empty() { "query" } else { operation.operation.as_str() };
        if root.is_none() {
            return fail(operation.position, format!("Schema does not support operation type \"{kind}\""));
        }
        if operation.name.is_empty() && self.document.operations.len() > 1 {
            return fail(operation.position, "This anonymous operation must be the only defined operation.".to_string());
        }
        for var in &operation.variable_definitions {
            // `Used` can only come from an AST object; gqlparser never clears it.
            if !var.used && !self.used_variables.contains(var.variable.as_str()) {
                let message = if operation.name.is_empty() {
                    format!("Variable \"${}\" is never used.", var.variable)
                } else {
                    format!("Variable \"${}\" is never used in operation \"{}\".", var.variable, operation.name)
                };
                return fail(var.position, message);
            }
        }
        self.overlap.check(root, &operation.selection_set)?;
        if operation.operation == "subscription" && self.schema.subscription.is_some() {
            self.single_field_subscription(operation)?;
        }
        if !self.seen_operations.insert(operation.name.as_str()) {
            return fail(operation.position, format!("There can be only one operation named \"{}\".", operation.name));
        }
        let mut variables = HashSet::new();
        for var in &operation.variable_definitions {
            if !variables.insert(var.variable.as_str()) {
                return fail(var.position, format!("There can be only one variable named \"${}\".", var.variable));
            }
            if !self.schema.types.get(var.ty.name()).is_none_or(is_input_type) {
                return fail(
                    var.position,
                    format!("Variable \"${}\" cannot be non-input type \"{}\".", var.variable, var.ty.render()),
                );
            }
        }
        self.operation = None;
        self.variables.clear();
        Ok(())
    }

    fn fragment_definition(&mut self, fragment: &'a FragmentDefinition) -> Check {
        self.followed_spreads.clear();
        let definition = self.schema.types.get(&fragment.type_condition);
        self.directives(&fragment.directives, "FRAGMENT_DEFINITION")?;
        if !self.walked_fragments.contains(fragment.name.as_str()) {
            self.selection_set(definition, &fragment.selection_set)?;
            self.walked_fragments.insert(fragment.name.as_str());
        }
        if let Some(def) = definition {
            if !fragment.type_condition.is_empty() && !is_composite(def) {
                return fail(
                    fragment.position,
                    format!(
                        "Fragment \"{}\" cannot condition on non composite type \"{}\".",
                        fragment.name, fragment.type_condition
                    ),
                );
            }
        } else {
            return fail(fragment.position, format!("Unknown type \"{}\".", fragment.type_condition));
        }
        self.fragment_cycles(fragment)?;
        self.in_fragment_definitions = true;
        if !self.used_fragments.contains(fragment.name.as_str()) {
            return fail(fragment.position, format!("Fragment \"{}\" is never used.", fragment.name));
        }
        self.overlap.check(definition, &fragment.selection_set)?;
        if !self.seen_fragments.insert(fragment.name.as_str()) {
            return fail(fragment.position, format!("There can be only one fragment named \"{}\".", fragment.name));
        }
        Ok(())
    }

    fn selection_set(&mut self, parent: Option<&'a Definition>, selections: &'a [Selection]) -> Check {
        for selection in selections {
            match selection {
                Selection::Field(field) => self.field(parent, field)?,
                Selection::InlineFragment(fragment) => self.inline_fragment(parent, fragment)?,
                Selection::FragmentSpread(spread) => self.fragment_spread(parent, spread)?,
            }
        }
        Ok(())
    }

    fn field(&mut self, parent: Option<&'a Definition>, field: &'a Field) -> Check {
        self.deeper(field.position)?;
        let definition = self.fields.definition(parent, &field.name);
        let next_parent = definition.and_then(|d| self.schema.types.get(d.ty.name()));
        for arg in &field.arguments {
            let arg_def = definition.and_then(|d| d.arguments.iter().find(|a| a.name == arg.name));
            self.argument(arg_def, arg)?;
        }
        self.directives(&field.directives, "FIELD")?;
        self.selection_set(next_parent, &field.selection_set)?;

        match (definition, parent) {
            (None, Some(parent)) => {
                return fail(field.position, format!("Cannot query field \"{}\" on type \"{}\".", field.name, parent.name));
            }
            (Some(definition), parent) => {
                if let Some(parent) = parent {
                    for arg in &field.arguments {
                        if !definition.arguments.iter().any(|a| a.name == arg.name) {
                            return fail(
                                field.position,
                                format!("Unknown argument \"{}\" on field \"{}.{}\".", arg.name, parent.name, field.name),
                            );
                        }
                    }
                }
                if matches!(field.name.as_str(), "__schema" | "__type")
                    && self.introspection_too_deep(&field.selection_set, 0, &mut HashMap::new())?
                {
                    return fail(field.position, "Maximum introspection depth exceeded".to_string());
                }
                if self.operation.is_some() {
                    self.overlap.check(next_parent, &field.selection_set)?;
                }
                for required in definition.arguments.iter().filter(|a| a.ty.non_null && a.default_value.is_none()) {
                    if !field.arguments.iter().any(|a| a.name == required.name) {
                        return fail(
                            field.position,
                            format!(
                                "Field \"{}\" argument \"{}\" of type \"{}\" is required, but it was not provided.",
                                field.name,
                                required.name,
                                required.ty.render()
                            ),
                        );
                    }
                }
                if let Some(field_type) = self.schema.types.get(definition.ty.name()) {
                    let leaf = matches!(field_type.kind.as_str(), ENUM | SCALAR);
                    if leaf && !field.selection_set.is_empty() {
                        return fail(
                            field.position,
                            format!(
                                "Field \"{}\" must not have a selection since type \"{}\" has no subfields.",
                                field.name, field_type.name
                            ),
                        );
                    }
                    if !leaf && field.selection_set.is_empty() {
                        return fail(
                            field.position,
                            format!(
                                "Field \"{}\" of type \"{}\" must have a selection of subfields.",
                                field.name,
                                definition.ty.render()
                            ),
                        );
                    }
                }
            }
            (None, None) => {}
        }
        unique_arguments(&field.arguments)?;
        self.depth -= 1;
        Ok(())
    }

    fn inline_fragment(&mut self, parent: Option<&'a Definition>, fragment: &'a InlineFragment) -> Check {
        self.deeper(fragment.position)?;
        let next_parent = if fragment.type_condition.is_empty() { parent } else { self.schema.types.get(&fragment.type_condition) };
        self.directives(&fragment.directives, "INLINE_FRAGMENT")?;
        self.selection_set(next_parent, &fragment.selection_set)?;
        if !fragment.type_condition.is_empty() {
            match self.schema.types.get(&fragment.type_condition) {
                Some(def) if !is_composite(def) => {
                    return fail(
                        fragment.position,
                        format!("Fragment cannot condition on non composite type \"{}\".", fragment.type_condition),
                    )
                }
                None => return fail(fragment.position, format!("Unknown type \"{}\".", fragment.type_condition)),
                _ => {}
            }
        }
        self.overlap.check(next_parent, &fragment.selection_set)?;
        if let Some(parent) = parent {
            if !self.possible_spread(parent, &fragment.type_condition) {
                return fail(
                    fragment.position,
                    format!(
                        "Fragment cannot be spread here as objects of type \"{}\" can never be of type \"{}\".",
                        parent.name, fragment.type_condition
                    ),
                );
            }
        }
        self.depth -= 1;
        Ok(())
    }

    fn fragment_spread(&mut self, parent: Option<&'a Definition>, spread: &'a FragmentSpread) -> Check {
        self.deeper(spread.position)?;
        let definition = self.fragments.get(spread.name.as_str()).copied();
        let next_parent = definition.and_then(|d| self.schema.types.get(&d.type_condition));
        self.directives(&spread.directives, "FRAGMENT_SPREAD")?;
        if let Some(def) = definition {
            let walked_before = self.operation.is_none() && self.walked_fragments.contains(def.name.as_str());
            if self.followed_spreads.insert(def.name.as_str()) && !walked_before {
                self.directives(&def.directives, "FRAGMENT_DEFINITION")?;
                self.selection_set(next_parent, &def.selection_set)?;
                if self.operation.is_none() {
                    self.walked_fragments.insert(def.name.as_str());
                }
            }
        }
        let Some(def) = definition else {
            return fail(spread.position, format!("Unknown fragment \"{}\".", spread.name));
        };
        if !self.in_fragment_definitions {
            self.used_fragments.insert(spread.name.as_str());
        }
        if let Some(parent) = parent {
            if !self.possible_spread(parent, &def.type_condition) {
                return fail(
                    spread.position,
                    format!(
                        "Fragment \"{}\" cannot be spread here as objects of type \"{}\" can never be of type \"{}\".",
                        spread.name, parent.name, def.type_condition
                    ),
                );
            }
        }
        self.depth -= 1;
        Ok(())
    }

    /// gqlparser's PossibleFragmentSpreads: some type the fragment may be is one the parent may be.
    fn possible_spread(&self, parent: &Definition, condition: &str) -> bool {
        let parents: Vec<&str> = match parent.kind.as_str() {
            OBJECT => vec![parent.name.as_str()],
            INTERFACE | UNION => self.possible_types(&parent.name),
            _ => return true,
        };
        let Some(fragment_type) = self.schema.types.get(condition) else { return true };
        if !is_composite(fragment_type) {
            return true;
        }
        self.possible_types(condition).iter().any(|t| parents.contains(t))
    }

    fn possible_types(&self, name: &str) -> Vec<&str> {
        self.schema.possible_types.get(name).map(|types| types.iter().map(String::as_str).collect()).unwrap_or_default()
    }

    fn argument(&mut self, definition: Option<&'a ArgumentDefinition>, argument: &'a Argument) -> Check {
        let Some(value) = &argument.value else { return Ok(()) };
        let expected = match definition {
            Some(def) => Expected {
                ty: Some(&def.ty),
                definition: self.schema.types.get(def.ty.name()),
                has_default: has_default(def.default_value.as_ref()),
            },
            None => Expected::default(),
        };
        self.value(value, expected)
    }

    fn directives(&mut self, directives: &'a [Directive], location: &str) -> Check {
        for dir in directives {
            let definition = self.schema.directives.get(&dir.name);
            for arg in &dir.arguments {
                let arg_def = definition.and_then(|d| d.arguments.iter().find(|a| a.name == arg.name));
                self.argument(arg_def, arg)?;
            }
            let Some(definition) = definition else {
                return fail(dir.position, format!("Unknown directive \"@{}\".", dir.name));
            };
            for arg in &dir.arguments {
                if !definition.arguments.iter().any(|a| a.name == arg.name) {
                    return fail(dir.position, format!("Unknown argument \"{}\" on directive \"@{}\".", arg.name, dir.name));
                }
            }
            if !definition.locations.iter().any(|l| l == location) {
                return fail(dir.position, format!("Directive \"@{}\" may not be used on {location}.", dir.name));
            }
            for required in definition.arguments.iter().filter(|a| a.ty.non_null && a.default_value.is_none()) {
                if !dir.arguments.iter().any(|a| a.name == required.name) {
                    return fail(
                        dir.position,
                        format!(
                            "Directive \"@{}\" argument \"{}\" of type \"{}\" is required, but it was not provided.",
                            definition.name,
                            required.name,
                            required.ty.render()
                        ),
                    );
                }
            }
            unique_arguments(&dir.arguments)?;
        }
        let mut seen = HashSet::new();
        for dir in directives {
            let repeatable = self.schema.directives.get(&dir.name).is_some_and(|d| d.is_repeatable);
            if !seen.insert(dir.name.as_str()) && !repeatable {
                return fail(dir.position, format!("The directive \"@{}\" can only be used once at this location.", dir.name));
            }
        }
        Ok(())
    }

    /// Walks `value` (children first, as gqlparser does) and checks it against what is expected there.
    fn value(&mut self, value: &'a Value, expected: Expected<'a>) -> Check {
        self.deeper(value.position)?;
        match value.kind {
            ValueKind::Variable => {
                if let Some(var) = self.variables.get(value.raw.as_str()) {
                    self.used_variables.insert(var.variable.as_str());
                }
            }
            ValueKind::Object => {
                for child in &value.children {
                    let Some(child_value) = &child.value else { continue };
                    let field = expected.definition.and_then(|d| d.fields.iter().find(|f| f.name == child.name));
                    let child_expected = match field {
                        Some(field) => Expected {
                            ty: Some(&field.ty),
                            definition: self.schema.types.get(field.ty.name()),
                            has_default: has_default(field.default_value.as_ref()),
                        },
                        None => Expected::default(),
                    };
                    self.value(child_value, child_expected)?;
                }
            }
            ValueKind::List => {
                for child in &value.children {
                    let Some(child_value) = &child.value else { continue };
                    let child_expected = match expected.ty.and_then(|t| t.elem.as_deref()) {
                        Some(elem) => Expected { ty: Some(elem), definition: expected.definition, has_default: false },
                        None => Expected::default(),
                    };
                    self.value(child_value, child_expected)?;
                }
            }
            _ => {}
        }
        self.check_value(value, expected)?;
        self.depth -= 1;
        Ok(())
    }

    fn check_value(&self, value: &'a Value, expected: Expected<'a>) -> Check {
        if value.kind == ValueKind::Variable {
            if let Some(operation) = self.operation {
                let Some(var) = self.variables.get(value.raw.as_str()).copied() else {
                    let message = if operation.name.is_empty() {
                        format!("Variable \"${}\" is not defined.", value.raw)
                    } else {
                        format!("Variable \"${}\" is not defined by operation \"{}\".", value.raw, operation.name)
                    };
                    return fail(value.position, message);
                };
                if let Some(expected_type) = expected.ty {
                    let mut allowed = expected_type.clone();
                    if var.default_value.as_ref().is_some_and(|d| d.kind != ValueKind::Null) || expected.has_default {
                        allowed.non_null = false;
                    }
                    if !is_compatible(&var.ty, &allowed) {
                        return fail(
                            value.position,
                            format!(
                                "Variable \"${}\" of type \"{}\" used in position expecting type \"{}\".",
                                value.raw,
                                var.ty.render(),
                                expected_type.render()
                            ),
                        );
                    }
                }
            }
        }
        if value.kind == ValueKind::Object {
            let mut seen = HashSet::new();
            for child in &value.children {
                if !seen.insert(child.name.as_str()) {
                    return fail(child.position, format!("There can be only one input field named \"{}\".", child.name));
                }
            }
        }
        let (Some(definition), Some(ty)) = (expected.definition, expected.ty) else { return Ok(()) };
        let found = render(value);
        if value.kind == ValueKind::Null && ty.non_null {
            return fail(value.position, format!("Expected value of type \"{}\", found {found}.", ty.render()));
        }
        if definition.kind == SCALAR && !matches!(definition.name.as_str(), "Int" | "Float" | "String" | "Boolean" | "ID") {
            return Ok(());
        }
        let unexpected = || fail(value.position, unexpected_type(value, ty, definition, &found));
        if !literal_readable(value) {
            return unexpected();
        }
        let is = |names: &[&str]| names.contains(&definition.name.as_str());
        let ok = match value.kind {
            ValueKind::Null | ValueKind::Variable => true,
            ValueKind::List => ty.elem.is_some(),
            ValueKind::Int => is(&["Int", "Float", "ID"]),
            ValueKind::Float => is(&["Float"]),
            ValueKind::String | ValueKind::Block if definition.kind == ENUM => {
                return fail(
                    value.position,
                    format!("Enum \"{}\" cannot represent non-enum value: {found}.", ty.render()),
                );
            }
            ValueKind::String | ValueKind::Block => is(&["String", "ID"]),
            ValueKind::Enum if definition.kind != ENUM => false,
            ValueKind::Enum => {
                if !definition.enum_values.iter().any(|v| v.name == value.raw) {
                    return fail(
                        value.position,
                        format!("Value \"{found}\" does not exist in \"{}\" enum.", ty.render()),
                    );
                }
                true
            }
            ValueKind::Boolean => is(&["Boolean"]),
            ValueKind::Object => {
                for field in definition.fields.iter().filter(|f| f.ty.non_null && f.default_value.is_none()) {
                    if !value.children.iter().any(|c| c.name == field.name) {
                        return fail(
                            value.position,
                            format!(
                                "Field \"{}.{}\" of required type \"{}\" was not provided.",
                                definition.name,
                                field.name,
                                field.ty.render()
                            ),
                        );
                    }
                }
                if definition.directives.iter().any(|d| d.name == "oneOf") {
                    if value.children.len() != 1 {
                        return fail(
                            value.position,
                            format!("OneOf Input Object \"{}\" must specify exactly one key.", definition.name),
                        );
                    }
                    let only = value.children[0].value.as_ref();
                    if only.is_none_or(|v| v.kind == ValueKind::Null) {
                        let first = definition.fields.first().map_or("", |f| f.name.as_str());
                        let at = only.map_or(value.position, |v| v.position);
                        return fail(at, format!("Field \"{}.{first}\" must be non-null.", definition.name));
                    }
                }
                for child in &value.children {
                    if !definition.fields.iter().any(|f| f.name == child.name) {
                        return fail(
                            child.position,
                            format!("Field \"{}\" is not defined by type \"{}\".", child.name, definition.name),
                        );
                    }
                }
                if definition.directives.iter().any(|d| d.name == "oneOf") && self.operation.is_some() {
                    for child in value.children.iter().filter_map(|c| c.value.as_ref()) {
                        let var = self.variables.get(child.raw.as_str());
                        if let (ValueKind::Variable, Some(var)) = (child.kind, var) {
                            if !var.ty.non_null {
                                return fail(
                                    var.position,
                                    format!(
                                        "Variable \"${}\" is of type \"{}\" but must be non-nullable to be used for \
                                         OneOf Input Object \"{}\".",
                                        child.raw,
                                        var.ty.render(),
                                        definition.name
                                    ),
                                );
                            }
                        }
                    }
                }
                true
            }
        };
        if ok {
            Ok(())
        } else {
            unexpected()
        }
    }

    fn single_field_subscription(&mut self, operation: &'a OperationDefinition) -> Check {
        let name = if operation.name.is_empty() {
            "Anonymous Subscription".to_string()
        } else {
            format!("Subscription {}", super::super::args::go_quote(&operation.name))
        };
        let mut fields: Vec<&Field> = Vec::new();
        let mut visited = HashSet::new();
        let mut pending: Vec<&'a [Selection]> = vec![&operation.selection_set];
        // Top-level fields, through inline fragments and spreads (each fragment once), in order.
        while let Some(set) = pending.pop() {
            let mut nested = Vec::new();
            for selection in set {
                match selection {
                    Selection::Field(field) => fields.push(field),
                    Selection::InlineFragment(fragment) => nested.push(fragment.selection_set.as_slice()),
                    Selection::FragmentSpread(spread) => {
                        if let Some(def) = self.fragments.get(spread.name.as_str()) {
                            if visited.insert(spread.name.as_str()) {
                                nested.push(def.selection_set.as_slice());
                            }
                        }
                    }
                }
            }
            pending.extend(nested.into_iter().rev());
        }
        let mut seen = HashSet::new();
        let unique: Vec<&Field> = fields.into_iter().filter(|f| seen.insert(f.name.as_str())).collect();
        if unique.len() > 1 {
            return fail(unique[1].position, format!("{name} must select only one top level field."));
        }
        if let Some(field) = unique.iter().find(|f| f.name.starts_with("__")) {
            return fail(field.position, format!("{name} must not select an introspection top level field."));
        }
        Ok(())
    }

    /// gqlparser's MaxIntrospectionDepth: `fields`, `interfaces`, `possibleTypes` or `inputFields` nested
    /// three deep below an introspection field.
    fn introspection_too_deep(
        &mut self,
        selections: &'a [Selection],
        depth: usize,
        visiting: &mut HashMap<&'a str, usize>,
    ) -> Result<bool, Error> {
        for selection in selections {
            let too_deep = match selection {
                Selection::Field(field) => {
                    let depth = depth + usize::from(matches!(
                        field.name.as_str(),
                        "fields" | "interfaces" | "possibleTypes" | "inputFields"
                    ));
                    if depth >= 3 {
                        return Ok(true);
                    }
                    self.deeper(field.position)?;
                    let result = self.introspection_too_deep(&field.selection_set, depth, visiting)?;
                    self.depth -= 1;
                    result
                }
                Selection::InlineFragment(fragment) => {
                    self.deeper(fragment.position)?;
                    let result = self.introspection_too_deep(&fragment.selection_set, depth, visiting)?;
                    self.depth -= 1;
                    result
                }
                Selection::FragmentSpread(spread) => {
                    if let Some(&entry) = visiting.get(spread.name.as_str()) {
                        depth > entry
                    } else if let Some(def) = self.fragments.get(spread.name.as_str()).copied() {
                        visiting.insert(def.name.as_str(), depth);
                        self.deeper(spread.position)?;
                        let result = self.introspection_too_deep(&def.selection_set, depth, visiting)?;
                        self.depth -= 1;
                        visiting.remove(def.name.as_str());
                        result
                    } else {
                        false
                    }
                }
            };
            if too_deep {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// gqlparser's NoFragmentCycles, from `fragment`: a spread that leads back to a fragment on the current
    /// path is an error. A depth-first walk with its own stack.
    fn fragment_cycles(&mut self, fragment: &'a FragmentDefinition) -> Check {
        if !self.cycle_checked.insert(fragment.name.as_str()) {
            return Ok(());
        }
        let mut path_index: HashMap<&str, usize> = HashMap::new();
        let mut path: Vec<&FragmentSpread> = Vec::new();
        // Each frame: a fragment's spreads and the next one to follow.
        let mut stack: Vec<(&str, Vec<&'a FragmentSpread>, usize)> = Vec::new();
        let spreads = spreads_in(&fragment.selection_set);
        if spreads.is_empty() {
            return Ok(());
        }
        path_index.insert(fragment.name.as_str(), 0);
        stack.push((fragment.name.as_str(), spreads, 0));
        while let Some((name, spreads, next)) = stack.last_mut() {
            let Some(spread) = spreads.get(*next).copied() else {
                path_index.remove(*name);
                stack.pop();
                path.pop();
                continue;
            };
            *next += 1;
            path.push(spread);
            if let Some(&index) = path_index.get(spread.name.as_str()) {
                let via: Vec<String> = path[index..path.len() - 1].iter().map(|s| format!("\"{}\"", s.name)).collect();
                let via = if via.is_empty() { String::new() } else { format!(" via {}", via.join(", ")) };
                return fail(spread.position, format!("Cannot spread fragment \"{}\" within itself{via}.", spread.name));
            }
            match self.fragments.get(spread.name.as_str()).copied() {
                Some(target) if self.cycle_checked.insert(target.name.as_str()) => {
                    let spreads = spreads_in(&target.selection_set);
                    if spreads.is_empty() {
                        path.pop();
                    } else {
                        path_index.insert(target.name.as_str(), path.len());
                        stack.push((target.name.as_str(), spreads, 0));
                    }
                }
                _ => {
                    path.pop();
                }
            }
        }
        Ok(())
    }
}

fn has_default(default: Option<&Value>) -> bool {
    default.is_some_and(|d| d.kind != ValueKind::Null)
}

fn unique_arguments(arguments: &[Argument]) -> Check {
    let mut seen = HashSet::new();
    for arg in arguments {
        if !seen.insert(arg.name.as_str()) {
            return fail(arg.position, format!("There can be only one argument named \"{}\".", arg.name));
        }
    }
    Ok(())
}

/// Every fragment spread in a selection set, nested ones included (gqlparser's order: a stack of sets).
fn spreads_in(selections: &[Selection]) -> Vec<&FragmentSpread> {
    let mut spreads = Vec::new();
    let mut sets = vec![selections];
    while let Some(set) = sets.pop() {
        for selection in set {
            match selection {
                Selection::FragmentSpread(spread) => spreads.push(spread),
                Selection::Field(field) => sets.push(&field.selection_set),
                Selection::InlineFragment(fragment) => sets.push(&fragment.selection_set),
            }
        }
    }
    spreads
}

fn is_composite(definition: &Definition) -> bool {
    matches!(definition.kind.as_str(), OBJECT | INTERFACE | UNION)
}

fn is_input_type(definition: &Definition) -> bool {
    matches!(definition.kind.as_str(), SCALAR | ENUM | INPUT_OBJECT)
}

/// gqlparser's `unexpectedTypeMessageOnly`: what a literal of the wrong kind is told, by expected type.
fn unexpected_type(value: &Value, ty: &Type, definition: &Definition, found: &str) -> String {
    let expected = ty.render();
    match expected.as_str() {
        "Int" | "Int!" => {
            // Go's ParseInt(raw, 10, 32): a range error for well-formed digits, else a syntax error.
            let digits = value.raw.strip_prefix(['-', '+']).unwrap_or(&value.raw);
            let well_formed = !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit());
            let out_of_range = well_formed && value.raw.parse::<i32>().is_err();
            if out_of_range {
                format!("Int cannot represent non 32-bit signed integer value: {found}")
            } else {
                format!("Int cannot represent non-integer value: {found}")
            }
        }
        "String" | "String!" | "[String]" => format!("String cannot represent a non string value: {found}"),
        "Boolean" | "Boolean!" => format!("Boolean cannot represent a non boolean value: {found}"),
        "Float" | "Float!" => format!("Float cannot represent non numeric value: {found}"),
        "ID" | "ID!" => format!("ID cannot represent a non-string and non-integer value: {found}"),
        _ if definition.kind == ENUM => format!("Enum \"{expected}\" cannot represent non-enum value: {found}."),
        _ => format!("Expected value of type \"{expected}\", found {found}."),
    }
}


/// Whether gqlparser's `Value.Value` reads the literal: integers within 64 bits, floats within range.
fn literal_readable(value: &Value) -> bool {
    let mut pending = vec![value];
    while let Some(value) = pending.pop() {
        match value.kind {
            ValueKind::Int if value.raw.parse::<i64>().is_err() => return false,
            ValueKind::Float if !value.raw.parse::<f64>().is_ok_and(f64::is_finite) => return false,
            // Go's strconv.ParseBool (a parsed document only ever has `true` and `false` here).
            ValueKind::Boolean
                if !matches!(value.raw.as_str(), "1" | "t" | "T" | "TRUE" | "true" | "True" | "0" | "f" | "F" | "FALSE" | "false" | "False") =>
            {
                return false
            }
            ValueKind::List | ValueKind::Object => pending.extend(value.children.iter().filter_map(|c| c.value.as_ref())),
            _ => {}
        }
    }
    true
}

/// A value as gqlparser prints it in messages (bounded: a long literal is cut).
fn render(value: &Value) -> String {
    const LIMIT: usize = 200;
    let mut out = String::new();
    render_into(value, &mut out, LIMIT);
    if out.len() > LIMIT {
        let mut cut = LIMIT;
        while !out.is_char_boundary(cut) {
            cut -= 1;
        }
        out.truncate(cut);
        out.push_str("...");
    }
    out
}

fn render_into(value: &Value, out: &mut String, limit: usize) {
    if out.len() > limit {
        return;
    }
    match value.kind {
        ValueKind::Variable => {
            out.push('$');
            out.push_str(&value.raw);
        }
        ValueKind::String | ValueKind::Block => out.push_str(&super::super::args::go_quote(&value.raw)),
        ValueKind::List | ValueKind::Object => {
            let (open, close) = if value.kind == ValueKind::List { ('[', ']') } else { ('{', '}') };
            out.push(open);
            for (i, child) in value.children.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                if value.kind == ValueKind::Object {
                    out.push_str(&child.name);
                    out.push(':');
                }
                if let Some(v) = &child.value {
                    render_into(v, out, limit);
                }
                if out.len() > limit {
                    return;
                }
            }
            out.push(close);
        }
        _ => out.push_str(&value.raw),
    }
}
