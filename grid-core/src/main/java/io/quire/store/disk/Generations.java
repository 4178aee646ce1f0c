package io.quire.store.disk;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The generations of files in a store directory: {@code pages-<g>.db} and {@code journal-<g>.log}. Listing deletes
 * {@code *.tmp} files, which only a crash in the middle of building a file leaves behind.
 */
final class Generations {

  private static final Pattern PAGE_FILE = Pattern.compile("pages-(\\d{1,18})\\.db");
  private static final Pattern JOURNAL_FILE = Pattern.compile("journal-(\\d{1,18})\\.log");

  private final Path directory;
  private final TreeSet<Long> pageFiles = new TreeSet<>();
  private final TreeSet<Long> journals = new TreeSet<>();

  private Generations(Path directory) {
    this.directory = directory;
  }

  /** The generations present in {@code directory}, after deleting half-built files. */
  static Generations list(Path directory) throws IOException {
    Generations found = new Generations(directory);
    List<Path> files;
    try (Stream<Path> listing = Files.list(directory)) {
      files = listing.toList();
    }
    for (Path file : files) {
      String name = file.getFileName().toString();
      Matcher pages = PAGE_FILE.matcher(name);
      Matcher journal = JOURNAL_FILE.matcher(name);
      if (name.endsWith(DiskFiles.TMP_SUFFIX)) {
        Files.delete(file);
      } else if (pages.matches()) {
        found.pageFiles.add(Long.parseLong(pages.group(1)));
      } else if (journal.matches()) {
        found.journals.add(Long.parseLong(journal.group(1)));
      }
    }
    return found;
  }

  static Path pageFile(Path directory, long generation) {
    return directory.resolve("pages-" + generation + ".db");
  }

  static Path journal(Path directory, long generation) {
    return directory.resolve("journal-" + generation + ".log");
  }

  boolean isEmpty() {
    return pageFiles.isEmpty() && journals.isEmpty();
  }

  /** The newest generation with a page file or a journal; 0 when there is none. */
  long newest() {
    long newestPages = pageFiles.isEmpty() ? 0 : pageFiles.last();
    long newestJournal = journals.isEmpty() ? 0 : journals.last();
    return Math.max(newestPages, newestJournal);
  }

  boolean hasPageFile(long generation) {
    return pageFiles.contains(generation);
  }

  boolean hasJournal(long generation) {
    return journals.contains(generation);
  }

  /** Deletes the files of generations before {@code current} and syncs the directory if there were any. */
  void deleteBefore(long current) throws IOException {
    boolean deleted = false;
    for (long g : pageFiles.headSet(current)) {
      deleted |= Files.deleteIfExists(pageFile(directory, g));
    }
    for (long g : journals.headSet(current)) {
      deleted |= Files.deleteIfExists(journal(directory, g));
    }
    if (deleted) {
      DiskFiles.syncDirectory(directory);
    }
  }
}
