//! A schema document checked and assembled into a [`Schema`], by gqlparser's rules
//! (`validator.ValidateSchemaDocument`, which OPA calls on the built-in definitions followed by the
//! policy's): types and directives declared once, extensions of types that exist or are declared by the
//! extension, root operation types that are objects, fields and arguments of the right kinds, interfaces
//! implemented with covariant field types, directives known and used where they apply, no input object
//! that contains itself through non-null fields. The first problem found is the error, as in gqlparser;
//! checks that gqlparser makes pair by pair are made with sets here, so large schemas stay linear.

use std::collections::{HashMap, HashSet};

use super::ast::*;
use super::lexer::{Error, Position};
use super::parser;

/// The built-in scalars, directives and introspection types of the GraphQL specification, which every
/// schema starts from (gqlparser's prelude; descriptions left out, as no check reads them).
const PRELUDE: &str = r#"
scalar Int
scalar Float
scalar String
scalar Boolean
scalar ID
directive @defer(if: Boolean = true, label: String) on FRAGMENT_SPREAD | INLINE_FRAGMENT
directive @include(if: Boolean!) on FIELD | FRAGMENT_SPREAD | INLINE_FRAGMENT
directive @skip(if: Boolean!) on FIELD | FRAGMENT_SPREAD | INLINE_FRAGMENT
directive @deprecated(reason: String = "No longer supported") on FIELD_DEFINITION | ARGUMENT_DEFINITION | INPUT_FIELD_DEFINITION | ENUM_VALUE | DIRECTIVE_DEFINITION
directive @specifiedBy(url: String!) on SCALAR
directive @oneOf on INPUT_OBJECT
type __Schema {
  description: String
  types: [__Type!]!
  queryType: __Type!
  mutationType: __Type
  subscriptionType: __Type
  directives: [__Directive!]!
}
type __Type {
  kind: __TypeKind!
  name: String
  description: String
  specifiedByURL: String
  fields(includeDeprecated: Boolean = false): [__Field!]
  interfaces: [__Type!]
  possibleTypes: [__Type!]
  enumValues(includeDeprecated: Boolean = false): [__EnumValue!]
  inputFields(includeDeprecated: Boolean = false): [__InputValue!]
  ofType: __Type
  isOneOf: Boolean
}
enum __TypeKind { SCALAR OBJECT INTERFACE UNION ENUM INPUT_OBJECT LIST NON_NULL }
type __Field {
  name: String!
  description: String
  args(includeDeprecated: Boolean = false): [__InputValue!]!
  type: __Type!
  isDeprecated: Boolean!
  deprecationReason: String
}
type __InputValue {
  name: String!
  description: String
  type: __Type!
  defaultValue: String
  isDeprecated: Boolean!
  deprecationReason: String
}
type __EnumValue {
  name: String!
  description: String
  isDeprecated: Boolean!
  deprecationReason: String
}
type __Directive {
  name: String!
  description: String
  isRepeatable: Boolean!
  locations: [__DirectiveLocation!]!
  args(includeDeprecated: Boolean = false): [__InputValue!]!
}
enum __DirectiveLocation {
  QUERY MUTATION SUBSCRIPTION FIELD FRAGMENT_DEFINITION FRAGMENT_SPREAD INLINE_FRAGMENT VARIABLE_DEFINITION
  SCHEMA SCALAR OBJECT FIELD_DEFINITION ARGUMENT_DEFINITION INTERFACE UNION ENUM ENUM_VALUE INPUT_OBJECT
  INPUT_FIELD_DEFINITION
}
"#;

const PRELUDE_DIRECTIVES: [&str; 6] = ["defer", "deprecated", "include", "oneOf", "skip", "specifiedBy"];

/// A checked schema: every type and directive by name, and the root operation types.
#[derive(Debug)]
pub struct Schema {
    pub types: HashMap<String, Definition>,
    pub directives: HashMap<String, DirectiveDefinition>,
    /// The object types (and interfaces) each interface or union stands for.
    pub possible_types: HashMap<String, Vec<String>>,
    pub query: Option<String>,
    pub mutation: Option<String>,
    pub subscription: Option<String>,
    /// Each type's fields by name (the first of a name): queries look fields up once per selection.
    field_index: HashMap<String, HashMap<String, usize>>,
}

