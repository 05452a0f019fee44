package dev.memsnap.store.postgres;

import dev.memsnap.core.ConfigException;
import dev.memsnap.core.ConfigFile;
import dev.memsnap.core.ConfigSection;
import dev.memsnap.core.MemoryConfig;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * The {@code memory.postgres:} section of {@code config.yaml}, read when {@code memory.store} is {@code postgres}:
 * <pre>
 * memory:
 *   store: postgres
 *   postgres:
 *     url: jdbc:postgresql://db.internal:5432/memsnap   # required; no password in it
 *     user: memsnap                                     # default: the user the URL or the driver gives
 *     password_env: MEMSNAP_PG_PASSWORD                 # absent: no password (trust, peer, or ~/.pgpass)
 *     pool_size: 4                                      # connections per instance, 1 to 100
 *     schema: public                                    # where memsnap's two tables live; created if missing
 *     connection_timeout: 10s                           # how long an operation waits for a connection
 *     migrate: true                                     # bring the schema to this version on start
 * </pre>
 * Holds places, never secrets: the password is read from the named environment variable when the store starts, and
 * a URL carrying a password is refused, so that no configuration object or log line ever shows one.
 *
 * @param url               a {@code jdbc:postgresql:} URL
 * @param user              the database user, or {@code null} for the driver's default
 * @param passwordEnv       the environment variable holding the password, or {@code null} for none
 * @param poolSize          the most connections this instance opens
 * @param schema            the schema of memsnap's tables: lower case letters, digits and {@code _}
 * @param connectionTimeout how long an operation waits for a connection before failing
 * @param migrate           whether starting applies pending schema migrations; when {@code false}, a schema that is
 *                          not at this version stops the start instead
 */
public record PostgresStoreConfig(String url, String user, String passwordEnv, int poolSize, String schema,
                                  Duration connectionTimeout, boolean migrate) {
    /** The value of {@code memory.store} that selects this store. */
    public static final String STORE_NAME = "postgres";
    /** The default {@code pool_size}: a snapshot operation is one short statement, so few connections serve well. */
    public static final int DEFAULT_POOL_SIZE = 4;
    /** The default {@code schema}. */
    public static final String DEFAULT_SCHEMA = "public";
    /** The default {@code connection_timeout}. */
    public static final Duration DEFAULT_CONNECTION_TIMEOUT = Duration.ofSeconds(10);

    private static final String URL_PREFIX = "jdbc:postgresql:";
    private static final Pattern SCHEMA = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    private static final Pattern VARIABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    /** HikariCP's own floor. */
    private static final Duration MIN_CONNECTION_TIMEOUT = Duration.ofMillis(250);

    public PostgresStoreConfig {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(schema, "schema");
        Objects.requireNonNull(connectionTimeout, "connectionTimeout");
        String problem = urlProblem(url);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        if (user != null && user.isBlank()) {
            throw new IllegalArgumentException("user cannot be blank");
        }
        if (passwordEnv != null && !VARIABLE.matcher(passwordEnv).matches()) {
            throw new IllegalArgumentException("password_env must name an environment variable, got \""
                    + passwordEnv + "\"");
        }
        if (poolSize < 1 || poolSize > 100) {
            throw new IllegalArgumentException("pool_size must be 1 to 100, got " + poolSize);
        }
        if (!SCHEMA.matcher(schema).matches() || schema.startsWith("pg_")) {
            throw new IllegalArgumentException("schema must be 1 to 63 lower case letters, digits or _, not "
                    + "starting with a digit or pg_, got \"" + schema + "\"");
        }
        if (connectionTimeout.compareTo(MIN_CONNECTION_TIMEOUT) < 0) {
            throw new IllegalArgumentException("connection_timeout must be at least 250ms, got " + connectionTimeout);
        }
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
        return new PostgresStoreConfig(url, user, passwordEnv, DEFAULT_POOL_SIZE, DEFAULT_SCHEMA,
                DEFAULT_CONNECTION_TIMEOUT, true);
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
        return new PostgresStoreConfig(url, user, passwordEnv, size, schema, timeout, migrate);
    }

    /**
     * @param apply whether starting applies pending migrations
     * @return this configuration with that choice
     */
    public PostgresStoreConfig withMigrate(boolean apply) {
        return new PostgresStoreConfig(url, user, passwordEnv, poolSize, schema, connectionTimeout, apply);
    }

    /**
     * @param config a host's {@code config.yaml}
     * @return its {@code memory.postgres:} section
     * @throws ConfigException when the section is missing or a value is wrong; the message names the key
     */
    public static PostgresStoreConfig from(ConfigFile config) {
        return from(config.section("memory"));
    }

    /**
     * @param memory the {@code memory:} section
     * @return its {@code postgres:} subsection
     * @throws ConfigException when the subsection is missing or a value is wrong; the message names the key
     */
    public static PostgresStoreConfig from(ConfigSection memory) {
        ConfigSection pg = memory.child(STORE_NAME).orElseThrow(() -> memory.error(STORE_NAME,
                "memory.store is postgres, so this section is required, with at least url"));
        String url = pg.string("url", null);
        if (url == null) {
            throw pg.error("url", "required: a JDBC URL such as jdbc:postgresql://localhost:5432/memsnap");
        }
        String problem = urlProblem(url);
        if (problem != null) {
            throw pg.error("url", problem);
        }
        String passwordEnv = pg.string("password_env", null);
        if (passwordEnv != null && !VARIABLE.matcher(passwordEnv).matches()) {
            throw pg.error("password_env", "expected the name of an environment variable, got \"" + passwordEnv
                    + "\"");
        }
        String schema = pg.string("schema", DEFAULT_SCHEMA);
        if (!SCHEMA.matcher(schema).matches() || schema.startsWith("pg_")) {
            throw pg.error("schema", "expected 1 to 63 lower case letters, digits or _, not starting with a digit "
                    + "or pg_, got \"" + schema + "\"");
        }
        Duration timeout = DEFAULT_CONNECTION_TIMEOUT;
        if (pg.has("connection_timeout")) {
            try {
                timeout = MemoryConfig.parseDuration(pg.rawText("connection_timeout"));
            } catch (IllegalArgumentException e) {
                throw pg.error("connection_timeout", e.getMessage());
            }
            if (timeout.compareTo(Duration.ofSeconds(1)) < 0) {
                throw pg.error("connection_timeout", "must be at least 1s");
            }
        }
        return new PostgresStoreConfig(url, pg.string("user", null), passwordEnv,
                pg.integer("pool_size", DEFAULT_POOL_SIZE, 1, 100), schema, timeout, pg.bool("migrate", true));
    }

    /** @return why the URL is not usable, or {@code null} when it is */
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
