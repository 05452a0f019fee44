package dev.memsnap.core.codec;

import java.util.Map;

/**
 * Where {@code key_env} and {@code passphrase_env} are looked up: the process environment by default; a tool with an
 * environment of its own binds another with {@code OptionalBinder.setBinding()}.
 *
 * @param variables the environment variables, by name
 */
public record KeyEnvironment(Map<String, String> variables) {
    public KeyEnvironment {
        variables = Map.copyOf(variables);
    }

    /** @return the process environment */
    public static KeyEnvironment system() {
        return new KeyEnvironment(System.getenv());
    }
}