impl Schema {
    /// The field `name` of `parent` (a type of this schema), as gqlparser's `Fields.ForName` finds it.
    pub fn field<'s>(&'s self, parent: &'s Definition, name: &str) -> Option<&'s FieldDefinition> {
        let index = *self.field_index.get(&parent.name)?.get(name)?;
        parent.fields.get(index)
    }

    pub fn root(&self, operation: &str) -> Option<&Definition> {
        let name = match operation {
            "query" => &self.query,
            "mutation" => &self.mutation,
            "subscription" => &self.subscription,
            _ => &None,
        };
        name.as_ref().and_then(|name| self.types.get(name))
    }

    fn is_input_type(&self, name: &str) -> bool {
        self.types.get(name).is_some_and(|def| matches!(def.kind.as_str(), SCALAR | ENUM | INPUT_OBJECT))
    }
}

fn error<T>(pos: Position, message: String) -> Result<T, Error> {
    Err(Error::at(pos, message))
}

/// Checks `document` on top of the built-in definitions and assembles the schema.
pub fn validate(document: SchemaDocument) -> Result<Schema, Error> {
    let mut prelude = parser::parse_schema(PRELUDE).expect("the built-in definitions parse");
    for def in &mut prelude.definitions {
        def.built_in = true;
    }
    let mut schema = Schema {
        types: HashMap::new(),
        directives: HashMap::new(),
        possible_types: HashMap::new(),
        query: None,
        mutation: None,
        subscription: None,
        field_index: HashMap::new(),
    };
    let mut order = Vec::new();
    for def in prelude.definitions.into_iter().chain(document.definitions) {
        if schema.types.contains_key(&def.name) {
            return error(def.position, format!("Cannot redeclare type {}.", def.name));
        }
        order.push(def.name.clone());
        schema.types.insert(def.name.clone(), def);
    }
    for ext in document.extensions {
        let def = schema.types.entry(ext.name.clone()).or_insert_with(|| {
            order.push(ext.name.clone());
            Definition { kind: ext.kind.clone(), name: ext.name.clone(), position: ext.position, ..Default::default() }
        });
        if def.kind != ext.kind {
            return error(
                ext.position,
                format!(
                    "Cannot extend type {} because the base type is a {}, not {}.",
                    ext.name, def.kind, ext.kind
                ),
            );
        }
        def.directives.extend(ext.directives);
        def.interfaces.extend(ext.interfaces);
        def.fields.extend(ext.fields);
        def.types.extend(ext.types);
        def.type_positions.extend(ext.type_positions);
        def.enum_values.extend(ext.enum_values);
    }
    for name in &order {
        let def = &schema.types[name];
        let mut add = |of: &str, member: &str| schema.possible_types.entry(of.to_string()).or_default().push(member.to_string());
        match def.kind.as_str() {
            UNION => def.types.iter().filter(|t| schema.types.contains_key(*t)).for_each(|t| add(&def.name, t)),
            OBJECT | INPUT_OBJECT => {
                def.interfaces.iter().for_each(|i| add(i, &def.name));
                add(&def.name, &def.name);
            }
            INTERFACE => def.interfaces.iter().for_each(|i| add(i, &def.name)),
            _ => {}
        }
    }

    for dir in prelude.directives.into_iter().chain(document.directives) {
        if schema.directives.contains_key(&dir.name) && !PRELUDE_DIRECTIVES.contains(&dir.name.as_str()) {
            return error(dir.position, format!("Cannot redeclare directive {}.", dir.name));
        }
        schema.directives.insert(dir.name.clone(), dir);
    }
    for ext in document.directive_extensions {
        let Some(def) = schema.directives.get_mut(&ext.name) else {
            return error(ext.position, format!("Cannot extend directive @{} because it is not defined.", ext.name));
        };
        def.directives.extend(ext.directives);
    }

    if let Some(second) = document.schema.get(1) {
        return error(
            second.position,
            "Cannot have multiple schema entry points, consider schema extensions instead.".to_string(),
        );
    }
    let mut root_positions: HashMap<String, Position> = HashMap::new();
    let has_schema_definition = !document.schema.is_empty();
    for def in document.schema.iter().chain(&document.schema_extension) {
        for entry in &def.operation_types {
            if root_positions.insert(entry.operation.clone(), entry.position).is_some() {
                return error(entry.position, format!("There can be only one {} type in schema.", entry.operation));
            }
            if !schema.types.contains_key(&entry.ty) {
                return error(
                    entry.position,
                    format!("Schema root {} refers to a type {} that does not exist.", entry.operation, entry.ty),
                );
            }
            let root = Some(entry.ty.clone());
            match entry.operation.as_str() {
                "query" => schema.query = root,
                "mutation" => schema.mutation = root,
                _ => schema.subscription = root,
            }
        }
        check_directives(&schema, &def.directives, "SCHEMA", None, true)?;
    }

    let mut names: Vec<&String> = schema.types.keys().collect();
    names.sort();
    for name in &names {
        let def = &schema.types[*name];
        super::on_time(def.position)?;
        check_definition(&schema, def)?;
    }
    check_input_cycles(&schema, &names)?;
    let mut directive_names: Vec<&String> = schema.directives.keys().collect();
    directive_names.sort();
    for name in directive_names {
        check_directive_definition(&schema, &schema.directives[name])?;
    }

    if !has_schema_definition {
        for (root, name) in [(&mut schema.query, "Query"), (&mut schema.mutation, "Mutation"), (&mut schema.subscription, "Subscription")] {
            if root.is_none() && schema.types.contains_key(name) {
                *root = Some(name.to_string());
            }
        }
    }
    let roots = [
        ("query", &schema.query, "Query root type must be Object type, it cannot be"),
        ("mutation", &schema.mutation, "Mutation root type must be Object type if provided, it cannot be"),
        ("subscription", &schema.subscription, "Subscription root type must be Object type if provided, it cannot be"),
    ];
    for (operation, root, message) in roots {
        let Some(def) = root.as_ref().and_then(|name| schema.types.get(name)) else { continue };
        if def.kind != OBJECT {
            let pos = root_positions.get(operation).copied().unwrap_or(def.position);
            return error(pos, format!("{message} {}.", def.name));
        }
    }
    for def in schema.types.values() {
        let mut fields = HashMap::new();
        for (index, field) in def.fields.iter().enumerate() {
            fields.entry(field.name.clone()).or_insert(index);
        }
        schema.field_index.insert(def.name.clone(), fields);
    }
    Ok(schema)
}

