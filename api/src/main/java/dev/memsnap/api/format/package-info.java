/** The snapshot format and its stored encodings, as plugins see them. */
package dev.memsnap.api.format;
