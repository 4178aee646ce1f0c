package io.quire.jcache.config;

import io.quire.core.address.InvalidPageSizeException;
import io.quire.core.address.PageSize;
import io.quire.core.page.Durability;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;

/**
 * Reads {@code urn:io.quire:cache:1.0} descriptors into {@link QuireDescriptor}s: XSD validation first, then one
 * method per element for what XSD cannot check. Every failure is a {@link DescriptorException} whose message starts
 * with {@code systemId:line:column}. Stateless and safe for concurrent use.
 */
public final class DescriptorParser {
  /** The descriptor namespace. */
  public static final String NAMESPACE = "urn:io.quire:cache:1.0";

  /**
   * Parses the descriptor at {@code uri}: {@code classpath:path/quire.xml} (looked up with {@code loader}), an
   * absolute {@code file:} URI, or a {@code jar:} URI (what a class path resource inside a jar resolves to, so what
   * Spring Boot and Hibernate hand over for {@code classpath:quire.xml} in a packaged application).
   *
   * @throws DescriptorException if the document is missing, unreadable, invalid, or semantically wrong
   */
  public QuireDescriptor parse(URI uri, ClassLoader loader) {
    String systemId = uri.toString();
    try (InputStream in = open(uri, loader)) {
      return parse(in, systemId, Optional.of(uri));
    } catch (IOException e) {
      throw new DescriptorException(systemId, "cannot read: " + e, e);
    }
  }

  /**
   * Parses a descriptor from a stream (not closed here); {@code systemId} names it in error messages.
   *
   * @throws DescriptorException if the document is unreadable, invalid, or semantically wrong
   */
  public QuireDescriptor parse(InputStream in, String systemId) {
    return parse(in, systemId, Optional.empty());
  }

  private QuireDescriptor parse(InputStream in, String systemId, Optional<URI> source) {
    LocatingDomBuilder builder = new LocatingDomBuilder(systemId);
    InputSource input = new InputSource(in);
    input.setSystemId(systemId);
    try {
      SecureXml.newSaxParser().parse(input, builder);
    } catch (SAXException e) {
      throw new DescriptorException(systemId, e.getMessage(), e);
    } catch (IOException e) {
      throw new DescriptorException(systemId, "cannot read: " + e, e);
    }
    return quire(new ElementReader(builder.document().getDocumentElement()), source);
  }

  private static InputStream open(URI uri, ClassLoader loader) throws IOException {
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    switch (scheme) {
      case "classpath": {
        String path = uri.getSchemeSpecificPart().replaceFirst("^/+", "");
        URL url = loader.getResource(path);
        if (url == null) {
          throw new DescriptorException(uri.toString(), "no such resource on class loader " + loader);
        }
        return url.openStream();
      }
      case "file": {
        Path path;
        try {
          path = Path.of(uri);
        } catch (IllegalArgumentException e) {
          throw new DescriptorException(uri.toString(), "not an absolute file URI (" + e.getMessage() + ")");
        }
        try {
          return Files.newInputStream(path);
        } catch (NoSuchFileException e) {
          throw new DescriptorException(uri.toString(), "no such file " + path, e);
        }
      }
      case "jar":
        // java.net.URL knows jar:file:; jar:nested: (a packaged Spring Boot application) once Boot's launcher has
        // registered its handler, as it does before the application starts.
        return uri.toURL().openStream();
      default:
        throw new DescriptorException(uri.toString(), "unsupported URI; use classpath:..., file:... or jar:...");
    }
  }

  private QuireDescriptor quire(ElementReader root, Optional<URI> source) {
    NodeDescriptor node = root.child("node").map(this::node).orElseGet(NodeDescriptor::defaults);
    Map<String, CacheDescriptor> caches = new LinkedHashMap<>();
    for (ElementReader c : root.children("cache")) {
      CacheDescriptor cache = cache(c);
      CacheDescriptor first = caches.putIfAbsent(cache.name(), cache);
      if (first != null) {
        throw c.fail("duplicate cache name '" + cache.name() + "' (first declared at " + first.location() + ")");
      }
    }
    Map<String, CacheTemplate> templates = new LinkedHashMap<>();
    for (ElementReader t : root.children("cache-template")) {
      CacheTemplate template = new CacheTemplate(t.string("match", ""), cache(t));
      CacheTemplate first = templates.putIfAbsent(template.name(), template);
      if (first != null) {
        throw t.fail("duplicate cache-template name '" + template.name() + "' (first declared at "
            + first.location() + ")");
      }
    }
    return new QuireDescriptor(source, node, caches, new ArrayList<>(templates.values()));
  }

