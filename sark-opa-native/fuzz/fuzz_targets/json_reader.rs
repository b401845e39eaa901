//! The JSON reader behind every input and data document: any bytes either parse or give an error,
//! never a panic, an abort or a stack overflow; and printing settles: print, read and print again, and
//! from then on the text no longer changes.
//!
//! Why not "reads back to the same value" or "prints the same text at once": a decimal beyond 2^53
//! (`1844674446744073700.8`) becomes the nearest double, which prints as OPA's Go prints doubles
//! (`1844674446744073700`, or `1.8446744844646744e+22` from 1e21 on); that text then reads back as the
//! exact number it spells, an integer, and prints with all its digits. Same number as the text, a
//! different value from the double. OPA keeps number texts as they came; see docs/policy-engine.md.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sark_opa::json;

fn reprint(text: &str) -> String {
    let value = json::parse(text).expect("printed JSON parses");
    json::to_string(&value).expect("a parsed value prints")
}

fuzz_target!(|data: &[u8]| {
    let Ok(value) = json::parse_bytes(data) else {
        return;
    };
    let first = json::to_string(&value).expect("a parsed value prints");
    let second = reprint(&first);
    assert_eq!(second, reprint(&second), "printing does not settle (first print: {first})");
});
