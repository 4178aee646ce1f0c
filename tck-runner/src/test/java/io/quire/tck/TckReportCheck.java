package io.quire.tck;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The gate of the TCK passes, run in {@code verify} over the surefire reports of each pass. Surefire itself never fails
 * the build in this module ({@code testFailureIgnore}), so every execution runs; this check then fails it when, in a
 * pass:
 * <ul>
 *   <li>the number of test methods reported is not exactly the expected one (a class not scanned, a fork that died,
 *       a test run twice by two executions);</li>
 *   <li>a test was skipped, unless expected;</li>
 *   <li>the set of tests the TCK's own rules excluded differs from the expected set: an excluded TCK test is reported
 *       as <em>passed</em> although it ran nothing (the TCK logs {@code ===== EXCLUDING TEST} instead). This is how
 *       a missing BeanProvider (annotation tests) or a wrong unwrap class name would otherwise go unnoticed;</li>
 *   <li>a test failed that is not listed in the pass's known-failures file, or a listed one now passes.</li>
 * </ul>
 * With {@code -Dtest=...} (a filtered run) only the failure rule applies. With {@code -DskipTests} nothing is checked.
 *
 * <p>Arguments, {@code --name=value}: {@code passes} (comma separated), {@code reports} (the directory holding one
 * directory of surefire reports per pass), {@code expected-tests}, {@code expected-skipped},
 * {@code expected-excluded.<pass>} (comma separated {@code Class#method} or {@code Class#*}), {@code known-failures} (the directory of
 * {@code known-failures-<pass>.txt}: {@code Class#method} lines, {@code #} comments; no file means none),
 * {@code summary} (the directory to write {@code tck-<pass>-failures.txt} to: the failures grouped by class),
 * {@code test} (the surefire filter, if any), {@code skip} (repeatable). The passes are checked one after the other
 * and the problems of all of them reported together.
 */
public final class TckReportCheck {

  private static final Pattern EXCLUDED = Pattern.compile("===== EXCLUDING TEST '([^']*)'\\s*'([^']*)'");

  private TckReportCheck() {}

  /** One test method as surefire reported it. */
  record Result(String className, String method, String status, String firstLine) {
    String id() {
      return className + "#" + method;
    }
  }

  public static void main(String[] args) throws Exception {
    Map<String, List<String>> options = parse(args);
    for (String skip : options.getOrDefault("skip", List.of())) {
      if (skip.equalsIgnoreCase("true")) {
        System.out.println("[tck-check] tests skipped, nothing checked");
        return;
      }
    }
    String filter = options.containsKey("test") ? one(options, "test") : "";
    boolean filtered = !filter.isBlank() && !filter.startsWith("${");

    List<String> problems = new ArrayList<>();
    for (String pass : split(one(options, "passes"))) {
      List<String> found = checkPass(pass, options, filtered ? filter : null);
      found.forEach(p -> problems.add(pass + ": " + p));
    }
    if (!problems.isEmpty()) {
      int shown = Math.min(problems.size(), 40);
      StringBuilder message = new StringBuilder("the TCK failed its check (" + problems.size() + " problems; reports in "
          + one(options, "reports") + ", failures by class in " + one(options, "summary") + "/tck-<pass>-failures.txt):");
      for (String p : problems.subList(0, shown)) {
        message.append(System.lineSeparator()).append("  ").append(p);
      }
      if (shown < problems.size()) {
        message.append(System.lineSeparator()).append("  ... ").append(problems.size() - shown).append(" more");
      }
      throw new IllegalStateException(message.toString());
    }
  }

  /** Checks the reports of one pass, prints its summary line, writes its failures file, returns its problems. */
  static List<String> checkPass(String pass, Map<String, List<String>> options, String filter) throws Exception {
    Path reports = Path.of(one(options, "reports"), pass);
    List<Result> results = readReports(reports);
    Set<String> excluded = readExclusions(reports);
    Path knownFile = Path.of(one(options, "known-failures"), "known-failures-" + pass + ".txt");
    Set<String> known = readKnownFailures(knownFile);

    List<String> problems = new ArrayList<>();
    if (results.isEmpty()) {
      problems.add("no test results under " + reports + ": the TCK did not run");
    }

    long failed = results.stream().filter(r -> r.status().equals("failure")).count();
    long errors = results.stream().filter(r -> r.status().equals("error")).count();
    long skipped = results.stream().filter(r -> r.status().equals("skipped")).count();
    long passed = results.size() - failed - errors - skipped - excluded.size();

    if (filter == null) {
      int expectedTests = Integer.parseInt(one(options, "expected-tests"));
      if (results.size() != expectedTests) {
        problems.add("expected " + expectedTests + " TCK tests, surefire reported " + results.size());
      }
      int expectedSkipped = Integer.parseInt(one(options, "expected-skipped"));
      if (skipped != expectedSkipped) {
        problems.add("expected " + expectedSkipped + " skipped, got " + skipped + ": "
            + results.stream().filter(r -> r.status().equals("skipped")).map(Result::id).toList());
      }
      List<String> expectedExcluded = split(options.getOrDefault("expected-excluded." + pass, List.of("")).get(0));
      for (String id : excluded) {
        if (expectedExcluded.stream().noneMatch(p -> matches(p, id))) {
          problems.add("excluded by the TCK (passes without running): " + id);
        }
      }
      for (String p : expectedExcluded) {
        if (excluded.stream().noneMatch(id -> matches(p, id))) {
          problems.add("expected to be excluded but was not: " + p);
        }
      }
    }

    for (Result r : results) {
      boolean bad = r.status().equals("failure") || r.status().equals("error");
      if (bad && !known.contains(r.id())) {
        problems.add(r.status() + ": " + r.id() + ": " + r.firstLine());
      }
      if (!bad && known.contains(r.id()) && !r.status().equals("skipped")) {
        problems.add("passes now, remove it from " + knownFile.getFileName() + ": " + r.id());
      }
    }

    writeSummary(Path.of(one(options, "summary"), "tck-" + pass + "-failures.txt"), pass, results);

    System.out.printf("[tck-check] %s: %d tests, %d passed, %d failures, %d errors, %d skipped, %d excluded"
            + " (%d failing tests listed as known)%s%n",
        pass, results.size(), passed, failed, errors, skipped, excluded.size(),
        results.stream().filter(r -> known.contains(r.id())
            && (r.status().equals("failure") || r.status().equals("error"))).count(),
        filter != null ? " [filtered by -Dtest=" + filter + ": counts not checked]" : "");
    for (String id : excluded) {
      System.out.println("[tck-check]   excluded: " + id);
    }
    return problems;
  }

  static boolean matches(String pattern, String id) {
    if (pattern.endsWith("#*")) {
      return id.startsWith(pattern.substring(0, pattern.length() - 1));
    }
    return pattern.equals(id);
  }

  static List<Result> readReports(Path dir) throws Exception {
    Map<String, Result> byId = new TreeMap<>();
    if (!Files.isDirectory(dir)) {
      return new ArrayList<>();
    }
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    List<Path> files;
    try (Stream<Path> list = Files.list(dir)) {
      files = list.filter(p -> p.getFileName().toString().startsWith("TEST-")
          && p.getFileName().toString().endsWith(".xml")).sorted().toList();
    }
    for (Path file : files) {
      Document doc = factory.newDocumentBuilder().parse(file.toFile());
      NodeList cases = doc.getElementsByTagName("testcase");
      for (int i = 0; i < cases.getLength(); i++) {
        Element testcase = (Element) cases.item(i);
        String status = "passed";
        String firstLine = "";
        for (Node child = testcase.getFirstChild(); child != null; child = child.getNextSibling()) {
          if (child instanceof Element e
              && (e.getTagName().equals("failure") || e.getTagName().equals("error")
              || e.getTagName().equals("skipped"))) {
            status = e.getTagName();
            firstLine = firstLine(e);
            break;
          }
        }
        Result result = new Result(testcase.getAttribute("classname"), testcase.getAttribute("name"), status,
            firstLine);
        // JUnit 4 reports a test once per failure: a test that fails and whose @After fails too comes twice.
        byId.merge(result.id(), result, (a, b) -> rank(b) > rank(a) ? b : a);
      }
    }
    return new ArrayList<>(byId.values());
  }

  private static int rank(Result r) {
    return switch (r.status()) {
      case "error", "failure" -> 2;
      case "skipped" -> 1;
      default -> 0;
    };
  }

  private static String firstLine(Element e) {
    String type = e.getAttribute("type");
    String message = e.getAttribute("message");
    if (message.isBlank()) {
      String text = e.getTextContent().strip();
      int nl = text.indexOf('\n');
      return nl < 0 ? text : text.substring(0, nl).strip();
    }
    int nl = message.indexOf('\n');
    String line = nl < 0 ? message : message.substring(0, nl);
    return type.isBlank() || line.startsWith(type) ? line : type + ": " + line;
  }

  /** The TCK logs each excluded test; surefire puts the output of test class C in C-output.txt. */
  static Set<String> readExclusions(Path dir) throws IOException {
    Set<String> excluded = new TreeSet<>();
    if (!Files.isDirectory(dir)) {
      return excluded;
    }
    List<Path> files;
    try (Stream<Path> list = Files.list(dir)) {
      files = list.filter(p -> p.getFileName().toString().endsWith("-output.txt")).sorted().toList();
    }
    for (Path file : files) {
      String name = file.getFileName().toString();
      String runner = name.substring(0, name.length() - "-output.txt".length());
      try (Stream<String> lines = Files.lines(file, StandardCharsets.UTF_8)) {
        lines.forEach(line -> {
          Matcher m = EXCLUDED.matcher(line);
          if (m.find()) {
            excluded.add(runner + "#" + m.group(2));
          }
        });
      } catch (UncheckedIOException e) {
        throw e.getCause();
      }
    }
    return excluded;
  }

  static Set<String> readKnownFailures(Path file) throws IOException {
    Set<String> known = new LinkedHashSet<>();
    if (file == null || !Files.exists(file)) {
      return known;
    }
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      String entry = line.strip();
      if (!entry.isEmpty() && !entry.startsWith("#")) {
        known.add(entry);
      }
    }
    return known;
  }

  static void writeSummary(Path file, String pass, List<Result> results) throws IOException {
    Map<String, List<Result>> byClass = new TreeMap<>();
    for (Result r : results) {
      if (r.status().equals("failure") || r.status().equals("error")) {
        byClass.computeIfAbsent(r.className(), k -> new ArrayList<>()).add(r);
      }
    }
    StringBuilder out = new StringBuilder();
    out.append("TCK pass '").append(pass).append("': ")
        .append(byClass.values().stream().mapToInt(List::size).sum()).append(" failing tests of ")
        .append(results.size()).append(System.lineSeparator());
    for (Map.Entry<String, List<Result>> entry : byClass.entrySet()) {
      out.append(System.lineSeparator()).append(entry.getKey()).append(" (").append(entry.getValue().size())
          .append(')').append(System.lineSeparator());
      for (Result r : entry.getValue()) {
        out.append("  ").append(r.method()).append(" [").append(r.status()).append("] ").append(r.firstLine())
            .append(System.lineSeparator());
      }
    }
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.writeString(file, out, StandardCharsets.UTF_8);
  }

  private static Map<String, List<String>> parse(String[] args) {
    Map<String, List<String>> options = new TreeMap<>();
    for (String arg : args) {
      if (!arg.startsWith("--") || !arg.contains("=")) {
        throw new IllegalArgumentException("expected --name=value, got " + arg);
      }
      int eq = arg.indexOf('=');
      options.computeIfAbsent(arg.substring(2, eq), k -> new ArrayList<>()).add(arg.substring(eq + 1));
    }
    return options;
  }

  private static String one(Map<String, List<String>> options, String name) {
    List<String> values = options.get(name);
    if (values == null || values.size() != 1) {
      throw new IllegalArgumentException("expected one --" + name + "=...");
    }
    return values.get(0);
  }

  private static List<String> split(String list) {
    List<String> items = new ArrayList<>();
    for (String item : list.split(",")) {
      if (!item.isBlank()) {
        items.add(item.strip());
      }
    }
    return items;
  }
}
