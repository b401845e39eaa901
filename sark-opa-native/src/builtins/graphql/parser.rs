//! GraphQL query and schema documents, parsed as gqlparser parses them (OPA's errors quote its
//! messages and positions): the same grammar, the same first error, the same comment groups.

use super::ast::*;
use super::lexer::{Error, Kind, Lexer, Position, Token};

/// gqlparser's bound on nested selection sets, lists, objects and list types: deeper input is an error,
/// and the recursion stays far inside the evaluation thread's stack.
const MAX_NESTING_DEPTH: usize = 1000;

type Parse<T> = Result<T, Error>;

pub fn parse_query(input: &str) -> Parse<QueryDocument> {
    Parser::new(input).query_document()
}

pub fn parse_schema(input: &str) -> Parse<SchemaDocument> {
    Parser::new(input).schema_document()
}

struct Parser<'a> {
    lexer: Lexer<'a>,
    /// The next token, once looked at, with the error to report if it is consumed.
    peeked: Option<(Token, Option<Error>)>,
    /// The token consumed last.
    prev: Token,
    /// The comments right before the peeked token.
    comment: Option<CommentGroup>,
    depth: usize,
}

/// A description before a definition, and the comments before it.
#[derive(Default)]
struct Description {
    text: String,
    comment: Option<CommentGroup>,
    present: bool,
}

