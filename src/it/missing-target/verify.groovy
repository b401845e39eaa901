def log = new File(basedir, 'build.log').text
// a required target this machine cannot build stops the build before anything compiles, with its fix
assert log.contains('Nothing was built: 1 required target(s) cannot be built on this machine: s390x-unknown-linux-gnu')
assert log.contains('rustup target add s390x-unknown-linux-gnu')
assert !log.contains('Compiling') : 'cargo must not have started'
assert !new File(basedir, 'target/missing-target-1.0-linux-x86_64.jar').exists()
assert !new File(basedir, 'target/missing-target-1.0-linux-s390_64.jar').exists()
// said once, not repeated by the closing message
assert log.count('rustup target add s390x-unknown-linux-gnu') == 1 : log
return true
