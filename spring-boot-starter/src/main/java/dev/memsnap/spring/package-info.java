/**
 * memsnap for Spring Boot and Spring AI: the auto-configuration of the runtime ({@link
 * dev.memsnap.spring.MemsnapAutoConfiguration}), its {@code memsnap.*} properties ({@link
 * dev.memsnap.spring.MemsnapProperties}).
 */
package dev.memsnap.spring;
