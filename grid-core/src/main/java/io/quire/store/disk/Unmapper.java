package io.quire.store.disk;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.util.logging.Level;
import java.util.logging.Logger;

/** {@code sun.misc.Unsafe.invokeCleaner}, the supported way to unmap before GC on JDK 9+; else GC unmaps. */
final class Unmapper {
  private static final Logger LOG = Logger.getLogger(Unmapper.class.getName());
  private static final Object UNSAFE;
  private static final Method INVOKE_CLEANER;

  static {
    Object unsafe = null;
    Method invokeCleaner = null;
    try {
      Class<?> type = Class.forName("sun.misc.Unsafe");
      Field field = type.getDeclaredField("theUnsafe");
      field.setAccessible(true);
      unsafe = field.get(null);
      invokeCleaner = type.getMethod("invokeCleaner", ByteBuffer.class);
    } catch (ReflectiveOperationException | RuntimeException e) {
      LOG.log(Level.FINE, "no sun.misc.Unsafe.invokeCleaner: mapped files are unmapped by GC", e);
    }
    UNSAFE = unsafe;
    INVOKE_CLEANER = invokeCleaner;
  }

  static void unmap(MappedByteBuffer buffer) {
    if (INVOKE_CLEANER == null) {
      return;
    }
    try {
      INVOKE_CLEANER.invoke(UNSAFE, buffer);
    } catch (ReflectiveOperationException | RuntimeException e) {
      LOG.log(Level.FINE, "could not unmap a mapped file region; GC will", e);
    }
  }
}
