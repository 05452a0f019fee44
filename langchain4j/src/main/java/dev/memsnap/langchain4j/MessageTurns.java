package dev.memsnap.langchain4j;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.AudioContent;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.ChatMessageDeserializer;
import dev.langchain4j.data.message.ChatMessageSerializer;
import dev.langchain4j.data.message.Content;
import dev.langchain4j.data.message.CustomMessage;
import dev.langchain4j.data.message.ImageContent;
import dev.langchain4j.data.message.PdfFileContent;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.TextContent;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.data.message.VideoContent;
import dev.memsnap.api.Turn;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Converts between LangChain4j's {@link ChatMessage}s and memsnap's {@link Turn}s, losslessly.
 *
 * <p>A turn keeps a readable role ({@value #SYSTEM}, {@value #USER}, {@value #ASSISTANT}, {@value #TOOL},
 * {@value #CUSTOM}) and content (the message's text, so that diffs, the CLI and the dashboard read naturally), and
 * under the metadata key {@value #METADATA_KEY} LangChain4j's own JSON of the message
 * ({@link ChatMessageSerializer#messageToJson}), kept as a string so that it comes back byte for byte. Converting back
 * reads that JSON with {@link ChatMessageDeserializer}; a turn without it (a plain turn another tool wrote) becomes the
 * plain message of its role ({@code ai} and {@code assistant} an {@link AiMessage}, an unknown role a
 * {@link UserMessage}, a blank text LangChain4j would refuse a {@link CustomMessage} of role and content).
 */
public final class MessageTurns {
    /** The metadata key of LangChain4j's JSON of the message. */
    public static final String METADATA_KEY = "langchain4j";
    /** Role of a {@link SystemMessage}. */
    public static final String SYSTEM = "system";
    /** Role of a {@link UserMessage}. */
    public static final String USER = "user";
    /** Role of an {@link AiMessage}. */
    public static final String ASSISTANT = "assistant";
    /** Role of a {@link ToolExecutionResultMessage}. */
    public static final String TOOL = "tool";
    /** Role of a {@link CustomMessage}. */
    public static final String CUSTOM = "custom";

    private MessageTurns() {
    }

    /**
     * @param message a LangChain4j message
     * @return the turn that keeps it
     */
    public static Turn toTurn(ChatMessage message) {
        return new Turn(role(message), content(message), Map.of(METADATA_KEY, ChatMessageSerializer.messageToJson(message)));
    }

    /**
     * @param turn a turn, written by {@link #toTurn} or a plain one
     * @return the message it keeps
     */
    public static ChatMessage toMessage(Turn turn) {
        return ChatMessageDeserializer.messageFromJson(json(turn));
    }

    /**
     * @param turns turns, oldest first
     * @return their messages, in order
     */
    public static List<ChatMessage> toMessages(List<Turn> turns) {
        List<ChatMessage> messages = new ArrayList<>(turns.size());
        for (Turn turn : turns) {
            messages.add(toMessage(turn));
        }
        return messages;
    }

    /**
     * @param turn a turn
     * @return LangChain4j's JSON of the message it keeps: the stored JSON, or that of the plain message of its role
     */
    static String json(Turn turn) {
        Object json = turn.metadata().get(METADATA_KEY);
        if (json instanceof String s) {
            return s;
        }
        ChatMessage plain;
        try {
            plain = plainMessage(turn);
        } catch (IllegalArgumentException blank) { // LangChain4j refuses blank system and user texts
            plain = new CustomMessage(Map.of("role", turn.role(), "content", turn.content()));
        }
        return ChatMessageSerializer.messageToJson(plain);
    }

    private static ChatMessage plainMessage(Turn turn) {
        return switch (turn.role()) {
            case SYSTEM -> SystemMessage.from(turn.content());
            case ASSISTANT, "ai" -> AiMessage.from(turn.content());
            case TOOL -> ToolExecutionResultMessage.from("", TOOL, turn.content());
            case CUSTOM -> new CustomMessage(Map.of("content", turn.content()));
            default -> UserMessage.from(turn.content());
        };
    }

    static String role(ChatMessage message) {
        return switch (message.type()) {
            case SYSTEM -> SYSTEM;
            case USER -> USER;
            case AI -> ASSISTANT;
            case TOOL_EXECUTION_RESULT -> TOOL;
            default -> CUSTOM;
        };
    }

    /** The readable text of a message: what a person reading a diff wants to see. */
    static String content(ChatMessage message) {
        if (message instanceof SystemMessage m) {
            return m.text();
        }
        if (message instanceof UserMessage m) {
            StringJoiner text = new StringJoiner("\n");
            for (Content c : m.contents()) {
                text.add(describe(c));
            }
            return text.toString();
        }
        if (message instanceof AiMessage m) {
            StringJoiner text = new StringJoiner("\n");
            if (m.text() != null) {
                text.add(m.text());
            }
            for (ToolExecutionRequest r : m.toolExecutionRequests()) {
                text.add("[tool call " + r.name() + "(" + (r.arguments() == null ? "" : r.arguments()) + ")]");
            }
            return text.toString();
        }
        if (message instanceof ToolExecutionResultMessage m) {
            return m.text() == null ? "" : m.text();
        }
        if (message instanceof CustomMessage m) {
            return String.valueOf(m.attributes());
        }
        return String.valueOf(message);
    }

    private static String describe(Content content) {
        if (content instanceof TextContent t) {
            return t.text();
        }
        if (content instanceof ImageContent i) {
            return "[image" + (i.image().url() != null ? " " + i.image().url() : "") + "]";
        }
        if (content instanceof AudioContent) {
            return "[audio]";
        }
        if (content instanceof VideoContent) {
            return "[video]";
        }
        if (content instanceof PdfFileContent) {
            return "[pdf]";
        }
        return "[" + content.type().name().toLowerCase(java.util.Locale.ROOT) + "]";
    }
}
