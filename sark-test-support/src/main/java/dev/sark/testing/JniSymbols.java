package dev.sark.testing;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;

/**
 * The names a JVM looks up in a native library for a class's {@code native} methods, made with the JNI
 * specification's name mangling, so a test checks exactly the entry points the JVM will ask for rather
 * than a hand-written list that can drift from the Java source.
 *
 * <p>A JVM first looks for the short name {@code Java_<class>_<method>}, then for the long name, which adds
 * {@code __<argument signature>} (needed only for overloaded native methods).
 */
public final class JniSymbols {

    private JniSymbols() {
    }

    /** The JNI short names of every {@code native} method {@code type} declares (not inherited ones), sorted. */
    public static Set<String> of(Class<?> type) {
        Set<String> names = new TreeSet<>();
        for (Method m : type.getDeclaredMethods()) {
            if (Modifier.isNative(m.getModifiers())) {
                names.add(shortName(m));
            }
        }
        return Collections.unmodifiableSet(names);
    }

    /** {@code Java_<mangled binary class name>_<mangled method name>}. */
    public static String shortName(Method method) {
        return "Java_" + mangle(method.getDeclaringClass().getName().replace('.', '/')) + "_" + mangle(method.getName());
    }

    /** The short name followed by {@code __<mangled argument descriptor>}. */
    public static String longName(Method method) {
        StringBuilder descriptor = new StringBuilder();
        Arrays.stream(method.getParameterTypes()).forEach(p -> descriptor.append(descriptor(p)));
        return shortName(method) + "__" + mangle(descriptor.toString());
    }

    /**
     * JNI name mangling: ASCII letters and digits stay, {@code /} becomes {@code _}, {@code _} becomes
     * {@code _1}, {@code ;} {@code _2}, {@code [} {@code _3}, and every other UTF-16 unit {@code _0xxxx}
     * (four lower-case hex digits), e.g. {@code $} of a nested class becomes {@code _00024}.
     */
    public static String mangle(String name) {
        StringBuilder out = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
                out.append(c);
            } else if (c == '/' || c == '.') {
                out.append('_');
            } else if (c == '_') {
                out.append("_1");
            } else if (c == ';') {
                out.append("_2");
            } else if (c == '[') {
                out.append("_3");
            } else {
                out.append(String.format("_0%04x", (int) c));
            }
        }
        return out.toString();
    }

    /** The JVM type descriptor of a class: {@code I}, {@code [B}, {@code Ljava/lang/String;}. */
    static String descriptor(Class<?> type) {
        if (type.isArray()) {
            return type.getName().replace('.', '/'); // already "[B", "[Ljava.lang.String;"
        }
        if (type.isPrimitive()) {
            switch (type.getName()) {
                case "boolean": return "Z";
                case "byte": return "B";
                case "char": return "C";
                case "short": return "S";
                case "int": return "I";
                case "long": return "J";
                case "float": return "F";
                case "double": return "D";
                case "void": return "V";
                default: throw new IllegalArgumentException(type.getName());
            }
        }
        return "L" + type.getName().replace('.', '/') + ";";
    }
}
