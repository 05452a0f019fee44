package dev.memsnap.store.postgres;

import java.time.Duration;
import java.util.Locale;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code memory.postgres:} section of {@code config.yaml}, bound by memsnap with
 * {@code config.bind("memory.postgres", PostgresStoreConfig.class)} when {@code memory.store} is {@code postgres}:
 * <pre>
 * memory:
 *   store: postgres
 *   postgres:
 *     url: jdbc:postgresql://db.internal:5432/memsnap   # required; no password in it
 *     user: memsnap                                     # default: the user the URL or the driver gives
 *     password_env: MEMSNAP_PG_PASSWORD                 # absent: no password (trust, peer, or ~/.pgpass)
 *     pool_size: 4                                      # connections per instance, 1 to 100
 *     schema: public                                    # where memsnap's tables live; created if missing
 *     connection_timeout: 10s                           # how long an operation waits for a connection
 *     migrate: true                                     # bring the schema to this version on start
 * </pre>
 * Each YAML key is a component ({@code snake_case} there, {@code camelCase} here); an unknown key is refused naming
 * the nearest known one. The compact constructor puts the defaults in for what the section leaves out and checks
 * every value; what it throws names the key, and memsnap reports it with the file and the section.
 *
 * <p>Holds places, never secrets: the password is read from the named environment variable when the store starts,
 * and a URL carrying a password is refused, so that no configuration object, message or log line ever shows one.
 *
 * @param url               a {@code jdbc:postgresql:} URL, required (see {@link #requireUrl()})
 * @param user              the database user, or {@code null} for the driver's default
 * @param passwordEnv       the environment variable holding the password, or {@code null} for none
 * @param poolSize          the most connections this instance opens, 1 to 100; default {@value #DEFAULT_POOL_SIZE}
 * @param schema            the schema of memsnap's tables: lower case letters, digits and {@code _}; default
 *                          {@value #DEFAULT_SCHEMA}
 * @param connectionTimeout how long an operation waits for a connection before failing, such as {@code 10s},
 *                          {@code 1m} or {@code 1500ms}; at least 1s; default {@value #DEFAULT_CONNECTION_TIMEOUT}.
 *                          {@link #timeout()} is the same as a {@link Duration}
 * @param migrate           whether starting applies pending schema migrations (the default); when {@code false}, a
 *                          schema that is not at this version stops the start instead
 */
public record PostgresStoreConfig(String url, String user, String passwordEnv, Integer poolSize, String schema,
                                  String connectionTimeout, Boolean migrate) {
    /** The value of {@code memory.store} that selects this store: the name of its {@code StoreFactory}. */
    public static final String STORE_NAME = "postgres";
    /** The section this record is bound from. */
    public static final String SECTION = "memory.postgres";
    /** The default {@code pool_size}: a snapshot operation is one short statement, so few connections serve well. */
    public static final int DEFAULT_POOL_SIZE = 4;
    /** The default {@code schema}. */
    public static final String DEFAULT_SCHEMA = "public";
    /** The default {@code connection_timeout}. */
    public static final String DEFAULT_CONNECTION_TIMEOUT = "10s";

    private static final String URL_PREFIX = "jdbc:postgresql:";
    private static final Pattern SCHEMA = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    private static final Pattern VARIABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern DURATION_PART = Pattern.compile("(\\d{1,9})\\s*(ms|s|m|h)");
    private static final Duration MIN_CONNECTION_TIMEOUT = Duration.ofSeconds(1);

    /**
     * Puts the defaults in and checks every value.
     *
     * @throws IllegalArgumentException naming the key, when a value is missing or wrong; never echoing a password
     */
    public PostgresStoreConfig {
        // An absent url is let through here and refused by requireUrl(): memsnap's binder reports a misspelt key
        // (urll: "did you mean url?") only when the record could be made, and that is the more useful message.
        String problem = url == null ? null : urlProblem(url);
        if (problem != null) {
            throw new IllegalArgumentException("url: " + problem);
        }
        if (user != null && user.isBlank()) {
            throw new IllegalArgumentException("user: cannot be blank; leave it out for the driver's default");
        }
        if (passwordEnv != null && !VARIABLE.matcher(passwordEnv).matches()) {
            throw new IllegalArgumentException("password_env: expected the name of an environment variable, got \""
                    + passwordEnv + "\"");
        }
        poolSize = poolSize == null ? DEFAULT_POOL_SIZE : poolSize;
        if (poolSize < 1 || poolSize > 100) {
            throw new IllegalArgumentException("pool_size: expected a whole number from 1 to 100, got " + poolSize);
        }
        schema = schema == null ? DEFAULT_SCHEMA : schema;
        if (!SCHEMA.matcher(schema).matches() || schema.startsWith("pg_")) {
            throw new IllegalArgumentException("schema: expected 1 to 63 lower case letters, digits or _, not "
                    + "starting with a digit or pg_, got \"" + schema + "\"");
        }
        connectionTimeout = connectionTimeout == null ? DEFAULT_CONNECTION_TIMEOUT : connectionTimeout.strip();
        Duration timeout = parseDuration(connectionTimeout);
        if (timeout == null) {
            throw new IllegalArgumentException("connection_timeout: expected a duration such as 10s, 1m or 1500ms, "
                    + "got \"" + connectionTimeout + "\"");
        }
        if (timeout.compareTo(MIN_CONNECTION_TIMEOUT) < 0) {
            throw new IllegalArgumentException("connection_timeout: must be at least 1s, got " + connectionTimeout);
        }
        migrate = migrate == null || migrate;
    }

    /**
     * The defaults for everything but the connection.
     *
     * @param url         a {@code jdbc:postgresql:} URL without a password
     * @param user        the database user, or {@code null}
     * @param passwordEnv the environment variable holding the password, or {@code null}
     * @return the configuration
     */
    public static PostgresStoreConfig of(String url, String user, String passwordEnv) {
        return new PostgresStoreConfig(url, user, passwordEnv, null, null, null, null).requireUrl();
    }

    /**
     * @return this configuration, which has a {@code url}
     * @throws IllegalArgumentException when it has none, naming the key
     */
    public PostgresStoreConfig requireUrl() {
        if (url == null) {
            throw new IllegalArgumentException("url: required: a JDBC URL such as "
                    + "jdbc:postgresql://localhost:5432/memsnap");
        }
        return this;
    }

    /** @return {@link #connectionTimeout()} as a duration */
    public Duration timeout() {
        return parseDuration(connectionTimeout);
    }

    /**
     * @param newSchema another schema
     * @return this configuration with that schema
     */
    public PostgresStoreConfig withSchema(String newSchema) {
        return new PostgresStoreConfig(url, user, passwordEnv, poolSize, newSchema, connectionTimeout, migrate);
    }

    /**
     * @param size    the most connections
     * @param timeout how long an operation waits for one
     * @return this configuration with that pool
     */
    public PostgresStoreConfig withPool(int size, Duration timeout) {
        return new PostgresStoreConfig(url, user, passwordEnv, size, schema, timeout.toMillis() + "ms", migrate);
    }

    /**
     * @param apply whether starting applies pending migrations
     * @return this configuration with that choice
     */
    public PostgresStoreConfig withMigrate(boolean apply) {
        return new PostgresStoreConfig(url, user, passwordEnv, poolSize, schema, connectionTimeout, apply);
    }

    /** @return the duration {@code text} says ({@code 10s}, {@code 1m30s}, {@code 1500ms}), or {@code null} */
    private static Duration parseDuration(String text) {
        String compact = text.toLowerCase(Locale.ROOT);
        Matcher m = DURATION_PART.matcher(compact);
        Duration total = Duration.ZERO;
        int end = 0;
        while (m.find() && m.start() == end) {
            long n = Long.parseLong(m.group(1));
            total = total.plus(switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofHours(n);
            });
            end = m.end();
        }
        return end == 0 || end != compact.length() ? null : total;
    }

    /** @return why the URL is not usable, or {@code null} when it is; never the URL itself, which may hold a secret */
    private static String urlProblem(String url) {
        if (!url.startsWith(URL_PREFIX)) {
            return "expected a PostgreSQL JDBC URL starting with " + URL_PREFIX;
        }
        Properties parsed = org.postgresql.Driver.parseURL(url, null);
        if (parsed == null) {
            return "not a valid PostgreSQL JDBC URL";
        }
        for (String key : parsed.stringPropertyNames()) {
            String lower = key.toLowerCase(Locale.ROOT);
            if (lower.equals("password") || lower.equals("sslpassword")) {
                return "must not hold a password (it would be logged and shown); put it in the environment "
                        + "variable named by password_env";
            }
        }
        return null;
    }
}
