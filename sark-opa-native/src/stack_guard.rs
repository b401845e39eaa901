//! Stack and parse guards: regorus recurses on its input, and a stack overflow in native code kills the JVM.
//!
//! Measured with regorus 0.5.0 (x86_64, release profile), and why each guard exists:
//! - Its parser has no depth limit: every nesting level (`(`, `f(`, `a[b[`, `- -`) takes ~3.6 KiB
//!   of stack and a comprehension ~6.7 KiB, so a few thousand brackets overflow any Java thread.
//!   It also parses the first element of every `[` and `{` twice (as a comprehension's term, then as
//!   an element), so parsing time doubles with each level nested in first elements (regorus 0.14:
//!   `[[...], 2]` 14 levels 0.3 s, `[{"a": ...}]` 10 levels 45 s). Evaluation recurses once
//!   per link of an operator or reference chain (`1 + 1 + ...`, `a.b.c...`). [`scan`] bounds
//!   nesting, operator chains and reference chains in the text before regorus sees it.
//! - It does not reject recursive functions (`f(x) := f(x)` recurses until the stack is gone) and
//!   evaluates a chain of dependent rules recursively (~3.2-3.8 KiB per rule, ~2.9 KiB per
//!   function call). [`analyze`] walks the parsed modules, rejects recursion as OPA does, and
//!   estimates the stack an evaluation can need, so that the store evaluates on the caller's (Java)
//!   thread only when the estimate fits a budget, and on a thread with a large stack otherwise.
//!
//! The weights below over-estimate every measured cost by 1.5x to 3x (the test
//! `inline_estimates_cover_the_stack_used` checks the worst shapes against a real stack).

use std::collections::{BTreeMap, BTreeSet, HashMap};

use regorus::unstable::{Expr, Literal, Module, Query, Rule, RuleHead};

use crate::walk::{self, Node};

/// Largest policy text accepted (as regorus' later releases do by default): with nesting bounded,
/// this bounds parse time too.
pub const MAX_POLICY_BYTES: usize = 1 << 20;
/// Deepest bracket nesting accepted in policy and query text (bounds the parser's stack: ~3.6 KiB a
/// level, on the compile thread or, for queries, counted in [`Shape::query_cost`]).
pub const MAX_NESTING: usize = 32;
/// Most operators or reference links along one expression path (a chain is a left-deep tree).
pub const MAX_OPERATORS: usize = 64;
/// Deepest chain of arrays, sets and objects each inside the *first* element of the one around it
/// (`[[[1]]]`, `[{"a": [{"b": 1}]}]`; for an object its first key and first value). regorus 0.14 tries
/// that first element as a comprehension's term before it parses it as an element, so the text in it
/// is parsed twice per such level: 14 levels of `[[...], 2]` took 0.3 s, 10 levels of `[{"a": ...}]`
/// (20 replaying levels) 45 s. Elements after the first are parsed once, however deep they nest.
pub const MAX_REPLAYED_NESTING: usize = 12;
/// Parsing work allowed per byte of text, where each token costs `2^r` for the `r` replaying levels
/// around it (see [`MAX_REPLAYED_NESTING`]); a unit is 3-9 us of regorus' parser (release build, measured
/// on nested literals of 15 shapes and 150 random expressions).
pub const PARSE_WORK_PER_BYTE: u64 = 1;
/// Parsing work every text may use, whatever its size (0.2-0.6 s).
pub const PARSE_WORK_BASE: u64 = 1 << 16;
/// Most statements in one body (a rule body, a comprehension, an `every` or `some ... in` body, a
/// query). regorus orders a body's statements by their dependencies at first evaluation in time
/// that grows with the square of their number (measured with the release build: 2,000 statements
/// ~0.3 s, 4,000 ~1.0 s, 8,000 ~4.5 s), so this bounds compilation to linear in the policy's size.
pub const MAX_STATEMENTS: usize = 1024;

/// Estimated stack an evaluation may use on the calling thread. Java threads get 1 MiB by default
/// on 64-bit platforms (`-Xss`); the rest is left for the Java frames below the native call.
pub const INLINE_BUDGET: usize = 256 << 10;
/// Evaluations estimated above [`INLINE_BUDGET`] run on a thread with this much stack.
pub const EVAL_STACK: usize = 32 << 20;
/// Policies estimated above this cannot be evaluated safely even there and are rejected at load.
pub const MAX_POLICY_COST: usize = 16 << 20;
/// Stack for compiling policies (parsing, regorus' analysis and [`analyze`] itself).
pub const COMPILE_STACK: usize = 64 << 20;

