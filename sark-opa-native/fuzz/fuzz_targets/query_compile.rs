//! evaluate and query: any query text is compiled and run against a small policy and input, and gives
//! a result or an error within the engine's timeout, never a panic, an abort or a stack overflow.
#![no_main]

use std::sync::OnceLock;
use std::time::Duration;

use libfuzzer_sys::fuzz_target;
use sark_opa::store::{Options, PolicyStore, RegoVersion};

const POLICY: &str = r#"package fuzz
default allow := false
allow if { input.user == "alice"; some role in data.roles[input.user]; role == "admin" }
names contains n if { some n in object.keys(data.roles) }
"#;

fn store() -> &'static PolicyStore {
    static STORE: OnceLock<PolicyStore> = OnceLock::new();
    STORE.get_or_init(|| {
        let options = Options { timeout: Some(Duration::from_secs(2)), ..Options::new(RegoVersion::V1) };
        let store = PolicyStore::new(options).expect("an empty engine");
        store.load_policy("fuzz.rego", POLICY).expect("the fuzz policy compiles");
        store.add_data(r#"{"roles": {"alice": ["admin"], "bob": ["dev"]}}"#).expect("the fuzz data");
        store
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(query) = std::str::from_utf8(data) else {
        return;
    };
    let input = Some(r#"{"user": "alice", "n": 3}"#);
    let _ = store().query_json(query, input);
    let _ = store().evaluate_json(query, input);
});
