package dev.memsnap.benchmarks;

import dev.memsnap.api.Memory;
import dev.memsnap.api.MemorySnapshot;
import dev.memsnap.api.Turn;
import dev.memsnap.core.format.Snapshots;

import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Deterministic, realistic memory state: the same seed always gives the same memories, turns and snapshots, in every
 * JVM, so that forks, the report and the smoke test all measure the same data.
 *
 * <ul>
 *   <li>Text is English-like: a Zipf-distributed vocabulary of the 150 most common English words followed by a few
 *       thousand words built from syllables, with sentence structure, punctuation, numbers, names and the odd
 *       non-ASCII word, so compression ratios are realistic (gzip ~3x, not the 20x of a tiny vocabulary).</li>
 *   <li>A memory has 200 to 500 bytes of content (UTF-8), a source type (fact, preference, observation, event,
 *       tool_result), 1 to 4 topics from a vocabulary of 300, importance from 0 to 1, an increasing timestamp and
 *       the metadata extras {@code confidence} and {@code origin} (and {@code session} on about a third).</li>
 *   <li>A turn alternates user and assistant; user turns have 20 to 400 bytes, assistant turns 80 to 1,600.</li>
 * </ul>
 * Memory {@code i} (0-based, id {@code memory_<i+1>}) depends only on the seed and {@code i}, so a state of any size
 * is a prefix of a larger one, and {@link #changedMemory} gives a modified version of any memory.
 */
public final class DataGenerator {
    /** The seed every benchmark uses. */
    public static final long DEFAULT_SEED = 20250426L;
    /** Turns in every benchmark state: "a few hundred". */
    public static final int DEFAULT_TURNS = 300;
    /** Bump when the generated data changes, so cached seed files are regenerated. */
    public static final int VERSION = 1;

    static final int MIN_CONTENT_BYTES = 200;
    static final int MAX_CONTENT_BYTES = 500;
    static final int TOPIC_VOCABULARY = 300;
    static final int GENERATED_WORDS = 4_000;

    private static final LocalDateTime FIRST_MEMORY = LocalDateTime.of(2024, 1, 1, 8, 0);
    private static final DateTimeFormatter ID_STAMP = DateTimeFormatter.ofPattern("yyyyMMdd_HHmmss");
    private static final String[] SOURCE_TYPES = {"fact", "preference", "observation", "event", "tool_result"};
    private static final double[] SOURCE_WEIGHTS = {0.35, 0.20, 0.20, 0.15, 0.10};
    private static final String[] ORIGINS = {"conversation", "conversation", "conversation", "tool:web_search",
            "tool:calendar", "tool:email", "summary", "import"};

    private static final String[] COMMON = ("the of and to a in is that it for you was with on as have be at not this "
            + "are but from or by one had they we all there what so about which when can were if will would up out "
            + "their has more do said her some like my time could very just into him them only see other than then "
            + "now its also back after use two how our work first well way even new want because any these give day "
            + "most us user prefers likes asked told remember mentioned usually wants needs planning meeting project "
            + "week morning evening friend team home office trip call email note during before next last every often "
            + "never always tomorrow yesterday today should must might great good small large important later soon "
            + "book read write coffee lunch dinner music").split(" ");
    private static final String[] REAL_TOPICS = ("travel work family health cooking music books movies fitness "
            + "finance investing career python java kotlin rust javascript databases cloud kubernetes security "
            + "gardening photography languages spanish french german japanese history science astronomy physics "
            + "chemistry biology medicine nutrition sleep running cycling hiking climbing skiing football tennis "
            + "chess games art painting design writing poetry philosophy psychology education parenting pets "
            + "housing shopping cars weather calendar email meetings deadlines").split(" ");
    private static final String[] ONSETS = {"", "", "b", "c", "d", "f", "g", "h", "j", "k", "l", "m", "n", "p", "r",
            "s", "t", "v", "w", "y", "z", "bl", "br", "ch", "cl", "cr", "dr", "fl", "fr", "gl", "gr", "pl", "pr",
            "sh", "sl", "sp", "st", "str", "th", "tr", "qu", "sc", "sn", "wh"};
    private static final String[] VOWELS = {"a", "e", "i", "o", "u", "a", "e", "i", "o", "ai", "ea", "ee", "ie",
            "oo", "ou", "y", "au", "oa"};
    private static final String[] CODAS = {"", "", "", "n", "r", "s", "t", "l", "m", "nd", "ng", "nt", "rd", "st",
            "ck", "ll", "ss", "x", "th", "rt", "mp", "sk", "ft"};
    private static final String[] ACCENTED = {"café", "naïve", "Zürich", "São Paulo", "résumé", "jalapeño",
            "Málaga", "Kraków", "crème brûlée", "Ålesund", "façade", "über", "piñata", "Øresund"};

    private final long seed;
    private final String[] words;
    private final double[] wordCdf;
    private final String[] names;
    private final String[] topics;
    private final double[] topicCdf;

    /** A generator with {@link #DEFAULT_SEED}. */
    public DataGenerator() {
        this(DEFAULT_SEED);
    }

    /** @param seed the seed of every random choice */
    public DataGenerator(long seed) {
        this.seed = seed;
        SplittableRandom random = new SplittableRandom(seed);
        Set<String> vocabulary = new LinkedHashSet<>(Arrays.asList(COMMON));
        while (vocabulary.size() < COMMON.length + GENERATED_WORDS) {
            vocabulary.add(syllableWord(random));
        }
        this.words = vocabulary.toArray(String[]::new);
        this.wordCdf = zipfCdf(words.length, 1.0);
        Set<String> nameSet = new LinkedHashSet<>();
        while (nameSet.size() < 400) {
            String w = syllableWord(random);
            nameSet.add(Character.toUpperCase(w.charAt(0)) + w.substring(1));
        }
        this.names = nameSet.toArray(String[]::new);
        Set<String> topicSet = new LinkedHashSet<>(Arrays.asList(REAL_TOPICS));
        while (topicSet.size() < TOPIC_VOCABULARY) {
            String w = syllableWord(random);
            topicSet.add(random.nextInt(3) == 0 ? w + "_" + syllableWord(random) : w);
        }
        this.topics = topicSet.toArray(String[]::new);
        this.topicCdf = zipfCdf(topics.length, 0.8);
    }

    /** @return the seed */
    public long seed() {
        return seed;
    }

    /** @return the vocabulary of topics, most frequent first */
    public List<String> topicVocabulary() {
        return List.of(topics);
    }

    /** @return how many distinct words the text is drawn from */
    public int vocabularySize() {
        return words.length;
    }

    // ------------------------------------------------------------------------------------------ memories

    /**
     * @param index 0-based; the memory's id is {@code memory_<index+1>}
     * @return memory {@code index}, the same for every call
     */
    public Memory memory(int index) {
        return memory(index, 0);
    }

    /**
     * @param index   0-based
     * @param version 1, 2, ...: a changed version (new content, importance, topics and confidence; same timestamp)
     * @return the changed memory
     */
    public Memory changedMemory(int index, int version) {
        if (version < 1) {
            throw new IllegalArgumentException("version must be at least 1, got " + version);
        }
        return memory(index, version);
    }

    private Memory memory(int index, int version) {
        SplittableRandom r = randomFor(index, version);
        String content = text(r, MIN_CONTENT_BYTES, MAX_CONTENT_BYTES);
        double importance = Math.round((r.nextDouble() + r.nextDouble()) * 50) / 100.0;
        String sourceType = SOURCE_TYPES[weighted(r, SOURCE_WEIGHTS)];
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put(Memory.SOURCE_TYPE, sourceType);
        metadata.put(Memory.TOPICS, topicsFor(r));
        metadata.put("confidence", Math.round((0.5 + r.nextDouble() / 2) * 100) / 100.0);
        metadata.put("origin", ORIGINS[r.nextInt(ORIGINS.length)]);
        if (r.nextInt(3) == 0) {
            metadata.put("session", String.format("session_%04d", index / 250));
        }
        return new Memory(content, timestampOf(index), importance, metadata);
    }

    /** Timestamps increase with the index: one memory about every minute, at microsecond precision. */
    static LocalDateTime timestampOf(int index) {
        long jitterMicros = Math.floorMod(mix(index * 0x9E3779B97F4A7C15L), 59_000_000L);
        return FIRST_MEMORY.plusSeconds(60L * index).plusNanos(jitterMicros * 1_000L);
    }

    /**
     * @param count how many
     * @return memories {@code memory_1} to {@code memory_<count>}, in order
     */
    public Map<String, Memory> memories(int count) {
        Map<String, Memory> memories = new LinkedHashMap<>(count * 4 / 3 + 16);
        for (int i = 0; i < count; i++) {
            memories.put(memoryId(i), memory(i));
        }
        return memories;
    }

    /** @return the id of memory {@code index} */
    public static String memoryId(int index) {
        return "memory_" + (index + 1);
    }

    private List<String> topicsFor(SplittableRandom r) {
        int n = 1 + weighted(r, new double[]{0.35, 0.35, 0.20, 0.10});
        Set<String> chosen = new LinkedHashSet<>();
        while (chosen.size() < n) {
            chosen.add(topics[sample(r, topicCdf)]);
        }
        return List.copyOf(chosen);
    }

    // ------------------------------------------------------------------------------------------ turns

    /**
     * @param count how many
     * @return a conversation, user first, alternating with the assistant
     */
    public List<Turn> turns(int count) {
        List<Turn> turns = new ArrayList<>(count);
        SplittableRandom r = new SplittableRandom(seed ^ 0x5DEECE66DL);
        for (int i = 0; i < count; i++) {
            boolean user = i % 2 == 0;
            // log-uniform lengths: mostly short, sometimes long
            int max = user ? 400 : 1_600;
            int min = user ? 20 : 80;
            int target = (int) Math.round(min * Math.pow((double) max / min, r.nextDouble()));
            turns.add(new Turn(user ? "user" : "assistant", text(r, Math.max(min, target / 2), target)));
        }
        return turns;
    }

    // ------------------------------------------------------------------------------------------ snapshots

    /**
     * @param memories how many memories
     * @param turns    how many turns
     * @return a snapshot of that state, with a fixed id and timestamp
     */
    public MemorySnapshot snapshot(int memories, int turns) {
        return snapshotOf(memories(memories), turns(turns), memories);
    }

    /**
     * @param base    a snapshot this generator made
     * @param changed how many memories differ: half are modified, a quarter removed and a quarter added (with
     *                {@code modifyOnly}, all are modified)
     * @param modifyOnly whether to only modify existing memories
     * @return a snapshot of the changed state, sharing the unchanged memory objects with {@code base}
     */
    public MemorySnapshot withChanges(MemorySnapshot base, int changed, boolean modifyOnly) {
        Map<String, Memory> memories = new LinkedHashMap<>(base.longTerm().memories());
        int size = memories.size();
        int modified = modifyOnly ? changed : changed - 2 * (changed / 4);
        int removed = modifyOnly ? 0 : changed / 4;
        int added = modifyOnly ? 0 : changed / 4;
        if (modified + removed > size) {
            throw new IllegalArgumentException("cannot change " + changed + " of " + size + " memories");
        }
        // spread the changes over the whole state, not one block
        int step = Math.max(1, size / Math.max(1, modified + removed));
        int index = step / 2;
        for (int i = 0; i < modified; i++, index += step) {
            memories.put(memoryId(index), changedMemory(index, 1));
        }
        for (int i = 0; i < removed; i++, index += step) {
            memories.remove(memoryId(index));
        }
        for (int i = 0; i < added; i++) {
            memories.put(memoryId(size + i), memory(size + i));
        }
        return snapshotOf(memories, base.shortTerm().turns(), size + changed * 7919);
    }

    private MemorySnapshot snapshotOf(Map<String, Memory> memories, List<Turn> turns, long salt) {
        LocalDateTime newest = memories.isEmpty() ? FIRST_MEMORY : timestampOf(memories.size() + 1);
        LocalDateTime sessionStart = newest.minusHours(2).withNano(0);
        LocalDateTime taken = newest.plusMinutes(5).withNano(123_456_000);
        return Snapshots.of(snapshotId(taken, seed ^ salt), taken, turns, sessionStart, memories, "web_search");
    }

    /**
     * @param timestamp when the snapshot is taken
     * @param salt      anything; the same salt gives the same id
     * @return a well-formed snapshot id
     */
    public static String snapshotId(LocalDateTime timestamp, long salt) {
        return "snapshot_" + ID_STAMP.format(timestamp) + "_" + String.format("%08x", (int) mix(salt));
    }

    // ------------------------------------------------------------------------------------------ text

    /**
     * @param r        the randomness
     * @param minBytes at least this many UTF-8 bytes
     * @param maxBytes at most this many (text is cut at a word)
     * @return English-like sentences
     */
    public String text(SplittableRandom r, int minBytes, int maxBytes) {
        int target = minBytes + (maxBytes > minBytes ? r.nextInt(maxBytes - minBytes + 1) : 0);
        StringBuilder text = new StringBuilder(target + 16);
        int bytes = 0;
        int wordsLeft = 0;
        while (true) {
            boolean sentenceStart = wordsLeft == 0;
            if (sentenceStart) {
                wordsLeft = 5 + r.nextInt(16);
            }
            String word = word(r);
            if (sentenceStart) {
                word = Character.toUpperCase(word.charAt(0)) + word.substring(1);
            }
            String separator = text.length() == 0 ? "" : !sentenceStart && r.nextInt(9) == 0 ? ", " : " ";
            wordsLeft--;
            String end = wordsLeft == 0 ? endMark(r) : "";
            String piece = separator + word + end;
            int pieceBytes = utf8Length(piece);
            if (bytes + pieceBytes + 1 > maxBytes) { // + 1: room for a closing full stop
                if (bytes >= minBytes) {
                    break;
                }
                piece = text.length() == 0 ? "Ok" : " ok";
                pieceBytes = piece.length();
                if (bytes + pieceBytes + 1 > maxBytes) {
                    break;
                }
                wordsLeft = Math.max(1, wordsLeft);
            }
            text.append(piece);
            bytes += pieceBytes;
            if (wordsLeft == 0 && bytes >= target) {
                break;
            }
        }
        char last = text.length() == 0 ? ' ' : text.charAt(text.length() - 1);
        if (last != '.' && last != '?' && last != '!') {
            text.append('.');
        }
        return text.toString();
    }

    private String word(SplittableRandom r) {
        int kind = r.nextInt(100);
        if (kind < 4) {
            return names[sample(r, wordCdf) % names.length];
        } else if (kind < 7) {
            return number(r);
        } else if (kind < 8) {
            return ACCENTED[r.nextInt(ACCENTED.length)];
        }
        return words[sample(r, wordCdf)];
    }

    private static String endMark(SplittableRandom r) {
        int end = r.nextInt(10);
        return end == 0 ? "?" : end == 1 ? "!" : ".";
    }

    private static String number(SplittableRandom r) {
        return switch (r.nextInt(5)) {
            case 0 -> Integer.toString(r.nextInt(100));
            case 1 -> Integer.toString(1990 + r.nextInt(40));
            case 2 -> String.format("%d:%02d", 6 + r.nextInt(17), r.nextInt(4) * 15);
            case 3 -> r.nextInt(10_000) + "€";
            default -> String.format("%.1f%%", r.nextDouble() * 100);
        };
    }

    private static String syllableWord(SplittableRandom r) {
        int syllables = 1 + weighted(r, new double[]{0.30, 0.45, 0.20, 0.05});
        StringBuilder w = new StringBuilder();
        for (int i = 0; i < syllables; i++) {
            w.append(ONSETS[r.nextInt(ONSETS.length)]).append(VOWELS[r.nextInt(VOWELS.length)]);
            if (i == syllables - 1 || r.nextInt(3) == 0) {
                w.append(CODAS[r.nextInt(CODAS.length)]);
            }
        }
        return w.toString();
    }

    // ------------------------------------------------------------------------------------------ helpers

    private SplittableRandom randomFor(int index, int version) {
        return new SplittableRandom(mix(seed + 0x632BE59BD9B4E019L * (index + 1) + 0x85157AF5L * version));
    }

    private static double[] zipfCdf(int n, double exponent) {
        double[] cdf = new double[n];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += 1 / Math.pow(i + 1, exponent);
            cdf[i] = sum;
        }
        for (int i = 0; i < n; i++) {
            cdf[i] /= sum;
        }
        return cdf;
    }

    private static int sample(SplittableRandom r, double[] cdf) {
        int i = Arrays.binarySearch(cdf, r.nextDouble());
        return Math.min(cdf.length - 1, i >= 0 ? i : -i - 1);
    }

    private static int weighted(SplittableRandom r, double[] weights) {
        double x = r.nextDouble();
        for (int i = 0; i < weights.length; i++) {
            x -= weights[i];
            if (x < 0) {
                return i;
            }
        }
        return weights.length - 1;
    }

    static long mix(long z) {
        z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
        z = (z ^ (z >>> 33)) * 0xc4ceb93fe1a85ec5L;
        return z ^ (z >>> 33);
    }

    static int utf8Length(String s) {
        int bytes = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                bytes++;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c)) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

    /** @return the text's UTF-8 length, for tests */
    static int bytesOf(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    /** @return an unmodifiable view, for tests */
    static List<String> sourceTypes() {
        return Collections.unmodifiableList(Arrays.asList(SOURCE_TYPES));
    }
}
