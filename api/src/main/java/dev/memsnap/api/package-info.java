/**
 * memsnap's public API: the {@link dev.memsnap.api.EnhancedMemoryManager} facade a host uses, the records of the
 * snapshot format, and the exceptions. Service interfaces a host or plugin implements live in the sub-packages
 * {@code memory}, {@code store} and {@code event}. This package has no dependencies and evolves only by addition.
 */
package dev.memsnap.api;
