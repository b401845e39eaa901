import dev.sark.cache.NativeCache;
import java.time.Duration;

/** Run by verify.groovy as a single-file program, with nothing but the three runtime jars on the class path, then on the module path. */
public class Demo {
    public static void main(String[] args) throws Exception {
        try (NativeCache cache = new NativeCache(2, Duration.ofSeconds(30))) {
            String text = "value \u00e9 \ud83d\ude00 \u0000 end";
            cache.put("key", text);
            System.out.println("roundtrip=" + text.equals(cache.get("key")));
            cache.put("k2", "v2");
            cache.get("key");
            cache.put("k3", "v3");
            System.out.println("evicted=" + (cache.get("k2") == null));
            cache.put("short", "lived", Duration.ofMillis(20));
            Thread.sleep(60);
            System.out.println("expired=" + (cache.get("short") == null));
            System.out.println("size=" + cache.size());
            // on the class path: the unnamed module; on the module path: the jar's Automatic-Module-Name
            System.out.println("module=" + NativeCache.class.getModule().getName());
        }
    }
}
