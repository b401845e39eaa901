//! `regex.globs_match(a, b)`: whether two "globs" (a small regular-expression dialect: characters, `.`,
//! `[...]` sets with ranges, each optionally followed by `+` or `*`, and `\` escapes) can match a common
//! string. OPA answers with the `glob-intersection` Go module (v0.2.0), whose answer is a heuristic, not
//! an exact intersection test (`"a.a.[0-9]+z"` and `".b.b2359825792*594823z"` intersect there); this file
//! gives the same answers and the same errors, decided the same way: both globs are trimmed of their
//! matching fixed ends, then walked token by token, a `+` or `*` token trying each way to continue.
//!
//! That walk can take exponential time (each starred token tries every later position of the other
//! glob, and each try may star again), so every step is remembered: each step is a function of where it
//! stands in the two globs, which bounds the work to a polynomial in their lengths. The walk recurses
//! once per step along one path (at most the two globs' lengths), so calls run on the evaluation
//! thread with the large stack (see `stack_guard::VALUE_RECURSING`), and the depth is bounded.

use std::collections::HashMap;

use anyhow::{bail, Result};
use regorus::Value;

use super::args::string;
use super::limits::claim;
use super::Builtin;
use crate::execution_clock;

pub(super) const BUILTINS: &[(&str, u8, Builtin)] = &[("regex.globs_match", 2, globs_match)];

/// Deepest chain of steps followed (each step consumes a token of one glob or the other).
const MAX_DEPTH: usize = 20_000;
/// Units of work (steps and token comparisons) between two looks at the evaluation's deadline.
const DEADLINE_EVERY: u64 = 4096;
/// Bytes claimed against the memory limit per remembered step (hash table entry and its share of growth).
const BYTES_PER_STEP: u128 = 48;

fn globs_match(args: &[Value]) -> Result<Value> {
    let (first, second) = (string(args, 0)?, string(args, 1)?);
    Ok(Value::from(non_empty(first, second)?))
}

/// What one token matches.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Atom {
    Character(u32),
    Any,
    /// A set's characters as sorted, merged, inclusive ranges.
    Set(Vec<(u32, u32)>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Repeat {
    Once,
    /// `+`: one or more.
    Plus,
    /// `*`: any number.
    Star,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Token {
    atom: Atom,
    repeat: Repeat,
}

/// Whether some character matches both atoms.
fn atoms_meet(a: &Atom, b: &Atom) -> bool {
    match (a, b) {
        (Atom::Any, _) | (_, Atom::Any) => true,
        (Atom::Character(x), Atom::Character(y)) => x == y,
        (Atom::Character(c), Atom::Set(ranges)) | (Atom::Set(ranges), Atom::Character(c)) => {
            ranges.iter().any(|&(low, high)| low <= *c && *c <= high)
        }
        (Atom::Set(a), Atom::Set(b)) => {
            // Both sorted and disjoint: walk them side by side.
            let (mut i, mut j) = (0, 0);
            while i < a.len() && j < b.len() {
                if a[i].1 < b[j].0 {
                    i += 1;
                } else if b[j].1 < a[i].0 {
                    j += 1;
                } else {
                    return true;
                }
            }
            false
        }
    }
}

/// The module's error: the input, the position (in characters) where reading stopped, and what is wrong.
fn invalid(input: &[char], position: usize, what: &str) -> anyhow::Error {
    let text: String = input.iter().collect();
    anyhow::anyhow!("input:{text}, pos:{position}, {what}: the input provided is invalid")
}

/// Reads a glob's text into tokens, as the module's tokenizer does (errors and positions included).
struct Reader<'a> {
    input: &'a [char],
}

/// One character read: where reading goes on, the character, and whether a `\` escaped it.
type Read = Option<(usize, char, bool)>;

impl Reader<'_> {
    fn character(&self, at: usize) -> Result<Read> {
        match self.input.get(at) {
            None => Ok(None),
            Some('\\') => match self.input.get(at + 1) {
                Some(&c) => Ok(Some((at + 2, c, true))),
                None => Err(invalid(self.input, at, "input ends with a \\ (escape) character")),
            },
            Some(&c) => Ok(Some((at + 1, c, false))),
        }
    }

    fn tokens(&self) -> Result<Vec<Token>> {
        let mut tokens = Vec::new();
        let mut at = 0;
        while let Some((next, c, escaped)) = self.character(at)? {
            let (next, atom) = match c {
                '.' if !escaped => (next, Atom::Any),
                '[' if !escaped => self.set(next)?,
                ']' if !escaped => return Err(invalid(self.input, next, "set-close ']' with no preceding '['")),
                '+' | '*' if !escaped => {
                    return Err(invalid(self.input, next, &format!("flag '{c}' must be preceded by a non-flag")))
                }
                _ => (next, Atom::Character(c as u32)),
            };
            let (next, repeat) = match self.character(next)? {
                Some((after, '+', false)) => (after, Repeat::Plus),
                Some((after, '*', false)) => (after, Repeat::Star),
                _ => (next, Repeat::Once),
            };
            tokens.push(Token { atom, repeat });
            at = next;
        }
        Ok(tokens)
    }

    /// A set's members after its `[`, up to and including its `]`.
    fn set(&self, mut at: usize) -> Result<(usize, Atom)> {
        let mut ranges: Vec<(u32, u32)> = Vec::new();
        // The last single character, which a following `-` makes the start of a range.
        let mut previous: Option<char> = None;
        while let Some((next, c, escaped)) = self.character(at)? {
            at = next;
            match c {
                '-' if !escaped => {
                    let Some(low) = previous else {
                        return Err(invalid(self.input, at, "range character '-' must be preceded by a Unicode character"));
                    };
                    if at + 1 >= self.input.len() {
                        return Err(invalid(self.input, at, "range character '-' must be followed by a Unicode character"));
                    }
                    let Some((next, high, escaped)) = self.character(at)? else {
                        unreachable!("two more characters were checked to follow");
                    };
                    at = next;
                    if !escaped && matches!(high, ']' | '-') {
                        return Err(invalid(self.input, at, "range character '-' cannot be followed by a special symbol"));
                    }
                    if high < low {
                        return Err(invalid(
                            self.input,
                            at,
                            &format!("range is out of order: '{high}' comes before '{low}' in Unicode"),
                        ));
                    }
                    ranges.push((low as u32, high as u32));
                    previous = None;
                }
                ']' if !escaped => return Ok((at, Atom::Set(merged(ranges)))),
                _ => {
                    ranges.push((c as u32, c as u32));
                    previous = Some(c);
                }
            }
        }
        Err(invalid(self.input, at, "found [ without matching ]"))
    }
}

