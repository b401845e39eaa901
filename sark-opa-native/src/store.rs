//! The policy store behind one Java `PolicyEngine`, free of JNI so `cargo test` can exercise it.
//!
//! Readers never wait for writers: the current policies and data live in an immutable, fully
//! prepared [`Snapshot`] behind an `Arc`. An evaluation clones that `Arc` (a read lock held only for
//! the clone) and evaluates on an engine of that snapshot: one from its [`EnginePool`] (engines that
//! share nothing, so threads do not contend on reference counts, reused from one decision to the
//! next), or a clone of its prepared engine when every pool slot is busy. A change builds and
//! prepares a complete new snapshot outside the lock and swaps it in, so a failed change leaves the
//! old one answering. The input is parsed only as far as the policies can read it (`projection`).

use std::collections::BTreeMap;
use std::fmt;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::num::{NonZeroU32, NonZeroUsize};
use std::sync::mpsc::RecvTimeoutError;
use std::sync::{Arc, Mutex, MutexGuard, OnceLock, RwLock, TryLockError};
use std::time::Duration;

use regorus::utils::limits::ExecutionTimerConfig;
use regorus::{Engine, LimitError, PolicyLengthConfig, QueryResult, Value};

use crate::projection::{self, Paths};
use crate::{builtins, execution_clock, json, keywords, stack_guard};

/// Which Rego dialect policies are written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RegoVersion {
    /// OPA 0.x syntax: `allow { ... }`, `default allow = false`.
    V0,
    /// OPA 1.x syntax (`if`, `contains`); `import rego.v1` is accepted.
    V1,
}

/// How an engine evaluates, fixed when it is created (`PolicyEngine.builder()` in Java).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    pub version: RegoVersion,
    /// OPA's `--strict-builtin-errors`: a builtin error fails the query instead of leaving the
    /// expression undefined.
    pub strict_builtin_errors: bool,
    /// Wall-clock limit of one evaluation; `None` for no limit.
    pub timeout: Option<Duration>,
    /// The most bytes one builtin call may claim (see `builtins::limits`).
    pub memory_limit: usize,
}

/// `memory_limit` unless the caller says otherwise: 1 GiB (PolicyEngine.DEFAULT_MEMORY_LIMIT).
pub const DEFAULT_MEMORY_LIMIT: usize = 1 << 30;

impl Options {
    pub fn new(version: RegoVersion) -> Self {
        Options { version, strict_builtin_errors: false, timeout: None, memory_limit: DEFAULT_MEMORY_LIMIT }
    }
}

/// Work units (loop iterations, rule and builtin calls) between two looks at the clock. A look costs
/// ~20 ns, a unit usually well over that, so the limit is overshot by microseconds at most...
const TIMER_CHECK_INTERVAL: NonZeroU32 = NonZeroU32::new(64).unwrap();
/// ...except where one unit can take longer than all before it: a multiplication of huge integers
/// takes about 2.8x the time of the one before when each squares the last, so a body of 25 squarings
/// (fewer units than one interval) ran for minutes without a look. Evaluations whose policies or query
/// contain a `*` look at every unit; that costs 12-23% of a decision (ABAC, RBAC, measured with every
/// evaluation looking), so the others keep the interval above.
const MULTIPLYING_CHECK_INTERVAL: NonZeroU32 = NonZeroU32::new(1).unwrap();

/// The execution timer for an evaluation of `query` on policies that do or do not `multiply`.
fn timer_config(options: Options, multiply: bool, query: &str) -> ExecutionTimerConfig {
    let limit = options.timeout.unwrap_or(execution_clock::NO_LIMIT);
    // A `*` in a string or comment counts too: a slower evaluation, never a missed look.
    let check_interval = if multiply || query.contains('*') { MULTIPLYING_CHECK_INTERVAL } else { TIMER_CHECK_INTERVAL };
    ExecutionTimerConfig { limit, check_interval }
}

/// What went wrong, by the Java exception it becomes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoreError {
    /// A bad argument (empty name, source or query): IllegalArgumentException.
    Argument(String),
    /// The store was closed: IllegalStateException.
    Closed,
    /// A policy does not parse or compile: PolicyCompilationException.
    Compilation(String),
    /// Evaluation failed at run time (or the query is malformed): PolicyEvaluationException.
    Evaluation(String),
    /// Evaluation ran longer than the engine's timeout: PolicyTimeoutException.
    Timeout(String),
    /// Evaluation held more memory than the engine's memory limit: PolicyEvaluationException.
    MemoryLimit(String),
    /// Malformed or conflicting input or data JSON: PolicyException.
    Document(String),
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StoreError::Closed => f.write_str("the policy engine is closed"),
            StoreError::Argument(m)
            | StoreError::Compilation(m)
            | StoreError::Evaluation(m)
            | StoreError::Timeout(m)
            | StoreError::MemoryLimit(m)
            | StoreError::Document(m) => f.write_str(m),
        }
    }
}