  private NodeDescriptor node(ElementReader r) {
    PageSize pageSize;
    try {
      pageSize = new PageSize(r.integer("page-size", PageSize.DEFAULT.bytes()));
    } catch (InvalidPageSizeException e) {
      throw r.fail("page-size", e.getMessage());
    }
    long ramBudget = r.optional("ram-budget").map(v -> ByteSize.parse(v, r)).orElse(64L << 20);
    if (ramBudget < pageSize.bytes()) {
      throw r.fail("ram-budget", "smaller than one page (" + pageSize.bytes() + " bytes)");
    }
    Optional<Path> dataDirectory;
    try {
      dataDirectory = r.optional("data-directory").map(Path::of);
    } catch (InvalidPathException e) {
      throw r.fail("data-directory", "not a path: " + e.getMessage());
    }
    int k = r.integer("replication", NodeDescriptor.DEFAULT_REPLICATION);
    if (k < NodeDescriptor.MIN_REPLICATION || k > NodeDescriptor.MAX_REPLICATION) {
      throw r.fail("replication", NodeDescriptor.replicationProblem(k));
    }
    Transport transport = Transport.valueOf(r.string("transport", "local").toUpperCase(Locale.ROOT));
    List<InetSocketAddress> members;
    try {
      members = r.optional("initial-members").map(NetworkDescriptor::parseMembers).orElse(List.of());
    } catch (IllegalArgumentException e) {
      throw r.fail("initial-members", e.getMessage());
    }
    java.util.Map<String, String> security = new java.util.LinkedHashMap<>();
    for (String name : NetworkDescriptor.SECURITY_ATTRIBUTES) {
      r.optional(name).ifPresent(value -> security.put(name, value));
    }
    NetworkDescriptor network = new NetworkDescriptor(r.optional("stack"), r.optional("bind-address"),
        r.integer("port", 0), members, security);
    if (transport == Transport.LOCAL && !network.equals(NetworkDescriptor.NONE)) {
      throw r.fail("stack, bind-address, port, initial-members and the security files are settings of "
          + "transport=\"jgroups\"; this node is local");
    }
    return new NodeDescriptor(r.optional("name"), pageSize, ramBudget, dataDirectory, transport,
        r.string("cluster", NodeDescriptor.DEFAULT_CLUSTER), k, r.string("group", NodeDescriptor.DEFAULT_GROUP),
        network, r.location());
  }

  /** A {@code <cache>}, or the settings of a {@code <cache-template>} (the same attributes and children). */
  private CacheDescriptor cache(ElementReader r) {
    boolean readThrough = r.bool("read-through", false);
    boolean writeThrough = r.bool("write-through", false);
    Optional<String> loader = r.optional("loader-factory");
    Optional<String> writer = r.optional("writer-factory");
    String through = CacheDescriptor.throughProblem(readThrough, loader, writeThrough, writer);
    if (through != null) {
      throw r.fail(through);
    }
    String object = Object.class.getName();
    return new CacheDescriptor(r.string("name", ""), r.string("key-type", object), r.string("value-type", object),
        Durability.valueOf(r.string("durability", "volatile").toUpperCase(Locale.ROOT)),
        r.child("expiry").map(this::expiry).orElse(ExpiryDescriptor.ETERNAL),
        r.bool("store-by-value", true), r.bool("statistics", false), r.bool("management", false), readThrough,
        writeThrough, loader, writer, r.children("listener").stream().map(this::listener).toList(),
        r.child("serializer").map(this::serializerAllow).orElse(List.of()), r.location());
  }

  private ExpiryDescriptor expiry(ElementReader r) {
    ExpiryPolicyKind policy = ExpiryPolicyKind.valueOf(r.string("policy", "").toUpperCase(Locale.ROOT));
    Optional<Duration> duration;
    try {
      duration = r.optional("duration").map(Duration::parse);
    } catch (DateTimeParseException e) {
      throw r.fail("duration", "not an ISO-8601 duration (example: PT10M)");
    }
    String problem = ExpiryDescriptor.problem(policy, duration);
    if (problem != null) {
      throw r.fail(problem);
    }
    return new ExpiryDescriptor(policy, duration, r.location());
  }

  private ListenerDescriptor listener(ElementReader r) {
    return new ListenerDescriptor(r.string("factory", ""), r.bool("old-value", false), r.bool("synchronous", false),
        r.location());
  }

  private List<String> serializerAllow(ElementReader r) {
    return r.children("allow").stream().map(ElementReader::text).toList();
  }
}
