package io.quire.spi.serial;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which classes a serializer may write and read, beyond the JDK value types every implementation accepts.
 *
 * <p>A class is permitted when it is registered (it then travels as a compact numeric id), or, unless
 * {@code registrationRequired}, when its name matches an allow-list pattern (it then travels by name). Nothing else
 * is ever instantiated from bytes: deserialising arbitrary classes from the network is how gadget-chain attacks work.
 *
 * @param allow patterns: an exact binary name ({@code com.example.Order}, {@code com.example.Order$Line}) or a
 *     package prefix ending in {@code .*} ({@code com.example.*}, which also admits sub-packages and nested classes);
 *     a bare {@code *} is refused on purpose. An array is permitted when its element type is.
 * @param registered binary class name to id; ids are part of the stored format, so never renumber one, and must be
 *     at least {@link #FIRST_USER_ID} (lower ids belong to the implementation's built-in types)
 * @param registrationRequired when true only registered classes and built-in types are accepted; {@code allow} is
 *     then not consulted
 */
public record SerializerSettings(List<String> allow, Map<String, Integer> registered, boolean registrationRequired) {

  /** The lowest id a user registration may take; ids below it are reserved for built-in types. */
  public static final int FIRST_USER_ID = 256;

  private static final Pattern ALLOW_PATTERN =
      Pattern.compile("[\\p{L}_$][\\p{L}\\p{N}_$]*(\\.[\\p{L}_$][\\p{L}\\p{N}_$]*)*(\\.\\*)?");

  /** Validates and copies the arguments. */
  public SerializerSettings {
    allow = List.copyOf(requireNonNull(allow, "allow"));
    registered = Map.copyOf(requireNonNull(registered, "registered"));
    for (String pattern : allow) {
      if (!ALLOW_PATTERN.matcher(pattern).matches()) {
        throw new IllegalArgumentException("allow pattern '" + pattern + "' is neither a class name nor a "
            + "package prefix such as com.example.*");
      }
    }
    Set<Integer> ids = new HashSet<>();
    registered.forEach((name, id) -> {
      if (id < FIRST_USER_ID) {
        throw new IllegalArgumentException("class " + name + " has id " + id + "; user ids start at " + FIRST_USER_ID);
      }
      if (!ids.add(id)) {
        throw new IllegalArgumentException("id " + id + " is registered twice (again for " + name + ")");
      }
    });
  }

  /** Only the built-in JDK value types. */
  public static SerializerSettings defaults() {
    return new SerializerSettings(List.of(), Map.of(), false);
  }

  /** These settings with {@code patterns} added to the allow-list. */
  public SerializerSettings withAllowed(String... patterns) {
    List<String> all = new ArrayList<>(allow);
    all.addAll(List.of(patterns));
    return new SerializerSettings(all, registered, registrationRequired);
  }

  /**
   * Whether {@code className} (a binary name as {@link Class#getName()} gives it, arrays included) may be written or
   * read by name. Registered classes are permitted regardless; this answers for the allow-list only.
   */
  public boolean allows(String className) {
    requireNonNull(className, "className");
    if (registrationRequired) {
      return false;
    }
    String element = elementName(className);
    if (element.isEmpty()) {
      return true; // an array of primitives
    }
    for (String pattern : allow) {
      if (pattern.endsWith(".*")
          ? element.startsWith(pattern.substring(0, pattern.length() - 1))
          : element.equals(pattern)) {
        return true;
      }
    }
    return false;
  }

  // "[[Lcom.example.Foo;" -> "com.example.Foo"; "[I" -> ""; other names unchanged.
  private static String elementName(String className) {
    if (!className.startsWith("[")) {
      return className;
    }
    String element = className.substring(className.lastIndexOf('[') + 1);
    return element.startsWith("L") && element.endsWith(";") ? element.substring(1, element.length() - 1) : "";
  }
}