impl<'a> Parser<'a> {
    fn new(input: &'a str) -> Parser<'a> {
        let start = Token { kind: Kind::Invalid, value: String::new(), pos: Position { line: 1, column: 1 } };
        Parser { lexer: Lexer::new(input), peeked: None, prev: start, comment: None, depth: 0 }
    }

    fn peek(&mut self) -> &Token {
        if self.peeked.is_none() {
            let mut comments = Vec::new();
            let next = loop {
                match self.lexer.read() {
                    Ok(token) if token.kind == Kind::Comment => comments.push(Comment { value: token.value }),
                    Ok(token) => break (token, None),
                    Err((token, error)) => break (token, Some(error)),
                }
            };
            if !comments.is_empty() {
                self.comment = Some(CommentGroup { list: comments });
            }
            self.peeked = Some(next);
        }
        &self.peeked.as_ref().expect("just peeked").0
    }

    fn peek_kind(&mut self) -> Kind {
        self.peek().kind
    }

    fn peek_is_name(&mut self, name: &str) -> bool {
        let token = self.peek();
        token.kind == Kind::Name && token.value == name
    }

    fn peek_pos(&mut self) -> Position {
        self.peek().pos
    }

    fn next(&mut self) -> Parse<Token> {
        self.peek();
        let (token, error) = self.peeked.take().expect("just peeked");
        self.comment = None;
        if let Some(error) = error {
            return Err(error);
        }
        self.prev = token.clone();
        Ok(token)
    }

    fn error_at<T>(&self, token: &Token, message: String) -> Parse<T> {
        Err(Error::at(token.pos, message))
    }

    fn unexpected<T>(&mut self) -> Parse<T> {
        let token = self.peek().clone();
        self.unexpected_token(&token)
    }

    fn unexpected_token<T>(&self, token: &Token) -> Parse<T> {
        self.error_at(token, format!("Unexpected {token}"))
    }

    /// The next token, which must be of `kind`, and the comments before it.
    fn expect(&mut self, kind: Kind) -> Parse<(Token, Option<CommentGroup>)> {
        let comment = {
            self.peek();
            self.comment.clone()
        };
        let token = self.peek().clone();
        if token.kind == kind {
            return Ok((self.next()?, comment));
        }
        self.error_at(&token, format!("Expected {kind}, found {}", token.kind))
    }

    fn expect_keyword(&mut self, keyword: &str) -> Parse<Option<CommentGroup>> {
        self.peek();
        let comment = self.comment.clone();
        let token = self.peek().clone();
        if token.kind == Kind::Name && token.value == keyword {
            self.next()?;
            return Ok(comment);
        }
        self.error_at(&token, format!("Expected {}, found {token}", super::super::args::go_quote(keyword)))
    }

    fn skip(&mut self, kind: Kind) -> Parse<bool> {
        if self.peek_kind() != kind {
            return Ok(false);
        }
        self.next()?;
        Ok(true)
    }

    /// `start item* end`, when the next token is `start`.
    fn many(&mut self, start: Kind, end: Kind, mut item: impl FnMut(&mut Self) -> Parse<()>) -> Parse<()> {
        if !self.skip(start)? {
            return Ok(());
        }
        while self.peek_kind() != end {
            item(self)?;
        }
        self.next()?;
        Ok(())
    }

    /// `start item+ end`, when the next token is `start`; returns the comments before `end`.
    fn some(
        &mut self,
        start: Kind,
        end: Kind,
        mut item: impl FnMut(&mut Self) -> Parse<()>,
    ) -> Parse<Option<CommentGroup>> {
        if !self.skip(start)? {
            return Ok(None);
        }
        let mut called = false;
        while self.peek_kind() != end {
            called = true;
            item(self)?;
        }
        if !called {
            let token = self.peek().clone();
            return self.error_at(&token, format!("expected at least one definition, found {}", token.kind));
        }
        let comment = self.comment.clone();
        self.next()?;
        Ok(comment)
    }

    fn nested<T>(&mut self, parse: impl FnOnce(&mut Self) -> Parse<T>) -> Parse<T> {
        if self.depth >= MAX_NESTING_DEPTH {
            let token = self.peek().clone();
            return self.error_at(&token, format!("exceeded maximum nesting depth of {MAX_NESTING_DEPTH}"));
        }
        self.depth += 1;
        let result = parse(self);
        self.depth -= 1;
        result
    }

    fn name(&mut self) -> Parse<String> {
        Ok(self.expect(Kind::Name)?.0.value)
    }

    fn description(&mut self) -> Parse<Description> {
        if !matches!(self.peek_kind(), Kind::BlockString | Kind::String) {
            return Ok(Description::default());
        }
        let comment = self.comment.clone();
        Ok(Description { text: self.next()?.value, comment, present: true })
    }

    // ---- queries ----

    fn query_document(&mut self) -> Parse<QueryDocument> {
        let mut doc = QueryDocument::default();
        while self.peek_kind() != Kind::Eof {
            let description = self.description()?;
            match self.peek_kind() {
                Kind::Name => {
                    let keyword = self.peek().value.clone();
                    match keyword.as_str() {
                        "query" | "mutation" | "subscription" => doc.operations.push(self.operation_definition(description)?),
                        "fragment" => doc.fragments.push(self.fragment_definition(description)?),
                        _ => return self.unexpected(),
                    }
                }
                Kind::BraceL => doc.operations.push(self.operation_definition(description)?),
                _ => return self.unexpected(),
            }
        }
        Ok(doc)
    }

    fn operation_definition(&mut self, description: Description) -> Parse<OperationDefinition> {
        if self.peek_kind() == Kind::BraceL {
            if description.present {
                let prev = self.prev.clone();
                return self.unexpected_token(&prev);
            }
            // gqlparser reads the comment after parsing the selection set (Go evaluates a struct
            // literal's calls first), by when it is always empty.
            let position = self.peek_pos();
            return Ok(OperationDefinition {
                operation: "query".to_string(),
                selection_set: self.required_selection_set()?,
                position,
                ..Default::default()
            });
        }
        let position = self.peek_pos();
        let comment = join_comments(description.comment, self.comment.clone());
        let operation = self.operation_type()?;
        let name = if self.peek_kind() == Kind::Name { self.next()?.value } else { String::new() };
        Ok(OperationDefinition {
            description: description.text,
            operation,
            name,
            variable_definitions: self.variable_definitions()?,
            directives: self.directives(false)?,
            selection_set: self.required_selection_set()?,
            comment,
            position,
        })
    }

    fn operation_type(&mut self) -> Parse<String> {
        let token = self.next()?;
        match token.value.as_str() {
            "query" | "mutation" | "subscription" => Ok(token.value),
            _ => self.unexpected_token(&token),
        }
    }

    fn variable_definitions(&mut self) -> Parse<Vec<VariableDefinition>> {
        let mut definitions = Vec::new();
        self.some(Kind::ParenL, Kind::ParenR, |p| {
            definitions.push(p.variable_definition()?);
            Ok(())
        })?;
        Ok(definitions)
    }

    fn variable_definition(&mut self) -> Parse<VariableDefinition> {
        let description = self.description()?;
        let position = self.peek_pos();
        let comment = join_comments(description.comment, self.comment.clone());
        let variable = self.variable()?;
        self.expect(Kind::Colon)?;
        let ty = self.type_reference()?;
        let default_value = if self.skip(Kind::Equals)? { self.value_literal(true)? } else { None };
        Ok(VariableDefinition {
            description: description.text,
            variable,
            ty,
            default_value,
            directives: self.directives(false)?,
            comment,
            used: false,
            position,
        })
    }

    fn variable(&mut self) -> Parse<String> {
        self.expect(Kind::Dollar)?;
        self.name()
    }

    fn optional_selection_set(&mut self) -> Parse<Vec<Selection>> {
        self.nested(|p| {
            let mut selections = Vec::new();
            p.some(Kind::BraceL, Kind::BraceR, |p| {
                selections.push(p.selection()?);
                Ok(())
            })?;
            Ok(selections)
        })
    }

    fn required_selection_set(&mut self) -> Parse<Vec<Selection>> {
        let token = self.peek().clone();
        if token.kind != Kind::BraceL {
            return self.error_at(&token, format!("Expected {}, found {}", Kind::BraceL, token.kind));
        }
        self.optional_selection_set()
    }

    fn selection(&mut self) -> Parse<Selection> {
        if self.peek_kind() == Kind::Spread {
            return self.fragment();
        }
        Ok(Selection::Field(self.field()?))
    }

    fn field(&mut self) -> Parse<Field> {
        let position = self.peek_pos();
        let comment = self.comment.clone();
        let alias = self.name()?;
        let name = if self.skip(Kind::Colon)? { self.name()? } else { alias.clone() };
        let arguments = self.arguments(false)?;
        let directives = self.directives(false)?;
        let selection_set = if self.peek_kind() == Kind::BraceL { self.optional_selection_set()? } else { Vec::new() };
        Ok(Field { alias, name, arguments, directives, selection_set, comment, position })
    }

    fn arguments(&mut self, constant: bool) -> Parse<Vec<Argument>> {
        let mut arguments = Vec::new();
        self.some(Kind::ParenL, Kind::ParenR, |p| {
            let position = p.peek_pos();
            let comment = p.comment.clone();
            let name = p.name()?;
            p.expect(Kind::Colon)?;
            let value = p.value_literal(constant)?;
            arguments.push(Argument { name, value, comment, position });
            Ok(())
        })?;
        Ok(arguments)
    }

    fn fragment(&mut self) -> Parse<Selection> {
        let (_, comment) = self.expect(Kind::Spread)?;
        let token = self.peek().clone();
        if token.kind == Kind::Name && token.value != "on" {
            let position = token.pos;
            let name = self.fragment_name()?;
            return Ok(Selection::FragmentSpread(FragmentSpread {
                name,
                directives: self.directives(false)?,
                comment,
                position,
            }));
        }
        let position = token.pos;
        let type_condition = if token.value == "on" {
            self.next()?;
            self.name()?
        } else {
            String::new()
        };
        Ok(Selection::InlineFragment(InlineFragment {
            type_condition,
            directives: self.directives(false)?,
            selection_set: self.required_selection_set()?,
            comment,
            position,
        }))
    }

    fn fragment_definition(&mut self, description: Description) -> Parse<FragmentDefinition> {
        let position = self.peek_pos();
        let comment = join_comments(description.comment, self.comment.clone());
        self.expect_keyword("fragment")?;
        let name = self.fragment_name()?;
        let variable_definition = self.variable_definitions()?;
        self.expect_keyword("on")?;
        Ok(FragmentDefinition {
            description: description.text,
            name,
            variable_definition,
            type_condition: self.name()?,
            directives: self.directives(false)?,
            selection_set: self.required_selection_set()?,
            comment,
            position,
        })
    }

    fn fragment_name(&mut self) -> Parse<String> {
        if self.peek().value == "on" {
            return self.unexpected();
        }
        self.name()
    }

    fn value_literal(&mut self, constant: bool) -> Parse<Option<Value>> {
        let token = self.peek().clone();
        let kind = match token.kind {
            Kind::BracketL => return self.list(constant).map(Some),
            Kind::BraceL => return self.object(constant).map(Some),
            Kind::Dollar if constant => return self.unexpected(),
            Kind::Dollar => {
                let raw = self.variable()?;
                return Ok(Some(Value { raw, kind: ValueKind::Variable, position: token.pos, ..Default::default() }));
            }
            Kind::Int => ValueKind::Int,
            Kind::Float => ValueKind::Float,
            Kind::String => ValueKind::String,
            Kind::BlockString => ValueKind::Block,
            Kind::Name => match token.value.as_str() {
                "true" | "false" => ValueKind::Boolean,
                "null" => ValueKind::Null,
                _ => ValueKind::Enum,
            },
            _ => return self.unexpected(),
        };
        self.next()?;
        // A scalar's or variable's comment: gqlparser reads it after consuming the token, by when it is
        // always empty.
        Ok(Some(Value { raw: token.value, kind, position: token.pos, ..Default::default() }))
    }

    fn list(&mut self, constant: bool) -> Parse<Value> {
        self.nested(|p| {
            let position = p.peek_pos();
            let comment = p.comment.clone();
            let mut children = Vec::new();
            p.many(Kind::BracketL, Kind::BracketR, |p| {
                children.push(ChildValue { value: p.value_literal(constant)?, ..Default::default() });
                Ok(())
            })?;
            Ok(Value { children, kind: ValueKind::List, comment, position, ..Default::default() })
        })
    }

    fn object(&mut self, constant: bool) -> Parse<Value> {
        self.nested(|p| {
            let position = p.peek_pos();
            let comment = p.comment.clone();
            let mut children = Vec::new();
            p.many(Kind::BraceL, Kind::BraceR, |p| {
                let position = p.peek_pos();
                let comment = p.comment.clone();
                let name = p.name()?;
                p.expect(Kind::Colon)?;
                children.push(ChildValue { name, value: p.value_literal(constant)?, comment, position });
                Ok(())
            })?;
            Ok(Value { children, kind: ValueKind::Object, comment, position, ..Default::default() })
        })
    }

    fn directives(&mut self, constant: bool) -> Parse<Vec<Directive>> {
        let mut directives = Vec::new();
        while self.peek_kind() == Kind::At {
            self.expect(Kind::At)?;
            let position = self.peek_pos();
            let name = self.name()?;
            directives.push(Directive { name, arguments: self.arguments(constant)?, location: String::new(), position });
        }
        Ok(directives)
    }

    fn type_reference(&mut self) -> Parse<Type> {
        let mut ty = if self.skip(Kind::BracketL)? {
            self.nested(|p| {
                let position = p.peek_pos();
                let elem = p.type_reference()?;
                p.expect(Kind::BracketR)?;
                Ok(Type { elem: Some(Box::new(elem)), position, ..Default::default() })
            })?
        } else {
            let position = self.peek_pos();
            Type { named_type: self.name()?, position, ..Default::default() }
        };
        ty.non_null = self.skip(Kind::Bang)?;
        Ok(ty)
    }

    // ---- schemas ----

    fn schema_document(&mut self) -> Parse<SchemaDocument> {
        let mut doc = SchemaDocument::default();
        while self.peek_kind() != Kind::Eof {
            let description = self.description()?;
            if self.peek_kind() != Kind::Name {
                return self.unexpected();
            }
            let keyword = self.peek().value.clone();
            match keyword.as_str() {
                "scalar" | "type" | "interface" | "union" | "enum" | "input" => {
                    doc.definitions.push(self.type_system_definition(description, &keyword)?)
                }
                "schema" => doc.schema.push(self.schema_definition(description)?),
                "directive" => doc.directives.push(self.directive_definition(description)?),
                "extend" => {
                    if !description.text.is_empty() {
                        let prev = self.prev.clone();
                        return self.unexpected_token(&prev);
                    }
                    self.type_system_extension(&mut doc)?;
                }
                _ => return self.unexpected(),
            }
        }
        doc.comment = self.comment.clone();
        Ok(doc)
    }

    fn type_system_definition(&mut self, description: Description, keyword: &str) -> Parse<Definition> {
        let after = self.expect_keyword(keyword)?;
        let position = self.peek_pos();
        let mut def = Definition {
            description: description.text,
            before_description_comment: description.comment,
            after_description_comment: after,
            position,
            ..Default::default()
        };
        def.name = self.name()?;
        match keyword {
            "scalar" => {
                def.kind = SCALAR.to_string();
                def.directives = self.directives(true)?;
            }
            "type" | "interface" => {
                def.kind = if keyword == "type" { OBJECT } else { INTERFACE }.to_string();
                def.interfaces = self.implements_interfaces()?;
                def.directives = self.directives(true)?;
                (def.fields, def.end_of_definition_comment) = self.fields_definition(false)?;
            }
            "union" => {
                def.kind = UNION.to_string();
                def.directives = self.directives(true)?;
                (def.types, def.type_positions) = self.union_member_types()?;
            }
            "enum" => {
                def.kind = ENUM.to_string();
                def.directives = self.directives(true)?;
                (def.enum_values, def.end_of_definition_comment) = self.enum_values_definition()?;
            }
            _ => {
                def.kind = INPUT_OBJECT.to_string();
                def.directives = self.directives(true)?;
                (def.fields, def.end_of_definition_comment) = self.fields_definition(true)?;
            }
        }
        Ok(def)
    }

    fn schema_definition(&mut self, description: Description) -> Parse<SchemaDefinition> {
        let after = self.expect_keyword("schema")?;
        let position = self.peek_pos();
        let mut def = SchemaDefinition {
            description: description.text,
            before_description_comment: description.comment,
            after_description_comment: after,
            position,
            ..Default::default()
        };
        def.directives = self.directives(true)?;
        def.end_of_definition_comment = self.operation_type_definitions(&mut def.operation_types)?;
        Ok(def)
    }

    fn operation_type_definitions(&mut self, into: &mut Vec<OperationTypeDefinition>) -> Parse<Option<CommentGroup>> {
        self.some(Kind::BraceL, Kind::BraceR, |p| {
            let position = p.peek_pos();
            let comment = p.comment.clone();
            let operation = p.operation_type()?;
            p.expect(Kind::Colon)?;
            into.push(OperationTypeDefinition { operation, ty: p.name()?, comment, position });
            Ok(())
        })
    }

    fn implements_interfaces(&mut self) -> Parse<Vec<String>> {
        let mut types = Vec::new();
        if self.peek().value == "implements" {
            self.next()?;
            self.skip(Kind::Amp)?;
            types.push(self.name()?);
            while self.skip(Kind::Amp)? {
                types.push(self.name()?);
            }
        }
        Ok(types)
    }

    /// An object's or interface's fields, or (`input`) an input object's.
    fn fields_definition(&mut self, input: bool) -> Parse<(Vec<FieldDefinition>, Option<CommentGroup>)> {
        let mut fields = Vec::new();
        let comment = self.some(Kind::BraceL, Kind::BraceR, |p| {
            let (description, before, after, position, name) = p.input_value_start()?;
            let mut field = FieldDefinition {
                description,
                before_description_comment: before,
                after_description_comment: after,
                position,
                name,
                ..Default::default()
            };
            if !input {
                field.arguments = p.argument_definitions()?;
            }
            p.expect(Kind::Colon)?;
            field.ty = p.type_reference()?;
            if input && p.skip(Kind::Equals)? {
                field.default_value = p.value_literal(true)?;
            }
            field.directives = p.directives(true)?;
            fields.push(field);
            Ok(())
        })?;
        Ok((fields, comment))
    }

    /// The description, comments, position and name that start a field, argument or enum value.
    #[allow(clippy::type_complexity)]
    fn input_value_start(&mut self) -> Parse<(String, Option<CommentGroup>, Option<CommentGroup>, Position, String)> {
        let description = self.description()?;
        let before = if description.text.is_empty() { None } else { description.comment };
        self.peek();
        let after = self.comment.clone();
        let position = self.peek_pos();
        Ok((description.text, before, after, position, self.name()?))
    }

    fn argument_definitions(&mut self) -> Parse<Vec<ArgumentDefinition>> {
        let mut arguments = Vec::new();
        self.some(Kind::ParenL, Kind::ParenR, |p| {
            let (description, before, after, position, name) = p.input_value_start()?;
            p.expect(Kind::Colon)?;
            let ty = p.type_reference()?;
            let default_value = if p.skip(Kind::Equals)? { p.value_literal(true)? } else { None };
            arguments.push(ArgumentDefinition {
                description,
                name,
                default_value,
                ty,
                directives: p.directives(true)?,
                before_description_comment: before,
                after_description_comment: after,
                position,
            });
            Ok(())
        })?;
        Ok(arguments)
    }

    /// A union's member types and where each is named.
    fn union_member_types(&mut self) -> Parse<(Vec<String>, Vec<Position>)> {
        let (mut types, mut positions) = (Vec::new(), Vec::new());
        if self.skip(Kind::Equals)? {
            self.skip(Kind::Pipe)?;
            positions.push(self.peek_pos());
            types.push(self.name()?);
            while self.skip(Kind::Pipe)? {
                positions.push(self.peek_pos());
                types.push(self.name()?);
            }
        }
        Ok((types, positions))
    }

    fn enum_values_definition(&mut self) -> Parse<(Vec<EnumValueDefinition>, Option<CommentGroup>)> {
        let mut values = Vec::new();
        let comment = self.some(Kind::BraceL, Kind::BraceR, |p| {
            let (description, before, after, position, name) = p.input_value_start()?;
            values.push(EnumValueDefinition {
                description,
                name,
                directives: p.directives(true)?,
                before_description_comment: before,
                after_description_comment: after,
                position,
            });
            Ok(())
        })?;
        Ok((values, comment))
    }

    fn type_system_extension(&mut self, doc: &mut SchemaDocument) -> Parse<()> {
        let comment = self.expect_keyword("extend")?;
        let keyword = self.peek().value.clone();
        match keyword.as_str() {
            "schema" => {
                self.expect_keyword("schema")?;
                let mut def = SchemaDefinition { position: self.peek_pos(), after_description_comment: comment, ..Default::default() };
                def.directives = self.directives(true)?;
                def.end_of_definition_comment = self.operation_type_definitions(&mut def.operation_types)?;
                if def.directives.is_empty() && def.operation_types.is_empty() {
                    return self.unexpected();
                }
                doc.schema_extension.push(def);
            }
            "scalar" | "type" | "interface" | "union" | "enum" | "input" => {
                self.expect_keyword(&keyword)?;
                let mut def = Definition { position: self.peek_pos(), after_description_comment: comment, ..Default::default() };
                def.name = self.name()?;
                let empty = match keyword.as_str() {
                    "scalar" => {
                        def.kind = SCALAR.to_string();
                        def.directives = self.directives(true)?;
                        def.directives.is_empty()
                    }
                    "type" | "interface" => {
                        def.kind = if keyword == "type" { OBJECT } else { INTERFACE }.to_string();
                        def.interfaces = self.implements_interfaces()?;
                        def.directives = self.directives(true)?;
                        (def.fields, def.end_of_definition_comment) = self.fields_definition(false)?;
                        def.interfaces.is_empty() && def.directives.is_empty() && def.fields.is_empty()
                    }
                    "union" => {
                        def.kind = UNION.to_string();
                        def.directives = self.directives(true)?;
                        (def.types, def.type_positions) = self.union_member_types()?;
                        def.directives.is_empty() && def.types.is_empty()
                    }
                    "enum" => {
                        def.kind = ENUM.to_string();
                        def.directives = self.directives(true)?;
                        (def.enum_values, def.end_of_definition_comment) = self.enum_values_definition()?;
                        def.directives.is_empty() && def.enum_values.is_empty()
                    }
                    _ => {
                        def.kind = INPUT_OBJECT.to_string();
                        def.directives = self.directives(false)?;
                        (def.fields, def.end_of_definition_comment) = self.fields_definition(true)?;
                        def.directives.is_empty() && def.fields.is_empty()
                    }
                };
                if empty {
                    return self.unexpected();
                }
                doc.extensions.push(def);
            }
            "directive" => {
                self.expect_keyword("directive")?;
                self.expect(Kind::At)?;
                let mut def = DirectiveDefinition { position: self.peek_pos(), after_description_comment: comment, ..Default::default() };
                def.name = self.name()?;
                def.directives = self.directives(true)?;
                if def.directives.is_empty() {
                    return self.unexpected();
                }
                doc.directive_extensions.push(def);
            }
            _ => return self.unexpected(),
        }
        Ok(())
    }

    fn directive_definition(&mut self, description: Description) -> Parse<DirectiveDefinition> {
        let after = self.expect_keyword("directive")?;
        self.expect(Kind::At)?;
        let position = self.peek_pos();
        let mut def = DirectiveDefinition {
            description: description.text,
            before_description_comment: description.comment,
            after_description_comment: after,
            position,
            ..Default::default()
        };
        def.name = self.name()?;
        def.arguments = self.argument_definitions()?;
        def.directives = self.directives(true)?;
        if self.peek_is_name("repeatable") {
            def.is_repeatable = true;
            self.next()?;
        }
        self.expect_keyword("on")?;
        self.skip(Kind::Pipe)?;
        def.locations.push(self.directive_location()?);
        while self.skip(Kind::Pipe)? {
            def.locations.push(self.directive_location()?);
        }
        Ok(def)
    }

    fn directive_location(&mut self) -> Parse<String> {
        let (token, _) = self.expect(Kind::Name)?;
        if DIRECTIVE_LOCATIONS.contains(&token.value.as_str()) {
            Ok(token.value)
        } else {
            self.unexpected_token(&token)
        }
    }
}

pub const DIRECTIVE_LOCATIONS: [&str; 20] = [
    "QUERY",
    "MUTATION",
    "SUBSCRIPTION",
    "FIELD",
    "FRAGMENT_DEFINITION",
    "FRAGMENT_SPREAD",
    "INLINE_FRAGMENT",
    "VARIABLE_DEFINITION",
    "SCHEMA",
    "SCALAR",
    "OBJECT",
    "FIELD_DEFINITION",
    "ARGUMENT_DEFINITION",
    "INTERFACE",
    "UNION",
    "ENUM",
    "ENUM_VALUE",
    "INPUT_OBJECT",
    "INPUT_FIELD_DEFINITION",
    "DIRECTIVE_DEFINITION",
];

fn join_comments(before: Option<CommentGroup>, after: Option<CommentGroup>) -> Option<CommentGroup> {
    match (before, after) {
        (None, after) => after,
        (before, None) => before,
        (Some(mut before), Some(after)) => {
            before.list.extend(after.list);
            Some(before)
        }
    }
}
