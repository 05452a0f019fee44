/**
 * memsnap for Spring Boot and Spring AI: the auto-configuration of the runtime ({@link
 * dev.memsnap.spring.MemsnapAutoConfiguration}), its {@code memsnap.*} properties ({@link
 * dev.memsnap.spring.MemsnapProperties}), and the chat memory decorator ({@link
 * dev.memsnap.spring.MemsnapChatMemoryRepository}, wrapped around every {@code ChatMemoryRepository} bean by {@link
 * dev.memsnap.spring.MemsnapChatMemoryAutoConfiguration}) that makes every Spring AI conversation a memsnap memory.
 */
package dev.memsnap.spring;