/// Ranges sorted and merged where they overlap or touch, so equal sets have equal lists.
fn merged(mut ranges: Vec<(u32, u32)>) -> Vec<(u32, u32)> {
    ranges.sort_unstable();
    let mut out: Vec<(u32, u32)> = Vec::with_capacity(ranges.len());
    for (low, high) in ranges {
        match out.last_mut() {
            Some(last) if low <= last.1.saturating_add(1) => last.1 = last.1.max(high),
            _ => out.push((low, high)),
        }
    }
    out
}

/// Tokens as the module simplifies them: a repeated token right after an equal repeated token merges
/// into it (`a*a+` is `a+`, `a*a*` is `a*`).
fn simplified(tokens: Vec<Token>) -> Vec<Token> {
    let mut out: Vec<Token> = Vec::with_capacity(tokens.len());
    for token in tokens {
        if let Some(last) = out.last_mut() {
            if token.repeat != Repeat::Once && last.repeat != Repeat::Once && token.atom == last.atom {
                if token.repeat == Repeat::Plus {
                    last.repeat = Repeat::Plus;
                }
                continue;
            }
        }
        out.push(token);
    }
    out
}

fn glob(text: &str) -> Result<Vec<Token>> {
    let input: Vec<char> = text.chars().collect();
    Ok(simplified(Reader { input: &input }.tokens()?))
}

/// `gintersect.NonEmpty`.
fn non_empty(first: &str, second: &str) -> Result<bool> {
    let (a, b) = (glob(first)?, glob(second)?);
    let Some((a, b)) = trimmed(&a, &b) else {
        return Ok(false);
    };
    Walk { globs: [a, b], seen: HashMap::new(), depth: 0, work: 0 }.normal(Side::First, 0, 0)
}

