package dev.memsnap.spring;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.memsnap.api.Turn;
import org.springframework.ai.chat.messages.AbstractMessage;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.messages.SystemMessage;
import org.springframework.ai.chat.messages.ToolResponseMessage;
import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.ai.content.Media;
import org.springframework.util.MimeType;

import java.net.MalformedURLException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Converts between Spring AI's {@link Message}s and memsnap's {@link Turn}s, losslessly.
 *
 * <p>A turn keeps a readable role ({@value #SYSTEM}, {@value #USER}, {@value #ASSISTANT}, {@value #TOOL}: Spring
 * AI's own {@code MessageType} values, and the roles the LangChain4j integration writes) and content (the text, with
 * {@code [image/png photo.png]} for media, {@code [tool call name(arguments)]} for a tool call and
 * {@code [tool name] data} for a tool response, so that diffs, the CLI and the dashboard read naturally), and under the
 * metadata key {@value #METADATA_KEY} the whole message as a JSON string: its type, text, metadata, media (MIME type,
 * id, name, and the data as bytes, text or URL), tool calls (id, type, name, arguments) and tool responses (id, name,
 * data). Converting back gives a message of the same class with all of that. Metadata values are kept as JSON:
 * strings, booleans, lists and maps come back equal, numbers as the smallest of {@code Integer}, {@code Long},
 * {@code BigInteger} or {@code Double} that holds them, and other objects as Jackson writes them (or their
 * {@code toString()} when Jackson cannot); {@code messageType} is the message's own. A turn without the key (a plain
 * turn another tool wrote) becomes the plain message of its role ({@code ai} is an assistant, an unknown role a user).
 */
public final class MessageTurns {
    /** The metadata key of the message's JSON. */
    public static final String METADATA_KEY = "spring_ai";
    /** Role of a {@link SystemMessage}. */
    public static final String SYSTEM = "system";
    /** Role of a {@link UserMessage}. */
    public static final String USER = "user";
    /** Role of an {@link AssistantMessage}. */
    public static final String ASSISTANT = "assistant";
    /** Role of a {@link ToolResponseMessage}. */
    public static final String TOOL = "tool";

    private static final JsonMapper JSON = new JsonMapper();

    private MessageTurns() {
    }

    /**
     * @param message a Spring AI message
     * @return the turn that keeps it
     */
    public static Turn toTurn(Message message) {
        return new Turn(role(message), content(message), Map.of(METADATA_KEY, toJson(message).toString()));
    }

    /**
     * @param turn a turn, written by {@link #toTurn} or a plain one
     * @return the message it keeps
     * @throws IllegalArgumentException when the turn's {@value #METADATA_KEY} is not a message's JSON
     */
    public static Message toMessage(Turn turn) {
        Object json = turn.metadata().get(METADATA_KEY);
        if (!(json instanceof String text)) {
            return plain(turn);
        }
        try {
            return fromJson((ObjectNode) JSON.readTree(text));
        } catch (JsonProcessingException | ClassCastException | NullPointerException e) {
            throw new IllegalArgumentException("turn metadata " + METADATA_KEY + " is not a Spring AI message", e);
        }
    }

    /**
     * @param turns turns, oldest first
     * @return their messages, in order
     */
    public static List<Message> toMessages(List<Turn> turns) {
        List<Message> messages = new ArrayList<>(turns.size());
        for (Turn turn : turns) {
            messages.add(toMessage(turn));
        }
        return messages;
    }

    private static Message plain(Turn turn) {
        return switch (turn.role()) {
            case SYSTEM -> new SystemMessage(turn.content());
            case ASSISTANT, "ai" -> new AssistantMessage(turn.content());
            case TOOL -> ToolResponseMessage.builder()
                    .responses(List.of(new ToolResponseMessage.ToolResponse("", TOOL, turn.content()))).build();
            default -> new UserMessage(turn.content());
        };
    }

    static String role(Message message) {
        return switch (message.getMessageType()) {
            case SYSTEM -> SYSTEM;
            case USER -> USER;
            case ASSISTANT -> ASSISTANT;
            case TOOL -> TOOL;
        };
    }

    /** The readable text of a message: what a person reading a diff wants to see. */
    static String content(Message message) {
        StringJoiner text = new StringJoiner("\n");
        if (message.getText() != null && !message.getText().isEmpty()) {
            text.add(message.getText());
        }
        if (message instanceof UserMessage user) {
            user.getMedia().forEach(media -> text.add(describe(media)));
        }
        if (message instanceof AssistantMessage assistant) {
            assistant.getMedia().forEach(media -> text.add(describe(media)));
            for (AssistantMessage.ToolCall call : assistant.getToolCalls()) {
                text.add("[tool call " + call.name() + "(" + (call.arguments() == null ? "" : call.arguments()) + ")]");
            }
        }
        if (message instanceof ToolResponseMessage tool) {
            for (ToolResponseMessage.ToolResponse response : tool.getResponses()) {
                text.add("[tool " + response.name() + "] " + response.responseData());
            }
        }
        return text.toString();
    }

