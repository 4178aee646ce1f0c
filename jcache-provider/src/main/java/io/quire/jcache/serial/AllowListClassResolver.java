package io.quire.jcache.serial;

import com.esotericsoftware.kryo.Registration;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.util.IntMap;
import com.esotericsoftware.kryo.util.DefaultClassResolver;
import io.quire.spi.serial.SerializationException;
import io.quire.spi.serial.SerializerSettings;
import java.util.Arrays;

/**
 * Kryo's class resolver with the allow-list: once {@link #seal() sealed}, a class without a registration is accepted
 * only if its name is allow-listed (it is then written by name), and a class name arriving in bytes is checked
 * before anything loads it. Kryo runs with {@code registrationRequired}, so nothing bypasses this class.
 */
final class AllowListClassResolver extends DefaultClassResolver {
  /** Name ids above this are forgotten by clearing the whole table rather than one by one. */
  private static final int FORGET_ONE_BY_ONE = 16;

  private final SerializerSettings settings;
  private boolean sealed;
  private ClassLoader lastLoader;
  // The class last read by name under the current loader, and the bytes that named it (Kryo's string encoding is
  // self-delimiting, so the same bytes decode to the same name): a cache holds one value class as a rule, and decoding
  // the name into a String and hashing it was a quarter of a by-name value's get (JFR, JCacheBench.getItem).
  private byte[] lastNameBytes;
  private Class<?> lastNamed;
  // The highest name id read since the last reset, so that reset forgets just those (-1: none). Clearing Kryo's whole
  // IntMap after every value was another tenth of that get.
  private int highestReadNameId = -1;

  AllowListClassResolver(SerializerSettings settings) {
    this.settings = settings;
  }

  /** Ends setup: from now on unregistered classes must pass the allow-list. */
  void seal() {
    sealed = true;
    // A name read before sealing was not checked against the allow-list; it must not skip the check now.
    lastNameBytes = null;
    lastNamed = null;
  }

  /**
   * Called before each read. Names resolved through another loader must not be reused: the same name can denote a
   * different class under each cache manager's loader.
   */
  void useLoader(ClassLoader loader) {
    if (loader != lastLoader) {
      if (nameToClass != null) {
        nameToClass.clear();
      }
      lastLoader = loader;
      lastNameBytes = null;
      lastNamed = null;
    }
  }

  @Override
  @SuppressWarnings("rawtypes")
  protected Registration readName(Input input) {
    int start = input.position();
    int nameId = input.readVarInt(true);
    highestReadNameId = Math.max(highestReadNameId, nameId);
    boolean firstMention = nameIdToClass == null || nameIdToClass.get(nameId) == null;
    int nameStart = input.position();
    byte[] known = lastNameBytes;
    if (firstMention && known != null && input.limit() - nameStart >= known.length
        && Arrays.equals(input.getBuffer(), nameStart, nameStart + known.length, known, 0, known.length)) {
      input.setPosition(nameStart + known.length);
      if (nameIdToClass == null) {
        nameIdToClass = new IntMap<>();
      }
      nameIdToClass.put(nameId, lastNamed);
      return kryo.getRegistration(lastNamed);
    }
    input.setPosition(start);
    Registration registration = super.readName(input);
    if (firstMention && input.getInputStream() == null) {
      lastNameBytes = Arrays.copyOfRange(input.getBuffer(), nameStart, input.position());
      lastNamed = registration.getType();
    }
    return registration;
  }

  @Override
  @SuppressWarnings("rawtypes")
  public Registration getRegistration(Class type) {
    Registration registration = super.getRegistration(type);
    if (registration != null || !sealed || isEnumConstantBody(type)) {
      // Kryo maps an enum constant with a body to its enum, which then comes back here to be checked.
      return registration;
    }
    if (settings.allows(type.getName())) {
      return registerImplicit(type);
    }
    throw refused(type.getName());
  }

  @Override
  @SuppressWarnings("rawtypes")
  protected Class getTypeByName(String className) {
    // Kryo's name cache holds only names that passed here under the current loader (Kryo adds a name after this
    // returned null and Class.forName found it; useLoader empties the cache), so a cached name needs no new check.
    Class known = super.getTypeByName(className);
    if (known != null) {
      return known;
    }
    // Runs before Kryo loads the class, so a refused name never reaches Class.forName (no static initialisers).
    if (sealed && !settings.allows(className)) {
      throw refused(className);
    }
    return null;
  }

  @Override
  public void reset() {
    super.reset();
    // Kryo keeps name ids across top-level operations when registration is required, so a second value of a
    // by-name class would be written as a bare id that no other Kryo instance can resolve. Each value must stand
    // alone in a page, so name ids start again with every value.
    // Kryo's maps fill their whole table on clear, empty or not; with registered keys and values (most caches) this
    // one stays empty.
    if (classToNameId != null && classToNameId.size > 0) {
      classToNameId.clear();
    }
    if (nameIdToClass != null && highestReadNameId >= 0) {
      if (highestReadNameId < FORGET_ONE_BY_ONE) {
        for (int id = 0; id <= highestReadNameId; id++) {
          nameIdToClass.remove(id);
        }
      } else {
        nameIdToClass.clear();
      }
    }
    highestReadNameId = -1;
    nextNameId = 0;
  }

  private static boolean isEnumConstantBody(Class<?> type) {
    return !type.isEnum() && Enum.class.isAssignableFrom(type) && type != Enum.class;
  }

  static SerializationException refused(String className) {
    return new SerializationException("class " + className + " is not registered or allow-listed for this cache; "
        + "add it to <serializer><allow>", className);
  }
}
