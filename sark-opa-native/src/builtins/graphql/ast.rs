//! GraphQL documents in the shape OPA hands to policies: gqlparser's AST types serialized with Go's
//! field names, then pruned ([`prune`]): no positions, no null values, no empty arrays or objects.
//! Fields gqlparser only fills in during validation (a field's definition, a value's expected type)
//! are null after parsing and so never appear; the few zero values that do (`"Location": ""` of a
//! directive, `"Used": false` of a variable, `"ExpectedTypeHasDefault": false`) are kept here.

use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value as Json;

use super::lexer::Position;

#[derive(Serialize, Deserialize, Default, Debug)]
#[serde(rename_all = "PascalCase", default)]
pub struct QueryDocument {
    pub operations: Vec<OperationDefinition>,
    pub fragments: Vec<FragmentDefinition>,
    pub comment: Option<CommentGroup>,
}

#[derive(Serialize, Deserialize, Default, Debug)]
#[serde(rename_all = "PascalCase", default)]
pub struct OperationDefinition {
    pub description: String,
    pub operation: String,
    pub name: String,
    pub variable_definitions: Vec<VariableDefinition>,
    pub directives: Vec<Directive>,
    #[serde(deserialize_with = "selection_set")]
    pub selection_set: Vec<Selection>,
    pub comment: Option<CommentGroup>,
    #[serde(skip)]
    pub position: Position,
}

#[derive(Serialize, Deserialize, Default, Debug)]
#[serde(rename_all = "PascalCase", default)]
pub struct VariableDefinition {
    pub description: String,
    pub variable: String,
    #[serde(rename = "Type")]
    pub ty: Type,
    pub default_value: Option<Value>,
    pub directives: Vec<Directive>,
    pub comment: Option<CommentGroup>,
    pub used: bool,
    #[serde(skip)]
    pub position: Position,
}

#[derive(Serialize, Debug)]
#[serde(untagged)]
pub enum Selection {
    Field(Field),
    FragmentSpread(FragmentSpread),
    InlineFragment(InlineFragment),
}

#[derive(Serialize, Deserialize, Default, Debug)]
#[serde(rename_all = "PascalCase", default)]
pub struct Field {
    pub alias: String,
    pub name: String,
    pub arguments: Vec<Argument>,
    pub directives: Vec<Directive>,
    #[serde(deserialize_with = "selection_set")]
    pub selection_set: Vec<Selection>,
    pub comment: Option<CommentGroup>,
    #[serde(skip)]
    pub position: Position,
}

#[derive(Serialize, Deserialize, Default, Debug)]
#[serde(rename_all = "PascalCase", default)]
pub struct Argument {
    pub name: String,
    pub value: Option<Value>,
    pub comment: Option<CommentGroup>,
    #[serde(skip)]
    pub position: Position,
}

#[derive(Serialize, Deserialize, Default, Debug)]
#[serde(rename_all = "PascalCase", default)]
pub struct FragmentSpread {
    pub name: String,
    pub directives: Vec<Directive>,
    pub comment: Option<CommentGroup>,
    #[serde(skip)]
    pub position: Position,
}

#[derive(Serialize, Deserialize, Default, Debug)]
#[serde(rename_all = "PascalCase", default)]
pub struct InlineFragment {
    pub type_condition: String,
    pub directives: Vec<Directive>,
    #[serde(deserialize_with = "selection_set")]
    pub selection_set: Vec<Selection>,
    pub comment: Option<CommentGroup>,
    #[serde(skip)]
    pub position: Position,
}

#[derive(Serialize, Deserialize, Default, Debug)]
#[serde(rename_all = "PascalCase", default)]
pub struct FragmentDefinition {
    pub description: String,
    pub name: String,
    /// Singular in gqlparser too.
    pub variable_definition: Vec<VariableDefinition>,
    pub type_condition: String,
    pub directives: Vec<Directive>,
    #[serde(deserialize_with = "selection_set")]
    pub selection_set: Vec<Selection>,
    pub comment: Option<CommentGroup>,
    #[serde(skip)]
    pub position: Position,
}

#[derive(Serialize, Deserialize, Default, Debug)]
#[serde(rename_all = "PascalCase", default)]
pub struct Directive {
    pub name: String,
    pub arguments: Vec<Argument>,
    /// Set by validation in gqlparser; empty after parsing.
    pub location: String,
    #[serde(skip)]
    pub position: Position,
}