// Per-construct weights for evaluation, in bytes (measured cost in the comment).
const HOP: usize = 6 << 10; // entering a rule or function (3-4.3 KiB)
const NESTED_QUERY: usize = 3 << 10; // comprehension, `every` or `some ... in` body (1.7 KiB)
const EXPR: usize = 1536; // one expression level (< 1 KiB)
const OPERATOR: usize = 1 << 10; // one link of an operator or reference chain (0.2-0.6 KiB)

// Queries are parsed on the evaluating thread, which costs more per level than evaluating them.
const QUERY_BASE: usize = 32 << 10;
const QUERY_NESTING: usize = 10 << 10; // parse 3.6 KiB (a comprehension 6.7 KiB) + evaluation
const QUERY_OPERATOR: usize = 5 << 10; // a unary minus parses like a nesting level (3.6 KiB)

/// What [`scan`] learned about a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Shape {
    pub nesting: usize,
    pub operators: usize,
    /// Statements outside any bracket: each `;` and each line that starts a new token there. For a
    /// query, an upper bound of its statements (a line continuing an expression counts too).
    pub statements: usize,
    /// Estimated work of regorus' parser: `2^r` per token inside `r` replaying groups (see
    /// [`MAX_REPLAYED_NESTING`]).
    pub parse_work: u64,
}

impl Shape {
    /// Stack estimate for parsing and evaluating this text as a query (rules it calls excluded).
    pub fn query_cost(self) -> usize {
        QUERY_BASE + self.nesting * QUERY_NESTING + self.operators * QUERY_OPERATOR
    }
}

/// Scans Rego text the way its lexer does (comments, strings, raw strings) and measures the
/// deepest bracket nesting and the longest operator chain; errors name the line and column.
pub fn scan(text: &str, file: &str) -> Result<Shape, String> {
    let mut chain = Chain::default();
    let (mut line, mut col) = (1usize, 0usize);
    let mut chars = text.chars().peekable();
    let mut line_start = true;
    let check = |chain: &mut Chain, line: usize, col: usize, operator: bool| {
        chain
            .token(operator)
            .map_err(|what| format!("{file}:{line}:{col}: {what}"))
    };

    while let Some(c) = chars.next() {
        col += 1;
        if c == '\n' {
            line += 1;
            col = 0;
            chain.pending_newline = true;
            line_start = true;
            continue;
        }
        if c.is_whitespace() {
            continue;
        }
        if c != '#' && chain.enclosing.is_empty() && (line_start || c == ';') {
            chain.shape.statements += 1;
        }
        line_start = false;
        let operator = match c {
            '#' => {
                while chars.next_if(|&n| n != '\n').is_some() {}
                continue;
            }
            '"' => {
                while let Some(n) = chars.next_if(|&n| n != '\n') {
                    col += 1;
                    if n == '\\' {
                        chars.next_if(|&n| n != '\n');
                        col += 1;
                    } else if n == '"' {
                        break;
                    }
                }
                false
            }
            '`' => {
                for n in chars.by_ref() {
                    col += 1;
                    if n == '\n' {
                        line += 1;
                        col = 0;
                    } else if n == '`' {
                        break;
                    }
                }
                false
            }
            '(' | '[' | '{' => {
                if c == '[' {
                    // An index (`a[0]`) is a reference link: count it in the enclosing expression.
                    check(&mut chain, line, col, true)?;
                }
                chain.open(c != '(').map_err(|what| format!("{file}:{line}:{col}: {what}"))?;
                continue;
            }
            ')' | ']' | '}' => {
                chain.close();
                false
            }
            ',' => {
                chain.next_element();
                continue;
            }
            ';' => {
                chain.separate();
                continue;
            }
            ':' | '=' | '!' | '<' | '>' => {
                // `:` alone separates an object key from its value; `:=`, `==`, `<=`... operate.
                let with_equals = chars.next_if_eq(&'=').is_some();
                col += usize::from(with_equals);
                c != ':' || with_equals
            }
            // `.` links a reference (`a.b.c`): ~300 B of stack per link when evaluated.
            '+' | '-' | '*' | '/' | '%' | '&' | '|' | '.' => true,
            c if c.is_ascii_digit() => {
                // A number is one token: `1.5e-3` holds no operator.
                let mut previous = c;
                while let Some(n) = chars.next_if(|&n| {
                    n.is_ascii_alphanumeric()
                        || n == '.'
                        || n == '_'
                        || (matches!(n, '-' | '+') && matches!(previous, 'e' | 'E'))
                }) {
                    col += 1;
                    previous = n;
                }
                false
            }
            c if c.is_alphanumeric() || c == '_' => {
                let mut word = String::from(c);
                while let Some(n) = chars.next_if(|&n| n.is_alphanumeric() || n == '_') {
                    col += 1;
                    word.push(n);
                }
                word == "in"
            }
            _ => false,
        };
        check(&mut chain, line, col, operator)?;
    }
    let allowed = PARSE_WORK_BASE.saturating_add(PARSE_WORK_PER_BYTE.saturating_mul(text.len() as u64));
    if chain.shape.parse_work > allowed {
        return Err(format!(
            "{file}: arrays, sets and objects nested so deeply, so often, that parsing would take too long \
             (estimated work {} for a budget of {allowed}: the first element of an array, set or object \
             is parsed twice); flatten the literals, put short elements first, or load deep values as data \
             (addData/putData)",
            chain.shape.parse_work
        ));
    }
    Ok(chain.shape)
}