    private static String describe(Media media) {
        return "[" + media.getMimeType() + " " + media.getName() + "]";
    }

    static ObjectNode toJson(Message message) {
        ObjectNode node = JSON.createObjectNode();
        node.put("type", message.getMessageType().name());
        if (message.getText() != null) {
            node.put("text", message.getText());
        }
        ObjectNode metadata = node.putObject("metadata");
        for (Map.Entry<String, Object> entry : message.getMetadata().entrySet()) {
            if (!AbstractMessage.MESSAGE_TYPE.equals(entry.getKey())) {
                metadata.set(entry.getKey(), value(entry.getValue()));
            }
        }
        if (message instanceof UserMessage user) {
            media(node, user.getMedia());
        } else if (message instanceof AssistantMessage assistant) {
            media(node, assistant.getMedia());
            ArrayNode calls = node.putArray("tool_calls");
            for (AssistantMessage.ToolCall call : assistant.getToolCalls()) {
                calls.addObject().put("id", call.id()).put("type", call.type()).put("name", call.name())
                        .put("arguments", call.arguments());
            }
        } else if (message instanceof ToolResponseMessage tool) {
            ArrayNode responses = node.putArray("responses");
            for (ToolResponseMessage.ToolResponse response : tool.getResponses()) {
                responses.addObject().put("id", response.id()).put("name", response.name())
                        .put("response_data", response.responseData());
            }
        }
        return node;
    }

    private static JsonNode value(Object value) {
        try {
            return JSON.valueToTree(value);
        } catch (IllegalArgumentException e) { // not something Jackson can write: keep what it says of itself
            return JSON.getNodeFactory().textNode(String.valueOf(value));
        }
    }

    private static void media(ObjectNode node, List<Media> media) {
        ArrayNode array = node.putArray("media");
        for (Media m : media) {
            ObjectNode item = array.addObject().put("mime_type", m.getMimeType().toString()).put("id", m.getId())
                    .put("name", m.getName());
            Object data = m.getData();
            if (data instanceof byte[] bytes) {
                item.put("bytes", Base64.getEncoder().encodeToString(bytes));
            } else if (data instanceof java.net.URL url) {
                item.put("url", url.toString());
            } else {
                item.put("text", String.valueOf(data));
            }
        }
    }

    private static Message fromJson(ObjectNode node) {
        String text = node.hasNonNull("text") ? node.get("text").textValue() : null;
        Map<String, Object> metadata = metadata(node.path("metadata"));
        return switch (node.get("type").textValue()) {
            case "SYSTEM" -> SystemMessage.builder().text(text).metadata(metadata).build();
            case "USER" -> UserMessage.builder().text(text).media(media(node.path("media"))).metadata(metadata).build();
            case "ASSISTANT" -> {
                List<AssistantMessage.ToolCall> calls = new ArrayList<>();
                for (JsonNode call : node.path("tool_calls")) {
                    calls.add(new AssistantMessage.ToolCall(string(call, "id"), string(call, "type"),
                            string(call, "name"), string(call, "arguments")));
                }
                yield AssistantMessage.builder().content(text).properties(metadata).toolCalls(calls)
                        .media(media(node.path("media"))).build();
            }
            case "TOOL" -> {
                List<ToolResponseMessage.ToolResponse> responses = new ArrayList<>();
                for (JsonNode response : node.path("responses")) {
                    responses.add(new ToolResponseMessage.ToolResponse(string(response, "id"),
                            string(response, "name"), string(response, "response_data")));
                }
                yield ToolResponseMessage.builder().responses(responses).metadata(metadata).build();
            }
            default -> throw new IllegalArgumentException("unknown message type " + node.get("type"));
        };
    }

    private static String string(JsonNode node, String key) {
        JsonNode value = node.get(key);
        return value == null || value.isNull() ? null : value.textValue();
    }

    private static Map<String, Object> metadata(JsonNode node) {
        Map<String, Object> metadata = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            metadata.put(field.getKey(), JSON.convertValue(field.getValue(), Object.class));
        }
        return metadata;
    }

    private static List<Media> media(JsonNode array) {
        List<Media> media = new ArrayList<>();
        for (JsonNode item : array) {
            Media.Builder builder = Media.builder().mimeType(MimeType.valueOf(item.get("mime_type").textValue()));
            if (item.hasNonNull("id")) {
                builder.id(item.get("id").textValue());
            }
            if (item.hasNonNull("name")) {
                builder.name(item.get("name").textValue());
            }
            if (item.hasNonNull("bytes")) {
                builder.data(Base64.getDecoder().decode(item.get("bytes").textValue()));
            } else if (item.hasNonNull("url")) {
                try {
                    builder.data(URI.create(item.get("url").textValue()).toURL());
                } catch (MalformedURLException e) {
                    throw new IllegalArgumentException("media url", e);
                }
            } else {
                builder.data(item.path("text").asText());
            }
            media.add(builder.build());
        }
        return media;
    }
}