pub type StoreResult<T> = Result<T, StoreError>;

/// Everything one evaluation needs, immutable once published.
struct Snapshot {
    /// Policy sources by name; a BTreeMap so modules load, and names list, in a stable order.
    policies: BTreeMap<String, String>,
    /// The merged data document (regorus values share structure, so clones are cheap).
    data: Value,
    /// Policies and data loaded and prepared: clones of it evaluate without re-analysis.
    engine: Engine,
    /// Estimated stack for evaluating its rules (see `stack_guard`).
    costs: stack_guard::Costs,
    /// The input paths the policies can read; `None` when they may read all of it.
    input_paths: Option<Paths>,
    /// Whether a policy's text contains a `*` (see [`MULTIPLYING_CHECK_INTERVAL`]).
    multiplies: bool,
    /// The data document as JSON text, written when a pool slot first needs an engine that shares
    /// nothing with the others: one text of the current data, never the history of changes, so
    /// memory stays flat however often data changes.
    data_text: OnceLock<Result<Arc<str>, String>>,
    pool: EnginePool,
}

/// Engines of one snapshot that share nothing with each other, for reuse across decisions.
///
/// Evaluating on clones of one prepared engine makes every thread write the same reference counts
/// (regorus' policy tree and data are `Arc`s), which made each of two threads 1.7-2.2x slower;
/// engines built separately from the same sources do not interfere. The pool has one slot per CPU
/// (decisions are CPU-bound, so more would not run at once). A thread keeps coming back to the same
/// slot, so an engine's memory stays in one core's cache (handing engines from thread to thread
/// cost as much as the sharing); when that slot is busy it takes another free one, and when all are
/// busy it evaluates on a clone. An empty slot builds its engine on first use: a compile, 0.4-1.2
/// ms for the benchmark policies. Slot 0 starts with a clone of the prepared engine (it shares only
/// with that idle prototype), so a single thread never compiles.
struct EnginePool {
    slots: Box<[Mutex<Option<Engine>>]>,
}

/// An engine lent for one decision: a pool slot held locked, or a clone when every slot was busy.
enum Lease<'p> {
    Slot(MutexGuard<'p, Option<Engine>>),
    Clone(Box<Engine>),
}

impl EnginePool {
    fn new(prototype: &Engine) -> Self {
        let slots = (0..cpus()).map(|i| Mutex::new((i == 0).then(|| prototype.clone()))).collect();
        EnginePool { slots }
    }

    /// The calling thread's slot if free, else any free slot (built if empty), else a clone.
    fn lease(&self, build: impl FnOnce() -> StoreResult<Engine>, clone: impl FnOnce() -> Engine) -> StoreResult<Lease<'_>> {
        let start = preferred_slot();
        for i in 0..self.slots.len() {
            let mut slot = match self.slots[(start + i) % self.slots.len()].try_lock() {
                Ok(slot) => slot,
                Err(TryLockError::WouldBlock) => continue,
                // A decision panicked on this engine: it may be half-updated, so build a new one.
                Err(TryLockError::Poisoned(poisoned)) => {
                    let mut slot = poisoned.into_inner();
                    *slot = None;
                    slot
                }
            };
            if slot.is_none() {
                *slot = Some(build()?);
            }
            return Ok(Lease::Slot(slot));
        }
        Ok(Lease::Clone(Box::new(clone())))
    }
}

/// CPUs available to the process, read once: on Linux the standard library reads cgroup files for it,
/// which need not happen again for every snapshot a policy or data change builds.
fn cpus() -> usize {
    static CPUS: OnceLock<usize> = OnceLock::new();
    *CPUS.get_or_init(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
}

/// Which slot the calling thread tries first: threads are numbered round-robin on first use, so
/// as many threads as CPUs get a slot each.
fn preferred_slot() -> usize {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    thread_local! {
        static SLOT: usize = NEXT.fetch_add(1, Ordering::Relaxed);
    }
    SLOT.try_with(|slot| *slot).unwrap_or(0)
}

impl Lease<'_> {
    fn engine(&mut self) -> &mut Engine {
        match self {
            Lease::Slot(slot) => slot.as_mut().expect("a leased slot holds an engine"),
            Lease::Clone(engine) => engine,
        }
    }

    /// Ends a decision that succeeded: a pool engine stays in its slot, cleared of this decision.
    fn finish(mut self) {
        let engine = self.engine();
        engine.set_input(Value::Undefined); // drop this decision's input now, not at the next one
    }

    /// Ends a decision that failed: an error may leave regorus' per-evaluation state half-restored,
    /// so a pool engine is dropped and its slot builds a new one next time.
    fn discard(self) {
        if let Lease::Slot(mut slot) = self {
            *slot = None;
        }
    }
}

/// One policy engine: the published snapshot, and a lock that serialises writers.
pub struct PolicyStore {
    options: Options,
    /// `None` once closed. Held only to clone or replace the `Arc`, never while compiling.
    current: RwLock<Option<Arc<Snapshot>>>,
    /// Writers read-modify-write the snapshot; without this, two concurrent loadPolicy calls could
    /// each start from the same old snapshot and one policy would be lost.
    writer: Mutex<()>,
}