fn check_name(pos: Position, name: &str) -> Result<(), Error> {
    if name.starts_with("__") {
        return error(
            pos,
            format!("Name \"{name}\" must not begin with \"__\", which is reserved by GraphQL introspection."),
        );
    }
    Ok(())
}

/// The duplicate gqlparser reports (it compares each name with every later one): of the names given
/// twice, the one whose first occurrence comes first, at its second occurrence. Its index, in one pass.
fn duplicate<'a>(names: impl IntoIterator<Item = &'a str>) -> Option<usize> {
    let mut first: HashMap<&str, Option<usize>> = HashMap::new(); // name -> index, until seen twice
    let mut best: Option<(usize, usize)> = None;
    for (j, name) in names.into_iter().enumerate() {
        match first.get_mut(name) {
            None => {
                first.insert(name, Some(j));
            }
            Some(slot) => {
                if let Some(i) = slot.take() {
                    if best.is_none_or(|(bi, _)| i < bi) {
                        best = Some((i, j));
                    }
                }
            }
        }
    }
    best.map(|(_, j)| j)
}

fn check_definition(schema: &Schema, def: &Definition) -> Result<(), Error> {
    let field_location = if def.kind == INPUT_OBJECT { "INPUT_FIELD_DEFINITION" } else { "FIELD_DEFINITION" };
    for field in &def.fields {
        super::on_time(field.position)?;
        check_name(field.position, &field.name)?;
        check_type_ref(schema, &field.ty)?;
        check_input_field_names(field.default_value.as_ref())?;
        if let Some(j) = duplicate(field.arguments.iter().map(|a| a.name.as_str())) {
            let arg = &field.arguments[j];
            return error(arg.position, format!("Argument {}.{}({}:) can only be defined once.", def.name, field.name, arg.name));
        }
        check_arguments(schema, &field.arguments, None)?;
        check_directives(schema, &field.directives, field_location, None, true)?;
    }
    for member in &def.types {
        match schema.types.get(member) {
            None => return error(def.position, format!("Undefined type {}.", quote(member))),
            Some(t) if t.kind != OBJECT => {
                return error(def.position, format!("{} type {} must be {OBJECT}.", def.kind, quote(member)))
            }
            _ => {}
        }
    }
    let mut implemented = HashSet::new();
    for interface in &def.interfaces {
        if !implemented.insert(interface.as_str()) {
            return error(def.position, format!("Type {} can only implement {interface} once.", def.name));
        }
        check_implements(schema, def, interface)?;
    }
    let empty = match def.kind.as_str() {
        OBJECT | INTERFACE => {
            for field in &def.fields {
                if schema.types.get(field.ty.name()).is_some_and(|t| t.kind == INPUT_OBJECT) {
                    return error(
                        field.position,
                        format!("{} {}: field must be one of SCALAR, OBJECT, INTERFACE, UNION, ENUM.", def.kind, def.name),
                    );
                }
            }
            def.fields.is_empty()
        }
        ENUM => {
            for value in &def.enum_values {
                check_name(value.position, &value.name)?;
                if matches!(value.name.as_str(), "true" | "false" | "null") {
                    return error(value.position, format!("{} {}: non-enum value {}.", def.kind, def.name, value.name));
                }
                check_directives(schema, &value.directives, "ENUM_VALUE", None, true)?;
            }
            def.enum_values.is_empty()
        }
        INPUT_OBJECT => {
            for field in &def.fields {
                if let Some(t) = schema.types.get(field.ty.name()) {
                    if !matches!(t.kind.as_str(), SCALAR | ENUM | INPUT_OBJECT) {
                        return error(
                            field.position,
                            format!("{} {}: field must be one of SCALAR, ENUM, INPUT_OBJECT.", t.kind, field.name),
                        );
                    }
                }
            }
            def.fields.is_empty()
        }
        UNION => def.types.is_empty(),
        _ => false,
    };
    if empty {
        let what = match def.kind.as_str() {
            ENUM => "unique enum values",
            UNION => "member types",
            INPUT_OBJECT => "input fields",
            _ => "fields",
        };
        return error(def.position, format!("{} {}: must define one or more {what}.", def.kind, def.name));
    }
    if let Some(j) = duplicate(def.fields.iter().map(|f| f.name.as_str())) {
        let field = &def.fields[j];
        return error(field.position, format!("Field {}.{} can only be defined once.", def.name, field.name));
    }
    if let Some(j) = duplicate(def.enum_values.iter().map(|v| v.name.as_str())) {
        let value = &def.enum_values[j];
        return error(value.position, format!("Enum value {}.{} can only be defined once.", def.name, value.name));
    }
    if let Some(j) = duplicate(def.types.iter().map(String::as_str)) {
        // Placed at that naming of the type when every member's place is known.
        let pos = def.type_positions.get(j).filter(|_| def.type_positions.len() == def.types.len()).copied();
        return error(pos.unwrap_or(def.position), format!("Union type {} can only include type {} once.", def.name, def.types[j]));
    }
    if !def.built_in {
        check_name(def.position, &def.name)?;
    }
    check_directives(schema, &def.directives, &def.kind, None, false)
}

