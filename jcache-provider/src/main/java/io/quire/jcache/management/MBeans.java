package io.quire.jcache.management;

import java.lang.management.ManagementFactory;
import java.net.URI;
import javax.cache.CacheException;
import javax.management.InstanceAlreadyExistsException;
import javax.management.InstanceNotFoundException;
import javax.management.MBeanServer;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;

/**
 * Registers the JCache MXBeans of caches in the platform MBeanServer under the names JCache prescribes:
 * {@code javax.cache:type=CacheStatistics|CacheConfiguration,CacheManager=<uri>,Cache=<name>}.
 */
public final class MBeans {
  /** The two kinds of JCache MXBean. */
  public enum Kind {
    CONFIGURATION("CacheConfiguration"),
    STATISTICS("CacheStatistics");

    private final String type;

    Kind(String type) {
      this.type = type;
    }
  }

  private MBeans() {}

  /** Registers {@code bean}, replacing nothing: a second registration of the same name is a no-op. */
  public static void register(Kind kind, URI manager, String cache, Object bean) {
    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    ObjectName name = name(kind, manager, cache);
    try {
      if (!server.isRegistered(name)) {
        server.registerMBean(bean, name);
      }
    } catch (InstanceAlreadyExistsException e) {
      // Another thread registered the same cache's bean first: the outcome the caller wanted.
    } catch (Exception e) {
      throw new CacheException("cannot register MXBean " + name + ": " + e, e);
    }
  }

  /** Unregisters a bean if it is registered. */
  public static void unregister(Kind kind, URI manager, String cache) {
    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    ObjectName name = name(kind, manager, cache);
    try {
      server.unregisterMBean(name);
    } catch (InstanceNotFoundException e) {
      // Not registered: nothing to undo.
    } catch (Exception e) {
      throw new CacheException("cannot unregister MXBean " + name + ": " + e, e);
    }
  }

  static ObjectName name(Kind kind, URI manager, String cache) {
    String text = "javax.cache:type=" + kind.type + ",CacheManager=" + sanitize(manager.toString()) + ",Cache="
        + sanitize(cache);
    try {
      return new ObjectName(text);
    } catch (MalformedObjectNameException e) {
      throw new CacheException("bad MXBean name " + text, e);
    }
  }

  // JMX reserves these characters in unquoted values; JCache's own examples replace them with dots.
  private static String sanitize(String s) {
    return s == null ? "" : s.replaceAll("[,:=\n*?\"]", ".");
  }
}
