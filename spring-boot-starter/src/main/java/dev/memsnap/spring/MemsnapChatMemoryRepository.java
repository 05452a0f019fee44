package dev.memsnap.spring;

import dev.memsnap.api.EnhancedMemoryManager;
import dev.memsnap.api.MemoryManagers;
import dev.memsnap.api.Turn;
import dev.memsnap.api.event.SnapshotEvent;
import dev.memsnap.api.event.SnapshotEventSource;
import dev.memsnap.api.memory.ShortTermMemory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.ai.chat.memory.ChatMemoryRepository;
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.messages.MessageType;
import org.springframework.ai.chat.messages.SystemMessage;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link ChatMemoryRepository} that gives a Spring AI conversation memsnap's snapshots, history, diff and rollback:
 * it wraps the application's repository (Spring's are {@code final}, so this is a decorator, which the starter puts
 * around every {@code ChatMemoryRepository} bean) and keeps, for each conversation id, the memsnap memory of the same
 * id up to date.
 *
 * <ul>
 *   <li><b>A decorator.</b> Every method calls the delegate and returns what it returns, throws what it throws, on
 *       the caller's thread. What memsnap does besides never fails Spring AI's call: its failures are logged and
 *       counted ({@link #failures()}).</li>
 *   <li><b>Full history.</b> {@code MessageWindowChatMemory.add} reads the conversation ({@link #findByConversationId})
 *       and saves it back with the new messages, trimmed to its window ({@link #saveAll}). The messages of the saved
 *       window that are not among those the delegate just returned are the new ones, and only they are appended to
 *       the memsnap memory, one turn per message: so memsnap keeps the whole conversation beyond the window, and
 *       automatic snapshots count its turns. Telling old from new by the objects the delegate returned, not by their
 *       content, is what makes it work over a repository that loses part of a message: the JDBC repository (2.0.1)
 *       keeps only the type and text, and drops tool responses and the assistant messages that call tools. A {@code saveAll} that follows no read (a caller that replaces
 *       the conversation itself) appends what follows the longest overlap of the recorded messages' tail with the
 *       window's head, by type and text, and a system message that differs from the last recorded one.</li>
 *   <li><b>Lossless.</b> Each turn keeps the whole message, tool calls, media and metadata, in its metadata (see
 *       {@link MessageTurns}), whatever the delegate keeps.</li>
 *   <li><b>Apply means the assistant forgets.</b> When {@code memories} is a {@link SnapshotEventSource} (memsnap's
 *       own is), every successful apply or undo of a memory rewrites that conversation in the delegate with
 *       {@code saveAll}, so the next {@code ChatClient} call with that conversation id sees the applied messages.
 *       Otherwise call {@link #restoreDelegate(String)} after an apply.</li>
 *   <li><b>Delete.</b> {@link #deleteByConversationId} ({@code ChatMemory.clear}) deletes from the delegate only:
 *       memsnap's history and snapshots stay. Drop them with {@code memories.forget(id, true)}.</li>
 * </ul>
 *
 * Thread-safe when the delegate is; turns of one conversation running at once may record in either order.
 */
public final class MemsnapChatMemoryRepository implements ChatMemoryRepository, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MemsnapChatMemoryRepository.class);
    private static final int LOCK_STRIPES = 64;
    /** Reads not followed by a save (a conversation only looked at) are forgotten beyond this many. */
    private static final int MAX_PENDING_READS = 10_000;

    private final ChatMemoryRepository delegate;
    private final MemoryManagers memories;
    private final Integer restoreMaxMessages;
    private final boolean closesDelegate;
    private final AutoCloseable subscription;
    /** What the delegate last returned for each conversation, by identity, until the save that follows it. */
    private final Map<String, Set<Message>> lastReads = new ConcurrentHashMap<>();
    /** Conversations deleted from the delegate: their next save without a read starts a new stretch of history. */
    private final Set<String> cleared = ConcurrentHashMap.newKeySet();
    private final Object[] locks = new Object[LOCK_STRIPES];
    private final AtomicLong failures = new AtomicLong();

    private MemsnapChatMemoryRepository(ChatMemoryRepository delegate, MemoryManagers memories,
                                        Integer restoreMaxMessages, boolean closesDelegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.memories = Objects.requireNonNull(memories, "memories");
        if (restoreMaxMessages != null && restoreMaxMessages < 1) {
            throw new IllegalArgumentException("restoreMaxMessages must be at least 1, got " + restoreMaxMessages);
        }
        this.restoreMaxMessages = restoreMaxMessages;
        this.closesDelegate = closesDelegate;
        for (int i = 0; i < locks.length; i++) {
            locks[i] = new Object();
        }
        this.subscription = SnapshotEventSource.subscribeToApplies(memories, this::onApplied).orElse(null);
        if (subscription == null) {
            log.info("{} produces no snapshot events: after an apply, call restoreDelegate(conversationId) so that "
                    + "the chat memory repository holds the applied messages", memories.getClass().getName());
        }
    }

    /**
     * @param delegate the application's repository (JDBC, in memory, ...), which stays the one Spring AI reads
     * @param memories memsnap's memories, for example {@code Memsnap.memories()}
     * @return the repository to give Spring AI's chat memory instead of {@code delegate}
     */
    public static MemsnapChatMemoryRepository wrap(ChatMemoryRepository delegate, MemoryManagers memories) {
        return new MemsnapChatMemoryRepository(delegate, memories, null, false);
    }

    /**
     * @param delegate           the application's repository
     * @param memories           memsnap's memories
     * @param restoreMaxMessages at most this many non-system messages are written back after an apply (the newest,
     *                           from a user message on, as {@code MessageWindowChatMemory} trims), or {@code null} for
     *                           the whole conversation
     * @return the repository to give Spring AI's chat memory instead of {@code delegate}
     */
    public static MemsnapChatMemoryRepository wrap(ChatMemoryRepository delegate, MemoryManagers memories,
                                                   Integer restoreMaxMessages) {
        return new MemsnapChatMemoryRepository(delegate, memories, restoreMaxMessages, false);
    }

    /** For the starter's post-processor: the context destroys the wrapper in the bean's place, so it closes both. */
    static MemsnapChatMemoryRepository wrapBean(ChatMemoryRepository delegate, MemoryManagers memories,
                                                Integer restoreMaxMessages) {
        return new MemsnapChatMemoryRepository(delegate, memories, restoreMaxMessages, true);
    }

    /** @return the wrapped repository */
    public ChatMemoryRepository delegate() {
        return delegate;
    }

    /** @return how many times memsnap's side of a call (recording messages, restoring after an apply) failed */
    public long failures() {
        return failures.get();
    }

    @Override
    public List<String> findConversationIds() {
        return delegate.findConversationIds();
    }

    @Override
    public List<Message> findByConversationId(String conversationId) {
        List<Message> messages = delegate.findByConversationId(conversationId);
        try {
            Set<Message> read = Collections.newSetFromMap(new IdentityHashMap<>(messages.size() * 2));
            read.addAll(messages);
            if (lastReads.size() >= MAX_PENDING_READS) {
                lastReads.clear();
            }
            lastReads.put(conversationId, read);
        } catch (RuntimeException e) {
            failed("note what was read of", conversationId, e);
        }
        return messages;
    }

    @Override
    public void saveAll(String conversationId, List<Message> messages) {
        delegate.saveAll(conversationId, messages);
        try {
            synchronized (lock(conversationId)) {
                record(memories.get(conversationId), messages, lastReads.remove(conversationId),
                        cleared.remove(conversationId));
            }
        } catch (RuntimeException e) {
            failed("record the messages of", conversationId, e);
        }
    }

    @Override
    public void deleteByConversationId(String conversationId) {
        delegate.deleteByConversationId(conversationId);
        lastReads.remove(conversationId);
        cleared.add(conversationId);
    }

    /**
     * Writes a memsnap memory's conversation into the delegate with {@code saveAll}: every message in order, of the
     * system messages only the latest (where it stands), trimmed to {@code restoreMaxMessages} when that is set. Done
     * on every successful apply and undo when {@code memories} produces events, on the thread that applied; a host
     * whose {@link MemoryManagers} does not calls it after applying. The delegate keeps what it can: the JDBC
     * repository drops tool responses and tool-calling assistant messages (memsnap keeps them).
     *
     * @param conversationId a Spring AI conversation id, the memsnap memory id
     */
    public void restoreDelegate(String conversationId) {
        synchronized (lock(conversationId)) {
            delegate.saveAll(conversationId, conversation(memories.get(conversationId).turns(), restoreMaxMessages));
            lastReads.remove(conversationId);
            cleared.remove(conversationId);
        }
    }

    /** Ends the subscription to apply events (and, for a bean the starter wrapped, closes the delegate). */
    @Override
    public void close() throws Exception {
        try {
            if (subscription != null) {
                subscription.close();
            }
        } finally {
            if (closesDelegate && delegate instanceof AutoCloseable closeable) {
                closeable.close();
            }
        }
    }

    private void onApplied(SnapshotEvent event) {
        try {
            restoreDelegate(event.memoryId());
        } catch (RuntimeException e) {
            failed("restore the chat memory repository after applying " + event.snapshotId() + " to",
                    event.memoryId(), e);
        }
    }

    private Object lock(String id) {
        return locks[Math.floorMod(id.hashCode(), LOCK_STRIPES)];
    }

    private void failed(String what, String conversationId, RuntimeException e) {
        failures.incrementAndGet();
        log.warn("memsnap could not {} conversation {}; the chat memory repository itself is unaffected", what,
                conversationId, e);
    }

    private static void record(EnhancedMemoryManager memory, List<Message> window, Set<Message> read,
                               boolean newStretch) {
        if (read != null) {
            for (Message message : window) {
                if (!read.contains(message)) {
                    memory.addTurn(MessageTurns.toTurn(message));
                }
            }
            return;
        }
        recordWithoutRead(memory, window, newStretch);
    }

    /** A save that follows no read: the window's overlap with what was recorded is found by type and text. */
    private static void recordWithoutRead(EnhancedMemoryManager memory, List<Message> window, boolean newStretch) {
        List<Turn> turns = memory.turns();
        List<Message> rest = new ArrayList<>(window.size());
        List<String> restKeys = new ArrayList<>(window.size());
        for (Message message : window) {
            if (message instanceof SystemMessage) {
                Turn last = lastSystem(turns);
                if (newStretch || last == null || !key(MessageTurns.toMessage(last)).equals(key(message))) {
                    memory.addTurn(MessageTurns.toTurn(message));
                    turns = memory.turns();
                }
            } else {
                rest.add(message);
                restKeys.add(key(message));
            }
        }
        List<String> tail = new ArrayList<>(restKeys.size());
        for (int i = turns.size() - 1; i >= 0 && tail.size() < restKeys.size(); i--) {
            if (!MessageTurns.SYSTEM.equals(turns.get(i).role())) {
                tail.add(key(MessageTurns.toMessage(turns.get(i))));
            }
        }
        Collections.reverse(tail);
        for (int i = newStretch ? 0 : ShortTermMemory.windowOverlap(tail, restKeys); i < rest.size(); i++) {
            memory.addTurn(MessageTurns.toTurn(rest.get(i)));
        }
    }

    /** What every repository keeps of a message. */
    private static String key(Message message) {
        return message.getMessageType() + "\u0000" + message.getText();
    }

    private static Turn lastSystem(List<Turn> turns) {
        for (int i = turns.size() - 1; i >= 0; i--) {
            if (MessageTurns.SYSTEM.equals(turns.get(i).role())) {
                return turns.get(i);
            }
        }
        return null;
    }

    /**
     * The conversation as a window chat memory holds it: every message in order with only the latest system message,
     * and at most {@code max} others, the newest, from a user message on.
     */
    static List<Message> conversation(List<Turn> turns, Integer max) {
        List<Message> messages = new ArrayList<>(turns.size());
        int system = -1;
        for (Turn turn : turns) {
            Message message = MessageTurns.toMessage(turn);
            if (message instanceof SystemMessage) {
                if (system >= 0) {
                    messages.remove(system);
                }
                system = messages.size();
            }
            messages.add(message);
        }
        int others = messages.size() - (system >= 0 ? 1 : 0);
        if (max == null || others <= max) {
            return messages;
        }
        List<Message> kept = new ArrayList<>(max + 1);
        int drop = others - max;
        boolean started = false;
        for (Message message : messages) {
            if (message instanceof SystemMessage) {
                kept.add(message);
            } else if (drop > 0) {
                drop--;
            } else if (started || message.getMessageType() == MessageType.USER) {
                started = true;
                kept.add(message);
            }
        }
        return kept;
    }
}