/// Nesting and operator-chain bookkeeping for [`scan`].
#[derive(Default)]
struct Chain {
    shape: Shape,
    /// Operators counted in the enclosing groups (an operand in parentheses is one more level).
    enclosing: Vec<usize>,
    /// Operators in the current group since the last separator.
    operators: usize,
    last_was_operator: bool,
    pending_newline: bool,
    /// For each enclosing group: whether regorus parses what it holds so far twice (an array, set
    /// or object still in its first element; never parentheses).
    replaying: Vec<bool>,
    /// How many of `replaying` are `true`.
    replayed_depth: usize,
}

impl Chain {
    fn open(&mut self, collection: bool) -> Result<(), String> {
        if self.enclosing.len() == MAX_NESTING {
            return Err(format!("brackets nested deeper than {MAX_NESTING} levels"));
        }
        self.charge();
        if collection {
            if self.replayed_depth == MAX_REPLAYED_NESTING {
                return Err(format!(
                    "arrays, sets and objects nested deeper than {MAX_REPLAYED_NESTING} levels, each in the first \
                     element of the one around it (each such level doubles the parsing time); put a short element \
                     first, or load deep values as data (addData/putData)"
                ));
            }
            self.replayed_depth += 1;
        }
        self.replaying.push(collection);
        self.enclosing.push(self.operators);
        self.shape.nesting = self.shape.nesting.max(self.enclosing.len());
        self.operators = 0;
        self.last_was_operator = false;
        self.pending_newline = false;
        Ok(())
    }

    fn close(&mut self) {
        if self.replaying.pop() == Some(true) {
            self.replayed_depth -= 1;
        }
        self.operators = self.enclosing.pop().unwrap_or(0);
    }

    /// A `,`: the group's first element is over, and what follows in it is parsed once.
    fn next_element(&mut self) {
        if let Some(replaying) = self.replaying.last_mut() {
            if std::mem::take(replaying) {
                self.replayed_depth -= 1;
            }
        }
        self.separate();
    }

    fn charge(&mut self) {
        self.shape.parse_work = self.shape.parse_work.saturating_add(1u64 << self.replayed_depth);
    }

    fn separate(&mut self) {
        self.operators = 0;
        self.last_was_operator = false;
        self.pending_newline = false;
    }

    fn token(&mut self, operator: bool) -> Result<(), String> {
        self.charge();
        // A newline ends a statement unless an operator ends the line or starts the next one.
        if self.pending_newline && !operator && !self.last_was_operator {
            self.operators = 0;
        }
        self.pending_newline = false;
        self.last_was_operator = operator;
        if operator {
            self.operators += 1;
            let chain = self.operators + self.enclosing.iter().sum::<usize>();
            self.shape.operators = self.shape.operators.max(chain);
            if chain > MAX_OPERATORS {
                return Err(format!(
                    "more than {MAX_OPERATORS} operators or reference links in one expression"
                ));
            }
        }
        Ok(())
    }
}

/// A rule or function definition, keyed by its path (`["data", "pkg", "rule"]`).
struct Definition<'a> {
    module: &'a Module,
    rule: &'a Rule,
    function: bool,
    /// Names the definition declares (arguments, `:=`, `some`, `every`): not rule references.
    locals: BTreeSet<String>,
}

