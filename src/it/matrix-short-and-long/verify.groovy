import java.util.jar.JarFile

def log = new File(basedir, 'build.log').text
// build.log holds both runs; the second starts at the second "Scanning for projects"
def secondRun = log.substring(log.lastIndexOf('Scanning for projects'))
def jar = new File(basedir, 'target/matrix-1.0-linux-x86_64.jar')
assert jar.isFile() : "no classifier jar for the short-form target"
new JarFile(jar).withCloseable { j ->
    def names = j.entries().collect { it.name }.findAll { !it.endsWith('/') }
    assert names.sort() == ['META-INF/MANIFEST.MF', 'dev/sark/native/linux-x86_64/libsark_it_demo.so']
    def attrs = j.manifest.mainAttributes
    assert attrs.getValue('Sark-Target') == 'x86_64-unknown-linux-gnu'
    assert attrs.getValue('Sark-Classifier') == 'linux-x86_64'
    assert attrs.getValue('Sark-Sha256') ==~ /[0-9a-f]{64}/
    assert attrs.getValue('Sark-Rustc').startsWith('rustc ')
    assert (attrs.getValue('Sark-Size') as long) > 0
    assert attrs.getValue('Automatic-Module-Name') == 'sark_it_demo.natives.linux_x86_64'
    // the runtime loader checks the library against this digest
    assert j.manifest.getAttributes('dev/sark/native/linux-x86_64/libsark_it_demo.so').getValue('Sark-Sha256') == attrs.getValue('Sark-Sha256')
}
// readable by everyone, like the main JAR
assert java.nio.file.Files.getPosixFilePermissions(jar.toPath()).contains(java.nio.file.attribute.PosixFilePermission.OTHERS_READ)
// the optional long-form target cannot be built here: reported, nothing packaged, build still green
assert !new File(basedir, 'target/matrix-1.0-linux-s390x-custom.jar').exists()
assert log.contains('unavailable (optional)')
assert log.contains('rustup target add s390x-unknown-linux-gnu')
// one line for it per run, and one closing line pointing at the doctor
assert secondRun.count('rustup target add s390x-unknown-linux-gnu') == 1 : secondRun
assert secondRun.contains('1 optional target(s) cannot be built on this machine; `mvn sark:doctor` shows what each one needs.')
// the second run asked cargo, which had nothing to compile, and packaged nothing again
assert log.contains('[x86_64-unknown-linux-gnu]    Compiling sark-it-demo')
assert secondRun.contains('x86_64-unknown-linux-gnu: up to date')
assert !secondRun.contains('[x86_64-unknown-linux-gnu]    Compiling')
assert !secondRun.contains('packaged matrix-1.0-linux-x86_64.jar')
assert secondRun =~ /x86_64-unknown-linux-gnu\s+linux-x86_64\s+cargo\s+\d+\.\d\s+\S+ KiB\s+glibc 2\.\d+\s+up-to-date/
assert log =~ /TARGET\s+CLASSIFIER\s+TOOL\s+SECONDS\s+SIZE\s+NEEDS\s+STATUS/
// the outcome for scripts and CI
def result = new groovy.json.JsonSlurper().parse(new File(basedir, 'target/sark/cross-build.json'))
assert result.goal == 'cross-build'
def host = result.targets.find { it.triple == 'x86_64-unknown-linux-gnu' }
assert host.classifier == 'linux-x86_64' && host.status == 'up-to-date' && host.tool == 'cargo'
assert host.command.contains('cargo build') && host.size > 0 && host.requires.startsWith('glibc ')
assert host.jar.endsWith('matrix-1.0-linux-x86_64.jar')
def s390x = result.targets.find { it.triple == 's390x-unknown-linux-gnu' }
assert s390x.status == 'unavailable' && s390x.optional == true && s390x.jar == null
// <toolchain> still works, as the deprecated name of <strategy>
assert log.contains('<toolchain>cargo</toolchain> is deprecated; write <strategy>cargo</strategy>')
return true
