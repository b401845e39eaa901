def jars = new File(basedir, 'target/runtime-jars').listFiles().collect { it.name }.sort()
assert jars.size() == 3 : "expected loader, API and classifier jar, got ${jars}"
assert jars.any { it.startsWith('sark-native-loader-') }
assert jars.any { it ==~ /sark-cache-native-[^-]+-SNAPSHOT\.jar/ }
assert jars.any { it ==~ /sark-cache-native-.*-SNAPSHOT-linux-.*\.jar/ || it ==~ /sark-cache-native-.*-SNAPSHOT-(osx|windows|freebsd)-.*\.jar/ }

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
assert out.toString().contains('roundtrip=true')
assert out.toString().contains('evicted=true')
assert out.toString().contains('expired=true')
assert out.toString().contains('size=1') // key was evicted by 'short', which then expired
// the library was extracted into the cache directory, keyed by its SHA-256
assert cacheDir.listFiles().any { it.name ==~ /[0-9a-f]{64}/ }

// every jar has a module name of its own, and a modular consumer runs on the module path
def jarFiles = new File(basedir, 'target/runtime-jars').listFiles()
def moduleName = { File jar ->
    java.lang.module.ModuleFinder.of(jar.toPath()).findAll().iterator().next().descriptor().name()
}
def names = jarFiles.collectEntries { [(it.name): moduleName(it)] }
println names
assert names.find { it.key.startsWith('sark-native-loader-') }.value == 'dev.sark.loader'
assert names.find { it.key ==~ /sark-cache-native-[^-]+-SNAPSHOT\.jar/ }.value == 'dev.sark.cache'
def natives = names.find { it.value.startsWith('sark_cache.natives.') }
assert natives != null : "the classifier JAR's module name: ${names}"
assert names.values().toSet().size() == 3 : "no two jars share a module name: ${names}"

def modulePath = jarFiles.collect { it.absolutePath }.join(File.pathSeparator)
def modular = [java, "-Dsark.native.cacheDir=${cacheDir}", '--module-path', modulePath,
               '--add-modules', "dev.sark.cache,${natives.value}", new File(basedir, 'Demo.java').absolutePath].execute()
def mout = new StringBuilder(), merr = new StringBuilder()
modular.waitForProcessOutput(mout, merr)
println mout
println merr
assert modular.exitValue() == 0
assert mout.toString().contains('roundtrip=true')
assert mout.toString().contains('module=dev.sark.cache')
return true