/// gqlparser's `ValueKind` numbers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum ValueKind {
    #[default]
    Variable = 0,
    Int = 1,
    Float = 2,
    String = 3,
    Block = 4,
    Boolean = 5,
    Null = 6,
    Enum = 7,
    List = 8,
    Object = 9,
}

impl<'de> Deserialize<'de> for ValueKind {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        const KINDS: [ValueKind; 10] = [
            ValueKind::Variable,
            ValueKind::Int,
            ValueKind::Float,
            ValueKind::String,
            ValueKind::Block,
            ValueKind::Boolean,
            ValueKind::Null,
            ValueKind::Enum,
            ValueKind::List,
            ValueKind::Object,
        ];
        let number = u8::deserialize(deserializer)?;
        KINDS.get(usize::from(number)).copied().ok_or_else(|| serde::de::Error::custom(format!("no value kind {number}")))
    }
}

impl Serialize for ValueKind {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_u8(*self as u8)
    }
}

#[derive(Serialize, Deserialize, Default, Debug)]
#[serde(rename_all = "PascalCase", default)]
pub struct Value {
    pub raw: String,
    pub children: Vec<ChildValue>,
    pub kind: ValueKind,
    pub comment: Option<CommentGroup>,
    pub expected_type_has_default: bool,
    #[serde(skip)]
    pub position: Position,
}

#[derive(Serialize, Deserialize, Default, Debug)]
#[serde(rename_all = "PascalCase", default)]
pub struct ChildValue {
    pub name: String,
    pub value: Option<Value>,
    pub comment: Option<CommentGroup>,
    #[serde(skip)]
    pub position: Position,
}

#[derive(Serialize, Deserialize, Default, Debug, Clone, PartialEq, Eq)]
#[serde(rename_all = "PascalCase", default)]
pub struct Type {
    pub named_type: String,
    pub elem: Option<Box<Type>>,
    pub non_null: bool,
    #[serde(skip)]
    pub position: Position,
}

impl Type {
    /// The named type at the bottom of lists.
    pub fn name(&self) -> &str {
        match &self.elem {
            Some(elem) if self.named_type.is_empty() => elem.name(),
            _ => &self.named_type,
        }
    }

    /// `[Int!]!` notation.
    pub fn render(&self) -> String {
        let inner = match &self.elem {
            Some(elem) if self.named_type.is_empty() => format!("[{}]", elem.render()),
            _ => self.named_type.clone(),
        };
        if self.non_null {
            inner + "!"
        } else {
            inner
        }
    }
}

#[derive(Serialize, Deserialize, Default, Debug, Clone)]
#[serde(rename_all = "PascalCase", default)]
pub struct CommentGroup {
    pub list: Vec<Comment>,
}

#[derive(Serialize, Deserialize, Default, Debug, Clone)]
#[serde(rename_all = "PascalCase", default)]
pub struct Comment {
    pub value: String,
}

#[derive(Serialize, Deserialize, Default, Debug)]
#[serde(rename_all = "PascalCase", default)]
pub struct SchemaDocument {
    pub schema: Vec<SchemaDefinition>,
    pub schema_extension: Vec<SchemaDefinition>,
    pub directives: Vec<DirectiveDefinition>,
    pub directive_extensions: Vec<DirectiveDefinition>,
    pub definitions: Vec<Definition>,
    pub extensions: Vec<Definition>,
    pub comment: Option<CommentGroup>,
}

#[derive(Serialize, Deserialize, Default, Debug)]
#[serde(rename_all = "PascalCase", default)]
pub struct SchemaDefinition {
    pub description: String,
    pub directives: Vec<Directive>,
    pub operation_types: Vec<OperationTypeDefinition>,
    pub before_description_comment: Option<CommentGroup>,
    pub after_description_comment: Option<CommentGroup>,
    pub end_of_definition_comment: Option<CommentGroup>,
    #[serde(skip)]
    pub position: Position,
}

#[derive(Serialize, Deserialize, Default, Debug)]
#[serde(rename_all = "PascalCase", default)]
pub struct OperationTypeDefinition {
    pub operation: String,
    #[serde(rename = "Type")]
    pub ty: String,
    pub comment: Option<CommentGroup>,
    #[serde(skip)]
    pub position: Position,
}

