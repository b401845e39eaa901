//! The JSON reader behind every input and data document: any bytes either parse or give an error,
//! never a panic, an abort or a stack overflow; and what parses prints and parses back to itself.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sark_opa::json;

fuzz_target!(|data: &[u8]| {
    let Ok(value) = json::parse_bytes(data) else {
        return;
    };
    let printed = json::to_string(&value).expect("a parsed value prints");
    let reparsed = json::parse(&printed).expect("printed JSON parses");
    assert_eq!(value, reparsed, "round trip changed the value: {printed}");
});
