package dev.memsnap.spring.actuate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A Spring Boot web application with actuator, Spring Security and memsnap, as a user would have it: the actuator's
 * endpoints need a login (HTTP basic), health is open, and the two users are a reader and one in the role memsnap's
 * write operations need. The tests call it over real HTTP on loopback.
 */
@SpringBootConfiguration
// the JDBC chat memory starter is on the test class path for the chat-memory tests; this application has no database
@EnableAutoConfiguration(excludeName = {"org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
        "org.springframework.ai.model.chat.memory.repository.jdbc.autoconfigure.JdbcChatMemoryRepositoryAutoConfiguration"})
class ActuatorApp {
    static final String READER = "reader";
    static final String ADMIN = "admin";
    static final String PASSWORD = "secret";

    @Bean
    SecurityFilterChain security(HttpSecurity http) throws Exception {
        return http.authorizeHttpRequests(requests -> requests
                        .requestMatchers("/actuator/health/**").permitAll()
                        .anyRequest().authenticated())
                .httpBasic(Customizer.withDefaults())
                // actuator's POSTs come from scripts, not browsers: no CSRF token, as Spring Boot's docs advise
                .csrf(csrf -> csrf.ignoringRequestMatchers("/actuator/**"))
                .build();
    }

    @Bean
    InMemoryUserDetailsManager users() {
        return new InMemoryUserDetailsManager(
                User.withUsername(READER).password("{noop}" + PASSWORD).roles("USER").build(),
                User.withUsername(ADMIN).password("{noop}" + PASSWORD).roles("USER", "MEMSNAP_ADMIN").build());
    }

    /** A small HTTP client for the tests: real requests to the app's random port. */
    record Http(int port) {
        private static final HttpClient CLIENT = HttpClient.newHttpClient();
        private static final ObjectMapper JSON = new ObjectMapper();

        /** A response: its status and its body as JSON (or {@code null} when it has none). */
        record Answer(int status, JsonNode json, String body) {
        }

        Answer get(String user, String path) {
            return send(user, HttpRequest.newBuilder(uri(path)).GET());
        }

        Answer post(String user, String path, String json) {
            return send(user, HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(json)));
        }

        private URI uri(String path) {
            return URI.create("http://127.0.0.1:" + port + path);
        }

        private static Answer send(String user, HttpRequest.Builder request) {
            if (user != null) {
                request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        (user + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8)));
            }
            try {
                HttpResponse<String> response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
                String body = response.body();
                JsonNode json = null;
                if (body != null && body.startsWith("{")) {
                    json = JSON.readTree(body);
                }
                return new Answer(response.statusCode(), json, body);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
