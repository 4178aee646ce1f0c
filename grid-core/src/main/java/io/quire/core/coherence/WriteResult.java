package io.quire.core.coherence;

import io.quire.core.message.Bytes;

/**
 * A completed write.
 *
 * @param version the page's version after it (unchanged when a registered operation left the page as it was)
 * @param result what a registered operation returned; empty for plain writes
 */
public record WriteResult(long version, Bytes result) {}
