package io.quire.node;

import io.quire.core.NodeId;
import io.quire.spi.transport.Receiver;
import io.quire.spi.transport.Responder;
import io.quire.spi.transport.Transport;
import io.quire.spi.transport.View;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/** A transport that tells {@code onView} of every view it delivers, before the grid's receiver gets it. */
final class ViewLoggingTransport implements Transport {
  private final Transport delegate;
  private final Consumer<View> onView;

  ViewLoggingTransport(Transport delegate, Consumer<View> onView) {
    this.delegate = delegate;
    this.onView = onView;
  }

  @Override
  public NodeId localNode() {
    return delegate.localNode();
  }

  @Override
  public View currentView() {
    return delegate.currentView();
  }

  @Override
  public void start(Receiver receiver) {
    delegate.start(new Receiver() {
      @Override
      public void onMessage(NodeId from, ByteBuffer frame) {
        receiver.onMessage(from, frame);
      }

      @Override
      public void onRequest(NodeId from, ByteBuffer frame, Responder responder) {
        receiver.onRequest(from, frame, responder);
      }

      @Override
      public void onView(View view) {
        onView.accept(view);
        receiver.onView(view);
      }
    });
  }

  @Override
  public void send(NodeId to, ByteBuffer frame) {
    delegate.send(to, frame);
  }

  @Override
  public CompletableFuture<ByteBuffer> request(NodeId to, ByteBuffer frame, Duration timeout) {
    return delegate.request(to, frame, timeout);
  }

  @Override
  public void close() {
    delegate.close();
  }
}