/// The policy set being analysed: definitions by path, and per-definition results.
struct Analysis<'a> {
    definitions: BTreeMap<Vec<String>, Vec<usize>>,
    all: Vec<Definition<'a>>,
    /// `with f as g`: calling f may run g instead (indexes of f -> indexes of g).
    replacements: BTreeMap<usize, BTreeSet<usize>>,
    cost: Vec<Option<usize>>,
    /// Definitions being costed, innermost last, each with the functions whose replacements were
    /// out of scope there: meeting one again in the same scope is recursion.
    active: Vec<(usize, BTreeSet<usize>)>,
    /// Functions whose `with` replacements are out of scope: OPA runs a replacement g of f with the
    /// mock that chose it removed (regorus with every mock removed), so a call of f inside g is the
    /// original f, not g again. Keeping the other mocks in scope only over-estimates.
    suppressed: BTreeSet<usize>,
    /// Costs computed while some replacements were out of scope.
    scoped_cost: BTreeMap<(usize, BTreeSet<usize>), usize>,
}

/// The estimated stack needed to evaluate the rules of a set of modules.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Costs {
    /// The costliest rule's estimate: what a query that may call any rule needs.
    pub worst: usize,
    /// For each rule path, dotted (`data.pkg.rule`), the largest estimate among its definitions,
    /// each including the rules it calls.
    at: HashMap<String, usize>,
    /// For each prefix of a rule path (`data`, `data.pkg`, the rule's own path), the largest estimate
    /// among the rules at or under it.
    under: HashMap<String, usize>,
}

impl Costs {
    fn add(&mut self, path: &[String], cost: usize) {
        self.worst = self.worst.max(cost);
        let at = self.at.entry(path.join(".")).or_default();
        *at = (*at).max(cost);
        for end in 1..=path.len() {
            let under = self.under.entry(path[..end].join(".")).or_default();
            *under = (*under).max(cost);
        }
    }

    /// The estimate for a query. A plain data path (`data.pkg.rule`, `data.pkg`) can reach only the
    /// rules at it, under it, or above it (a path into a rule's value reads that rule), and what those
    /// call, so one deep helper rule elsewhere does not send every decision to a thread of its own;
    /// any other query text may call any rule. A few hash lookups, without allocating: this runs on
    /// every decision. (A rule path component containing a dot, from `a["b.c"]`, can only make a
    /// query look costlier than it is.)
    pub fn for_query(&self, query: &str, plain_data_path: bool) -> usize {
        if !plain_data_path {
            return self.worst;
        }
        let above = query.match_indices('.').filter_map(|(dot, _)| self.at.get(&query[..dot]));
        above.chain(self.under.get(query)).copied().max().unwrap_or(0)
    }
}

/// Rejects recursion among rules and functions (OPA's rego_recursion_error) and returns the
/// estimated stack needed to evaluate the rules of `modules`.
pub fn analyze<M: AsRef<Module>>(modules: &[M]) -> Result<Costs, String> {
    let mut analysis = Analysis {
        definitions: BTreeMap::new(),
        all: Vec::new(),
        replacements: BTreeMap::new(),
        cost: Vec::new(),
        active: Vec::new(),
        suppressed: BTreeSet::new(),
        scoped_cost: BTreeMap::new(),
    };
    for module in modules {
        let module = module.as_ref();
        for rule in &module.policy {
            let rule = rule.as_ref();
            let function = match rule {
                Rule::Spec { head, .. } => matches!(head, RuleHead::Func { .. }),
                Rule::Default { args, .. } => !args.is_empty(),
            };
            let mut locals = BTreeSet::new();
            declared_in_rule(rule, &mut locals);
            let index = analysis.all.len();
            analysis
                .definitions
                .entry(definition_path(module, rule))
                .or_default()
                .push(index);
            analysis.all.push(Definition {
                module,
                rule,
                function,
                locals,
            });
        }
    }
    analysis.cost = vec![None; analysis.all.len()];
    analysis.collect_replacements();
    let mut costs = Costs::default();
    for (path, indices) in analysis.definitions.clone() {
        for index in indices {
            costs.add(&path, analysis.definition_cost(index)?);
        }
    }
    Ok(costs)
}