// The store is shared by every Java thread that calls the engine.
const _: () = {
    const fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<PolicyStore>();
};

impl PolicyStore {
    pub fn new(options: Options) -> StoreResult<Self> {
        // Nothing to compile yet, so no deadline: an engine with a tiny timeout can still be created.
        let empty = Snapshot::build(options, BTreeMap::new(), Value::new_object(), None)?;
        Ok(PolicyStore {
            options,
            current: RwLock::new(Some(Arc::new(empty))),
            writer: Mutex::new(()),
        })
    }

    /// Compiles `source` together with the other policies and publishes the result; on any error
    /// the previous snapshot stays in place (replacement by name is atomic).
    pub fn load_policy(&self, name: &str, source: &str) -> StoreResult<()> {
        non_empty(name, "policy name")?;
        non_empty(source, "policy source")?;
        if source.len() > stack_guard::MAX_POLICY_BYTES {
            return Err(StoreError::Compilation(format!(
                "{name}: policy is {} bytes, more than the limit of {} bytes",
                source.len(),
                stack_guard::MAX_POLICY_BYTES
            )));
        }
        stack_guard::scan(source, name).map_err(StoreError::Compilation)?;
        self.update(|policies, _| {
            policies.insert(name.to_string(), source.to_string());
            Ok(())
        })
        .map_err(|e| self.explain_version(e))
    }

    /// Deep-merges a JSON object into the data document (an error leaves the data unchanged).
    pub fn add_data(&self, json: &str) -> StoreResult<()> {
        let value = parse_json(json, "data")?;
        if value.as_object().is_err() {
            return Err(StoreError::Document("data must be a JSON object".into()));
        }
        self.update(|_, data| {
            *data = deep_merge(data, value, &mut Vec::new()).map_err(StoreError::Document)?;
            Ok(())
        })
    }

    /// Replaces the document at `path` with `json`, creating the objects above it that do not exist,
    /// as OPA's Data API `PUT /v1/data/{path}`; the empty path replaces the whole data document (which
    /// must then be an object). Atomic: an error changes nothing.
    pub fn put_data(&self, path: &str, json: &str) -> StoreResult<()> {
        let keys = data_path(path)?;
        let value = parse_json(json, "data")?;
        if keys.is_empty() && value.as_object().is_err() {
            return Err(StoreError::Document("the whole data document must be a JSON object".into()));
        }
        self.update(|_, data| {
            *data = with_document(data, &keys, Some(value)).map_err(StoreError::Document)?;
            Ok(())
        })
    }

    /// Removes the document at `path`, as OPA's Data API `DELETE /v1/data/{path}`; the empty path
    /// empties the data document. Removing a path that holds nothing changes nothing.
    pub fn remove_data(&self, path: &str) -> StoreResult<()> {
        let keys = data_path(path)?;
        if !keys.is_empty() && document_at(&self.snapshot()?.data, &keys).is_none() {
            return Ok(());
        }
        self.update(|_, data| {
            *data = with_document(data, &keys, None).map_err(StoreError::Document)?;
            Ok(())
        })
    }

    /// Removes a policy; removing an unknown name does nothing. Fails, changing nothing, when the
    /// remaining policies no longer compile (one called a function the removed one defined).
    pub fn remove_policy(&self, name: &str) -> StoreResult<()> {
        non_empty(name, "policy name")?;
        if !self.snapshot()?.policies.contains_key(name) {
            return Ok(());
        }
        self.update(|policies, _| {
            policies.remove(name);
            Ok(())
        })
    }

    /// Removes every policy; the data document stays.
    pub fn clear_policies(&self) -> StoreResult<()> {
        self.update(|policies, _| {
            policies.clear();
            Ok(())
        })
    }

    pub fn has_policy(&self, name: &str) -> StoreResult<bool> {
        Ok(self.snapshot()?.policies.contains_key(name))
    }

    /// Policy names in sorted (byte-wise UTF-8) order.
    pub fn policies(&self) -> StoreResult<Vec<String>> {
        Ok(self.snapshot()?.policies.keys().cloned().collect())
    }

