package io.quire.spi.transport;

import static java.util.Objects.requireNonNull;

import io.quire.core.NodeId;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * A transport that passes everything to another and may look at what it delivers: a subclass wraps the receiver in
 * {@link #intercept} (to take some frames out, or to watch views). Holds no state of its own beyond its delegate, so
 * it is as thread-safe as the delegate.
 */
public abstract class ForwardingTransport implements Transport {
  /** The transport everything is passed to. */
  protected final Transport delegate;

  protected ForwardingTransport(Transport delegate) {
    this.delegate = requireNonNull(delegate, "delegate");
  }

  /** The receiver the delegate delivers to, in place of {@code receiver} (which it should pass on to). */
  protected abstract Receiver intercept(Receiver receiver);

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
    delegate.start(intercept(requireNonNull(receiver, "receiver")));
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
  public String groupOf(NodeId node) {
    return delegate.groupOf(node);
  }

  @Override
  public void close() {
    delegate.close();
  }
}
