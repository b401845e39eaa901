// a good JAR from an earlier build under the classifier the typo would have mapped to
def jar = new File(basedir, 'target/typo-triple-1.0-linux-x86_64.jar')
jar.parentFile.mkdirs()
jar.text = 'an earlier good JAR'
return true
