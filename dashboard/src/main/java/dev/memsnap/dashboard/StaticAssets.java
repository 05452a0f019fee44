package dev.memsnap.dashboard;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The page's files, read from this jar once when the server starts: plain HTML, CSS, JavaScript and SVG, nothing
 * built and nothing fetched from elsewhere.
 */
final class StaticAssets {
    /** Where the files are, on the class path. */
    static final String ROOT = "/dev/memsnap/dashboard/web/";
    /** The page; served only with the token. */
    static final String INDEX = "index.html";
    /** What a request without the right token gets instead of the page. */
    static final String UNAUTHORIZED = "unauthorized.html";

    /** Served to anyone: code and style, no data. */
    private static final Map<String, String> PUBLIC = Map.of(
            "app.js", "text/javascript; charset=utf-8",
            "app.css", "text/css; charset=utf-8",
            "favicon.svg", "image/svg+xml");

    /**
     * One file.
     *
     * @param bytes       its content
     * @param contentType its media type
     * @param etag        a strong validator of its content
     */
    record Asset(byte[] bytes, String contentType, String etag) {
    }

    private final Map<String, Asset> assets;

    private StaticAssets(Map<String, Asset> assets) {
        this.assets = Map.copyOf(assets);
    }

    /** @return the files, read from the class path */
    static StaticAssets load() {
        Map<String, Asset> assets = new LinkedHashMap<>();
        PUBLIC.forEach((name, type) -> assets.put(name, read(name, type)));
        assets.put(INDEX, read(INDEX, "text/html; charset=utf-8"));
        assets.put(UNAUTHORIZED, read(UNAUTHORIZED, "text/html; charset=utf-8"));
        return new StaticAssets(assets);
    }

    /**
     * @param name a file name such as {@code app.js}
     * @return the file, when it is one anyone may fetch
     */
    Optional<Asset> publicAsset(String name) {
        return PUBLIC.containsKey(name) ? Optional.of(assets.get(name)) : Optional.empty();
    }

    Asset index() {
        return assets.get(INDEX);
    }

    Asset unauthorized() {
        return assets.get(UNAUTHORIZED);
    }

    private static Asset read(String name, String contentType) {
        try (InputStream in = StaticAssets.class.getResourceAsStream(ROOT + name)) {
            if (in == null) {
                throw new IllegalStateException("the dashboard jar lacks " + ROOT + name);
            }
            byte[] bytes = in.readAllBytes();
            String etag = '"' + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes), 0, 12)
                    + '"';
            return new Asset(bytes, contentType, etag);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + ROOT + name + " from the dashboard jar", e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