fn quote(text: &str) -> String {
    super::super::args::go_quote(text)
}

fn check_type_ref(schema: &Schema, ty: &Type) -> Result<(), Error> {
    if !schema.types.contains_key(ty.name()) {
        return error(ty.position, format!("Undefined type {}.", ty.name()));
    }
    Ok(())
}

fn check_arguments(schema: &Schema, arguments: &[ArgumentDefinition], directive: Option<&DirectiveDefinition>) -> Result<(), Error> {
    for arg in arguments {
        check_name(arg.position, &arg.name)?;
        check_type_ref(schema, &arg.ty)?;
        check_input_field_names(arg.default_value.as_ref())?;
        if !schema.is_input_type(arg.ty.name()) {
            return error(
                arg.position,
                format!(
                    "cannot use {} as argument {} because {} is not a valid input type",
                    arg.ty.render(),
                    arg.name,
                    schema.types[arg.ty.name()].kind
                ),
            );
        }
        check_directives(schema, &arg.directives, "ARGUMENT_DEFINITION", directive, true)?;
    }
    Ok(())
}

/// Directives used at `location`: defined, applicable there, not on themselves, once unless repeatable
/// (with `single_location`), with known, unique arguments and every required one given.
fn check_directives(
    schema: &Schema,
    directives: &[Directive],
    location: &str,
    current: Option<&DirectiveDefinition>,
    single_location: bool,
) -> Result<(), Error> {
    let mut seen = HashSet::new();
    for dir in directives {
        check_name(dir.position, &dir.name)?;
        if current.is_some_and(|c| c.name == dir.name) {
            return error(dir.position, format!("Directive {} cannot refer to itself.", dir.name));
        }
        let Some(def) = schema.directives.get(&dir.name) else {
            return error(dir.position, format!("Undefined directive {}.", dir.name));
        };
        if single_location && !seen.insert(dir.name.as_str()) && !def.is_repeatable {
            return error(dir.position, format!("The directive {} can only be used once at this location.", dir.name));
        }
        if !def.locations.iter().any(|l| l == location) {
            return error(dir.position, format!("Directive {} is not applicable on {location}.", dir.name));
        }
        let mut given = HashSet::new();
        for arg in &dir.arguments {
            if !def.arguments.iter().any(|a| a.name == arg.name) {
                return error(arg.position, format!("Undefined argument {} for directive {}.", arg.name, dir.name));
            }
            if !given.insert(arg.name.as_str()) {
                return error(arg.position, format!("There can be only one argument named {}.", arg.name));
            }
        }
        for required in def.arguments.iter().filter(|a| a.ty.non_null && a.default_value.is_none()) {
            let value = dir.arguments.iter().find(|a| a.name == required.name).and_then(|a| a.value.as_ref());
            if value.is_none_or(|v| v.kind == ValueKind::Null) {
                return error(
                    dir.position,
                    format!("Argument {} for directive {} cannot be null.", required.name, dir.name),
                );
            }
        }
        for arg in &dir.arguments {
            check_input_field_names(arg.value.as_ref())?;
        }
    }
    Ok(())
}

