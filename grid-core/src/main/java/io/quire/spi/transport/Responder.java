package io.quire.spi.transport;

import java.nio.ByteBuffer;

/**
 * Answers one request received by {@link Receiver#onRequest}. It may be kept and used after {@code onRequest}
 * returns, from any thread: a receiver that must do slow work hands the responder to its own executor.
 */
@FunctionalInterface
public interface Responder {

  /**
   * Sends the response. The bytes between the buffer's position and limit are copied before this returns; the
   * buffer's position is not changed. The response travels like any frame: it may be lost, and then the requester
   * times out.
   *
   * @throws IllegalStateException if this request was already answered
   */
  void reply(ByteBuffer response);
}
