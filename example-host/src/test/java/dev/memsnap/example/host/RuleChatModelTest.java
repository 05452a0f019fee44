package dev.memsnap.example.host;

import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.rag.content.Content;
import org.junit.jupiter.api.Test;

import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The rule model answers from what LangChain4j sends it: the user's message, and the facts that retrieval found, as
 * the host's own content injector writes them into that message (whatever their order of similarity).
 */
class RuleChatModelTest {
    private static final LocalDateTime T0 = LocalDateTime.of(2025, 4, 26, 12, 0);
    private final RuleChatModel model = new RuleChatModel();

    /** Asks with these facts retrieved, in the order given, the i-th learned i minutes after T0. */
    private String ask(String message, List<String> statements, int... learnedOrder) {
        List<Content> retrieved = new ArrayList<>();
        for (int i = 0; i < statements.size(); i++) {
            FactRules.Learned fact = FactRules.hear(statements.get(i)).fact();
            int minute = learnedOrder.length > 0 ? learnedOrder[i] : i;
            TextSegment segment = Knowledge.segment(fact, T0.plusMinutes(minute).plusNanos(123_000));
            retrieved.add(Content.from(segment));
        }
        ChatMessage user = retrieved.isEmpty() ? UserMessage.from(message)
                : LangChainAssistant.injector().inject(retrieved, UserMessage.from(message));
        return model.chat(ChatRequest.builder().messages(SystemMessage.from(LangChainAssistant.SYSTEM_PROMPT), user)
                .build()).aiMessage().text();
    }

    @Test
    void statementsAreAcknowledgedAndACorrectionSaysSo() {
        assertEquals("Nice to meet you, Alice!", ask("My name is alice.", List.of()));
        assertEquals("Got it, I'll call you Ally from now on.", ask("Actually my name is Ally.", List.of()));
        assertEquals("Noted: You are from Lisbon.", ask("I am from Lisbon.", List.of()));
    }

    @Test
    void theNewestRetrievedNameWinsWhateverTheOrderOfRetrieval() {
        List<String> names = List.of("My name is Ally.", "My name is Alice.");
        assertEquals("Your name is Ally.", ask("What is my name?", names, 5, 1));
        assertEquals("Your name is Alice.", ask("What is my name?", names, 1, 5));
        assertEquals("I don't know your name yet. Tell me: \"My name is ...\".", ask("What is my name?", List.of()));
    }

    @Test
    void questionsAreAnsweredFromTheRetrievedFactsOnly() {
        List<String> facts = List.of("My name is Alice.", "I am from Lisbon.", "I like hiking.", "I work at Acme.");
        assertEquals("Here is what I remember:\n- Your name is Alice.\n- You are from Lisbon.\n- You like hiking.\n"
                + "- You work at Acme.", ask("What do you know about me?", facts));
        assertEquals("You like hiking.", ask("What do I like?", facts));
        assertEquals("You work at Acme.", ask("Where do I work?", facts));
        assertEquals("You are from Lisbon.", ask("Where am I from?", facts));
        assertEquals("You haven't told me about your work.", ask("Where do I work?", facts.subList(0, 3)));
    }

    @Test
    void anythingElseGetsAFallback() {
        assertEquals("You're welcome!", ask("thanks", List.of()));
        assertEquals("I don't know. I can answer what you have told me: your name, where you are from, your work, "
                + "what you like.", ask("What's the weather?", List.of("My name is Alice.")));
    }
}
