package dev.memsnap.example.host;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.FinishReason;
import dev.memsnap.langchain4j.SegmentMemories;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The host's model when no OpenAI-compatible one is configured: a LangChain4j {@link ChatModel} made of rules,
 * deterministic and offline. It reads what LangChain4j sends any model: the user's message, and the facts retrieval
 * found, which the content injector appended to it after {@link LangChainAssistant#INFORMATION} (each fact's text
 * with its {@code source_type}, {@code topics} and {@code learned_at}). It acknowledges a statement
 * ({@link FactRules}), answers a few questions ("What is my name?", "What do you know about me?") from the retrieved
 * facts only (the newest name wins), and gives anything else a polite fallback. So after an apply it knows exactly
 * what retrieval finds in the restored store. It holds no state.
 */
final class RuleChatModel implements ChatModel {
    static final String DESCRIPTION = "rules (deterministic, offline)";

    private static final int FLAGS = FactRules.FLAGS;
    private static final Pattern ASK_NAME = Pattern.compile(
            "what(?:'s| is) my name|who am i|do you (?:know|remember) my name", FLAGS);
    private static final Pattern ASK_ORIGIN = Pattern.compile("where (?:am i from|do i come from|do i live)", FLAGS);
    private static final Pattern ASK_WORK = Pattern.compile(
            "where do i work|what do i do|what(?:'s| is) my job|what do i work as", FLAGS);
    private static final Pattern ASK_LIKES = Pattern.compile(
            "what do i (?:like|love|enjoy|prefer)|what are my preferences", FLAGS);
    private static final Pattern ASK_ALL = Pattern.compile(
            "what do you (?:know|remember)(?: about me)?|tell me about (?:me|myself)|what have you learned", FLAGS);
    private static final Pattern GREETING = Pattern.compile("(?:hi|hello|hey|good (?:morning|afternoon|evening))\\b.*",
            FLAGS);
    private static final Pattern THANKS = Pattern.compile("(?:thanks|thank you)\\b.*", FLAGS);
    private static final String CONTENT = "content: ";

    /**
     * A retrieved fact, as the content injector wrote it.
     *
     * @param content    its text
     * @param sourceType its {@code source_type}, or empty
     * @param topics     its {@code topics}
     * @param learnedAt  its {@code learned_at}, or empty
     */
    record Fact(String content, String sourceType, List<String> topics, String learnedAt) {
    }

    @Override
    public ChatResponse doChat(ChatRequest request) {
        String text = lastUserText(request.messages());
        int at = text.indexOf(LangChainAssistant.INFORMATION);
        String message = at < 0 ? text : text.substring(0, at);
        List<Fact> facts = at < 0 ? List.of() : facts(text.substring(at + LangChainAssistant.INFORMATION.length()));
        return ChatResponse.builder().aiMessage(AiMessage.from(respond(message, facts)))
                .finishReason(FinishReason.STOP).build();
    }

    private static String lastUserText(List<ChatMessage> messages) {
        for (int i = messages.size() - 1; i >= 0; i--) {
            if (messages.get(i) instanceof UserMessage user && user.hasSingleText()) {
                return user.singleText();
            }
        }
        return "";
    }

    /** The facts the injector appended: blocks separated by blank lines, oldest learned first. */
    static List<Fact> facts(String contents) {
        List<Fact> facts = new ArrayList<>();
        for (String block : contents.split("\n\n")) {
            if (block.isBlank()) {
                continue;
            }
            if (!block.startsWith(CONTENT)) { // no metadata was injected: the block is the text
                facts.add(new Fact(block.strip(), "", List.of(), ""));
                continue;
            }
            String content = "";
            String sourceType = "";
            List<String> topics = List.of();
            String learnedAt = "";
            for (String line : block.split("\n")) {
                int colon = line.indexOf(": ");
                if (colon < 0) {
                    content += "\n" + line; // a text of several lines continues the content
                    continue;
                }
                String value = line.substring(colon + 2);
                switch (line.substring(0, colon)) {
                    case "content" -> content = value;
                    case SegmentMemories.SOURCE_TYPE -> sourceType = value;
                    case SegmentMemories.TOPICS -> topics = List.of(value.split(","));
                    case Knowledge.LEARNED_AT -> learnedAt = value;
                    default -> content += "\n" + line;
                }
            }
            facts.add(new Fact(content, sourceType, topics, learnedAt));
        }
        facts.sort(Comparator.comparing(Fact::learnedAt));
        return facts;
    }

    /**
     * @param message what the user said
     * @param facts   what retrieval found, oldest learned first
     * @return the reply
     */
    static String respond(String message, List<Fact> facts) {
        FactRules.Heard heard = FactRules.hear(message);
        String text = heard.text();
        if (ASK_NAME.matcher(text).matches()) {
            List<Fact> names = withTopics(facts, "name");
            return answer(names.isEmpty() ? names : names.subList(names.size() - 1, names.size()),
                    "I don't know your name yet. Tell me: \"My name is ...\".");
        }
        if (ASK_ORIGIN.matcher(text).matches()) {
            return answer(withTopics(facts, "origin", "location"), "You haven't told me where you are from.");
        }
        if (ASK_WORK.matcher(text).matches()) {
            return answer(withTopics(facts, "work"), "You haven't told me about your work.");
        }
        if (ASK_LIKES.matcher(text).matches()) {
            return answer(facts.stream().filter(f -> FactRules.PREFERENCE.equals(f.sourceType())).toList(),
                    "You haven't told me what you like.");
        }
        if (ASK_ALL.matcher(text).matches()) {
            return answer(facts, "Nothing yet. Tell me about yourself and I'll remember it.");
        }
        if (heard.name() != null) {
            return heard.correction() ? "Got it, I'll call you " + heard.name() + " from now on."
                    : "Nice to meet you, " + heard.name() + "!";
        }
        if (heard.fact() != null) {
            return "Noted: " + FactRules.secondPerson(heard.fact().content());
        }
        if (GREETING.matcher(text).matches()) {
            return "Hello! Tell me about yourself (\"My name is ...\", \"I like ...\") and I'll remember it.";
        }
        if (THANKS.matcher(text).matches()) {
            return "You're welcome!";
        }
        if (heard.question()) {
            return "I don't know. I can answer what you have told me: your name, where you are from, your work, "
                    + "what you like.";
        }
        return "I see. I remember plain statements such as \"My name is ...\", \"I like ...\", \"I work at ...\" or "
                + "\"Remember that ...\".";
    }

    private static List<Fact> withTopics(List<Fact> facts, String... topics) {
        return facts.stream().filter(f -> List.of(topics).stream().anyMatch(f.topics()::contains)).toList();
    }

    private static String answer(List<Fact> found, String unknown) {
        if (found.isEmpty()) {
            return unknown;
        }
        if (found.size() == 1) {
            return FactRules.secondPerson(found.get(0).content());
        }
        StringBuilder text = new StringBuilder("Here is what I remember:");
        found.forEach(f -> text.append("\n- ").append(FactRules.secondPerson(f.content())));
        return text.toString();
    }
}
