import java.util.jar.JarFile

def log = new File(basedir, 'build.log').text
def fanIn = log.substring(log.lastIndexOf('Scanning for projects'))
assert !fanIn.contains('cargo build') : 'package-natives must not run cargo'
assert fanIn.contains('prebuilt x86_64-unknown-linux-gnu/release/libsark_it_demo.so')
assert fanIn =~ /x86_64-unknown-linux-gnu\s+linux-x86_64\s+prebuilt/
assert fanIn =~ /aarch64-apple-darwin\s+osx-aarch_64\s+-\s+0\.0\s+-\s+-\s+unavailable \(optional\)/

def jar = new File(basedir, 'target/fan-in-1.0-linux-x86_64.jar')
assert jar.isFile()
new JarFile(jar).withCloseable { j ->
    assert j.getEntry('dev/sark/native/linux-x86_64/libsark_it_demo.so') != null
    assert j.manifest.mainAttributes.getValue('Sark-Target') == 'x86_64-unknown-linux-gnu'
}
def all = new File(basedir, 'target/fan-in-1.0-all-platforms.jar')
assert all.isFile()
new JarFile(all).withCloseable { j ->
    assert j.getEntry('dev/sark/native/linux-x86_64/libsark_it_demo.so') != null
    assert j.manifest.mainAttributes.getValue('Sark-Classifiers') == 'linux-x86_64'
}
return true
