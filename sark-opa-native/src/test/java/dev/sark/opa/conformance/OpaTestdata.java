package dev.sark.opa.conformance;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * OPA's conformance cases ({@code v1/test/cases/testdata/**.yaml}) of one pinned OPA version, taken from
 * OPA's Go module zip as the Go module proxy serves it. Nothing of OPA is committed: the zip is cached
 * under {@code ~/.cache/sark/opa-conformance/<version>/}, checked against a pinned SHA-256, and only the
 * YAML cases are extracted next to it.
 *
 * <p>The proxy is the one the machine's Go client uses: {@code -Dsark.opa.conformance.goproxy=URL}, else
 * the {@code GOPROXY} environment variable, else {@code go env GOPROXY} (its first http(s) entry).
 * {@code -Dsark.opa.conformance.zip=FILE} uses a zip already on disk instead (checked all the same);
 * {@code -Dsark.opa.conformance.cache=DIR} moves the cache.
 */
final class OpaTestdata {
    static final String MODULE = "github.com/open-policy-agent/opa";
    /** To move to a newer OPA: change both, delete the baseline's entries and regenerate it (README of the test). */
    static final String VERSION = "v1.22.4";
    static final String ZIP_SHA256 = "27b9423fb67b29665778fd366af83a9d1523bcf1eca2b118e29a1a69d2eb25f8";

    private static final String CASES_PREFIX = MODULE + "@" + VERSION + "/v1/test/cases/testdata/";

    private OpaTestdata() {}

    /** The extracted {@code testdata} directory (holding {@code v0/} and {@code v1/}), downloading it if needed. */
    static Path testdata() throws IOException, InterruptedException {
        Path cache = cacheDir();
        Path testdata = cache.resolve("testdata");
        if (Files.isDirectory(testdata)) {
            return testdata; // only ever moved into place complete
        }
        Files.createDirectories(cache);
        Path zip = verifiedZip(cache);
        Path partial = Files.createTempDirectory(cache, "testdata-");
        try {
            extractCases(zip, partial);
            try {
                Files.move(partial, testdata, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | java.nio.file.DirectoryNotEmptyException raced) {
                // another build extracted it meanwhile: use theirs
            }
        } finally {
            deleteTree(partial);
        }
        return testdata;
    }

    static Path cacheDir() {
        String configured = System.getProperty("sark.opa.conformance.cache");
        Path base = configured != null && !configured.isBlank()
                ? Path.of(configured)
                : Path.of(System.getProperty("user.home"), ".cache", "sark", "opa-conformance");
        return base.resolve(VERSION);
    }

    private static Path verifiedZip(Path cache) throws IOException, InterruptedException {
        String local = System.getProperty("sark.opa.conformance.zip");
        if (local != null && !local.isBlank()) {
            Path zip = Path.of(local);
            requireChecksum(zip, "-Dsark.opa.conformance.zip=" + local);
            return zip;
        }
        Path zip = cache.resolve("opa-" + VERSION + ".zip");
        if (Files.isRegularFile(zip) && sha256(zip).equals(ZIP_SHA256)) {
            return zip;
        }
        String url = goProxy() + "/" + MODULE + "/@v/" + VERSION + ".zip";
        Path download = Files.createTempFile(cache, "opa-", ".zip.part");
        try {
            HttpClient http = HttpClient.newBuilder()
                    .connectTimeout(Duration.ofSeconds(30))
                    .followRedirects(HttpClient.Redirect.NORMAL)
                    .build();
            HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMinutes(5)).GET().build();
            HttpResponse<Path> response;
            try {
                response = http.send(request, HttpResponse.BodyHandlers.ofFile(download));
            } catch (IOException e) {
                throw new IOException("could not download OPA's conformance cases from " + url + " (" + e
                        + "); offline, pass -Dsark.opa.conformance.zip=<that zip> or -Dsark.opa.conformance.skip=true", e);
            }
            if (response.statusCode() != 200) {
                throw new IOException("GET " + url + " answered HTTP " + response.statusCode());
            }
            requireChecksum(download, url);
            Files.move(download, zip, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return zip;
        } finally {
            Files.deleteIfExists(download);
        }
    }

    /** The Go module proxy of the machine's Go client configuration, without a trailing slash. */
    static String goProxy() throws IOException, InterruptedException {
        String configured = System.getProperty("sark.opa.conformance.goproxy");
        if (configured == null || configured.isBlank()) {
            configured = System.getenv("GOPROXY");
        }
        if (configured == null || configured.isBlank()) {
            configured = goEnvGoproxy();
        }
        // GOPROXY is a list separated by ',' or '|', with the keywords direct and off
        for (String entry : configured.split("[,|]")) {
            String candidate = entry.trim();
            if (candidate.startsWith("https://") || candidate.startsWith("http://")) {
                return candidate.endsWith("/") ? candidate.substring(0, candidate.length() - 1) : candidate;
            }
        }
        throw new IOException("no Go module proxy URL in GOPROXY='" + configured
                + "': set -Dsark.opa.conformance.goproxy=<url> or GOPROXY");
    }

    private static String goEnvGoproxy() throws IOException, InterruptedException {
        Process go;
        try {
            go = new ProcessBuilder("go", "env", "GOPROXY").redirectErrorStream(true).start();
        } catch (IOException noGo) {
            throw new IOException("cannot tell the Go module proxy: GOPROXY is unset and `go` is not on the PATH ("
                    + noGo.getMessage() + "); set GOPROXY or -Dsark.opa.conformance.goproxy=<url>", noGo);
        }
        go.getOutputStream().close();
        String out = new String(go.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (!go.waitFor(60, TimeUnit.SECONDS)) {
            go.destroyForcibly();
            throw new IOException("`go env GOPROXY` did not finish in 60 s");
        }
        if (go.exitValue() != 0) {
            throw new IOException("`go env GOPROXY` failed: " + out);
        }
        return out;
    }

    private static void requireChecksum(Path zip, String from) throws IOException {
        String actual = sha256(zip);
        if (!actual.equals(ZIP_SHA256)) {
            throw new IOException("OPA " + VERSION + " module zip from " + from + " has SHA-256 " + actual
                    + ", expected " + ZIP_SHA256);
        }
    }

    static String sha256(Path file) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException(impossible);
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** Copies {@code v1/test/cases/testdata/**.yaml} of the zip into {@code target}, and nothing else. */
    private static void extractCases(Path zip, Path target) throws IOException {
        int extracted = 0;
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            for (ZipEntry entry; (entry = in.getNextEntry()) != null; ) {
                String name = entry.getName();
                if (entry.isDirectory() || !name.startsWith(CASES_PREFIX) || !name.endsWith(".yaml")) {
                    continue;
                }
                Path out = target.resolve(name.substring(CASES_PREFIX.length())).normalize();
                if (!out.startsWith(target)) {
                    throw new IOException("zip entry outside the cases directory: " + name);
                }
                Files.createDirectories(out.getParent());
                Files.copy(in, out);
                extracted++;
            }
        }
        if (extracted == 0) {
            throw new IOException("no " + CASES_PREFIX + "**.yaml in " + zip);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