impl<'a> Analysis<'a> {
    fn definition_cost(&mut self, index: usize) -> Result<usize, String> {
        // A cost computed with every replacement in scope bounds the cost with fewer.
        if let Some(cost) = self.cost[index] {
            return Ok(cost);
        }
        let scope = (index, self.suppressed.clone());
        if let Some(&cost) = self.scoped_cost.get(&scope) {
            return Ok(cost);
        }
        if let Some(start) = self.active.iter().position(|active| *active == scope) {
            return Err(self.recursion_error(start));
        }
        self.active.push(scope);
        let body = self.max_of(index, walk::rule_children(self.all[index].rule))?;
        // Evaluating f under `with f as g` runs g in its place, with that mock out of scope.
        let mut cost = HOP + body;
        if !self.suppressed.contains(&index) {
            for g in self.replacements.get(&index).cloned().unwrap_or_default() {
                self.suppressed.insert(index);
                let replacement = self.definition_cost(g);
                self.suppressed.remove(&index);
                cost = cost.max(HOP + replacement?);
            }
        }
        let (_, suppressed) = self.active.pop().expect("pushed above");
        if cost > MAX_POLICY_COST {
            return Err(format!(
                "{}rules and functions depend on each other too deeply to evaluate safely \
                 (estimated stack {} KiB, limit {} KiB)",
                self.location(index),
                cost >> 10,
                MAX_POLICY_COST >> 10
            ));
        }
        if suppressed.is_empty() {
            self.cost[index] = Some(cost);
        } else {
            self.scoped_cost.insert((index, suppressed), cost);
        }
        Ok(cost)
    }

