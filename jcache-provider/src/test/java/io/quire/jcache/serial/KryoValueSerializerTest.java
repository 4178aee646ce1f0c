package io.quire.jcache.serial;

import static io.quire.jcache.serial.Serializers.LOADER;
import static io.quire.jcache.serial.Serializers.roundTrip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quire.jcache.serial.evil.Gadget;
import io.quire.jcache.serial.fixtures.Money;
import io.quire.jcache.serial.fixtures.Order;
import io.quire.jcache.serial.fixtures.Person;
import io.quire.jcache.serial.fixtures.Point;
import io.quire.spi.serial.SerializationException;
import io.quire.spi.serial.SerializerSettings;
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
import java.time.ZoneId;
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
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class KryoValueSerializerTest {
  private final KryoValueSerializer serializer = Serializers.fixtures();

  /* ---- built-in types ---- */

  static Stream<Object> builtIns() {
    return Stream.of("", "héllo wörld ✓", 42, -7L, (short) 3, (byte) -1, 'x', true, 1.5f, 2.25d,
        new byte[] {1, 2, 3}, new boolean[] {true, false}, new char[] {'a', 'é'}, new short[] {1, -1},
        new int[] {Integer.MIN_VALUE, 0, Integer.MAX_VALUE}, new long[] {Long.MIN_VALUE, 5}, new float[] {0.5f},
        new double[] {Math.PI}, new String[] {"a", null, "c"}, new Object[] {1, "two", 3L},
        new BigInteger("123456789012345678901234567890"), new BigDecimal("-12.3450"), new UUID(1, -2),
        new Date(1_700_000_000_000L),
        new ArrayList<>(List.of(1, 2)), new LinkedList<>(List.of("a")), new HashMap<>(Map.of("k", 1)),
        new LinkedHashMap<>(Map.of(1, "v")), new TreeMap<>(Map.of("b", 2, "a", 1)), new HashSet<>(List.of(1, 2)),
        new LinkedHashSet<>(List.of("x", "y")), new TreeSet<>(List.of(3, 1, 2)), new ArrayDeque<>(List.of(1, 2)),
        Instant.ofEpochSecond(1_700_000_000L, 123), Duration.ofMillis(1500), LocalDate.of(2024, 2, 29),
        LocalTime.of(23, 59, 58), LocalDateTime.of(2024, 1, 2, 3, 4, 5),
        ZonedDateTime.of(2024, 1, 2, 3, 4, 5, 0, ZoneId.of("Europe/Paris")),
        OffsetDateTime.of(2024, 1, 2, 3, 4, 5, 0, ZoneOffset.ofHours(2)),
        OffsetTime.of(3, 4, 5, 0, ZoneOffset.UTC), ZoneOffset.ofHours(-5), Period.of(1, 2, 3), Year.of(2024),
        YearMonth.of(2024, 5), MonthDay.of(12, 31));
  }

  @ParameterizedTest
  @MethodSource("builtIns")
  void roundTrip_builtInType_isEqualAndSameClass(Object value) {
    Object back = roundTrip(serializer, value);
    assertThat(back).isInstanceOf(value.getClass());
    if (value.getClass().isArray()) {
      assertThat(back).usingRecursiveComparison().isEqualTo(value);
    } else if (value instanceof ArrayDeque<?> deque) {
      assertThat(List.copyOf((ArrayDeque<?>) back)).isEqualTo(List.copyOf(deque)); // ArrayDeque: identity equals
    } else {
      assertThat(back).isEqualTo(value);
    }
  }

  @ParameterizedTest
  @MethodSource("builtIns")
  void roundTrip_builtInType_worksWithoutAnyAllowList(Object value) {
    assertThat(roundTrip(Serializers.strict(), value)).isInstanceOf(value.getClass());
  }

  /* ---- user types ---- */

  @Test
  void roundTrip_record() {
    assertThat(roundTrip(serializer, new Point(1, -2, "p"))).isEqualTo(new Point(1, -2, "p"));
  }

  @Test
  void roundTrip_pojoWithNoArgConstructor() {
    assertThat(roundTrip(serializer, new Person("Ada", 36))).isEqualTo(new Person("Ada", 36));
  }

  @Test
  void roundTrip_pojoWithoutNoArgConstructor() {
    Money money = new Money(new BigDecimal("9.99"), "EUR");
    assertThat(roundTrip(serializer, money)).isEqualTo(money);
  }

  @Test
  void roundTrip_nestedCollectionsOfUserTypes() {
    Map<String, List<Money>> byCurrency = new HashMap<>();
    byCurrency.put("EUR", new ArrayList<>(List.of(new Money(BigDecimal.ONE, "EUR"))));
    byCurrency.put("USD", new ArrayList<>());
    Order order = new Order("o-1", new ArrayList<>(List.of(new Point(0, 0, null), new Point(1, 1, "b"))),
        byCurrency, Order.Status.SHIPPED);
    assertThat(roundTrip(serializer, order)).isEqualTo(order);
  }

  @Test
  void roundTrip_nestedJdkCollections() {
    var value = new HashMap<String, Object>();
    value.put("list", new ArrayList<>(List.of(new TreeMap<>(Map.of(1, new int[0].length)), new HashSet<>())));
    value.put("map", new LinkedHashMap<>(Map.of("deep", new ArrayList<>(List.of(new ArrayList<>(List.of("x")))))));
    assertThat(roundTrip(serializer, value)).isEqualTo(value);
  }

  @Test
  void roundTrip_registeredClass_travelsAsIdNotName() {
    var settings = new SerializerSettings(List.of(), Map.of(Point.class.getName(), 300), true);
    var registered = new KryoValueSerializer(settings, LOADER);
    byte[] bytes = registered.serialize(new Point(1, 2, "r"));
    assertThat(new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1)).doesNotContain("Point");
    assertThat(registered.deserialize(bytes, LOADER)).isEqualTo(new Point(1, 2, "r"));
  }

  @Test
  void deserialize_honoursOffsetAndLength() {
    byte[] bytes = serializer.serialize("middle");
    byte[] padded = new byte[bytes.length + 7];
    System.arraycopy(bytes, 0, padded, 3, bytes.length);
    assertThat(serializer.deserialize(padded, 3, bytes.length, LOADER)).isEqualTo("middle");
  }

  /* ---- the allow-list ---- */

  @Test
  void serialize_classNotAllowListed_isRefusedNamingIt() {
    assertThatThrownBy(() -> serializer.serialize(new Gadget()))
        .isInstanceOf(SerializationException.class)
        .hasMessage("class io.quire.jcache.serial.evil.Gadget is not registered or allow-listed for this cache; "
            + "add it to <serializer><allow>")
        .satisfies(e -> assertThat(((SerializationException) e).className()).contains(Gadget.class.getName()));
  }

  @Test
  void serialize_classNotAllowListedNestedInACollection_isRefusedNamingIt() {
    assertThatThrownBy(() -> serializer.serialize(new ArrayList<>(List.of("ok", new Gadget()))))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("class io.quire.jcache.serial.evil.Gadget is not registered or allow-listed")
        .satisfies(e -> assertThat(((SerializationException) e).className()).contains(Gadget.class.getName()));
  }

  @Test
  void deserialize_classNotAllowListed_isRefusedNamingIt() {
    byte[] crafted = Serializers.permissive().serialize(new Gadget());
    assertThatThrownBy(() -> serializer.deserialize(crafted, LOADER))
        .isInstanceOf(SerializationException.class)
        .hasMessage("class io.quire.jcache.serial.evil.Gadget is not registered or allow-listed for this cache; "
            + "add it to <serializer><allow>");
  }

  @Test
  void deserialize_byNameClassesInTurn_eachValueDecodesAsItsOwn() {
    // The resolver remembers the last class read by name (and its name's bytes): values of other classes, and graphs
    // naming several, must still decode as themselves.
    Point point = new Point(1, 2, "p");
    Person person = new Person("Ada", 36);
    Money money = new Money(new BigDecimal("9.99"), "EUR");
    Order order = new Order("o-1", new ArrayList<>(List.of(new Point(0, 0, null))),
        new HashMap<>(Map.of("EUR", new ArrayList<>(List.of(money)))), Order.Status.SHIPPED);
    List<Object> values = List.of(point, point, person, point, order, money, order, person, person, point);
    List<byte[]> bytes = values.stream().map(serializer::serialize).toList();

    for (int i = 0; i < values.size(); i++) {
      assertThat(serializer.deserialize(bytes.get(i), LOADER)).as("value %d", i).isEqualTo(values.get(i));
    }
  }

  @Test
  void deserialize_classNotAllowListedAfterAnAllowedOne_isStillRefused() {
    byte[] allowed = serializer.serialize(new Point(1, 2, "p"));
    byte[] crafted = Serializers.permissive().serialize(new Gadget());
    assertThat(serializer.deserialize(allowed, LOADER)).isEqualTo(new Point(1, 2, "p"));

    assertThatThrownBy(() -> serializer.deserialize(crafted, LOADER))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("class io.quire.jcache.serial.evil.Gadget is not registered or allow-listed");
    assertThat(serializer.deserialize(allowed, LOADER)).isEqualTo(new Point(1, 2, "p"));
  }

  @Test
  void deserialize_classNotAllowListedNestedInARecordField_isRefused() {
    byte[] crafted = Serializers.permissive().serialize(new HashMap<>(Map.of("payload", new Gadget())));
    assertThatThrownBy(() -> Serializers.strict().deserialize(crafted, LOADER))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("class io.quire.jcache.serial.evil.Gadget is not registered or allow-listed")
        .satisfies(e -> assertThat(((SerializationException) e).className()).contains(Gadget.class.getName()));
  }

  @Test
  void registrationRequired_refusesAllowListedButUnregisteredClass() {
    var settings = new SerializerSettings(List.of("io.quire.jcache.serial.fixtures.*"), Map.of(), true);
    assertThatThrownBy(() -> new KryoValueSerializer(settings, LOADER).serialize(new Point(0, 0, "")))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("class " + Point.class.getName() + " is not registered or allow-listed");
  }

  @Test
  void serialize_lambda_isRefused() {
    Runnable lambda = () -> { };
    assertThatThrownBy(() -> serializer.serialize(lambda)).isInstanceOf(SerializationException.class)
        .hasMessageContaining("KryoValueSerializerTest$$Lambda");
  }

  @Test
  void serialize_cyclicValue_failsAtMaxDepthInsteadOfOverflowingTheStack() {
    List<Object> cycle = new ArrayList<>();
    cycle.add(cycle);
    assertThatThrownBy(() -> serializer.serialize(cycle)).isInstanceOf(SerializationException.class)
        .hasMessageContaining("java.util.ArrayList");
    assertThat(roundTrip(serializer, "still usable")).isEqualTo("still usable");
  }

  /* ---- contract ---- */

  @Test
  void nullArguments_areRejectedWithNpe() {
    assertThatNullPointerException().isThrownBy(() -> serializer.serialize(null)).withMessage("value");
    assertThatNullPointerException().isThrownBy(() -> serializer.deserialize(null, 0, 0, LOADER));
    assertThatNullPointerException().isThrownBy(() -> serializer.deserialize(new byte[1], 0, 1, null));
  }

  @Test
  void constructor_unloadableRegisteredClass_failsNamingIt() {
    var settings = new SerializerSettings(List.of(), Map.of("com.example.Missing", 256), false);
    assertThatThrownBy(() -> new KryoSerializerFactory().create(settings, LOADER))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("registered class com.example.Missing (id 256) cannot be loaded");
  }
}
