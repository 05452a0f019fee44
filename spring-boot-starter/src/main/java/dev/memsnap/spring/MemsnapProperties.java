package dev.memsnap.spring;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * memsnap's settings as Spring properties under {@code memsnap.*}: the {@code memory:} section of memsnap's
 * {@code config.yaml}, key for key ({@code memsnap.snapshot-interval} is {@code memory.snapshot_interval}), and its
 * {@code websocket:} and {@code dashboard:} sections under {@code memsnap.websocket.*} and {@code memsnap.dashboard.*},
 * with one meaning each; besides them, the starter's own {@code chat-memory.*} and {@code vector-store.*}. They are turned into that same configuration and checked by memsnap's own validator when the
 * context starts, so that a wrong value fails the start with an error naming the Spring property. Durations and
 * sizes are memsnap's ({@code keep-within: 6m} is six months, {@code max-total-size: 1MB} is 10^6 bytes), not
 * Spring's. Leave a property unset for memsnap's default. Alternatively {@link #getConfigFile() memsnap.config-file}
 * names a {@code config.yaml}; then no other setting of that file may be given here.
 */
@ConfigurationProperties(prefix = MemsnapProperties.PREFIX)
public class MemsnapProperties {
    /** The prefix of every memsnap property. */
    public static final String PREFIX = "memsnap";

    /**
     * A memsnap config.yaml to read instead of these properties (its memory:, plugins: and plugin sections); then no
     * other memsnap.* setting of config.yaml may be set.
     */
    private Path configFile;

    /**
     * Directory of the file stores, created on first save; relative to the working directory unless absolute.
     * Default data/memory/snapshots.
     */
    private String snapshotDir;

    /** Whether automatic snapshots are on from the start, every snapshot-interval turns. Default false. */
    private Boolean autoSnapshot;

    /** Turns (chat messages) between automatic snapshots, at least 1. Default 10. */
    private Integer snapshotInterval;

    /**
     * Which store keeps snapshots: file (one JSON file per snapshot), incremental (memories stored once by content),
     * or a plugin's, such as postgres with memsnap-store-postgres on the class path. Default file.
     */
    private String store;

    /** Where a memory id's live memory starts on its first use: none, or latest (its newest snapshot). Default none. */
    private String resume;

    /**
     * Memories kept in the heap; beyond it the least recently used is saved (when changed) and dropped, and resumes
     * on its next use. Default 1000.
     */
    private Integer maxLiveMemories;

    /** How stored snapshots are compressed: none, gzip or zstd; reading detects it. Default none. */
    private String compression;

    /** The gzip level, 1 (fastest) to 9 (smallest). Default 6. */
    private Integer compressionLevel;

    /** Encryption at rest (AES-256-GCM); absent: snapshots are not encrypted. */
    private Encryption encryption = new Encryption();

    /** What prune (and, with after-auto-snapshot, every automatic save) keeps; absent: everything. */
    private Retention retention = new Retention();

    /** The postgres store's settings (store: postgres, with memsnap-store-postgres on the class path). */
    private Postgres postgres = new Postgres();

    /** How Spring AI chat memory is recorded. */
    private ChatMemory chatMemory = new ChatMemory();

    /** How Spring AI vector stores' documents become memsnap long-term memories. */
    private VectorStore vectorStore = new VectorStore();

    /** The WebSocket event stream (config.yaml's websocket: section), with memsnap-websocket on the class path. */
    private WebSocket websocket = new WebSocket();

    /** The snapshot dashboard (config.yaml's dashboard: section), with memsnap-dashboard on the class path. */
    private Dashboard dashboard = new Dashboard();

    /** Where an encryption key comes from: exactly one of key-file, key-env, passphrase-env. */
    public static class KeySource {
        /** A file holding the 256-bit key: 32 raw bytes, or their base64 or hex text. */
        private String keyFile;

        /** The environment variable holding the key, as base64 or hex. */
        private String keyEnv;

        /** The environment variable holding a passphrase, stretched into the key with PBKDF2. */
        private String passphraseEnv;

        public String getKeyFile() {
            return keyFile;
        }

        public void setKeyFile(String keyFile) {
            this.keyFile = keyFile;
        }

        public String getKeyEnv() {
            return keyEnv;
        }

        public void setKeyEnv(String keyEnv) {
            this.keyEnv = keyEnv;
        }

        public String getPassphraseEnv() {
            return passphraseEnv;
        }

        public void setPassphraseEnv(String passphraseEnv) {
            this.passphraseEnv = passphraseEnv;
        }
    }

    /** Encryption at rest: the current key and the keys of snapshots written before a rotation. */
    public static class Encryption extends KeySource {
        /** Keys that still decrypt snapshots written before a rotation, each with one of its three sources. */
        private List<KeySource> previous = new ArrayList<>();

        public List<KeySource> getPrevious() {
            return previous;
        }

        public void setPrevious(List<KeySource> previous) {
            this.previous = previous;
        }
    }

    /** Retention rules, as restic's forget: a snapshot is kept when any rule or its pin keeps it. */
    public static class Retention {
        /** Keep the newest N snapshots. */
        private Integer keepLast;

        /**
         * Keep every snapshot within this span back from the newest, in restic's units y, m (months), w, d, h
         * (or min, s), such as 7d or 1y2m.
         */
        private String keepWithin;

        /** Keep the newest snapshot of each of the last N hours that have one. */
        private Integer keepHourly;

        /** Keep the newest snapshot of each of the last N days that have one. */
        private Integer keepDaily;

        /** Keep the newest snapshot of each of the last N ISO weeks that have one. */
        private Integer keepWeekly;

        /** Keep the newest snapshot of each of the last N months that have one. */
        private Integer keepMonthly;

        /**
         * After the rules, prune the oldest kept snapshots (never a pinned one, never the newest) until the stored
         * total is at most this, such as 500MB or 2GiB (KB = 1000 bytes, KiB = 1024).
         */
        private String maxTotalSize;

        /** Whether to prune after every automatic save. Default false. */
        private Boolean afterAutoSnapshot;

        public Integer getKeepLast() {
            return keepLast;
        }

        public void setKeepLast(Integer keepLast) {
            this.keepLast = keepLast;
        }

        public String getKeepWithin() {
            return keepWithin;
        }

        public void setKeepWithin(String keepWithin) {
            this.keepWithin = keepWithin;
        }

        public Integer getKeepHourly() {
            return keepHourly;
        }

        public void setKeepHourly(Integer keepHourly) {
            this.keepHourly = keepHourly;
        }

        public Integer getKeepDaily() {
            return keepDaily;
        }

        public void setKeepDaily(Integer keepDaily) {
            this.keepDaily = keepDaily;
        }

        public Integer getKeepWeekly() {
            return keepWeekly;
        }

        public void setKeepWeekly(Integer keepWeekly) {
            this.keepWeekly = keepWeekly;
        }

        public Integer getKeepMonthly() {
            return keepMonthly;
        }

        public void setKeepMonthly(Integer keepMonthly) {
            this.keepMonthly = keepMonthly;
        }

        public String getMaxTotalSize() {
            return maxTotalSize;
        }

        public void setMaxTotalSize(String maxTotalSize) {
            this.maxTotalSize = maxTotalSize;
        }

        public Boolean getAfterAutoSnapshot() {
            return afterAutoSnapshot;
        }

        public void setAfterAutoSnapshot(Boolean afterAutoSnapshot) {
            this.afterAutoSnapshot = afterAutoSnapshot;
        }
    }

    /** The postgres store's connection, read by memsnap-store-postgres (see its README). */
    public static class Postgres {
        /** The JDBC URL, such as jdbc:postgresql://db:5432/memsnap; required for store: postgres; no password in it. */
        private String url;

        /** The role to log in as. Default: the one the URL or the driver gives. */
        private String user;

        /** The environment variable holding the password; absent: none (trust, peer, ~/.pgpass). */
        private String passwordEnv;

        /** Connections per instance, 1 to 100. Default 4. */
        private Integer poolSize;

        /** Where memsnap's tables live; created when missing. Default public. */
        private String schema;

        /** How long an operation waits for a connection before failing (ms, s, m, h; at least 1s). Default 10s. */
        private String connectionTimeout;

        /** Whether to bring the schema up to date on start; false: refuse to start when it is behind. Default true. */
        private Boolean migrate;

        public String getUrl() {
            return url;
        }

        public void setUrl(String url) {
            this.url = url;
        }

        public String getUser() {
            return user;
        }

        public void setUser(String user) {
            this.user = user;
        }

        public String getPasswordEnv() {
            return passwordEnv;
        }

        public void setPasswordEnv(String passwordEnv) {
            this.passwordEnv = passwordEnv;
        }

        public Integer getPoolSize() {
            return poolSize;
        }

        public void setPoolSize(Integer poolSize) {
            this.poolSize = poolSize;
        }

        public String getSchema() {
            return schema;
        }

        public void setSchema(String schema) {
            this.schema = schema;
        }

        public String getConnectionTimeout() {
            return connectionTimeout;
        }

        public void setConnectionTimeout(String connectionTimeout) {
            this.connectionTimeout = connectionTimeout;
        }

        public Boolean getMigrate() {
            return migrate;
        }

        public void setMigrate(Boolean migrate) {
            this.migrate = migrate;
        }
    }

    /** How Spring AI chat memory becomes memsnap memory. */
    public static class ChatMemory {
        /**
         * Whether every ChatMemoryRepository bean is wrapped so that each conversation id is a memsnap memory id.
         * Default true.
         */
        private boolean enabled = true;

        /**
         * At most this many non-system messages are written back to the ChatMemoryRepository after an apply or
         * undo (the newest, starting at a user message, as MessageWindowChatMemory trims); set it to the chat
         * memory's max messages. Default: the whole restored conversation, which MessageWindowChatMemory trims on
         * its next add.
         */
        private Integer restoreMaxMessages;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public Integer getRestoreMaxMessages() {
            return restoreMaxMessages;
        }

        public void setRestoreMaxMessages(Integer restoreMaxMessages) {
            this.restoreMaxMessages = restoreMaxMessages;
        }
    }

    /** How Spring AI vector stores' documents become memsnap long-term memories. */
    public static class VectorStore {
        /** Whether every VectorStore bean is wrapped so that its documents are memsnap memories. Default true. */
        private boolean enabled = true;

        /**
         * The document metadata key whose value is the memsnap memory id a document belongs to; a document without
         * it is passed through unrecorded. VectorStoreChatMemoryAdvisor writes conversationId. Default
         * conversationId.
         */
        private String memoryIdKey = "conversationId";

        /** One memsnap memory id that every document of the store belongs to, instead of memory-id-key. */
        private String memoryId;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public String getMemoryIdKey() {
            return memoryIdKey;
        }

        public void setMemoryIdKey(String memoryIdKey) {
            this.memoryIdKey = memoryIdKey;
        }

        public String getMemoryId() {
            return memoryId;
        }

        public void setMemoryId(String memoryId) {
            this.memoryId = memoryId;
        }
    }

    /** config.yaml's websocket: section, read by memsnap-websocket (see its README). */
    public static class WebSocket {
        /** Whether to stream snapshot events to dashboards. Default false. */
        private Boolean enabled;

        /** The interface to listen on. Default 127.0.0.1 (loopback). */
        private String host;

        /** The port, 0 to 65535; 0 picks a free one. Default 8765. */
        private Integer port;

        /** The one path served, starting with /. Default /memsnap. */
        private String path;

        /**
         * A token clients must present (?token= or Sec-WebSocket-Protocol): at least 16 characters of letters,
         * digits and !#$%&'*+-.^_`|~. Default none.
         */
        private String token;

        /** Browser origins allowed to connect, such as http://localhost:3000. Default none. */
        private List<String> allowedOrigins;

        /** Recent events replayed to a client when it connects, 0 to 10000. Default 50. */
        private Integer historySize;

        /** Events queued per client before further ones are dropped for it, 1 to 100000. Default 256. */
        private Integer clientBuffer;

        public Boolean getEnabled() {
            return enabled;
        }

        public void setEnabled(Boolean enabled) {
            this.enabled = enabled;
        }

        public String getHost() {
            return host;
        }

        public void setHost(String host) {
            this.host = host;
        }

        public Integer getPort() {
            return port;
        }

        public void setPort(Integer port) {
            this.port = port;
        }

        public String getPath() {
            return path;
        }

        public void setPath(String path) {
            this.path = path;
        }

        public String getToken() {
            return token;
        }

        public void setToken(String token) {
            this.token = token;
        }

        public List<String> getAllowedOrigins() {
            return allowedOrigins;
        }

        public void setAllowedOrigins(List<String> allowedOrigins) {
            this.allowedOrigins = allowedOrigins;
        }

        public Integer getHistorySize() {
            return historySize;
        }

        public void setHistorySize(Integer historySize) {
            this.historySize = historySize;
        }

        public Integer getClientBuffer() {
            return clientBuffer;
        }

        public void setClientBuffer(Integer clientBuffer) {
            this.clientBuffer = clientBuffer;
        }
    }

    /** config.yaml's dashboard: section, read by memsnap-dashboard (see its README). */
    public static class Dashboard {
        /** Whether to serve the snapshot dashboard. Default false. */
        private Boolean enabled;

        /** The interface to listen on. Default 127.0.0.1 (loopback). */
        private String host;

        /** The port, 0 to 65535; 0 picks a free one. Default 8770. */
        private Integer port;

        /** The token of the page and its API, the same rules as websocket.token. Default memsnap.websocket.token. */
        private String token;

        public Boolean getEnabled() {
            return enabled;
        }

        public void setEnabled(Boolean enabled) {
            this.enabled = enabled;
        }

        public String getHost() {
            return host;
        }

        public void setHost(String host) {
            this.host = host;
        }

        public Integer getPort() {
            return port;
        }

        public void setPort(Integer port) {
            this.port = port;
        }

        public String getToken() {
            return token;
        }

        public void setToken(String token) {
            this.token = token;
        }
    }

    public Path getConfigFile() {
        return configFile;
    }

    public void setConfigFile(Path configFile) {
        this.configFile = configFile;
    }

    public String getSnapshotDir() {
        return snapshotDir;
    }

    public void setSnapshotDir(String snapshotDir) {
        this.snapshotDir = snapshotDir;
    }

    public Boolean getAutoSnapshot() {
        return autoSnapshot;
    }

    public void setAutoSnapshot(Boolean autoSnapshot) {
        this.autoSnapshot = autoSnapshot;
    }

    public Integer getSnapshotInterval() {
        return snapshotInterval;
    }

    public void setSnapshotInterval(Integer snapshotInterval) {
        this.snapshotInterval = snapshotInterval;
    }

    public String getStore() {
        return store;
    }

    public void setStore(String store) {
        this.store = store;
    }

    public String getResume() {
        return resume;
    }

    public void setResume(String resume) {
        this.resume = resume;
    }

    public Integer getMaxLiveMemories() {
        return maxLiveMemories;
    }

    public void setMaxLiveMemories(Integer maxLiveMemories) {
        this.maxLiveMemories = maxLiveMemories;
    }

    public String getCompression() {
        return compression;
    }

    public void setCompression(String compression) {
        this.compression = compression;
    }

    public Integer getCompressionLevel() {
        return compressionLevel;
    }

    public void setCompressionLevel(Integer compressionLevel) {
        this.compressionLevel = compressionLevel;
    }

    public Encryption getEncryption() {
        return encryption;
    }

    public void setEncryption(Encryption encryption) {
        this.encryption = encryption;
    }

    public Retention getRetention() {
        return retention;
    }

    public void setRetention(Retention retention) {
        this.retention = retention;
    }

    public Postgres getPostgres() {
        return postgres;
    }

    public void setPostgres(Postgres postgres) {
        this.postgres = postgres;
    }

    public ChatMemory getChatMemory() {
        return chatMemory;
    }

    public void setChatMemory(ChatMemory chatMemory) {
        this.chatMemory = chatMemory;
    }

    public VectorStore getVectorStore() {
        return vectorStore;
    }

    public void setVectorStore(VectorStore vectorStore) {
        this.vectorStore = vectorStore;
    }

    public WebSocket getWebsocket() {
        return websocket;
    }

    public void setWebsocket(WebSocket websocket) {
        this.websocket = websocket;
    }

    public Dashboard getDashboard() {
        return dashboard;
    }

    public void setDashboard(Dashboard dashboard) {
        this.dashboard = dashboard;
    }
}
