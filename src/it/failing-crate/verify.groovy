def log = new File(basedir, 'build.log').text
assert log.contains('target x86_64-unknown-linux-gnu failed')
assert log.contains('command: CARGO_TERM_COLOR=never RUSTFLAGS=') && log.contains(' cargo build --manifest-path')
assert log.contains('mismatched types')
assert log.contains('1 of 1 target(s) failed: x86_64-unknown-linux-gnu')
assert !new File(basedir, 'target/failing-crate-1.0-linux-x86_64.jar').exists()
return true
