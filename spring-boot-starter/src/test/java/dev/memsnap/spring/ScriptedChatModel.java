package dev.memsnap.spring;

import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.messages.MessageType;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.ai.chat.prompt.Prompt;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** The one test double: a model that answers "noted: <the user's last text>" and remembers every prompt it saw. */
final class ScriptedChatModel implements ChatModel {
    private final List<List<Message>> prompts = new CopyOnWriteArrayList<>();

    @Override
    public ChatResponse call(Prompt prompt) {
        prompts.add(List.copyOf(prompt.getInstructions()));
        String last = prompt.getInstructions().stream().filter(m -> m.getMessageType() == MessageType.USER)
                .reduce((a, b) -> b).map(Message::getText).orElse("");
        return new ChatResponse(List.of(new Generation(new AssistantMessage("noted: " + last))));
    }

    /** @return the messages of the last prompt, as "type: text" */
    List<String> lastPrompt() {
        return prompts.get(prompts.size() - 1).stream()
                .map(m -> m.getMessageType().getValue() + ": " + m.getText()).toList();
    }
}
