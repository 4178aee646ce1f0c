package io.quire.testkit.history;

/** Shorthands for hand-made histories: each call records one complete operation with explicit times. */
final class Histories {

  private final History<String> history = new History<>();

  History<String> history() {
    return history;
  }

  Histories write(int client, String key, long value, long from, long to) {
    history.ok(history.invoke(client, key, Op.write(value), from), to);
    return this;
  }

  Histories read(int client, String key, long value, long from, long to) {
    history.ok(history.invoke(client, key, Op.read(), from), value, to);
    return this;
  }

  Histories cas(int client, String key, long expected, long update, boolean swapped, long from, long to) {
    history.ok(history.invoke(client, key, Op.cas(expected, update), from), swapped, to);
    return this;
  }

  /** A write whose outcome the client never learned. */
  Histories unknownWrite(int client, String key, long value, long from) {
    history.unknown(history.invoke(client, key, Op.write(value), from));
    return this;
  }

  /** A CAS whose outcome the client never learned. */
  Histories unknownCas(int client, String key, long expected, long update, long from) {
    history.unknown(history.invoke(client, key, Op.cas(expected, update), from));
    return this;
  }
}
