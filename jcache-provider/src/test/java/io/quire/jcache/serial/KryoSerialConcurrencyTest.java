package io.quire.jcache.serial;

import static io.quire.jcache.serial.Serializers.LOADER;
import static org.assertj.core.api.Assertions.assertThat;

import io.quire.jcache.serial.fixtures.Point;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** One serializer instance shared by several threads, as a cache shares it. */
class KryoSerialConcurrencyTest {
  private static final int THREADS = 4;
  private static final int ROUND_TRIPS = 10_000;

  @Test
  @Timeout(20)
  void roundTrips_fromFourThreadsOnOneInstance_allEqual() throws Exception {
    KryoValueSerializer serializer = Serializers.fixtures();
    ExecutorService executor = Executors.newFixedThreadPool(THREADS);
    try {
      List<Future<Integer>> results = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        int thread = t;
        results.add(executor.submit((Callable<Integer>) () -> {
          int equal = 0;
          for (int i = 0; i < ROUND_TRIPS; i++) {
            Object value = valueFor(thread, i);
            Object back = serializer.deserialize(serializer.serialize(value), LOADER);
            if (back.equals(value)) {
              equal++;
            }
          }
          return equal;
        }));
      }
      for (Future<Integer> result : results) {
        assertThat(result.get()).isEqualTo(ROUND_TRIPS);
      }
    } finally {
      executor.shutdownNow();
    }
  }

  // Mixes by-id, by-name and nested values so threads exercise different Kryo state at the same time.
  private static Object valueFor(int thread, int i) {
    return switch (i % 4) {
      case 0 -> "t" + thread + "-" + i;
      case 1 -> new Point(thread, i, "p" + i);
      case 2 -> new ArrayList<>(List.of((long) i, new Point(i, thread, null)));
      default -> {
        Map<String, Object> map = new HashMap<>();
        map.put("thread", thread);
        map.put("points", new ArrayList<>(List.of(new Point(1, 2, "x"))));
        yield map;
      }
    };
  }
}
