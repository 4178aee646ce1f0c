package io.quire.jcache;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * The event bus of an in-JVM cluster: one delivery thread stands for the network, so events reach other nodes after
 * the publishing operation returned, in publication order.
 *
 * <p>Concurrency: {@code subscribers} is copy-on-write; deliveries run on the single {@code delivery} thread.
 */
final class InJvmEventBus implements EventBus, AutoCloseable {
  private record Subscriber(String cacheName, Object self, Consumer<List<EncodedEvent>> handler) {}

  private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();
  private final ExecutorService delivery = Executors.newSingleThreadExecutor(runnable -> {
    Thread thread = new Thread(runnable, "quire-cluster-events");
    thread.setDaemon(true);
    return thread;
  });

  @Override
  public boolean hasRemoteSubscribers(String cacheName, Object self) {
    for (Subscriber s : subscribers) {
      if (s.cacheName().equals(cacheName) && s.self() != self) {
        return true;
      }
    }
    return false;
  }

  @Override
  public void publish(String cacheName, Object self, List<EncodedEvent> events) {
    List<EncodedEvent> copy = List.copyOf(events);
    delivery.execute(() -> {
      for (Subscriber s : subscribers) {
        if (s.cacheName().equals(cacheName) && s.self() != self) {
          try {
            s.handler().accept(copy);
          } catch (RuntimeException e) {
            System.getLogger(InJvmEventBus.class.getName())
                .log(System.Logger.Level.WARNING, "delivering events of cache '" + cacheName + "' failed", e);
          }
        }
      }
    });
  }

  @Override
  public Runnable subscribe(String cacheName, Object self, Consumer<List<EncodedEvent>> handler) {
    Subscriber subscriber = new Subscriber(cacheName, self, handler);
    subscribers.add(subscriber);
    return () -> subscribers.remove(subscriber);
  }

  @Override
  public void close() {
    delivery.shutdownNow();
  }
}
