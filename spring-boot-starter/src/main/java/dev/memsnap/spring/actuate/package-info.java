/**
 * memsnap in Spring Boot's actuator: the {@code memsnap} endpoint ({@link dev.memsnap.spring.actuate.MemsnapEndpoint},
 * its writes governed by {@link dev.memsnap.spring.actuate.MemsnapActuatorProperties}), the store's health indicator
 * and the Micrometer meters, each auto-configured when its library is on the class path.
 */
package dev.memsnap.spring.actuate;
