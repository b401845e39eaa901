//! Documents given as AST objects, made ready for serde the way Go's `encoding/json` reads them into
//! gqlparser's types: a `null` member keeps the field's zero value; the types Go decodes field by field
//! match member names in any case (an exact match first); the four types gqlparser decodes by hand
//! (operations, fields, fragment definitions and inline fragments) know only their own exactly spelled
//! members and ignore the rest (an operation's `Description`, for one), but read their `Position`, which
//! must then be an object. A null selection reads as an empty field; null items of other lists are
//! dropped (gqlparser would fail on them later).

use serde_json::{Map, Value as Json};

/// The gqlparser type an object stands for, and so which members it has.
#[derive(Clone, Copy)]
pub enum Shape {
    QueryDocument,
    Operation,
    Selection,
    FragmentDefinition,
    VariableDefinition,
    Type,
    Argument,
    Value,
    ChildValue,
    Directive,
    SchemaDocument,
    SchemaDefinition,
    OperationTypeDefinition,
    Definition,
    FieldDefinition,
    ArgumentDefinition,
    EnumValueDefinition,
    DirectiveDefinition,
    Comments,
    Comment,
}

/// A member: its name, and the shape of its value (of each item, for a list); `None` for plain values.
type Member = (&'static str, Option<Shape>);

const COMMENT: Member = ("Comment", Some(Shape::Comments));
const DESCRIPTION_COMMENTS: [Member; 3] = [
    ("BeforeDescriptionComment", Some(Shape::Comments)),
    ("AfterDescriptionComment", Some(Shape::Comments)),
    ("EndOfDefinitionComment", Some(Shape::Comments)),
];

impl Shape {
    /// Whether gqlparser decodes the type by hand (exact member names, unknown members ignored).
    fn exact(self) -> bool {
        matches!(self, Shape::Operation | Shape::Selection | Shape::FragmentDefinition)
    }

    fn members(self) -> Vec<Member> {
        use Shape::*;
        let directives = ("Directives", Some(Directive));
        let mut members = match self {
            QueryDocument => vec![("Operations", Some(Operation)), ("Fragments", Some(FragmentDefinition)), COMMENT],
            Operation => vec![
                ("Operation", None),
                ("Name", None),
                ("VariableDefinitions", Some(VariableDefinition)),
                directives,
                ("SelectionSet", Some(Selection)),
            ],
            // A field's members and an inline fragment's (`TypeCondition`), both decoded by hand.
            Selection => vec![
                ("Alias", None),
                ("Name", None),
                ("Arguments", Some(Argument)),
                directives,
                ("SelectionSet", Some(Selection)),
                ("TypeCondition", None),
            ],
            FragmentDefinition => vec![
                ("Name", None),
                ("VariableDefinition", Some(VariableDefinition)),
                ("TypeCondition", None),
                directives,
                ("SelectionSet", Some(Selection)),
            ],
            VariableDefinition => vec![
                ("Description", None),
                ("Variable", None),
                ("Type", Some(Type)),
                ("DefaultValue", Some(Value)),
                directives,
                COMMENT,
                ("Used", None),
            ],
            Type => vec![("NamedType", None), ("Elem", Some(Type)), ("NonNull", None)],
            Argument => vec![("Name", None), ("Value", Some(Value)), COMMENT],
            Value => vec![
                ("Raw", None),
                ("Children", Some(ChildValue)),
                ("Kind", None),
                COMMENT,
                ("ExpectedTypeHasDefault", None),
            ],
            ChildValue => vec![("Name", None), ("Value", Some(Value)), COMMENT],
            Directive => vec![("Name", None), ("Arguments", Some(Argument)), ("Location", None)],
            SchemaDocument => vec![
                ("Schema", Some(SchemaDefinition)),
                ("SchemaExtension", Some(SchemaDefinition)),
                ("Directives", Some(DirectiveDefinition)),
                ("DirectiveExtensions", Some(DirectiveDefinition)),
                ("Definitions", Some(Definition)),
                ("Extensions", Some(Definition)),
                COMMENT,
            ],
            SchemaDefinition => vec![
                ("Description", None),
                directives,
                ("OperationTypes", Some(OperationTypeDefinition)),
            ],
            OperationTypeDefinition => vec![("Operation", None), ("Type", None), COMMENT],
            Definition => vec![
                ("Kind", None),
                ("Description", None),
                ("Name", None),
                directives,
                ("Interfaces", None),
                ("Fields", Some(FieldDefinition)),
                ("Types", None),
                ("EnumValues", Some(EnumValueDefinition)),
                ("BuiltIn", None),
            ],
            FieldDefinition => vec![
                ("Description", None),
                ("Name", None),
                ("Arguments", Some(ArgumentDefinition)),
                ("DefaultValue", Some(Value)),
                ("Type", Some(Type)),
                directives,
            ],
            ArgumentDefinition => vec![
                ("Description", None),
                ("Name", None),
                ("DefaultValue", Some(Value)),
                ("Type", Some(Type)),
                directives,
            ],
            EnumValueDefinition => vec![("Description", None), ("Name", None), directives],
            DirectiveDefinition => vec![
                ("Description", None),
                ("Name", None),
                ("Arguments", Some(ArgumentDefinition)),
                directives,
                ("Locations", None),
                ("IsRepeatable", None),
            ],
            Comments => vec![("List", Some(Comment))],
            Comment => vec![("Value", None)],
        };
        if matches!(
            self,
            SchemaDefinition | Definition | FieldDefinition | ArgumentDefinition | EnumValueDefinition | DirectiveDefinition
        ) {
            members.extend(DESCRIPTION_COMMENTS);
        }
        members
    }
}

/// `value`, an object of `shape`, with its members named and its nulls dropped as Go reads them, or the
/// reason Go could not read it.
pub fn normalize(value: Json, shape: Shape) -> Result<Json, String> {
    let Json::Object(object) = value else { return Ok(value) };
    let members = shape.members();
    let mut out = Map::new();
    for (key, member_value) in object {
        if member_value.is_null() {
            continue;
        }
        if shape.exact() && key == "Position" && !member_value.is_object() {
            return Err("json: cannot unmarshal a non-object into Go value of type ast.Position".to_string());
        }
        let exact = members.iter().find(|(name, _)| *name == key);
        let member = if shape.exact() {
            exact
        } else {
            exact.or_else(|| members.iter().find(|(name, _)| name.eq_ignore_ascii_case(&key) || name.to_lowercase() == key.to_lowercase()))
        };
        let Some((name, nested)) = member else {
            continue; // a member the type does not have: Go ignores it
        };
        let member_value = match (nested, member_value) {
            (Some(Shape::Selection), Json::Array(items)) => Json::Array(
                items
                    .into_iter()
                    .map(|item| if item.is_null() { Ok(Json::Object(Map::new())) } else { normalize(item, Shape::Selection) })
                    .collect::<Result<_, _>>()?,
            ),
            (Some(shape), Json::Array(items)) => Json::Array(
                items.into_iter().filter(|item| !item.is_null()).map(|item| normalize(item, *shape)).collect::<Result<_, _>>()?,
            ),
            (Some(shape), other) => normalize(other, *shape)?,
            (None, other) => other,
        };
        out.insert(name.to_string(), member_value);
    }
    Ok(Json::Object(out))
}