/// No input object literal in `value` names a field twice.
fn check_input_field_names(value: Option<&Value>) -> Result<(), Error> {
    let mut pending: Vec<&Value> = value.into_iter().collect();
    while let Some(value) = pending.pop() {
        let mut seen = HashSet::new();
        for child in &value.children {
            if value.kind == ValueKind::Object && !seen.insert(child.name.as_str()) {
                return error(child.position, format!("There can be only one input field named \"{}\".", child.name));
            }
            pending.extend(child.value.as_ref());
        }
    }
    Ok(())
}

fn check_directive_definition(schema: &Schema, def: &DirectiveDefinition) -> Result<(), Error> {
    check_name(def.position, &def.name)?;
    if let Some(j) = duplicate(def.arguments.iter().map(|a| a.name.as_str())) {
        let arg = &def.arguments[j];
        return error(arg.position, format!("Argument @{}({}:) can only be defined once.", def.name, arg.name));
    }
    check_directives(schema, &def.directives, "DIRECTIVE_DEFINITION", Some(def), true)?;
    check_arguments(schema, &def.arguments, Some(def))
}

fn check_implements(schema: &Schema, def: &Definition, interface_name: &str) -> Result<(), Error> {
    let Some(interface) = schema.types.get(interface_name) else {
        return error(def.position, format!("Undefined type {}.", quote(interface_name)));
    };
    if interface.kind != INTERFACE {
        return error(def.position, format!("{} is a non interface type {}.", quote(interface_name), interface.kind));
    }
    if interface.name == def.name {
        return error(
            def.position,
            format!("Type {} cannot implement itself because it would create a circular reference.", def.name),
        );
    }
    let fields: HashMap<&str, &FieldDefinition> = def.fields.iter().rev().map(|f| (f.name.as_str(), f)).collect();
    for required in &interface.fields {
        let Some(found) = fields.get(required.name.as_str()) else {
            return error(
                def.position,
                format!("For {} to implement {} it must have a field called {}.", def.name, interface.name, required.name),
            );
        };
        if !is_covariant(schema, &required.ty, &found.ty) {
            return error(
                found.position,
                format!(
                    "For {} to implement {} the field {} must have type {}.",
                    def.name,
                    interface.name,
                    required.name,
                    required.ty.render()
                ),
            );
        }
        let found_args: HashMap<&str, &ArgumentDefinition> =
            found.arguments.iter().rev().map(|a| (a.name.as_str(), a)).collect();
        for required_arg in &required.arguments {
            let Some(found_arg) = found_args.get(required_arg.name.as_str()) else {
                return error(
                    found.position,
                    format!(
                        "For {} to implement {} the field {} must have the same arguments but it is missing {}.",
                        def.name, interface.name, required.name, required_arg.name
                    ),
                );
            };
            if !is_compatible(&required_arg.ty, &found_arg.ty) {
                return error(
                    found_arg.position,
                    format!(
                        "For {} to implement {} the field {} must have the same arguments but {} has the wrong type.",
                        def.name, interface.name, required.name, required_arg.name
                    ),
                );
            }
        }
        let required_args: HashSet<&str> = required.arguments.iter().map(|a| a.name.as_str()).collect();
        for extra in &found.arguments {
            if !required_args.contains(extra.name.as_str()) && extra.ty.non_null && extra.default_value.is_none() {
                return error(
                    extra.position,
                    format!(
                        "For {} to implement {} any additional arguments on {} must be optional or have a default \
                         value but {} is required.",
                        def.name, interface.name, found.name, extra.name
                    ),
                );
            }
        }
    }
    for transitive in &interface.interfaces {
        if !def.interfaces.contains(transitive) {
            let message = if *transitive == def.name {
                format!("Type {} cannot implement {interface_name} because it would create a circular reference.", def.name)
            } else {
                format!("Type {} must implement {transitive} because it is implemented by {interface_name}.", def.name)
            };
            return error(def.position, message);
        }
    }
    Ok(())
}

