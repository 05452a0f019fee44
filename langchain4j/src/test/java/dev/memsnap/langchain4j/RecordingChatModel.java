package dev.memsnap.langchain4j;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The tests' one double: a deterministic model that answers from the messages it is given, and keeps each request's
 * messages so that a test sees exactly what the model saw. "I live in X" and "I moved to X" are noted; "Where do I live?" is answered
 * from the latest such statement among the request's messages.
 */
final class RecordingChatModel implements ChatModel {
    static final String WHERE = "Where do I live?";
    private static final String LIVE = "I live in ";
    private static final String MOVED = "I moved to ";

    final List<List<ChatMessage>> requests = new CopyOnWriteArrayList<>();

    @Override
    public ChatResponse doChat(ChatRequest request) {
        List<ChatMessage> messages = List.copyOf(request.messages());
        requests.add(messages);
        String place = null;
        String last = "";
        for (ChatMessage m : messages) {
            if (m instanceof UserMessage u && u.hasSingleText()) {
                last = u.singleText();
                if (last.startsWith(LIVE)) {
                    place = last.substring(LIVE.length());
                } else if (last.startsWith(MOVED)) {
                    place = last.substring(MOVED.length());
                }
            }
        }
        String answer = last.equals(WHERE) ? (place == null ? "I don't know." : "You live in " + place + ".")
                : "Noted: " + last;
        return ChatResponse.builder().aiMessage(AiMessage.from(answer)).build();
    }

    List<ChatMessage> lastRequest() {
        return requests.get(requests.size() - 1);
    }
}
