def jars = new File(basedir, 'target/runtime-jars').listFiles().collect { it.name }.sort()
assert jars.size() == 3 : "expected loader, API and classifier jar, got ${jars}"
assert jars.any { it.startsWith('sark-native-loader-') }
assert jars.any { it ==~ /sark-opa-native-[^-]+-SNAPSHOT\.jar/ }
assert jars.any { it ==~ /sark-opa-native-.*-SNAPSHOT-(linux|osx|windows|freebsd)-.*\.jar/ }

// a fresh JVM whose class path holds only those three jars
def cp = new File(basedir, 'target/runtime-jars').listFiles().collect { it.absolutePath }.join(File.pathSeparator)
def java = new File(System.getProperty('java.home'), 'bin/java').absolutePath
def cacheDir = new File(basedir, 'target/native-cache')
def proc = [java, "-Dsark.native.cacheDir=${cacheDir}", '-cp', cp, new File(basedir, 'Demo.java').absolutePath].execute()
def out = new StringBuilder(), err = new StringBuilder()
proc.waitForProcessOutput(out, err)
println out
println err
assert proc.exitValue() == 0
assert out.toString().contains('admin=true')
assert out.toString().contains('granted=true')
assert out.toString().contains('denied=false')
assert out.toString().contains('unknown=false')
assert out.toString().contains('policies=[authz]')
return true
