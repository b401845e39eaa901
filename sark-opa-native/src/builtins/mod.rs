//! OPA builtins that regorus 0.14.1 does not have, added to an engine as regorus extensions.
//!
//! Families (one file each): `io.jwt.*` (jwt.rs, with keys.rs for JWK/PEM keys and signatures),
//! `crypto.md5/sha1/sha256` and `crypto.hmac.*` (crypto.rs), `net.cidr_intersects`,
//! `net.cidr_contains_matches` and `net.cidr_merge` (net.rs), `strings.split_n` (strings.rs),
//! `array.flatten` (arrays.rs), `uri.parse` and `uri.is_valid` (uri.rs), `regex.globs_match` (globs.rs),
//! `strings.render_template` (template.rs),
//! `providers.aws.sign_req` (aws.rs), day, week and year units in `time.parse_duration_ns`
//! (durations.rs), and the deprecated
//! builtins of Rego v0 (deprecated.rs). encoding.rs and args.rs hold what they share: Go's
//! base64, PEM and JSON conventions, and OPA's operand errors.
//!
//! A few regorus builtins give values OPA does not; [`OVERRIDES`] lists the ones replaced here.
//!
//! Each builtin follows OPA's implementation (topdown/*.go; v1.4 for jwt, crypto and net, v1.22.4
//! and its conformance cases for the others), errors included. Two regorus
//! behaviours shape how they are added:
//!
//! * regorus never turns an extension's error into "undefined", whatever
//!   `Engine::set_strict_builtin_errors` says (interpreter.rs returns it as an evaluation error),
//!   while OPA's default makes a failing builtin's expression undefined. So each extension decides
//!   itself, by the [`OnError`] the caller passes to [`register`].
//! * regorus reads the out-parameter form `f(x, out)` only for its own builtins. For extensions
//!   the call fails with "incorrect number of parameters supplied to extension";
//!   [`out_params::rewrite`] turns such calls into `out = f(x)` before a policy is added.

mod args;
mod arrays;
mod aws;
mod crypto;
mod deprecated;
mod durations;
mod encoding;
mod globs;
mod graph;
mod graphql;
pub mod integers;
mod interpolate;
mod jwt;
mod keys;
pub mod limits;
mod long_calls;
mod net;
mod own;
pub mod out_params;
mod random;
mod strings;
mod template;
mod uri;
mod validity;
mod x509;

use anyhow::{anyhow, Result};
use regorus::{Engine, Value};

/// A builtin: operands in, value out; `Err` where OPA reports a builtin error.
type Builtin = fn(&[Value]) -> Result<Value>;

/// What a builtin error does to the evaluation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OnError {
    /// The evaluation fails with the error, "NAME: message" as OPA words it (OPA with
    /// `strict-builtin-errors`, and regorus' own builtins by default).
    Raise,
    /// The call is undefined (OPA's default); use with `set_strict_builtin_errors(false)`.
    Undefined,
}

/// Runs one evaluation on this thread: the engine's memory limit and deadline for the builtins that
/// check them, and fresh numbers for `rand.intn`.
pub fn evaluation<R>(memory_limit: usize, timeout: Option<std::time::Duration>, evaluate: impl FnOnce() -> R) -> R {
    random::reseed();
    crate::execution_clock::with_deadline(timeout, || limits::with_memory_limit(memory_limit, evaluate))
}

/// Every builtin of this module: name, number of operands, implementation.
fn all() -> impl Iterator<Item = &'static (&'static str, u8, Builtin)> {
    crypto::BUILTINS
        .iter()
        .chain(jwt::BUILTINS)
        .chain(net::BUILTINS)
        .chain(random::BUILTINS)
        .chain(strings::BUILTINS)
        .chain(arrays::BUILTINS)
        .chain(uri::BUILTINS)
        .chain(deprecated::BUILTINS)
        .chain(validity::BUILTINS)
        .chain(limits::BUILTINS)
        .chain(long_calls::BUILTINS)
        .chain(integers::BUILTINS)
        .chain(graph::BUILTINS)
        .chain(interpolate::BUILTINS)
        .chain(aws::BUILTINS)
        .chain(durations::BUILTINS)
        .chain(graphql::BUILTINS)
        .chain(x509::BUILTINS)
        .chain(globs::BUILTINS)
        .chain(template::BUILTINS)
}

