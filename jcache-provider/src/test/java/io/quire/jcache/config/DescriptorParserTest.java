package io.quire.jcache.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quire.core.GridConfig;
import io.quire.core.address.PageSize;
import io.quire.core.page.Durability;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import javax.cache.CacheException;
import javax.cache.expiry.AccessedExpiryPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DescriptorParserTest {
  private static final ClassLoader LOADER = DescriptorParserTest.class.getClassLoader();
  private final DescriptorParser parser = new DescriptorParser();

  static QuireDescriptor parseString(String xml, String systemId) {
    return new DescriptorParser().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)), systemId);
  }

  @Test
  void parse_fullDescriptor_givesExpectedRecords() {
    URI uri = URI.create("classpath:descriptors/full.xml");
    QuireDescriptor d = parser.parse(uri, LOADER);

    assertThat(d.source()).contains(uri);
    NodeDescriptor node = d.node();
    assertThat(node).usingRecursiveComparison().ignoringFields("location").isEqualTo(new NodeDescriptor(
        Optional.of("n1"), new PageSize(8192), 128L << 20, Optional.of(Path.of("/var/lib/quire/n1")),
        Transport.JGROUPS, "prod", 3, "site-a/rack-1", Location.PROGRAMMATIC));
    assertThat(node.location().toString()).isEqualTo("classpath:descriptors/full.xml:4:83");
    assertThat(node.toGridConfig()).isEqualTo(GridConfig.defaults(Path.of("/var/lib/quire/n1"))
        .withPageSize(new PageSize(8192)).withRamBudgetBytes(128L << 20));

    assertThat(d.caches()).containsOnlyKeys("orders", "sessions");
    assertThat(List.copyOf(d.caches().keySet())).containsExactly("orders", "sessions");
    CacheDescriptor orders = d.caches().get("orders");
    assertThat(orders).usingRecursiveComparison().ignoringFieldsMatchingRegexes(".*location").isEqualTo(
        new CacheDescriptor("orders", "java.lang.Long", "com.example.Order", Durability.PERSISTENT,
            new ExpiryDescriptor(ExpiryPolicyKind.ACCESSED, Optional.of(Duration.ofMinutes(10)),
                Location.PROGRAMMATIC),
            false, true, true, true, true, Optional.of("com.example.OrderLoaderFactory"),
            Optional.of("com.example.OrderWriterFactory"),
            List.of(new ListenerDescriptor("com.example.AuditListenerFactory", true, true, Location.PROGRAMMATIC),
                new ListenerDescriptor("com.example.MetricsListenerFactory", false, false, Location.PROGRAMMATIC)),
            List.of("com.example.*", "java.time.Instant"), Location.PROGRAMMATIC));
    assertThat(orders.location().element()).isEqualTo("<cache name=\"orders\">");
    assertThat(orders.location().line()).isEqualTo(7);
    assertThat(orders.expiry().location().line()).isEqualTo(8);
    assertThat(orders.expiry().factory().create()).isEqualTo(
        new AccessedExpiryPolicy(new javax.cache.expiry.Duration(java.util.concurrent.TimeUnit.MINUTES, 10)));
    assertThat(orders.listeners().get(1).location().line()).isEqualTo(10);

    assertThat(d.caches().get("sessions")).usingRecursiveComparison().ignoringFields("location")
        .isEqualTo(CacheDescriptor.defaults("sessions"));

    assertThat(d.templates()).extracting(CacheTemplate::name, CacheTemplate::match)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("hibernate", "org.hibernate.*"),
            org.assertj.core.groups.Tuple.tuple("everything", "*"));
  }

  @Test
  void parse_emptyDocument_givesWorkingSingleNodeDefaults() {
    QuireDescriptor d = parseString("<quire xmlns='urn:io.quire:cache:1.0'/>", "empty.xml");

    assertThat(d.source()).isEmpty();
    assertThat(d.caches()).isEmpty();
    assertThat(d.templates()).isEmpty();
    assertThat(d.node()).isEqualTo(NodeDescriptor.defaults());
    GridConfig config = d.node().toGridConfig();
    assertThat(config.pageSize()).isEqualTo(PageSize.DEFAULT);
    assertThat(config.ramBudgetBytes()).isEqualTo(64L << 20);
    assertThat(config.dataDirectory())
        .isEqualTo(Path.of(System.getProperty("java.io.tmpdir"), "quire", "quire", "node"));
  }

  @Test
  void parse_nodeWithoutAttributes_takesDefaults() {
    QuireDescriptor d = parseString("<quire xmlns='urn:io.quire:cache:1.0'><node cluster='c' name='a'/></quire>",
        "n.xml");

    assertThat(d.node()).usingRecursiveComparison().ignoringFields("location", "cluster", "name")
        .isEqualTo(NodeDescriptor.defaults());
    assertThat(d.node().effectiveDataDirectory())
        .isEqualTo(Path.of(System.getProperty("java.io.tmpdir"), "quire", "c", "a"));
  }

  @Test
  void parse_ramBudgetUnits_areBinary() {
    for (var c : List.of(new Object[] {"4096", 4096L}, new Object[] {"512B", 512L},
        new Object[] {"8KiB", 8192L}, new Object[] {"3MiB", 3L << 20}, new Object[] {"2GiB", 2L << 30})) {
      QuireDescriptor d = parseString(
          "<quire xmlns='urn:io.quire:cache:1.0'><node page-size='512' ram-budget='" + c[0] + "'/></quire>", "r.xml");
      assertThat(d.node().ramBudgetBytes()).as((String) c[0]).isEqualTo(c[1]);
    }
  }

  @Test
  void parse_classpathUri_resolvesWithTheLoader() {
    QuireDescriptor d = parser.parse(URI.create("classpath:quire.xml"), LOADER);

    assertThat(d.caches()).containsOnlyKeys("greetings");
    assertThat(d.caches().get("greetings").valueType()).isEqualTo("java.lang.String");
    assertThat(d.caches().get("greetings").location().toString()).isEqualTo("classpath:quire.xml:3:58");
  }

  @Test
  void parse_fileUri_readsTheFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("grid.xml");
    Files.writeString(file, "<quire xmlns='urn:io.quire:cache:1.0'>\n  <cache name='a'/>\n</quire>\n");

    QuireDescriptor d = parser.parse(file.toUri(), LOADER);

    assertThat(d.source()).contains(file.toUri());
    assertThat(d.caches().get("a").location().toString()).isEqualTo(file.toUri() + ":2:20");
  }

  @Test
  void cacheOrTemplate_prefersDeclaredCache_thenFirstMatchingTemplateRenamed() {
    QuireDescriptor d = parser.parse(URI.create("classpath:descriptors/full.xml"), LOADER);

    assertThat(d.cacheOrTemplate("orders")).contains(d.caches().get("orders"));
    CacheDescriptor entity = d.cacheOrTemplate("org.hibernate.cache.spi.Entity").orElseThrow();
    assertThat(entity.name()).isEqualTo("org.hibernate.cache.spi.Entity");
    assertThat(entity.statistics()).isTrue();
    assertThat(entity.expiry().duration()).contains(Duration.ofHours(1));
    assertThat(d.cacheOrTemplate("anything").orElseThrow().durability()).isEqualTo(Durability.PERSISTENT);
    assertThat(parseString("<quire xmlns='urn:io.quire:cache:1.0'/>", "e.xml").cacheOrTemplate("x")).isEmpty();
  }

  @Test
  void descriptorException_isACacheException() {
    assertThat(new DescriptorException("a.xml", "bad")).isInstanceOf(CacheException.class).hasMessage("a.xml: bad");
  }

  @Test
  void records_validateInCompactConstructors() {
    assertThatThrownBy(() -> new NodeDescriptor(Optional.empty(), PageSize.DEFAULT, 1L << 20, Optional.empty(),
        Transport.LOCAL, "c", 17, "g", Location.PROGRAMMATIC)).hasMessage("replication k=17 is out of range 1..16");
    assertThatThrownBy(() -> new ExpiryDescriptor(ExpiryPolicyKind.CREATED, Optional.empty(), Location.PROGRAMMATIC))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> CacheDescriptor.defaults(" ")).hasMessage("cache name is blank");
  }
}
