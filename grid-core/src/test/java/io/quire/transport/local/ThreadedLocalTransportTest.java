package io.quire.transport.local;

import static io.quire.transport.local.RecordingReceiver.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** The transport contract on real threads, plus what only threads can show. Waits are bounded; nothing sleeps. */
class ThreadedLocalTransportTest extends TransportContract {

  @Override
  protected LocalNetwork newNetwork() {
    return LocalNetwork.threaded();
  }

  @Override
  protected <T> T await(CompletableFuture<T> future) {
    try {
      return future.get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      throw new AssertionError(e.getCause());
    } catch (InterruptedException | TimeoutException e) {
      throw new AssertionError("no result within 10 s", e);
    }
  }

  /** A round trip through every inbox: frames sent before it, FIFO per pair, have arrived when it returns. */
  @Override
  protected void settle() {
    for (var from : new io.quire.spi.transport.Transport[] {a, b}) {
      if (!((LocalTransport) from).isOpen()) {
        continue;
      }
      for (var to : from.currentView().members()) {
        await(from.request(to, bytes(RecordingReceiver.SETTLE), java.time.Duration.ofSeconds(10)));
      }
    }
  }

  @Test
  void callbacks_runOnTheReceiversThreadNotTheSenders() {
    a.send(B, bytes("x"));

    String thread = await(atB.messages(1)).get(0).thread();
    assertThat(thread).isNotEqualTo(Thread.currentThread().getName()).contains(B.toString());
  }
}
