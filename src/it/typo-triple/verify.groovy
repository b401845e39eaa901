def log = new File(basedir, 'build.log').text
assert log.contains("'x86_64-unknown-linux-gnux' is not a target triple rustc knows; did you mean x86_64-unknown-linux-gnu?")
assert log.contains('nothing was built')
assert !log.contains('Compiling') : 'cargo must not have started'
assert !log.contains('RUSTC_BOOTSTRAP') && !log.contains('rustup target add') : 'no build-std fallback, no install advice'
// the earlier good JAR is untouched
assert new File(basedir, 'target/typo-triple-1.0-linux-x86_64.jar').text == 'an earlier good JAR'
return true