/// Both globs without their fixed (unrepeated) ends where those match one another, keeping one token
/// of each matched end as the module does; `None` when a fixed end already fails to match.
fn trimmed<'a>(a: &'a [Token], b: &'a [Token]) -> Option<(&'a [Token], &'a [Token])> {
    let fixed = |t: &Token| t.repeat == Repeat::Once;
    let mut left = 0;
    while left < a.len() && left < b.len() && fixed(&a[left]) && fixed(&b[left]) {
        if !atoms_meet(&a[left].atom, &b[left].atom) {
            return None;
        }
        left += 1;
    }
    let left = left.saturating_sub(1) as isize;
    let (mut right_a, mut right_b) = (a.len() as isize - 1, b.len() as isize - 1);
    while right_a >= left && right_b >= left && fixed(&a[right_a as usize]) && fixed(&b[right_b as usize]) {
        if !atoms_meet(&a[right_a as usize].atom, &b[right_b as usize].atom) {
            return None;
        }
        right_a -= 1;
        right_b -= 1;
    }
    if right_a < a.len() as isize - 1 {
        right_a += 1;
        right_b += 1;
    }
    let slice = |g: &'a [Token], end: isize| g.get(left as usize..(end + 1).max(left) as usize).unwrap_or(&[]);
    Some((slice(a, right_a), slice(b, right_b)))
}

/// Which glob a step's first operand is (the second operand is the other one).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Side {
    First,
    Second,
}