    /// Evaluates `query` with `evaluate` (which also turns the result into what the caller wants).
    /// `input = None` leaves `input` undefined.
    ///
    /// Runs on the calling thread when the stack estimate fits [`stack_guard::INLINE_BUDGET`], else on
    /// a thread with a large stack; `evaluate` runs there whole, since a deep value is deep to
    /// serialize and to drop as well.
    fn evaluate_with<R: Send>(
        &self,
        query: &str,
        input: Option<&str>,
        evaluate: impl FnOnce(&mut Engine, &str) -> StoreResult<R> + Send,
    ) -> StoreResult<R> {
        non_empty(query, "query")?;
        // The text as given is scanned before anything parses it: the out-parameter rewrite below runs
        // regorus' parser, whose time doubles with each nesting level.
        let given_shape = stack_guard::scan(query, "<query>").map_err(StoreError::Evaluation)?;
        // Out-parameter calls of SARK's builtins (`uri.parse(u, x)`) as `x = uri.parse(u)`, which regorus
        // can evaluate; any other query text is left exactly as it is.
        // Template strings (`$"Hi {input.name}"`), which regorus cannot parse, as builtin calls.
        let templated = crate::interpolation::rewrite(query);
        let rewritten = builtins::out_params::rewrite_query(&templated, self.options.version == RegoVersion::V0);
        let shape = if *rewritten == *query {
            given_shape // the usual case: nothing to rewrite, nothing to scan again
        } else {
            stack_guard::scan(&rewritten, "<query>").map_err(StoreError::Evaluation)?
        };
        let query: &str = &rewritten;
        if shape.statements > stack_guard::MAX_STATEMENTS {
            return Err(StoreError::Evaluation(format!(
                "<query>: {} statements, more than {}: ordering a query's statements takes time that grows \
                 with the square of their number; put them in a rule and query that",
                shape.statements,
                stack_guard::MAX_STATEMENTS
            )));
        }
        let snapshot = self.snapshot();
        // A query that is a data path reads the input only through the policies, so the input can
        // be projected to what they read; any other query text may read the input itself.
        let rule_path = is_rule_path(query);
        let paths = match &snapshot {
            Ok(snapshot) if rule_path => snapshot.input_paths.as_ref(),
            _ => None,
        };
        // Malformed input is reported even by a closed engine: it is the likelier mistake.
        let input = input.map(|json| parse_input(json, paths)).transpose()?;
        let snapshot = snapshot?;
        let mut cost = shape.query_cost() + snapshot.costs.for_query(query, rule_path);
        if !rule_path && stack_guard::query_calls_value_recursing(query) {
            cost = cost.max(stack_guard::VALUE_RECURSION);
        }
        if cost <= stack_guard::INLINE_BUDGET {
            let mut lease = snapshot.pool.lease(|| snapshot.private_engine(self.options), || snapshot.engine.clone())?;
            lease.engine().set_input(input.unwrap_or(Value::Undefined));
            lease.engine().set_execution_timer_config(timer_config(self.options, snapshot.multiplies, query));
            let outcome = builtins::evaluation(self.options.memory_limit, self.options.timeout, || evaluate(lease.engine(), query));
            return match outcome {
                Ok(result) => {
                    lease.finish();
                    Ok(result)
                }
                Err(e) => {
                    lease.discard();
                    Err(e)
                }
            };
        }
        // Deep evaluations run on a thread of their own, on a clone.
        let (memory_limit, timeout) = (self.options.memory_limit, self.options.timeout);
        let timer = timer_config(self.options, snapshot.multiplies, query);
        let deep = move || {
            let mut engine = snapshot.engine.clone();
            engine.set_execution_timer_config(timer);
            if let Some(input) = input {
                engine.set_input(input);
            }
            builtins::evaluation(memory_limit, timeout, || evaluate(&mut engine, query))
        };
        on_stack(stack_guard::EVAL_STACK, deep).map_err(StoreError::Evaluation)?
    }

    /// The query's value as JSON text; an undefined result is `false`, as OPA's SDKs report a
    /// denied decision.
    pub fn evaluate_json(&self, query: &str, input: Option<&str>) -> StoreResult<String> {
        self.evaluate_with(query, input, |engine, query| match first_value(engine, query)? {
            None => Ok("false".to_string()),
            Some(value) => to_json(&value),
        })
    }

    /// True only when the query's value is the JSON boolean `true`.
    pub fn is_allowed(&self, query: &str, input: Option<&str>) -> StoreResult<bool> {
        self.evaluate_with(query, input, |engine, query| Ok(first_value(engine, query)? == Some(Value::Bool(true))))
    }

    /// The whole result set as `opa eval --format json` prints it:
    /// `{"result":[{"expressions":[{"value":V,"text":"...","location":{...}}],"bindings":{...}}]}`,
    /// with `{"result":[]}` when the query is undefined, so callers can tell undefined from `false`.
    pub fn query_json(&self, query: &str, input: Option<&str>) -> StoreResult<String> {
        self.evaluate_with(query, input, |engine, query| {
            let results = engine.eval_query(query.to_string(), false).map_err(|e| evaluation_error(&e))?;
            result_set_json(&results.result)
        })
    }

    /// Whether [`PolicyStore::close`] has run.
    pub fn is_closed(&self) -> bool {
        self.current.read().unwrap_or_else(|e| e.into_inner()).is_none()
    }

    /// Drops policies and data now. The struct itself stays valid, so a call racing with close
    /// sees `Closed` instead of freed memory; Java frees it once the PolicyEngine is unreachable.
    pub fn close(&self) {
        // Not behind the writer lock: a load in flight must not hold close() up. It publishes only
        // while the engine is open (see `update`), so its result is dropped.
        let old = self.current.write().unwrap_or_else(|e| e.into_inner()).take();
        // Evaluations in flight hold their own Arc; the last of them frees the snapshot.
        drop(old);
    }

