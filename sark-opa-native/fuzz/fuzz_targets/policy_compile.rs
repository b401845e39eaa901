//! loadPolicy: any text either compiles or gives a compilation error, within the engine's timeout,
//! never a panic, an abort or a stack overflow; and a failed load leaves the engine usable.
#![no_main]

use std::time::Duration;

use libfuzzer_sys::fuzz_target;
use sark_opa::store::{Options, PolicyStore, RegoVersion};

fuzz_target!(|data: &[u8]| {
    let Ok(source) = std::str::from_utf8(data) else {
        return;
    };
    for version in [RegoVersion::V1, RegoVersion::V0] {
        let options = Options { timeout: Some(Duration::from_secs(2)), ..Options::new(version) };
        let store = PolicyStore::new(options).expect("an empty engine");
        let _ = store.load_policy("fuzz.rego", source);
        // whatever happened to the load, the engine still answers
        store.evaluate_json("1 + 1", None).expect("an engine that survived a load still evaluates");
    }
});
