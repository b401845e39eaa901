//! `rand.intn`, which regorus has only with its `std` feature (left out: see Cargo.toml).
//!
//! OPA answers the same number for the same string and bound throughout one evaluation, and a fresh
//! one in the next. Instead of a cache of the numbers drawn, each evaluation has a random seed and the
//! number is a keyed hash of seed, string and bound: the same within the evaluation, unrelated across
//! evaluations, and nothing to keep. The seed is drawn at the evaluation's first `rand.intn` only: a
//! new evaluation ([`reseed`]) just counts, as most policies never call it.

use std::cell::Cell;
use std::collections::hash_map::{DefaultHasher, RandomState};
use std::hash::{BuildHasher, Hash, Hasher};

use anyhow::Result;
use regorus::Value;

use super::args::{int, string};
use super::Builtin;

pub(super) const BUILTINS: &[(&str, u8, Builtin)] = &[("rand.intn", 2, intn)];

thread_local! {
    /// Evaluations started on this thread.
    static EVALUATION: Cell<u64> = const { Cell::new(0) };
    /// The seed, and the evaluation it was drawn for (none yet: `u64::MAX`).
    static SEED: Cell<(u64, u64)> = const { Cell::new((u64::MAX, 0)) };
}

/// std's per-process random keys, stepped on every call: a new, unpredictable seed each time.
fn fresh_seed() -> u64 {
    RandomState::new().hash_one(0u8)
}

/// Starts a new evaluation on this thread: `rand.intn` draws new numbers from here on.
pub fn reseed() {
    EVALUATION.with(|evaluation| evaluation.set(evaluation.get().wrapping_add(1)));
}

/// This evaluation's seed, drawn at its first use.
fn seed() -> u64 {
    let evaluation = EVALUATION.with(Cell::get);
    SEED.with(|slot| match slot.get() {
        (of, seed) if of == evaluation => seed,
        _ => {
            let seed = fresh_seed();
            slot.set((evaluation, seed));
            seed
        }
    })
}

/// `rand.intn(str, n)`: a number in `[0, |n|)`, the same for the same `str` and `n` within one
/// evaluation; 0 when `n` is 0. As in OPA, `n` must be an integer and `-n` is the same bound as `n`.
fn intn(args: &[Value]) -> Result<Value> {
    let key = string(args, 0)?;
    let bound = int(args, 1)?.unsigned_abs();
    if bound == 0 {
        return Ok(Value::from(0u64));
    }
    let mut hasher = DefaultHasher::new();
    seed().hash(&mut hasher);
    key.hash(&mut hasher);
    bound.hash(&mut hasher);
    // The modulo's bias is at most bound / 2^64: nothing a policy could see.
    Ok(Value::from(hasher.finish() % bound))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draw(key: &str, n: i64) -> Value {
        intn(&[Value::from(key), Value::from(n)]).expect("a number")
    }

    #[test]
    fn the_same_call_gives_the_same_number_within_an_evaluation() {
        reseed();
        let first = draw("key", 1_000_000);
        assert_eq!(draw("key", 1_000_000), first);
        assert_eq!(draw("key", -1_000_000), first, "-n is the same bound as n");
    }

    #[test]
    fn numbers_stay_below_the_bound_and_change_between_evaluations() {
        let mut seen = std::collections::BTreeSet::new();
        for _ in 0..200 {
            reseed();
            let n = draw("key", 10).as_u64().expect("an integer");
            assert!(n < 10, "{n}");
            seen.insert(n);
        }
        // 200 fair draws from 10 values miss one with probability 10 * 0.9^200, about 7e-9.
        assert_eq!(seen.len(), 10, "{seen:?}");
    }

    #[test]
    fn a_zero_bound_gives_zero_and_a_fraction_is_refused() {
        assert_eq!(draw("key", 0), Value::from(0u64));
        let error = intn(&[Value::from("key"), Value::from(1.5)]).expect_err("not an integer");
        assert!(error.to_string().contains("must be integer"), "{error}");
    }
}