impl Side {
    fn other(self) -> Side {
        match self {
            Side::First => Side::Second,
            Side::Second => Side::First,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Step {
    Normal,
    Plus,
    Star,
}

/// The module's walk over two globs, each step `(kind, side, i, j)` standing at token `i` of the glob
/// on `side` and token `j` of the other, and remembered once answered.
struct Walk<'a> {
    globs: [&'a [Token]; 2],
    seen: HashMap<(Step, Side, usize, usize), bool>,
    depth: usize,
    /// Steps taken and tokens compared, remembered steps included.
    work: u64,
}

impl<'a> Walk<'a> {
    fn glob(&self, side: Side) -> &'a [Token] {
        match side {
            Side::First => self.globs[0],
            Side::Second => self.globs[1],
        }
    }

    /// Counts a unit of work: every so often, a look at the deadline and the memory the steps hold.
    fn tick(&mut self) -> Result<()> {
        self.work += 1;
        if self.work.is_multiple_of(DEADLINE_EVERY) {
            if execution_clock::past_deadline() {
                return Err(execution_clock::give_up("regex.globs_match"));
            }
            claim(self.seen.len() as u128 * BYTES_PER_STEP, || "comparing the globs".to_string())?;
        }
        Ok(())
    }

    /// Answers a step once, bounding depth, time and memory.
    fn step(&mut self, key: (Step, Side, usize, usize), answer: impl FnOnce(&mut Self) -> Result<bool>) -> Result<bool> {
        self.tick()?;
        if let Some(&known) = self.seen.get(&key) {
            return Ok(known);
        }
        if self.depth == MAX_DEPTH {
            bail!("the globs are too long to compare (more than {MAX_DEPTH} tokens in a row)");
        }
        self.depth += 1;
        let result = answer(self);
        self.depth -= 1;
        let known = result?;
        self.seen.insert(key, known);
        Ok(known)
    }

    /// `intersectNormal`: fixed tokens side by side; at the first repeated one, its own rules.
    fn normal(&mut self, side: Side, i: usize, j: usize) -> Result<bool> {
        self.step((Step::Normal, side, i, j), |walk| {
            let (g, h) = (walk.glob(side), walk.glob(side.other()));
            let (mut i, mut j) = (i, j);
            while i < g.len() && j < h.len() {
                walk.tick()?;
                if g[i].repeat == Repeat::Once && h[j].repeat == Repeat::Once {
                    if !atoms_meet(&g[i].atom, &h[j].atom) {
                        return Ok(false);
                    }
                    i += 1;
                    j += 1;
                    continue;
                }
                // `intersectSpecial`: the first operand's repetition goes first.
                return match (g[i].repeat, h[j].repeat) {
                    (Repeat::Plus, _) => walk.plus(side, i, j),
                    (Repeat::Star, _) => walk.star(side, i, j),
                    (_, Repeat::Plus) => walk.plus(side.other(), j, i),
                    (_, Repeat::Star) => walk.star(side.other(), j, i),
                    (Repeat::Once, Repeat::Once) => unreachable!("handled above"),
                };
            }
            Ok(i == g.len() && j == h.len())
        })
    }

    /// `intersectPlus`: token `i` of `side` is repeated with `+`; token `j` of the other is its partner.
    fn plus(&mut self, side: Side, i: usize, j: usize) -> Result<bool> {
        self.step((Step::Plus, side, i, j), |walk| {
            let (g, h) = (walk.glob(side), walk.glob(side.other()));
            if !atoms_meet(&g[i].atom, &h[j].atom) {
                return Ok(false);
            }
            if walk.star(side, i, j + 1)? {
                return Ok(true);
            }
            Ok(h[j].repeat != Repeat::Once && walk.normal(side, i + 1, j)?)
        })
    }

    /// `intersectStar`: token `i` of `side` is repeated (with `*`, or a `+` already met once); it takes
    /// the other's tokens from `j` on until the token after it can take over.
    fn star(&mut self, side: Side, i: usize, j: usize) -> Result<bool> {
        self.step((Step::Star, side, i, j), |walk| {
            let (g, h) = (walk.glob(side), walk.glob(side.other()));
            let starred = &g[i].atom;
            let next = g.get(i + 1).map(|t| &t.atom);
            for (k, token) in h.iter().enumerate().skip(j) {
                walk.tick()?;
                let token = &token.atom;
                if next.is_some_and(|next| atoms_meet(token, next)) && walk.normal(side, i + 1, k)? {
                    return Ok(true);
                }
                if !atoms_meet(token, starred) {
                    return Ok(false);
                }
            }
            Ok(next.is_none())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_as_the_go_module_does() {
        for (a, b, expected) in [
            ("a.a.[0-9]+z", ".b.b2359825792*594823z", true),
            ("[a-z]+", "[0-9]*", false),
            (r"[a-z]+\[[0-9]+\]", r"foo\[1\]", true),
            (r"[a-z]+\[[0-9]+\]", "foo[\"bar\"]", false),
            ("b.*", "bar", true),
            ("b.*", "car", false),
            ("", "", true),
            ("a*", "", false),
            ("a+", "", false),
            ("abc", "abd", false),
            ("a*b", "aaab", true),
            ("[abc]+", "[c-e]+", true),
            ("[ab]+", "[c-e]+", false),
        ] {
            assert_eq!(non_empty(a, b).unwrap(), expected, "{a} vs {b}");
        }
    }

    #[test]
    fn errors_name_the_input_and_position() {
        for (glob, error) in [
            ("pqrs]", "input:pqrs], pos:5, set-close ']' with no preceding '[': the input provided is invalid"),
            ("+a", "input:+a, pos:1, flag '+' must be preceded by a non-flag"),
            ("a\\", "input:a\\, pos:1, input ends with a \\ (escape) character"),
            ("[a", "input:[a, pos:2, found [ without matching ]"),
            ("[-a]", "input:[-a], pos:2, range character '-' must be preceded by a Unicode character"),
            ("[z-a]", "input:[z-a], pos:4, range is out of order: 'a' comes before 'z' in Unicode"),
            ("[a-]]", "input:[a-]], pos:4, range character '-' cannot be followed by a special symbol"),
        ] {
            let message = non_empty(glob, "x").unwrap_err().to_string();
            assert!(message.starts_with(error), "{glob}: {message}");
        }
    }

    #[test]
    fn sets_are_ranges_however_wide() {
        // The Go module lists every character of a range; here a range is two numbers.
        let glob = glob("[\u{0}-\u{10FFFF}]").unwrap();
        assert_eq!(glob, vec![Token { atom: Atom::Set(vec![(0, 0x10FFFF)]), repeat: Repeat::Once }]);
        assert!(non_empty("[\u{0}-\u{10FFFF}]", "x").unwrap());
    }

    #[test]
    fn the_deepest_walk_fits_the_evaluation_stack() {
        // Each starred token hands over to the next: one level of recursion per token, up to MAX_DEPTH.
        let run = |pairs: usize| {
            let (a, b) = ("a*b*".repeat(pairs), "ab".repeat(pairs));
            std::thread::Builder::new()
                .stack_size(crate::stack_guard::EVAL_STACK)
                .spawn(move || non_empty(&a, &b).map_err(|e| e.to_string()))
                .unwrap()
                .join()
                .unwrap()
        };
        assert_eq!(run(1000), Ok(true));
        let error = run(MAX_DEPTH).unwrap_err();
        assert!(error.contains("too long to compare"), "{error}");
    }

    #[test]
    fn repeated_stars_take_polynomial_time() {
        // Without remembering steps, each `a*` tries every later position again: exponential.
        // (`a*a*` would simplify to `a*`; `a*.*` does not.)
        let stars = "a*.*".repeat(150) + "b";
        let letters = "a".repeat(300) + "c";
        assert!(!non_empty(&stars, &letters).unwrap());
        let plus = ".+a".repeat(200) + "b";
        assert!(!non_empty(&plus, &"a".repeat(1000)).unwrap());
    }
}
