package io.quire.jcache.serial;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.serializers.DefaultSerializers;
import io.quire.jcache.serial.LengthChecks.ArrayLengthCheck;
import io.quire.jcache.serial.LengthChecks.BoundedCollectionSerializer;
import io.quire.jcache.serial.LengthChecks.BoundedMapSerializer;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.MonthDay;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.Period;
import java.time.Year;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.LinkedList;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

/**
 * The built-in id table. These ids are written into pages and sent between nodes: never renumber or reuse one; add
 * new types at new ids only. {@code docs/design/serialization.md} holds the same table.
 *
 * <p>Ids 0 to 8 are registered by Kryo's own constructor (int/Integer 0, String 1, float/Float 2, boolean/Boolean 3,
 * byte/Byte 4, char/Character 5, short/Short 6, long/Long 7, double/Double 8; a boxed value shares its primitive's
 * id), so they are pinned by the Kryo version as much as by us. Ids 9 to 255 are ours (gaps left for growth); user
 * registrations start at 256. On the wire an id is written as the unsigned varint {@code id + 2}.
 */
final class BuiltInRegistrations {
  private BuiltInRegistrations() {}

  static void registerAll(Kryo kryo) {
    // Arrays (16-25): length-checked on read.
    array(kryo, byte[].class, 16);
    array(kryo, boolean[].class, 17);
    array(kryo, char[].class, 18);
    array(kryo, short[].class, 19);
    array(kryo, int[].class, 20);
    array(kryo, long[].class, 21);
    array(kryo, float[].class, 22);
    array(kryo, double[].class, 23);
    array(kryo, String[].class, 24);
    array(kryo, Object[].class, 25); // elements still pass the allow-list one by one

    // Numbers and identifiers (32-35).
    kryo.register(BigInteger.class, 32);
    kryo.register(BigDecimal.class, 33);
    kryo.register(UUID.class, new DefaultSerializers.UUIDSerializer(), 34); // not a Kryo default: explicit
    kryo.register(Date.class, 35);

    // Collections (48-56). Only JDK types whose serializers build them through a constructor and add(): no
    // comparator or handler classes travel, except TreeMap/TreeSet comparators, which must pass the allow-list.
    kryo.register(ArrayList.class, new BoundedCollectionSerializer(), 48);
    kryo.register(LinkedList.class, new BoundedCollectionSerializer(), 49);
    kryo.register(HashMap.class, new BoundedMapSerializer(), 50);
    kryo.register(LinkedHashMap.class, new BoundedMapSerializer(), 51);
    kryo.register(TreeMap.class, 52); // Kryo's TreeMapSerializer: creates an empty TreeMap, no preallocation
    kryo.register(HashSet.class, new BoundedCollectionSerializer(), 53);
    kryo.register(LinkedHashSet.class, new BoundedCollectionSerializer(), 54);
    kryo.register(TreeSet.class, 55); // Kryo's TreeSetSerializer, as TreeMap
    kryo.register(ArrayDeque.class, new BoundedCollectionSerializer(), 56);

    // java.time (64-76), with Kryo's TimeSerializers. ZonedDateTime writes its zone as a string id; ZoneId itself
    // is not registered because its runtime class (java.time.ZoneRegion) is internal to the JDK.
    kryo.register(Instant.class, 64);
    kryo.register(Duration.class, 65);
    kryo.register(LocalDate.class, 66);
    kryo.register(LocalTime.class, 67);
    kryo.register(LocalDateTime.class, 68);
    kryo.register(ZonedDateTime.class, 69);
    kryo.register(OffsetDateTime.class, 70);
    kryo.register(OffsetTime.class, 71);
    kryo.register(ZoneOffset.class, 72);
    kryo.register(Period.class, 73);
    kryo.register(Year.class, 74);
    kryo.register(YearMonth.class, 75);
    kryo.register(MonthDay.class, 76);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static void array(Kryo kryo, Class<?> type, int id) {
    Serializer serializer = kryo.getDefaultSerializer(type);
    kryo.register(type, new ArrayLengthCheck<>(serializer), id);
  }
}
