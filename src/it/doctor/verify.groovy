def log = new File(basedir, 'build.log').text
assert log =~ /TARGET\s+STRATEGY\s+CARGO\s+TOOLCHAIN\s+STD\s+LINKER\s+ZIG\s+DOCKER/
assert log =~ /x86_64-unknown-linux-gnu\s+cargo\s+yes\s+default\s+yes\s+host cc/
assert log =~ /s390x-unknown-linux-gnu\s+NONE/
assert log.contains('rustup target add s390x-unknown-linux-gnu')
// cross needs a container engine, which these machines do not run
assert log =~ /riscv64gc-unknown-linux-gnu: cross: (cross is not installed: `cargo install cross`|no Docker or Podman engine answers)/
assert log.contains('some targets cannot be built here')
// the same findings for scripts
def result = new groovy.json.JsonSlurper().parse(new File(basedir, 'target/sark/doctor.json'))
assert result.goal == 'doctor'
def s390x = result.targets.find { it.triple == 's390x-unknown-linux-gnu' }
assert s390x.buildable == false
assert s390x.fixes.any { it.contains('rustup target add s390x-unknown-linux-gnu') }
assert result.targets.find { it.triple == 'x86_64-unknown-linux-gnu' }.buildable == true
return true