/// regorus builtins this module replaces, and why. regorus looks extensions up before its own
/// builtins (interpreter.rs), so an extension of the same name and arity takes the call; every
/// other name regorus defines is left to regorus. Each entry is one whose regorus 0.14.1 result
/// differs from OPA's on OPA's own conformance cases.
pub const OVERRIDES: &[(&str, &str)] = &[
    (
        "strings.count",
        "regorus counts overlapping matches (\"11111\" has \"11\" 4 times, OPA says 2) and \
         panics on an empty substring (OPA: characters + 1)",
    ),
    (
        "strings.replace_n",
        "regorus replaces key after key, re-scanning replaced text; OPA (Go's strings.Replacer) \
         scans once and never chains replacements",
    ),
    (
        "json.is_valid",
        "regorus raises a type error for a non-string operand; OPA answers false",
    ),
    ("numbers.range", LIMITS),
    ("numbers.range_step", LIMITS),
    ("concat", LIMITS),
    ("sprintf", LIMITS),
    ("replace", LIMITS),
    ("regex.replace", LIMITS),
    ("split", LIMITS),
    ("regex.split", LIMITS),
    ("regex.find_n", LIMITS),
    (
        "graph.reachable_paths",
        "regorus follows the graph by recursion (a 200,000-vertex chain from the input overflowed the stack and \
         killed the JVM) and builds every path without a size check (a 36-vertex ladder has 24 million)",
    ),
    (
        "indexof_n",
        "regorus compares the search string at every character: 3 million characters and a \
         1.5-million-character search string are about 10^12 byte comparisons in one call, past any timeout",
    ),
    ("regex.find_all_string_submatch_n", LIMITS),
    ("json.marshal", LIMITS),
    ("json.marshal_with_options", LIMITS),
    ("yaml.marshal", LIMITS),
    ("json.unmarshal", LIMITS),
    ("yaml.unmarshal", LIMITS),
    ("array.concat", LIMITS),
    ("sort", LONG_CALLS),
    ("max", LONG_CALLS),
    ("min", LONG_CALLS),
    ("object.union_n", LONG_CALLS),
    ("urlquery.encode_object", LIMITS),
    ("bits.lsh", INTEGERS),
    ("product", INTEGERS),
    ("format_int", INTEGERS),
    ("units.parse", INTEGERS),
    ("units.parse_bytes", INTEGERS),
    (
        "time.parse_duration_ns",
        "regorus refuses OPA 1.2x's day, week and year units (\"1d2h\"); durations.rs reads them and hands \
         the rest to regorus",
    ),
    (
        "yaml.is_valid",
        "regorus raises a type error for a non-string operand (OPA: false) and refuses any text \
         of more than one YAML document",
    ),
];

/// Why limits.rs replaces regorus' builtins that grow with an operand.
const LIMITS: &str = "regorus allocates the result before any size check, and a failed allocation aborts the \
     process: one input could kill the JVM (limits.rs checks the engine's memory limit first)";

/// Why long_calls.rs replaces `sort`, `max`, `min` and `object.union_n`.
const LONG_CALLS: &str = "one call compares or merges each element in full, and elements can share one big value: \
     sorting 100,000 references to one object of 50,000 keys ran for minutes past the timeout in one step \
     (long_calls.rs looks at the deadline as it goes)";

/// Why integers.rs replaces regorus' builtins that make or print huge integers.
const INTEGERS: &str = "regorus' integers have no size bound and its decimal conversions take quadratic time: one call \
     could hold the thread far past the timeout (integers.rs refuses integers of more than 2^20 bits first)";

fn is_override(name: &str) -> bool {
    OVERRIDES.iter().any(|(n, _)| *n == name)
}

/// The names of the builtins this module can add (whether or not regorus already has them).
pub fn names() -> Vec<&'static str> {
    all().map(|(name, _, _)| *name).collect()
}

impl OnError {
    /// The behaviour that matches an engine's `set_strict_builtin_errors(strict)`.
    pub fn for_strict_builtin_errors(strict: bool) -> OnError {
        if strict {
            OnError::Raise
        } else {
            OnError::Undefined
        }
    }
}

/// Adds the builtins regorus lacks, and the [`OVERRIDES`]. Any other name regorus already
/// defines is skipped: an extension is looked up before regorus' builtins, so adding one would
/// silently replace regorus' own.
///
/// The deprecated builtins (deprecated.rs) are added to Rego v0 engines only: OPA refuses them in
/// Rego v1 policies, where they then stay unknown functions here too.
pub fn register(engine: &mut Engine, on_error: OnError, rego_v0: bool) -> Result<()> {
    for &(name, nargs, builtin) in all() {
        if regorus::unstable::BUILTINS.contains_key(name) && !is_override(name) {
            continue;
        }
        if !rego_v0 && deprecated::BUILTINS.iter().any(|(n, _, _)| *n == name) {
            continue;
        }
        let extension = move |args: Vec<Value>| match builtin(&args) {
            Ok(value) => Ok(value),
            // A call that gave up at the deadline is never undefined: the evaluation ends as a timeout.
            Err(e) if on_error == OnError::Raise || crate::execution_clock::ran_out() => Err(anyhow!("{name}: {e}")),
            Err(_) => Ok(Value::Undefined),
        };
        engine
            .add_extension(name.to_string(), nargs, Box::new(extension))
            .map_err(|e| anyhow!("cannot add builtin {name}: {e}"))?;
    }
    // regorus' http.send answers undefined, which can quietly flip a `not` rule. Decisions here make no
    // network requests, so a call fails loudly, in either error mode; `with http.send as mock` (how
    // OPA's tests and users' unit tests stub it) still replaces it.
    engine
        .add_extension(
            "http.send".to_string(),
            1,
            Box::new(|_| {
                Err(anyhow!("http.send: sark-opa makes no network requests; give the policy the data it needs in input or data"))
            }),
        )
        .map_err(|e| anyhow!("cannot add builtin http.send: {e}"))?;
    Ok(())
}

/// The names of this module's builtins that take `nargs` operands, for `out_params::rewrite`.
fn arity(name: &str) -> Option<u8> {
    all()
        .find(|(n, _, _)| *n == name)
        .map(|(_, nargs, _)| *nargs)
}

#[cfg(test)]
mod tests;