/// A type's definition; `kind` is gqlparser's `DefinitionKind` text (`OBJECT`, `INPUT_OBJECT`, ...).
#[derive(Serialize, Deserialize, Default, Debug)]
#[serde(rename_all = "PascalCase", default)]
pub struct Definition {
    pub kind: String,
    pub description: String,
    pub name: String,
    pub directives: Vec<Directive>,
    pub interfaces: Vec<String>,
    pub fields: Vec<FieldDefinition>,
    pub types: Vec<String>,
    pub enum_values: Vec<EnumValueDefinition>,
    pub built_in: bool,
    pub before_description_comment: Option<CommentGroup>,
    pub after_description_comment: Option<CommentGroup>,
    pub end_of_definition_comment: Option<CommentGroup>,
    #[serde(skip)]
    pub position: Position,
    /// Where each of a union's `types` is named (gqlparser's `TypePositions`, for its errors).
    #[serde(skip)]
    pub type_positions: Vec<Position>,
}

pub const SCALAR: &str = "SCALAR";
pub const OBJECT: &str = "OBJECT";
pub const INTERFACE: &str = "INTERFACE";
pub const UNION: &str = "UNION";
pub const ENUM: &str = "ENUM";
pub const INPUT_OBJECT: &str = "INPUT_OBJECT";

#[derive(Serialize, Deserialize, Default, Debug)]
#[serde(rename_all = "PascalCase", default)]
pub struct FieldDefinition {
    pub description: String,
    pub name: String,
    pub arguments: Vec<ArgumentDefinition>,
    pub default_value: Option<Value>,
    #[serde(rename = "Type")]
    pub ty: Type,
    pub directives: Vec<Directive>,
    pub before_description_comment: Option<CommentGroup>,
    pub after_description_comment: Option<CommentGroup>,
    #[serde(skip)]
    pub position: Position,
}

#[derive(Serialize, Deserialize, Default, Debug)]
#[serde(rename_all = "PascalCase", default)]
pub struct ArgumentDefinition {
    pub description: String,
    pub name: String,
    pub default_value: Option<Value>,
    #[serde(rename = "Type")]
    pub ty: Type,
    pub directives: Vec<Directive>,
    pub before_description_comment: Option<CommentGroup>,
    pub after_description_comment: Option<CommentGroup>,
    #[serde(skip)]
    pub position: Position,
}

#[derive(Serialize, Deserialize, Default, Debug)]
#[serde(rename_all = "PascalCase", default)]
pub struct EnumValueDefinition {
    pub description: String,
    pub name: String,
    pub directives: Vec<Directive>,
    pub before_description_comment: Option<CommentGroup>,
    pub after_description_comment: Option<CommentGroup>,
    #[serde(skip)]
    pub position: Position,
}

#[derive(Serialize, Deserialize, Default, Debug)]
#[serde(rename_all = "PascalCase", default)]
pub struct DirectiveDefinition {
    pub description: String,
    pub name: String,
    pub arguments: Vec<ArgumentDefinition>,
    pub directives: Vec<Directive>,
    pub locations: Vec<String>,
    pub is_repeatable: bool,
    pub before_description_comment: Option<CommentGroup>,
    pub after_description_comment: Option<CommentGroup>,
    #[serde(skip)]
    pub position: Position,
}

/// A selection set given as JSON, read as gqlparser reads it: each item as a field if it reads as one
/// (any object whose keys have the right types does), else as a fragment spread, else as an inline
/// fragment; an item that is none of them is skipped.
fn selection_set<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<Selection>, D::Error> {
    let items = Vec::<Json>::deserialize(deserializer)?;
    Ok(items
        .into_iter()
        .filter_map(|item| {
            Field::deserialize(&item)
                .map(Selection::Field)
                .or_else(|_| FragmentSpread::deserialize(&item).map(Selection::FragmentSpread))
                .or_else(|_| InlineFragment::deserialize(&item).map(Selection::InlineFragment))
                .ok()
        })
        .collect())
}

/// OPA's `pruneIrrelevantGraphQLASTNodes`: drops nulls and (after pruning them) empty arrays and
/// objects, from objects and arrays alike. (Positions are never serialized here.)
pub fn prune(value: Json) -> Option<Json> {
    match value {
        Json::Null => None,
        Json::Array(items) => {
            let items: Vec<Json> = items.into_iter().filter_map(prune).collect();
            (!items.is_empty()).then_some(Json::Array(items))
        }
        Json::Object(fields) => {
            let fields: serde_json::Map<String, Json> =
                fields.into_iter().filter_map(|(k, v)| prune(v).map(|v| (k, v))).collect();
            (!fields.is_empty()).then_some(Json::Object(fields))
        }
        other => Some(other),
    }
}