    /// The costliest of `nodes`.
    fn max_of<'n>(&mut self, at: usize, nodes: impl IntoIterator<Item = Node<'n>>) -> Result<usize, String> {
        let mut cost = 0;
        for node in nodes {
            cost = cost.max(match node {
                Node::Expr(expr) => self.expr(at, expr)?,
                Node::Query(query) => self.query(at, query)?,
            });
        }
        Ok(cost)
    }

    fn query(&mut self, at: usize, query: &Query) -> Result<usize, String> {
        if query.stmts.len() > MAX_STATEMENTS {
            let span = &query.span;
            return Err(format!(
                "{}:{}:{}: a body of {} statements, more than {MAX_STATEMENTS}: ordering the statements of one \
                 body takes time that grows with the square of their number; split it into helper rules",
                span.source.file(),
                span.line,
                span.col,
                query.stmts.len()
            ));
        }
        let mut cost = 0;
        for stmt in &query.stmts {
            // `some ... in` and `every` iterate in a nested query.
            let nested = matches!(stmt.literal, Literal::SomeIn { .. } | Literal::Every { .. });
            cost = cost.max(if nested { NESTED_QUERY } else { 0 } + self.max_of(at, walk::statement_children(stmt))?);
        }
        Ok(cost)
    }

    /// Estimated stack for evaluating `expr` inside definition `at`.
    fn expr(&mut self, at: usize, expr: &Expr) -> Result<usize, String> {
        let cost = match expr {
            Expr::String { .. } | Expr::RawString { .. } | Expr::Number { .. } | Expr::Bool { .. } | Expr::Null { .. } => 0,
            // Evaluation recurses once per link (`a.b[c].d`: 3).
            Expr::Var { .. } | Expr::RefDot { .. } | Expr::RefBrack { .. } => {
                ref_links(expr) * OPERATOR + self.reference(at, expr, false)?
            }
            // Arguments and locals cannot shadow a function: resolve the name as is.
            Expr::Call { fcn, params, .. } => {
                let called = self.reference(at, fcn, true)?.max(self.max_of(at, params.iter().map(|p| Node::Expr(p)))?);
                let (name, whole) = static_path(fcn);
                if whole && is_value_recursing(&name.join(".")) { called.max(VALUE_RECURSION) } else { called }
            }
            // One link of an operator chain: no expression level of its own.
            Expr::BinExpr { .. } | Expr::BoolExpr { .. } | Expr::ArithExpr { .. } | Expr::AssignExpr { .. } | Expr::Membership { .. } => {
                return Ok(OPERATOR + self.max_of(at, walk::expr_children(expr))?);
            }
            Expr::ArrayCompr { .. } | Expr::SetCompr { .. } | Expr::ObjectCompr { .. } => {
                NESTED_QUERY + self.max_of(at, walk::expr_children(expr))?
            }
            _ => self.max_of(at, walk::expr_children(expr))?,
        };
        Ok(EXPR + cost)
    }

    /// The cost of a reference (`a.b[c]`) or a function name: a reference may evaluate every rule it
    /// names, contains or reads into; each index is an expression of its own.
    fn reference(&mut self, at: usize, expr: &Expr, call: bool) -> Result<usize, String> {
        let (root, indexes) = ref_parts(expr);
        let mut cost = if matches!(root, Expr::Var { .. }) {
            self.references(at, expr, call)?
        } else {
            self.expr(at, root)?
        };
        for index in indexes {
            cost = cost.max(self.expr(at, index)?);
        }
        Ok(cost)
    }

    /// The costliest definition a reference from definition `at` may evaluate.
    fn references(&mut self, at: usize, expr: &Expr, call: bool) -> Result<usize, String> {
        let definition = &self.all[at];
        let shadowed = !call && root_name(expr).is_some_and(|root| definition.locals.contains(root));
        if shadowed {
            return Ok(0);
        }
        let mut cost = 0;
        for index in self.referenced(definition.module, expr) {
            cost = cost.max(self.definition_cost(index)?);
        }
        Ok(cost)
    }

    /// Definitions a reference may evaluate: those at or above its path (a rule whose value it
    /// reads into) or below it (a package reference evaluates all its rules). A dynamic part
    /// (`data[x]`) may be any key, so it matches every rule at that position; a number, boolean or
    /// null part matches none, since rule paths are strings. This is the set OPA's dependency
    /// graph draws edges to (`GetRulesDynamic`): a rule reached only through a non-matching part
    /// is not a dependency, so `p := data[2]` is no cycle through `p`.
    fn referenced(&self, module: &Module, expr: &Expr) -> Vec<usize> {
        let Some(path) = resolve(module, expr) else {
            return Vec::new();
        };
        let keys: Vec<String> = path.iter().map_while(|part| part.key().map(str::to_string)).collect();
        let mut found = Vec::new();
        // Definitions above the leading keys.
        for len in 1..keys.len() {
            if let Some(indexes) = self.definitions.get(&keys[..len]) {
                found.extend(indexes);
            }
        }
        // Definitions at or below the leading keys, whose further parts fit the rest of the path.
        for (key, indexes) in self.definitions.range(keys.clone()..) {
            if !key.starts_with(&keys) {
                break;
            }
            if key.iter().zip(&path).skip(keys.len()).all(|(k, part)| part.matches(k)) {
                found.extend(indexes);
            }
        }
        found
    }

    /// `with f as g` anywhere in a rule body: a call of f may run g.
    fn collect_replacements(&mut self) {
        let mut replacements: BTreeMap<usize, BTreeSet<usize>> = BTreeMap::new();
        for definition in &self.all {
            let mut modifiers = Vec::new();
            with_modifiers_in_rule(definition.rule, &mut modifiers);
            for (target, source) in modifiers {
                let sources = self.referenced(definition.module, source);
                for target in self.referenced(definition.module, target) {
                    if self.all[target].function {
                        replacements.entry(target).or_default().extend(sources.iter().copied());
                    }
                }
            }
        }
        self.replacements = replacements;
    }

    fn recursion_error(&self, start: usize) -> String {
        let cycle: Vec<String> = self.active[start..]
            .iter()
            .chain(std::iter::once(&self.active[start]))
            .map(|(i, _)| definition_path(self.all[*i].module, self.all[*i].rule).join("."))
            .collect();
        format!(
            "{}recursion detected: {}",
            self.location(self.active[start].0),
            cycle.join(" -> ")
        )
    }

    fn location(&self, index: usize) -> String {
        let span = self.all[index].rule.span();
        format!("{}:{}:{}: ", span.source.file(), span.line, span.col)
    }
}

/// `package a.b` + rule `c.d` -> ["data", "a", "b", "c", "d"].
fn definition_path(module: &Module, rule: &Rule) -> Vec<String> {
    let mut path = package_path(module);
    path.extend(static_path(walk::rule_ref(rule)).0);
    path
}

