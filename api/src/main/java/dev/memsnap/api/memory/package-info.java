/** The SPI of the memories themselves, for hosts whose memory lives outside memsnap. */
package dev.memsnap.api.memory;