    /// Estimated stack for evaluating the costliest rule (for tests of the estimate).
    #[cfg(test)]
    fn cost(&self) -> usize {
        self.snapshot().map_or(0, |s| s.costs.worst)
    }

    fn snapshot(&self) -> StoreResult<Arc<Snapshot>> {
        // A panic can never leave the Option half-written, so a poisoned lock is still consistent.
        self.current
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
            .ok_or(StoreError::Closed)
    }

    fn lock_writer(&self) -> MutexGuard<'_, ()> {
        self.writer.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Applies `change` to copies of the policies and data, compiles the result and publishes it.
    fn update(
        &self,
        change: impl FnOnce(&mut BTreeMap<String, String>, &mut Value) -> StoreResult<()>,
    ) -> StoreResult<()> {
        let _writer = self.lock_writer();
        let old = self.snapshot()?;
        let mut policies = old.policies.clone();
        let mut data = old.data.clone();
        change(&mut policies, &mut data)?;
        let fresh = Snapshot::build(self.options, policies, data, self.options.timeout)?;
        let mut current = self.current.write().unwrap_or_else(|e| e.into_inner());
        if current.is_some() {
            // `old` is dropped after the lock is released (below), never while readers wait.
            *current = Some(Arc::new(fresh));
        }
        drop(current);
        Ok(())
    }

    /// A v0 policy in a v1 engine fails with a bare parse error; say what to do. (Matching regorus'
    /// two v1-only messages is cheaper and quieter than re-parsing as v0: regorus' v0 parser prints
    /// warnings to stderr.)
    fn explain_version(&self, error: StoreError) -> StoreError {
        match error {
            StoreError::Compilation(message)
                if self.options.version == RegoVersion::V1
                    && (message.contains("`if` keyword is required")
                        || message.contains("`contains` keyword is required")) =>
            {
                StoreError::Compilation(format!(
                    "{message}\nhint: this looks like Rego v0 (OPA 0.x) syntax, but the engine expects Rego v1: \
                     write `if` before rule bodies and `contains` in partial set rules, or create the \
                     engine with RegoVersion.V0"
                ))
            }
            other => other,
        }
    }
}

impl Snapshot {
    /// Loads `policies` and `data` into a fresh engine, checks it and prepares it (rule analysis,
    /// scheduling), so that compile errors surface here, at load time, and clones evaluate at once.
    /// Runs on a thread with a large stack: regorus' parser and analysis recurse on the text. With a
    /// `deadline`, the caller waits at most that long (see [`on_stack_within`]).
    fn build(
        options: Options,
        policies: BTreeMap<String, String>,
        data: Value,
        deadline: Option<Duration>,
    ) -> StoreResult<Snapshot> {
        let work = move || -> Result<Snapshot, String> {
            let mut engine = compile(options, &policies)?;
            let costs = stack_guard::analyze(engine.get_modules())?;
            let input_paths = projection::input_paths(engine.get_modules());
            engine.add_data(data.clone()).map_err(|e| message(&e))?;
            prepare(&mut engine)?;
            let pool = EnginePool::new(&engine);
            let multiplies = policies.values().any(|source| source.contains('*'));
            Ok(Snapshot { policies, data, engine, costs, input_paths, multiplies, data_text: OnceLock::new(), pool })
        };
        let Some(limit) = deadline else {
            return on_stack(stack_guard::COMPILE_STACK, work).and_then(|built| built).map_err(StoreError::Compilation);
        };
        match on_stack_within(stack_guard::COMPILE_STACK, limit, work).map_err(StoreError::Compilation)? {
            Some(built) => built.map_err(StoreError::Compilation),
            None => Err(StoreError::Timeout(format!(
                "compiling the policies and data took longer than the engine's timeout of {limit:?} \
                 (PolicyEngine.builder().timeout); nothing was changed"
            ))),
        }
    }

    /// An engine equal to the prepared one but sharing nothing with it: the same policies
    /// compiled again and the data read again from its JSON text.
    fn private_engine(&self, options: Options) -> StoreResult<Engine> {
        let build = || -> Result<Engine, String> {
            let mut engine = compile(options, &self.policies)?;
            let text = self.data_text.get_or_init(|| json::to_string(&self.data).map(Arc::from)).clone()?;
            engine.add_data(json::parse(&text).map_err(|e| e.to_string())?).map_err(|e| message(&e))?;
            prepare(&mut engine)?;
            Ok(engine)
        };
        // These sources compiled before, so an error here is the machine's (no thread, no memory).
        on_stack(stack_guard::COMPILE_STACK, build)
            .and_then(|built| built)
            .map_err(|e| StoreError::Evaluation(format!("cannot prepare an engine: {e}")))
    }
}