/// Every local name a rule declares; over-collecting only hides a rule reference of the same name.
fn declared_in_rule(rule: &Rule, out: &mut BTreeSet<String>) {
    let args = match rule {
        Rule::Spec {
            head: RuleHead::Func { args, .. },
            ..
        }
        | Rule::Default { args, .. } => &args[..],
        Rule::Spec { .. } => &[],
    };
    args.iter().for_each(|a| vars_in(a, out));
    walk::for_each_statement(walk::rule_children(rule), &mut |stmt| match &stmt.literal {
        Literal::SomeVars { vars, .. } => out.extend(vars.iter().map(|v| v.text().to_string())),
        Literal::SomeIn { key, value, .. } => {
            key.iter().for_each(|k| vars_in(k, out));
            vars_in(value, out);
        }
        Literal::Every { key, value, .. } => out.extend(key.iter().chain([value]).map(|v| v.text().to_string())),
        Literal::Expr { expr, .. } | Literal::NotExpr { expr, .. } => {
            if let Expr::AssignExpr {
                op: regorus::unstable::AssignOp::ColEq,
                lhs,
                ..
            } = &**expr
            {
                vars_in(lhs, out);
            }
        }
    });
}

/// `with` modifiers anywhere in a rule, as (target, replacement).
fn with_modifiers_in_rule<'r>(rule: &'r Rule, out: &mut Vec<(&'r Expr, &'r Expr)>) {
    walk::for_each_statement(walk::rule_children(rule), &mut |stmt| {
        out.extend(stmt.with_mods.iter().map(|m| (&*m.refr, &*m.r#as)))
    });
}

/// Variable names in a pattern (`[x, {"k": y}]` -> x, y).
fn vars_in(expr: &Expr, out: &mut BTreeSet<String>) {
    let mut pending = vec![expr];
    while let Some(expr) = pending.pop() {
        match expr {
            Expr::Var { span, .. } => {
                out.insert(span.text().to_string());
            }
            Expr::Array { items, .. } => pending.extend(items.iter().map(|e| &**e)),
            Expr::Object { fields, .. } => pending.extend(fields.iter().map(|(_, _, v)| &**v)),
            _ => {}
        }
    }
}

fn root_name(expr: &Expr) -> Option<&str> {
    match expr {
        Expr::Var { span, .. } => Some(span.text()),
        Expr::RefDot { refr, .. } | Expr::RefBrack { refr, .. } => root_name(refr),
        _ => None,
    }
}

/// `package a.b` -> ["data", "a", "b"].
fn package_path(module: &Module) -> Vec<String> {
    let mut path = vec!["data".to_string()];
    path.extend(static_path(&module.package.refr).0);
    path
}

/// regorus builtins that take their operands apart by recursion, one call per level. Rules can build a
/// value far deeper than input can be (8 rules of 1,000 statements `xK := [xJ]`: 8,000 levels), and
/// `walk` and `json.patch` on that value overflowed a 1 MiB thread stack (SIGSEGV). An evaluation that
/// may call one runs on a thread of its own ([`EVAL_STACK`]). (SARK's own `json.marshal`, `yaml.marshal`
/// and `sprintf` refuse values deeper than JSON input instead; they are common, and a thread per
/// decision would cost every policy that formats a message.)
const VALUE_RECURSING: &[&str] = &[
    "walk",
    "json.patch",
    "json.filter",
    "json.remove",
    "object.union",
    "object.union_n",
    "object.filter",
    "object.remove",
    "json.match_schema",
    "json.verify_schema",
    // GraphQL documents are parsed and checked by recursion (nesting up to 1,000 levels, fragment spreads
    // followed deeper), and their ASTs are values as deep.
    "graphql.parse_query",
    "graphql.parse_schema",
    "graphql.schema_is_valid",
    "graphql.is_valid",
    "graphql.parse_and_verify",
    "graphql.parse",
    // Compares two globs by recursion, one level per token of either (see builtins/globs.rs).
    "regex.globs_match",
    // Copies, prints and drops the template variables by recursion (see builtins/template.rs).
    "strings.render_template",
];

/// What a call of a [`VALUE_RECURSING`] builtin costs: more than [`INLINE_BUDGET`], so the evaluation
/// gets a thread of its own.
pub const VALUE_RECURSION: usize = INLINE_BUDGET + 1;

fn is_value_recursing(name: &str) -> bool {
    VALUE_RECURSING.contains(&name)
}

/// Whether query text may call a [`VALUE_RECURSING`] builtin: its name followed by `(` (in a string or a
/// comment too, which only costs a thread).
pub fn query_calls_value_recursing(query: &str) -> bool {
    crate::builtins::out_params::calls_any(query, is_value_recursing)
}

/// The leading static components of a reference (`a.b["c"][x].d` -> [a, b, c]), and whether the
/// whole reference was static.
fn static_path(expr: &Expr) -> (Vec<String>, bool) {
    match expr {
        Expr::Var { span, .. } => (vec![span.text().to_string()], true),
        Expr::RefDot { refr, field, .. } => {
            let (mut path, whole) = static_path(refr);
            if whole {
                path.push(field.0.text().to_string());
            }
            (path, whole)
        }
        Expr::RefBrack { refr, index, .. } => {
            let (mut path, whole) = static_path(refr);
            match (whole, index.as_ref()) {
                (true, Expr::String { value, .. } | Expr::RawString { value, .. }) => {
                    path.push(value.as_string().map(|s| s.to_string()).unwrap_or_default());
                    (path, true)
                }
                _ => (path, false),
            }
        }
        _ => (Vec::new(), false),
    }
}

/// The root and the index expressions of a reference chain (`a[x].b[y]` -> a, [y, x]).
fn ref_parts(mut expr: &Expr) -> (&Expr, Vec<&Expr>) {
    let mut indexes = Vec::new();
    loop {
        match expr {
            Expr::RefDot { refr, .. } => expr = refr,
            Expr::RefBrack { refr, index, .. } => {
                indexes.push(&**index);
                expr = refr;
            }
            _ => return (expr, indexes),
        }
    }
}

fn ref_links(mut expr: &Expr) -> usize {
    let mut links = 0;
    while let Expr::RefDot { refr, .. } | Expr::RefBrack { refr, .. } = expr {
        links += 1;
        expr = refr;
    }
    links
}

/// One part of a reference path, as far as rule paths can match it.
#[derive(Debug, Clone, PartialEq)]
enum Part {
    /// A string key (`.b`, `["b"]`).
    Key(String),
    /// A key known only at evaluation (`[x]`, `[f(y)]`): any rule key may match.
    Any,
    /// A number, boolean or null key: no rule path holds one.
    NoRule,
}

impl Part {
    fn key(&self) -> Option<&str> {
        match self {
            Part::Key(key) => Some(key),
            _ => None,
        }
    }

    fn matches(&self, key: &str) -> bool {
        match self {
            Part::Key(own) => own == key,
            Part::Any => true,
            Part::NoRule => false,
        }
    }
}

/// Every part of a reference (`a.b[x][1]` -> a, b, any, no rule); empty when its root is not a
/// name (`[1][0]`, `f(x).y`).
fn ref_path(expr: &Expr) -> Vec<Part> {
    match expr {
        Expr::Var { span, .. } => vec![Part::Key(span.text().to_string())],
        Expr::RefDot { refr, field, .. } => {
            let mut path = ref_path(refr);
            if !path.is_empty() {
                path.push(Part::Key(field.0.text().to_string()));
            }
            path
        }
        Expr::RefBrack { refr, index, .. } => {
            let mut path = ref_path(refr);
            if !path.is_empty() {
                path.push(match index.as_ref() {
                    Expr::String { value, .. } | Expr::RawString { value, .. } => {
                        Part::Key(value.as_string().map(|s| s.to_string()).unwrap_or_default())
                    }
                    Expr::Number { .. } | Expr::Bool { .. } | Expr::Null { .. } => Part::NoRule,
                    _ => Part::Any,
                });
            }
            path
        }
        _ => Vec::new(),
    }
}

/// The absolute path (`data...`) a reference in `module` reads, or None for input and locals.
fn resolve(module: &Module, expr: &Expr) -> Option<Vec<Part>> {
    let path = ref_path(expr);
    let root = path.first()?.key()?.to_string();
    if root == "data" {
        return Some(path);
    }
    if root == "input" {
        return None;
    }
    // `import data.x.y` binds y, `import data.x.y as z` binds z.
    for import in &module.imports {
        let (target, _) = static_path(&import.refr);
        let alias = import
            .r#as
            .as_ref()
            .map(|s| s.text().to_string())
            .or_else(|| target.last().cloned());
        if target.first().map(String::as_str) == Some("data") && alias.as_deref() == Some(root.as_str()) {
            let mut resolved: Vec<Part> = target.into_iter().map(Part::Key).collect();
            resolved.extend(path[1..].iter().cloned());
            return Some(resolved);
        }
    }
    // Otherwise a rule of the same package (or a local variable or builtin, which match nothing
    // unless a rule has the same name: then the estimate only grows).
    let mut resolved: Vec<Part> = package_path(module).into_iter().map(Part::Key).collect();
    resolved.extend(path);
    Some(resolved)
}

#[cfg(test)]
mod tests;
