package io.quire.node;

import io.quire.core.ClusterNode;
import io.quire.core.address.AddressRange;
import io.quire.core.address.GlobalAddress;
import io.quire.core.address.PageSize;
import io.quire.core.page.Durability;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * The hidden {@code --self-test} of {@code quire node}, for multi-process tests: the node runs requests it finds in
 * {@code <data>/self-test/} ({@code request-<n>.properties}, written atomically by the test) and answers each in
 * {@code result-<n>.properties}. Two operations:
 * <ul>
 *   <li>{@code op=write}, {@code pages=N}: allocates N persistent pages and writes {@link #content} to each; the
 *       result has the range ({@code range.hi}, {@code range.lo}, {@code pages}) and how many writes were
 *       acknowledged ({@code acknowledged}), each by its owner and its k - 1 backups.
 *   <li>{@code op=read}, {@code range.hi}, {@code range.lo}, {@code pages}: reads every page; the result counts the
 *       pages that read as written ({@code good}) and says what the first other page held ({@code firstBad}).
 *   <li>{@code op=load}, {@code pages=N}, {@code millis=T}, {@code log=NAME}: allocates N persistent pages and, for T
 *       milliseconds, writes {@code load <i>} to page {@code i mod N} for i = 1, 2, ...; after each acknowledged
 *       write it appends {@code <page> <i>} to {@code DIR/self-test/NAME} (the first line names the range), unbuffered,
 *       so a test that kills this node mid-load still knows what was acknowledged. The result has the range,
 *       {@code acknowledged}, and per page {@code attempted.<p>} (the last value tried; a write that failed may or may
 *       not have taken effect).
 *   <li>{@code op=read-values}, {@code range.hi}, {@code range.lo}, {@code pages}: reads every page and answers
 *       {@code value.<p>}, the {@code i} of its {@code load <i>} (0 for a page that holds something else).
 *   <li>{@code op=cache-put}, {@code cache}, {@code entries=N}: through this node's JCache manager, creates the cache
 *       (String keys and values) if the cluster has none of that name and puts {@code key-i -> value-i};
 *       {@code acknowledged} counts the puts that returned.
 *   <li>{@code op=cache-get}, {@code cache}, {@code entries=N}: gets every such key; {@code good} counts the values
 *       read as put, {@code firstBad} names the first other.
 *   <li>{@code op=cache-increment}, {@code cache}, {@code keys=K}, {@code times=N}: N rounds of {@code invoke} on
 *       {@code counter-0 .. counter-(K-1)}, each adding one to the counter (a decimal string; absent reads as 0);
 *       {@code acknowledged} counts the invokes that returned, and {@code value.<k>} is each counter read at the end.
 * </ul>
 * Every result has {@code error} when the operation failed part-way.
 */
final class SelfTest {
  static final String DIRECTORY = "self-test";

  private final ClusterNode node;
  private final PageSize pageSize;
  private final Path directory;
  private final PrintStream log;
  private final java.util.function.Supplier<javax.cache.CacheManager> caches;

  SelfTest(ClusterNode node, PageSize pageSize, Path dataDirectory, PrintStream log,
      java.util.function.Supplier<javax.cache.CacheManager> caches) {
    this.node = node;
    this.caches = caches;
    this.pageSize = pageSize;
    this.directory = dataDirectory.resolve(DIRECTORY);
    this.log = log;
    try {
      Files.createDirectories(directory);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + directory, e);
    }
  }

  /** What page {@code index} of a self-test range starting at {@code start} holds. */
  static byte[] content(GlobalAddress start, long index) {
    return ("self-test page " + index + " of " + start).getBytes(StandardCharsets.UTF_8);
  }

  /** Runs every request that has no result yet, in name order. */
  void poll() {
    try (Stream<Path> files = Files.list(directory)) {
      for (Path request : files.filter(SelfTest::isRequest).sorted().toList()) {
        Path result = directory.resolve(request.getFileName().toString().replace("request-", "result-"));
        if (!Files.exists(result)) {
          NodeStatus.writeAtomically(result, run(NodeStatus.read(request)), "quire node self-test result");
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + directory, e);
    }
  }

  private static boolean isRequest(Path file) {
    String name = file.getFileName().toString();
    return name.startsWith("request-") && name.endsWith(".properties");
  }

  private Properties run(Properties request) {
    String op = request.getProperty("op", "");
    Properties result = new Properties();
    result.setProperty("op", op);
    try {
      switch (op) {
        case "write" -> write(Integer.parseInt(request.getProperty("pages")), result);
        case "read" -> read(new AddressRange(new GlobalAddress(Long.parseLong(request.getProperty("range.hi")),
            Long.parseLong(request.getProperty("range.lo"))), Long.parseLong(request.getProperty("pages")),
            pageSize), result);
        case "load" -> load(Integer.parseInt(request.getProperty("pages")),
            Long.parseLong(request.getProperty("millis")), directory.resolve(request.getProperty("log")), result);
        case "read-values" -> readValues(new AddressRange(new GlobalAddress(
            Long.parseLong(request.getProperty("range.hi")), Long.parseLong(request.getProperty("range.lo"))),
            Long.parseLong(request.getProperty("pages")), pageSize), result);
        case "cache-put" -> cachePut(cache(request.getProperty("cache"), true),
            Integer.parseInt(request.getProperty("entries")), result);
        case "cache-get" -> cacheGet(cache(request.getProperty("cache"), false),
            Integer.parseInt(request.getProperty("entries")), result);
        case "cache-increment" -> cacheIncrement(cache(request.getProperty("cache"), true),
            Integer.parseInt(request.getProperty("keys")), Integer.parseInt(request.getProperty("times")), result);
        default -> throw new IllegalArgumentException("unknown self-test op '" + op + "'");
      }
    } catch (RuntimeException e) {
      result.setProperty("error", e.toString());
    }
    log.printf("self-test %s: %s%n", op, result);
    return result;
  }

  private void write(int pages, Properties result) {
    AddressRange range = node.memory().allocate(pages, Durability.PERSISTENT);
    result.setProperty("range.hi", Long.toString(range.start().hi()));
    result.setProperty("range.lo", Long.toString(range.start().lo()));
    result.setProperty("pages", Integer.toString(pages));
    int acknowledged = 0;
    try {
      for (int p = 0; p < pages; p++) {
        node.memory().write(range.page(p), content(range.start(), p));
        acknowledged++;
      }
    } finally {
      result.setProperty("acknowledged", Integer.toString(acknowledged));
    }
  }

  private void load(int pages, long millis, Path log, Properties result) {
    AddressRange range = node.memory().allocate(pages, Durability.PERSISTENT);
    result.setProperty("range.hi", Long.toString(range.start().hi()));
    result.setProperty("range.lo", Long.toString(range.start().lo()));
    result.setProperty("pages", Integer.toString(pages));
    append(log, "range " + range.start().hi() + " " + range.start().lo() + " " + pages + "\n");
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(millis);
    long acknowledged = 0;
    try {
      for (long i = 1; System.nanoTime() < deadline; i++) {
        int p = (int) (i % pages);
        result.setProperty("attempted." + p, Long.toString(i));
        node.memory().write(range.page(p), Arrays.copyOf(("load " + i).getBytes(StandardCharsets.UTF_8), 32));
        acknowledged++;
        append(log, p + " " + i + "\n");
      }
    } finally {
      result.setProperty("acknowledged", Long.toString(acknowledged));
    }
  }

  private static void append(Path file, String line) {
    try {
      Files.writeString(file, line, StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE,
          java.nio.file.StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot append to " + file, e);
    }
  }

  private void readValues(AddressRange range, Properties result) {
    for (long p = 0; p < range.pages(); p++) {
      String text = new String(node.memory().read(range.page(p)).toByteArray(), StandardCharsets.UTF_8)
          .replace("\0", "");
      result.setProperty("value." + p, text.startsWith("load ") ? text.substring(5) : "0");
    }
  }

  private javax.cache.Cache<String, String> cache(String name, boolean create) {
    javax.cache.CacheManager manager = caches.get();
    if (manager == null) {
      throw new IllegalStateException("this node has no JCache manager");
    }
    javax.cache.Cache<String, String> cache = manager.getCache(name, String.class, String.class);
    if (cache == null && create) {
      try {
        cache = manager.createCache(name,
            new javax.cache.configuration.MutableConfiguration<String, String>().setTypes(String.class, String.class));
      } catch (javax.cache.CacheException raced) {
        cache = manager.getCache(name, String.class, String.class); // another node created it meanwhile
      }
    }
    if (cache == null) {
      throw new IllegalStateException("the cluster has no cache '" + name + "'");
    }
    return cache;
  }

  private static void cachePut(javax.cache.Cache<String, String> cache, int entries, Properties result) {
    int acknowledged = 0;
    try {
      for (int i = 0; i < entries; i++) {
        cache.put("key-" + i, "value-" + i);
        acknowledged++;
      }
    } finally {
      result.setProperty("acknowledged", Integer.toString(acknowledged));
    }
  }

  /** Adds one to a decimal counter, atomically per key (JCache runs it under the entry's write privilege). */
  private static final class Increment implements javax.cache.processor.EntryProcessor<String, String, Long> {
    @Override
    public Long process(javax.cache.processor.MutableEntry<String, String> entry, Object... arguments) {
      long next = (entry.exists() ? Long.parseLong(entry.getValue()) : 0) + 1;
      entry.setValue(Long.toString(next));
      return next;
    }
  }

  private static void cacheIncrement(javax.cache.Cache<String, String> cache, int keys, int times,
      Properties result) {
    int acknowledged = 0;
    Increment increment = new Increment();
    try {
      for (int round = 0; round < times; round++) {
        for (int k = 0; k < keys; k++) {
          cache.invoke("counter-" + k, increment);
          acknowledged++;
        }
      }
    } finally {
      result.setProperty("acknowledged", Integer.toString(acknowledged));
      for (int k = 0; k < keys; k++) {
        String value = cache.get("counter-" + k);
        result.setProperty("value." + k, value == null ? "0" : value);
      }
    }
  }

  private static void cacheGet(javax.cache.Cache<String, String> cache, int entries, Properties result) {
    int good = 0;
    try {
      for (int i = 0; i < entries; i++) {
        String value = cache.get("key-" + i);
        if (("value-" + i).equals(value)) {
          good++;
        } else if (!result.containsKey("firstBad")) {
          result.setProperty("firstBad", "key-" + i + " -> " + value);
        }
      }
    } finally {
      result.setProperty("good", Integer.toString(good));
    }
  }

  private void read(AddressRange range, Properties result) {
    int size = range.pageSize().bytes();
    int good = 0;
    try {
      for (long p = 0; p < range.pages(); p++) {
        byte[] page = node.memory().read(range.page(p)).toByteArray(size);
        if (Arrays.equals(page, Arrays.copyOf(content(range.start(), p), size))) {
          good++;
        } else if (!result.containsKey("firstBad")) {
          result.setProperty("firstBad", "page " + p + ": '"
              + new String(page, StandardCharsets.UTF_8).replace("\0", "") + "'");
        }
      }
    } finally {
      result.setProperty("good", Integer.toString(good));
    }
  }
}