/// A fresh engine with `policies` loaded. The name is regorus' "file name", so messages read
/// `--> name:line:col`.
fn compile(options: Options, policies: &BTreeMap<String, String>) -> Result<Engine, String> {
    let mut engine = new_engine(options)?;
    let rego_v0 = options.version == RegoVersion::V0;
    // regorus refuses keywords before the first dot of a reference or rule head (`if.foo`); OPA
    // accepts them. A policy may become several modules (same name, same line numbers).
    // Template strings (`$"Hi {input.name}"`), which regorus cannot parse, as builtin calls; first,
    // so the keywords rewrite can tokenize the text.
    // OPA 1.2x's `and`, `or` and `not { ... }` in modules that import them, as comprehensions.
    // Each level of them becomes two levels of comprehension brackets, which regorus parses in time
    // that doubles per level: the rewritten text passes the nesting checks of load_policy again.
    let mut rewritten: BTreeMap<&String, std::borrow::Cow<str>> = BTreeMap::new();
    for (name, source) in policies {
        let templated = crate::interpolation::rewrite(source);
        let logical = match crate::logic_operators::rewrite(&templated) {
            std::borrow::Cow::Borrowed(_) => templated,
            std::borrow::Cow::Owned(text) => {
                stack_guard::scan(&text, name).map_err(|e| {
                    format!("{name}: the logical operators (and, or, not {{ }}) nest too deeply once written as comprehensions: {e}")
                })?;
                std::borrow::Cow::Owned(text)
            }
        };
        rewritten.insert(name, logical);
    }
    let policies = rewritten;
    let keyword_refs = keywords::Rewriter::new(policies.values().map(|s| &**s), rego_v0);
    for (&name, source) in &policies {
        for module in keyword_refs.rewrite(source) {
            // regorus cannot call an extension in the out-parameter form `f(x, out)`; OPA's can.
            let module = builtins::out_params::rewrite(name, &module, rego_v0);
            engine.add_policy(name.clone(), module.into_owned()).map_err(|e| message(&e))?;
        }
    }
    Ok(engine)
}

/// regorus prepares lazily on the first evaluation; a trivial query does it now. Rule conflicts
/// between modules are reported here, before publishing.
fn prepare(engine: &mut Engine) -> Result<(), String> {
    engine.eval_query("true".to_string(), false).map(|_| ()).map_err(|e| message(&e))
}

/// The first expression of the first result of `query`, `None` when undefined.
fn first_value(engine: &mut Engine, query: &str) -> StoreResult<Option<Value>> {
    // A plain rule path (`data.authz.allow`, the common case) skips parsing and scheduling a
    // query: about 3x faster. Paths that are not a rule (a package, a data document) fail there
    // and take the general route, which also gives the definitive error.
    if is_rule_path(query) {
        match engine.eval_rule(query.to_string()).map_err(|e| evaluation_error(&e)) {
            Ok(value) => return Ok(Some(value).filter(|v| *v != Value::Undefined)),
            // Out of time or memory is final: the general route would only spend the same again.
            Err(spent @ (StoreError::Timeout(_) | StoreError::MemoryLimit(_))) => return Err(spent),
            Err(_) => {}
        }
    }
    let results = engine
        .eval_query(query.to_string(), false)
        .map_err(|e| evaluation_error(&e))?;
    let value = results
        .result
        .into_iter()
        .next()
        .and_then(|r| r.expressions.into_iter().next())
        .map(|e| e.value);
    Ok(value.filter(|v| *v != Value::Undefined))
}

/// `data.a.b_c.d`: `data` and at least one more identifier, dot-separated.
fn is_rule_path(query: &str) -> bool {
    let mut parts = query.split('.');
    let identifier = |p: &str| {
        p.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
            && p.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
    };
    parts.next() == Some("data") && query.len() > 5 && parts.all(identifier)
}

/// Runs `f` on a new thread with `size` bytes of stack and waits at most `limit` for it: `None` when the
/// limit passed first. A thread cannot be stopped from outside, so the late one runs to its end and its
/// result is dropped; compilation is bounded anyway (stack_guard's parsing-work budget and size limits),
/// the deadline only gives the caller control back on time. A panic there resumes here.
fn on_stack_within<R: Send + 'static>(
    size: usize,
    limit: Duration,
    f: impl FnOnce() -> R + Send + 'static,
) -> Result<Option<R>, String> {
    let (sender, receiver) = std::sync::mpsc::sync_channel(1);
    std::thread::Builder::new()
        .name("sark-opa-compile".into())
        .stack_size(size)
        .spawn(move || {
            // the receiver may have given up already: then the result is simply dropped
            let _ = sender.send(std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)));
        })
        .map_err(|e| format!("cannot start a thread with a {} MiB stack: {e}", size >> 20))?;
    match receiver.recv_timeout(limit) {
        Ok(Ok(value)) => Ok(Some(value)),
        Ok(Err(panic)) => std::panic::resume_unwind(panic),
        Err(RecvTimeoutError::Timeout) => Ok(None),
        Err(RecvTimeoutError::Disconnected) => Err("the compiling thread ended without a result".to_string()),
    }
}

