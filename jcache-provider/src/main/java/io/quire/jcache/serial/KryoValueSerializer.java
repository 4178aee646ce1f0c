package io.quire.jcache.serial;

import static java.util.Objects.requireNonNull;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.util.DefaultInstantiatorStrategy;
import com.esotericsoftware.kryo.util.Pool;
import io.quire.spi.serial.SerializationException;
import io.quire.spi.serial.SerializerSettings;
import io.quire.spi.serial.ValueSerializer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.objenesis.strategy.StdInstantiatorStrategy;

/**
 * A {@link ValueSerializer} on Kryo 5: registered classes travel as ids (see {@link BuiltInRegistrations}), allow-listed
 * ones by name, and nothing else in either direction. Safe for concurrent use: each call borrows a Kryo (with its
 * output buffer) from the calling thread's idle slot, or from a pool.
 *
 * <p>Objects without a no-arg constructor are created by Objenesis (no constructor runs), records through their
 * canonical constructor. References are not tracked, so shared sub-objects are written once per occurrence and a
 * cyclic value fails at {@link #MAX_DEPTH} instead of recursing until the stack overflows.
 */
public final class KryoValueSerializer implements ValueSerializer {
  /** Deepest object nesting accepted on write and on read; forged bytes cannot nest deeper than this either. */
  public static final int MAX_DEPTH = 256;

  // Kryo instances kept when idle; more are created under contention and dropped when the pool is full.
  private static final int POOL_CAPACITY = 64;
  private static final int INITIAL_BUFFER = 256;
  // An output buffer that grew beyond this for a large value is dropped after the call rather than kept per thread.
  private static final int KEPT_BUFFER = 16 * 1024;

  private final SerializerSettings settings;
  private final Map<Class<?>, Integer> registrations;
  private final Pool<Session> pool;
  // One idle Kryo per thread in front of the pool: the pool's queue locks twice per call and made two threads wait on
  // each other (profiled in benchmarks/README.md). A call made while the thread's Kryo is in use (user code
  // re-entering the cache from inside Kryo) finds the slot empty and takes one from the pool instead.
  private final ThreadLocal<Session[]> idle = ThreadLocal.withInitial(() -> new Session[1]);

  /** A Kryo and the output buffer that goes with it, so that a serialisation allocates only its result. */
  private static final class Session {
    final Kryo kryo;
    Output output = new Output(INITIAL_BUFFER, -1);

    Session(Kryo kryo) {
      this.kryo = kryo;
    }
  }

  /**
   * Creates a serializer; {@code loader} resolves the names in {@link SerializerSettings#registered()}.
   *
   * @throws SerializationException if a registered class cannot be loaded
   */
  public KryoValueSerializer(SerializerSettings settings, ClassLoader loader) {
    this.settings = requireNonNull(settings, "settings");
    requireNonNull(loader, "loader");
    this.registrations = resolve(settings.registered(), loader);
    this.pool = new Pool<>(true, false, POOL_CAPACITY) {
      @Override
      protected Session create() {
        return new Session(newKryo());
      }
    };
    pool.free(new Session(newKryo())); // fail now, not on first use, if a registration is broken
  }

  @Override
  public byte[] serialize(Object value) {
    requireNonNull(value, "value");
    Session session = acquire();
    boolean healthy = false;
    try {
      Output output = session.output;
      output.reset();
      session.kryo.writeClassAndObject(output, value);
      healthy = true;
      return output.toBytes();
    } catch (RuntimeException e) {
      String type = value.getClass().getName();
      throw translate("cannot serialise a value of type " + type, type, e);
    } finally {
      release(session, healthy);
    }
  }

  @Override
  public Object deserialize(byte[] bytes, int offset, int length, ClassLoader loader) {
    requireNonNull(bytes, "bytes");
    requireNonNull(loader, "loader");
    Objects.checkFromIndexSize(offset, length, bytes.length);
    Session session = acquire();
    Kryo kryo = session.kryo;
    boolean healthy = false;
    try {
      kryo.setClassLoader(loader);
      ((AllowListClassResolver) kryo.getClassResolver()).useLoader(loader);
      BoundedInput input = new BoundedInput(bytes, offset, length);
      Object value = kryo.readClassAndObject(input);
      healthy = true;
      if (value == null) {
        throw corrupt(length, "they encode null, which is never written");
      }
      if (input.remaining() != 0) {
        throw corrupt(length, input.remaining() + " bytes are left over after the value");
      }
      return value;
    } catch (RuntimeException e) {
      throw translate("cannot deserialise " + length + " bytes (corrupt, truncated, or written with other "
          + "serializer settings)", null, e);
    } finally {
      release(session, healthy);
    }
  }

  @Override
  public String toString() {
    return "KryoValueSerializer" + settings;
  }

  private Kryo newKryo() {
    AllowListClassResolver resolver = new AllowListClassResolver(settings);
    Kryo kryo = new Kryo(resolver, null); // no reference resolver: references off, values are trees
    kryo.setRegistrationRequired(true);
    kryo.setInstantiatorStrategy(new DefaultInstantiatorStrategy(new StdInstantiatorStrategy()));
    kryo.setMaxDepth(MAX_DEPTH);
    BuiltInRegistrations.registerAll(kryo);
    registrations.forEach((type, id) -> kryo.register(type, id));
    resolver.seal();
    return kryo;
  }

  /**
   * Returns a Kryo to the pool. One that threw mid-operation is repaired first: Kryo's own {@code finally} blocks
   * restore the depth and reset the resolvers, but a generics stack pushed by a field serializer can stay pushed, so
   * it is replaced with a fresh one. Repairing rather than discarding keeps a stream of corrupt input from turning
   * into a stream of Kryo constructions.
   */
  private void release(Session session, boolean healthy) {
    if (!healthy) {
      session.kryo.reset();
      session.kryo.setOptimizedGenerics(true); // installs a new, empty DefaultGenerics
    }
    if (session.output.getBuffer().length > KEPT_BUFFER) {
      session.output = new Output(INITIAL_BUFFER, -1);
    }
    Session[] slot = idle.get();
    if (slot[0] == null) {
      slot[0] = session;
    } else {
      pool.free(session);
    }
  }

  private Session acquire() {
    Session[] slot = idle.get();
    Session session = slot[0];
    if (session != null) {
      slot[0] = null;
      return session;
    }
    return pool.obtain();
  }

  private static Map<Class<?>, Integer> resolve(Map<String, Integer> names, ClassLoader loader) {
    Map<Class<?>, Integer> classes = new LinkedHashMap<>();
    names.forEach((name, id) -> {
      try {
        classes.put(Class.forName(name, false, loader), id);
      } catch (ClassNotFoundException | LinkageError e) {
        throw new SerializationException("registered class " + name + " (id " + id + ") cannot be loaded by "
            + loader, name, e);
      }
    });
    return Map.copyOf(classes);
  }

  private static SerializationException corrupt(int length, String problem) {
    return new SerializationException("cannot deserialise " + length + " bytes: " + problem, (String) null);
  }

  /**
   * Kryo wraps exceptions thrown inside nested serializers in {@code KryoException}s carrying a serialization trace;
   * a refusal by the allow-list is found in that chain and keeps its message and class name.
   */
  private static SerializationException translate(String context, String className, RuntimeException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SerializationException refusal) {
        return t == e ? refusal : new SerializationException(refusal.getMessage(),
            refusal.className().orElse(className), e);
      }
    }
    return new SerializationException(context + ": " + e.getMessage(), className, e);
  }
}
