/**
 * Spring AI vector stores as memsnap long-term memory: {@link dev.memsnap.spring.vectorstore.MemsnapVectorStore}
 * keeps a store's documents as memories of memsnap memory ids, so that a snapshot holds them and an apply or undo
 * puts exactly them back; {@link dev.memsnap.spring.vectorstore.DocumentMemories} is how a document is kept.
 */
package dev.memsnap.spring.vectorstore;
