package io.quire.jcache.serial;

import static org.assertj.core.api.Assertions.assertThat;

import io.quire.jcache.serial.fixtures.Point;
import com.esotericsoftware.kryo.Kryo;
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
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The serialised form is stored in pages and exchanged between nodes, so it must not drift. If a golden test fails,
 * an id was renumbered or a serializer changed: that breaks every existing page. Fix the code, not the expectation;
 * a deliberate format change needs a new format version and a note in docs/design/serialization.md.
 */
class KryoSerialFormatTest {

  static Stream<Arguments> golden() {
    return Stream.of(
        // 02 = id 0 (Integer) + 2, then the zigzag varint 84.
        Arguments.of(42, "0254"),
        Arguments.of("quire", "0371756972e5"),
        Arguments.of(new byte[] {1, 2, 3}, "1204010203"),
        Arguments.of(new int[] {1, -1}, "16030201"),
        Arguments.of(new ArrayList<>(List.of(7L, "a")), "3203090e038261"),
        Arguments.of(new HashMap<>(Map.of("k", true)), "340203826b0501"),
        Arguments.of(new UUID(1, 2), "2401000000000000000200000000000000"),
        Arguments.of(new BigDecimal("1.50"), "2303009604"),
        Arguments.of(LocalDate.of(2024, 2, 29), "44e80f021d"),
        Arguments.of(Instant.ofEpochSecond(1_700_000_000L, 5), "4280e2cfaa0605"),
        // By name: 01 = "class by name", 00 = name id, then the ASCII name with the last byte's high bit set.
        Arguments.of(new Point(1, 2, "p"), "0100696f2e71756972652e6a63616368652e73657269616c2e66697874757265732e506f696ef482700204"));
  }

  @ParameterizedTest
  @MethodSource("golden")
  void serialize_matchesGoldenBytes(Object value, String hex) {
    byte[] bytes = Serializers.fixtures().serialize(value);
    assertThat(HexFormat.of().formatHex(bytes)).isEqualTo(hex);
  }

  @ParameterizedTest
  @MethodSource("golden")
  void serialize_twoIndependentInstances_produceIdenticalBytes(Object value, String ignored) {
    assertThat(Serializers.fixtures().serialize(value)).isEqualTo(Serializers.permissive().serialize(value));
  }

  /** The id table of docs/design/serialization.md, entry by entry. */
  @Test
  void builtInIds_matchTheDocumentedTable() {
    Kryo kryo = new Kryo();
    kryo.setRegistrationRequired(true);
    BuiltInRegistrations.registerAll(kryo);
    Map<Class<?>, Integer> table = new LinkedHashMap<>();
    Object[] pairs = {int.class, 0, Integer.class, 0, String.class, 1, float.class, 2, boolean.class, 3, byte.class, 4,
        char.class, 5, short.class, 6, long.class, 7, Long.class, 7, double.class, 8, Double.class, 8,
        byte[].class, 16, boolean[].class, 17, char[].class, 18, short[].class, 19, int[].class, 20, long[].class, 21,
        float[].class, 22, double[].class, 23, String[].class, 24, Object[].class, 25,
        BigInteger.class, 32, BigDecimal.class, 33, UUID.class, 34, Date.class, 35,
        ArrayList.class, 48, LinkedList.class, 49, HashMap.class, 50, LinkedHashMap.class, 51, TreeMap.class, 52,
        HashSet.class, 53, LinkedHashSet.class, 54, TreeSet.class, 55, ArrayDeque.class, 56,
        Instant.class, 64, Duration.class, 65, LocalDate.class, 66, LocalTime.class, 67, LocalDateTime.class, 68,
        ZonedDateTime.class, 69, OffsetDateTime.class, 70, OffsetTime.class, 71, ZoneOffset.class, 72,
        Period.class, 73, Year.class, 74, YearMonth.class, 75, MonthDay.class, 76};
    for (int i = 0; i < pairs.length; i += 2) {
      table.put((Class<?>) pairs[i], (Integer) pairs[i + 1]);
    }
    table.forEach((type, id) -> assertThat(kryo.getRegistration(type).getId()).as(type.getName()).isEqualTo(id));
  }
}