/// Runs `f` on a new thread with `size` bytes of stack and waits for it; a panic there resumes
/// here, so the JNI guard still turns it into a Java exception.
///
/// While it waits, the calling thread keeps asking its own watch (`Thread.interrupt()` of its Java caller,
/// see execution_clock) and passes a stop request on to the worker, whose clock then ends the evaluation.
fn on_stack<R: Send>(size: usize, f: impl FnOnce() -> R + Send) -> Result<R, String> {
    let stop = Arc::new(AtomicBool::new(false));
    let waiter = std::thread::current();
    std::thread::scope(|scope| {
        let stop_requested = stop.clone();
        let worker = std::thread::Builder::new()
            .name("sark-opa-deep".into())
            .stack_size(size)
            .spawn_scoped(scope, move || {
                let (result, _) = execution_clock::interruptible(move || stop_requested.load(Ordering::Relaxed), f);
                waiter.unpark();
                result
            })
            .map_err(|e| format!("cannot start a thread with a {} MiB stack: {e}", size >> 20))?;
        while !worker.is_finished() {
            std::thread::park_timeout(execution_clock::POLL_EVERY);
            if execution_clock::stop_requested_here() {
                stop.store(true, Ordering::Relaxed);
            }
        }
        Ok(worker.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)))
    })
}

fn new_engine(options: Options) -> Result<Engine, String> {
    let mut engine = Engine::new();
    engine.set_rego_v0(options.version == RegoVersion::V0);
    // As in OPA's SDKs, print output stays off unless asked for, and nothing here asks. regorus without
    // std returns from print() at once when prints are not gathered: it writes nothing and, unlike
    // gathering, never formats its operands (formatting a value that shares its parts, a million
    // references to one 100 KB string, allocated 100 GB and aborted the process).
    engine.set_gather_prints(false);
    engine.set_strict_builtin_errors(options.strict_builtin_errors);
    // OPA limits neither lines nor columns (tokens and certificates sit on one long line); the size of a
    // policy is bounded by stack_guard::MAX_POLICY_BYTES before regorus sees it.
    let whole_policy = NonZeroUsize::new(stack_guard::MAX_POLICY_BYTES).expect("a positive limit");
    engine.set_policy_length_config(PolicyLengthConfig {
        max_col: NonZeroU32::try_from(stack_guard::MAX_POLICY_BYTES as u32).expect("a positive limit"),
        max_file_bytes: whole_policy,
        max_lines: whole_policy,
    });
    // Always a timer, even without a time limit: its checks are where an interrupt is noticed.
    execution_clock::install();
    engine.set_execution_timer_config(timer_config(options, false, ""));
    let on_error = builtins::OnError::for_strict_builtin_errors(options.strict_builtin_errors);
    builtins::register(&mut engine, on_error, options.version == RegoVersion::V0).map_err(|e| message(&e))?;
    Ok(engine)
}

/// An evaluation error, told apart by cause: the execution timer's expiry is a timeout.
fn evaluation_error(error: &anyhow::Error) -> StoreError {
    let timed_out = execution_clock::ran_out()
        || error.chain().any(|cause| matches!(cause.downcast_ref::<LimitError>(), Some(LimitError::TimeLimitExceeded { .. })));
    if timed_out && builtins::limits::memory_exceeded() {
        // The timer ended it, but because the clock found the evaluation over its memory limit.
        StoreError::MemoryLimit(format!(
            "evaluation held more than the engine's memory limit of {} bytes (PolicyEngine.builder().memoryLimit)",
            builtins::limits::memory_limit()
        ))
    } else if timed_out {
        StoreError::Timeout(format!("evaluation exceeded the engine's timeout: {}", message(error)))
    } else {
        StoreError::Evaluation(message(error))
    }
}

/// A value as JSON text: integers of any size exactly (serde_json would write a big one as a float),
/// and without recursion, however deep the value.
fn to_json(value: &Value) -> StoreResult<String> {
    json::to_string(value).map_err(|e| StoreError::Evaluation(format!("result is not representable as JSON: {e}")))
}

/// `{"result":[...]}` in the key order `opa eval --format json` prints: expressions (value, text,
/// location), then bindings when the query bound any.
fn result_set_json(results: &[QueryResult]) -> StoreResult<String> {
    let mut out = String::from("{\"result\":[");
    for (i, result) in results.iter().enumerate() {
        out.push_str(if i == 0 { "{\"expressions\":[" } else { ",{\"expressions\":[" });
        for (j, e) in result.expressions.iter().enumerate() {
            if j > 0 {
                out.push(',');
            }
            out.push_str("{\"value\":");
            out.push_str(&to_json(&e.value)?);
            out.push_str(",\"text\":");
            out.push_str(&to_json(&Value::from(e.text.as_ref()))?);
            out.push_str(&format!(",\"location\":{{\"row\":{},\"col\":{}}}}}", e.location.row, e.location.col));
        }
        out.push(']');
        if matches!(&result.bindings, Value::Object(b) if !b.is_empty()) {
            out.push_str(",\"bindings\":");
            out.push_str(&to_json(&result.bindings)?);
        }
        out.push('}');
    }
    out.push_str("]}");
    Ok(out)
}

