package io.quire.jcache.config;

/** Resolves the class names a descriptor keeps as strings, failing with the element that named them. */
public final class DescriptorClasses {
  private DescriptorClasses() {}

  /**
   * Loads {@code className} with {@code loader} without initialising it (initialisation is the cache's business).
   *
   * @throws DescriptorException naming {@code where}'s file, line and element if the class cannot be loaded
   */
  public static Class<?> resolve(String className, ClassLoader loader, Locatable where) {
    try {
      return Class.forName(className, false, loader);
    } catch (ClassNotFoundException | LinkageError e) {
      throw new DescriptorException(where.location(), "class " + className + " cannot be loaded by " + loader
          + " (" + e + ")");
    }
  }
}
