//! OPA builtins that regorus 0.14.1 does not have, added to an engine as regorus extensions.
//!
//! Families (one file each): `io.jwt.*` (jwt.rs, with keys.rs for JWK/PEM keys and signatures),
//! `crypto.md5/sha1/sha256` and `crypto.hmac.*` (crypto.rs), `net.cidr_intersects`,
//! `net.cidr_contains_matches` and `net.cidr_merge` (net.rs). encoding.rs and args.rs hold what
//! they share: Go's base64, PEM and JSON conventions, and OPA's operand errors.
//!
//! Each builtin follows OPA v1.4's implementation (topdown/*.go), errors included. Two regorus
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
mod crypto;
mod encoding;
mod jwt;
mod keys;
mod net;
pub mod out_params;

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

/// Every builtin of this module: name, number of operands, implementation.
fn all() -> impl Iterator<Item = &'static (&'static str, u8, Builtin)> {
    crypto::BUILTINS
        .iter()
        .chain(jwt::BUILTINS)
        .chain(net::BUILTINS)
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

/// Adds the builtins regorus lacks. A name regorus already defines is skipped: an extension is
/// looked up before regorus' builtins, so adding one would silently replace regorus' own.
pub fn register(engine: &mut Engine, on_error: OnError) -> Result<()> {
    for &(name, nargs, builtin) in all() {
        if regorus::unstable::BUILTINS.contains_key(name) {
            continue;
        }
        let extension = move |args: Vec<Value>| match builtin(&args) {
            Ok(value) => Ok(value),
            Err(e) if on_error == OnError::Raise => Err(anyhow!("{name}: {e}")),
            Err(_) => Ok(Value::Undefined),
        };
        engine
            .add_extension(name.to_string(), nargs, Box::new(extension))
            .map_err(|e| anyhow!("cannot add builtin {name}: {e}"))?;
    }
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