/// regorus' message with its whole cause chain; it starts with a newline before `--> file:line:col`.
fn message(error: &impl fmt::Display) -> String {
    format!("{error:#}").trim().to_string()
}

fn non_empty(text: &str, what: &str) -> StoreResult<()> {
    if text.is_empty() {
        return Err(StoreError::Argument(format!("{what} must not be empty")));
    }
    Ok(())
}

/// `new` merged into `base`, objects key by key as OPA merges data documents; the same path with
/// two different values is a conflict. regorus 0.5.0's own `add_data` merges only top-level keys
/// and leaves a partial merge behind on conflict. Depth is bounded by the JSON parser (128).
fn deep_merge(base: &Value, new: Value, path: &mut Vec<String>) -> Result<Value, String> {
    match (base, new) {
        (Value::Object(base), Value::Object(new)) => {
            let mut merged = (**base).clone(); // copies one level: the values are shared
            for (key, value) in new.iter() {
                let value = match merged.get(key) {
                    Some(old) => {
                        path.push(
                            key.as_string()
                                .map(|k| k.to_string())
                                .unwrap_or_else(|_| key.to_string()),
                        );
                        let value = deep_merge(old, value.clone(), path)?;
                        path.pop();
                        value
                    }
                    None => value.clone(),
                };
                merged.insert(key.clone(), value);
            }
            Ok(Value::from(merged))
        }
        (base, new) if *base == new => Ok(new),
        _ => Err(format!(
            "data conflict: data.{} already holds a different value",
            path.join(".")
        )),
    }
}

/// The keys of a Data API path: `a/b/c`, a leading `/` optional, the empty path (or `/`) for the
/// whole document. Keys are taken literally (no URL decoding); an empty key (`a//b`) is an error.
fn data_path(path: &str) -> StoreResult<Vec<String>> {
    let trimmed = path.strip_prefix('/').unwrap_or(path);
    if trimmed.is_empty() {
        return Ok(Vec::new());
    }
    let keys: Vec<String> = trimmed.split('/').map(str::to_string).collect();
    if keys.iter().any(String::is_empty) {
        return Err(StoreError::Argument(format!(
            "data path '{path}' has an empty key: write keys separated by single slashes, as in roles/admin"
        )));
    }
    Ok(keys)
}

/// The document at `keys` under `data`, if any.
fn document_at<'v>(data: &'v Value, keys: &[String]) -> Option<&'v Value> {
    keys.iter().try_fold(data, |node, key| node.as_object().ok()?.get(&Value::from(key.as_str())))
}

/// `data` with the document at `keys` replaced by `value` (`None`: removed). Objects missing on the
/// way are created; a non-object on the way is an error naming the path, as OPA's Data API reports.
fn with_document(data: &Value, keys: &[String], value: Option<Value>) -> Result<Value, String> {
    let Some((key, rest)) = keys.split_first() else {
        return Ok(value.unwrap_or_else(Value::new_object));
    };
    let fields = match data {
        Value::Object(fields) => fields,
        Value::Undefined if value.is_some() => return with_document(&Value::new_object(), keys, value),
        _ => return Err(format!("data path conflict: the document above '{key}' is not an object")),
    };
    let mut object = (**fields).clone(); // copies one level: the values are shared
    let name = Value::from(key.as_str());
    match (rest.is_empty(), value) {
        (true, Some(value)) => {
            object.insert(name, value);
        }
        (true, None) => {
            object.remove(&name);
        }
        (false, value) => {
            let child = object.get(&name).cloned().unwrap_or(Value::Undefined);
            let removing = value.is_none();
            if removing && child == Value::Undefined {
                return Ok(data.clone());
            }
            object.insert(name, with_document(&child, rest, value)?);
        }
    }
    Ok(Value::from(object))
}

/// Parses JSON with SARK's reader (`json.rs`): no magic keys, integers of any size, and nesting deeper
/// than 128 levels an error rather than a stack overflow (values that deep drop recursively in safety).
fn parse_json(json: &str, what: &str) -> StoreResult<Value> {
    json::parse(json).map_err(|e| StoreError::Document(format!("malformed {what} JSON: {e}")))
}

/// The input, projected to `paths` when given (the same parser validates the skipped parts, so
/// errors are the same as for a whole parse).
fn parse_input(json: &str, paths: Option<&Paths>) -> StoreResult<Value> {
    match paths {
        None => parse_json(json, "input"),
        Some(paths) => {
            projection::parse(json, paths).map_err(|e| StoreError::Document(format!("malformed input JSON: {e}")))
        }
    }
}

#[cfg(test)]
mod tests;