/// Whether a field of type `actual` may stand for one of type `required` (gqlparser's `isCovariant`).
fn is_covariant(schema: &Schema, required: &Type, actual: &Type) -> bool {
    let (mut required, mut actual) = (required, actual);
    loop {
        if required.non_null && !actual.non_null {
            return false;
        }
        if !required.named_type.is_empty() {
            return required.named_type == actual.named_type
                || schema.possible_types.get(&required.named_type).is_some_and(|p| p.contains(&actual.named_type));
        }
        match (&required.elem, &actual.elem) {
            (Some(r), Some(a)) => (required, actual) = (r, a),
            _ => return false,
        }
    }
}

/// gqlparser's `Type.IsCompatible`: the same named type, lists alike, non-null where `other` is.
pub fn is_compatible(ty: &Type, other: &Type) -> bool {
    let (mut ty, mut other) = (ty, other);
    loop {
        if ty.named_type != other.named_type || (other.non_null && !ty.non_null) {
            return false;
        }
        match (&ty.elem, &other.elem) {
            (Some(a), Some(b)) => (ty, other) = (a, b),
            (Some(_), None) => return false,
            _ => return true,
        }
    }
}

/// No input object reaches itself through non-null fields of input object type (a value of it could
/// never be written down). A depth-first walk with its own stack, since chains can be as long as the
/// schema.
fn check_input_cycles(schema: &Schema, names: &[&String]) -> Result<(), Error> {
    let mut visited: HashSet<&str> = HashSet::new();
    for start in names {
        let def = &schema.types[*start];
        if def.kind != INPUT_OBJECT || visited.contains(def.name.as_str()) {
            continue;
        }
        // Each frame: a definition and the index of its next field to follow.
        let mut stack: Vec<(&Definition, usize)> = vec![(def, 0)];
        let mut on_path: HashMap<&str, usize> = HashMap::from([(def.name.as_str(), 0)]);
        let mut path: Vec<&FieldDefinition> = Vec::new();
        visited.insert(def.name.as_str());
        while let Some((current, next)) = stack.last_mut() {
            let Some(field) = current.fields.get(*next) else {
                on_path.remove(current.name.as_str());
                stack.pop();
                path.pop();
                continue;
            };
            *next += 1;
            if !field.ty.non_null || field.ty.named_type.is_empty() {
                continue;
            }
            let Some(target) = schema.types.get(&field.ty.named_type).filter(|t| t.kind == INPUT_OBJECT) else {
                continue;
            };
            path.push(field);
            if let Some(&index) = on_path.get(target.name.as_str()) {
                let cycle: Vec<&str> = path[index..].iter().map(|f| f.name.as_str()).collect();
                return error(
                    path[index].position,
                    format!(
                        "Cannot reference Input Object {} within itself through a series of non-null fields: {}.",
                        quote(&target.name),
                        quote(&cycle.join("."))
                    ),
                );
            }
            if !visited.insert(target.name.as_str()) {
                path.pop();
                continue;
            }
            on_path.insert(target.name.as_str(), path.len());
            stack.push((target, 0));
        }
    }
    Ok(())
}
