def log = new File(basedir, 'build.log').text
// the host target still builds: one failed target does not hide the others
assert new File(basedir, 'target/missing-target-1.0-linux-x86_64.jar').isFile()
assert log.contains('1 of 2 target(s) failed: s390x-unknown-linux-gnu')
assert log.contains('rustup target add s390x-unknown-linux-gnu')
assert !new File(basedir, 'target/missing-target-1.0-linux-s390_64.jar').exists()
return true
