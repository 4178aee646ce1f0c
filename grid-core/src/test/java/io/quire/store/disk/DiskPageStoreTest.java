package io.quire.store.disk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quire.core.address.AddressRange;
import io.quire.core.address.PageSize;
import io.quire.core.page.Page;
import io.quire.spi.store.CorruptPageException;
import io.quire.spi.store.CorruptStoreException;
import io.quire.spi.store.PageStore;
import io.quire.spi.store.StoreException;
import io.quire.spi.store.StoreFileLockedException;
import io.quire.spi.store.StoreFileMissingException;
import io.quire.store.PageStoreContract;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The disk tier: the {@link PageStoreContract} plus durability, recovery, checkpoints, file checks and corruption
 * handling. A "crash" is simulated by copying the directory while the store is open: that is what a SIGKILL at that
 * instant leaves behind, since everything the process wrote is in the OS page cache.
 */
class DiskPageStoreTest extends PageStoreContract {

  /** Small enough that a checkpoint follows every few appends. */
  static final long TINY_CHECKPOINT = 2 * 1024;

  /** Large enough that no checkpoint happens in a test. */
  static final long NO_CHECKPOINT = 1L << 40;

  @TempDir Path tmp;

  Path storeDir() {
    return tmp.resolve("store");
  }

  @Override
  protected PageStore newStore() {
    return DiskPageStore.open(storeDir(), PAGE_SIZE, NO_CHECKPOINT);
  }

  private DiskPageStore reopen(long checkpointBytes) {
    store.close();
    store = DiskPageStore.open(storeDir(), PAGE_SIZE, checkpointBytes);
    return disk();
  }

  private DiskPageStore disk() {
    return (DiskPageStore) store;
  }

  private static Page numbered(long n, long version) {
    return Page.of(pageAt(n), version, false, n % 3 == 0, ("page " + n + " v" + version).repeat((int) (n % 50) + 1)
        .getBytes(StandardCharsets.UTF_8));
  }

  private void assertHolds(PageStore s, List<Page> pages) {
    assertThat(s.pageCount()).isEqualTo(pages.size());
    for (Page page : pages) {
      Page read = s.read(page.address());
      assertThat(read).as("%s", page).isNotNull();
      assertThat(read.sameContentAs(page)).as("%s", page).isTrue();
      assertThat(read.version()).isEqualTo(page.version());
      assertThat(read.isVolatile()).isEqualTo(page.isVolatile());
    }
  }

  @Test
  void read_afterWrite_returnsCleanPage() {
    store.write(Page.of(pageAt(1), 3, true, false, new byte[] {1}));

    assertThat(store.read(pageAt(1)).isDirty()).isFalse();
  }

  @Test
  void write_pageLongerThanPageSize_isRejected() {
    Page tooLong = Page.of(pageAt(1), 1, false, false, new byte[PAGE_SIZE.bytes() + 1]);

    assertThatThrownBy(() -> store.write(tooLong)).isInstanceOf(IllegalArgumentException.class);
    assertThat(store.pageCount()).isZero();
  }

  @Test
  void open_createsTheDocumentedLayout() throws IOException {
    store.write(page(1, 1, "a"));

    assertThat(fileNames(storeDir())).containsExactlyInAnyOrder("LOCK", "STORE", "journal-0.log");
    reopen(1).write(page(2, 1, "b"));
    assertThat(disk().generation()).isPositive();
    assertThat(fileNames(storeDir())).containsExactlyInAnyOrder("LOCK", "STORE",
        "pages-" + disk().generation() + ".db", "journal-" + disk().generation() + ".log");
  }

  @Test
  void reopen_withoutCheckpoints_keepsEveryPage() {
    List<Page> written = writeNumbered(40);

    reopen(NO_CHECKPOINT);

    assertHolds(store, written);
  }

  @Test
  void reopen_afterManyCheckpoints_keepsEveryPage() {
    reopen(TINY_CHECKPOINT);
    List<Page> written = writeNumbered(60);
    long generations = disk().generation();
    assertThat(generations).as("checkpoints so far").isGreaterThan(3);

    reopen(TINY_CHECKPOINT);

    assertHolds(store, written);
    assertThat(disk().generation()).isEqualTo(generations);
    // And across a checkpoint after the reopen.
    List<Page> more = new ArrayList<>(written);
    for (long n = 60; n < 80; n++) {
      Page page = numbered(n, 2);
      store.write(page);
      more.add(page);
    }
    assertThat(disk().generation()).isGreaterThan(generations);
    assertHolds(reopen(NO_CHECKPOINT), more);
  }

  @Test
  void removals_surviveReopenAndCheckpoints() {
    reopen(TINY_CHECKPOINT);
    writeNumbered(30);
    assertThat(store.remove(pageAt(4))).isTrue();
    assertThat(store.removeRange(new AddressRange(pageAt(10), 10, PAGE_SIZE))).isEqualTo(10);
    store.write(numbered(15, 9)); // back inside the removed range

    reopen(NO_CHECKPOINT); // replays the removals from the journal, if any are left there
    assertThat(store.read(pageAt(4))).isNull();
    assertThat(store.read(pageAt(12))).isNull();
    assertThat(store.read(pageAt(15)).version()).isEqualTo(9);
    assertThat(store.pageCount()).isEqualTo(30 - 1 - 10 + 1);

    // Removals of snapshot pages, kept in the journal, then folded into the next page file.
    reopen(1);
    assertThat(store.remove(pageAt(5))).isTrue();
    assertThat(store.removeRange(new AddressRange(pageAt(0), 4, PAGE_SIZE))).isEqualTo(4);
    reopen(NO_CHECKPOINT);
    assertThat(store.removeRange(new AddressRange(pageAt(20), 5, PAGE_SIZE))).isEqualTo(5);
    assertThat(store.remove(pageAt(6))).isTrue();
    reopen(NO_CHECKPOINT);
    assertThat(store.pageCount()).isEqualTo(20 - 1 - 4 - 5 - 1);
    assertThat(store.read(pageAt(5))).isNull();
    assertThat(store.read(pageAt(22))).isNull();
    assertThat(store.read(pageAt(7))).isNotNull();
  }

  @Test
  void removeAll_thenCheckpoint_leavesAnEmptyStoreWithoutPageFile() throws IOException {
    reopen(1);
    writeNumbered(5);
    assertThat(store.removeRange(new AddressRange(pageAt(0), 5, PAGE_SIZE))).isEqualTo(5);
    store.write(page(1, 1, "x"));
    assertThat(store.remove(pageAt(1))).isTrue();

    reopen(1);

    assertThat(store.pageCount()).isZero();
    assertThat(fileNames(storeDir())).noneMatch(name -> name.startsWith("pages-"));
  }

  @Test
  void write_whenItReturns_isInACrashCopy() throws IOException {
    store.write(page(1, 1, "durable"));

    try (PageStore recovered = DiskPageStore.open(crashCopy(), PAGE_SIZE)) {
      assertThat(recovered.read(pageAt(1)).version()).isEqualTo(1);
    }
  }

  @Test
  void writeLazily_thenFlush_isInACrashCopy() throws IOException {
    store.writeLazily(page(1, 1, "lazy"));
    store.writeLazily(page(2, 1, "lazy too"));
    store.flush();

    try (PageStore recovered = DiskPageStore.open(crashCopy(), PAGE_SIZE)) {
      assertThat(recovered.read(pageAt(1)).version()).isEqualTo(1);
      assertThat(recovered.pageCount()).isEqualTo(2);
    }
  }

  @Test
  void writeLazily_isMadeDurableByTheNextWrite() throws IOException {
    store.writeLazily(page(1, 1, "lazy"));
    store.write(page(2, 1, "eager"));

    try (PageStore recovered = DiskPageStore.open(crashCopy(), PAGE_SIZE)) {
      assertThat(recovered.read(pageAt(1))).isNotNull();
      assertThat(recovered.read(pageAt(2))).isNotNull();
    }
  }

  @Test
  void removeLazily_isSeenAtOnceAndMadeDurableByTheNextWrite() throws IOException {
    store.write(page(1, 1, "doomed"));

    assertThat(store.removeLazily(pageAt(1))).isTrue();
    assertThat(store.read(pageAt(1))).isNull();
    assertThat(store.removeLazily(pageAt(1))).isFalse();
    store.write(page(2, 1, "eager"));

    try (PageStore recovered = DiskPageStore.open(crashCopy(), PAGE_SIZE)) {
      assertThat(recovered.read(pageAt(1))).isNull();
      assertThat(recovered.read(pageAt(2))).isNotNull();
    }
  }

  @Test
  void crashCopy_takenDuringCheckpointingWrites_holdsEveryAcknowledgedPage() throws IOException {
    reopen(TINY_CHECKPOINT);
    List<Page> written = new ArrayList<>();
    for (long n = 0; n < 30; n++) {
      Page page = numbered(n, 1);
      store.write(page);
      written.add(page);
      if (n % 7 == 0) {
        try (PageStore recovered = DiskPageStore.open(crashCopy(), PAGE_SIZE, TINY_CHECKPOINT)) {
          assertHolds(recovered, written);
        }
      }
    }
  }

  @Test
  void tornTail_garbageAppended_isDroppedAndCompleteRecordsKept() throws IOException {
    List<Page> written = writeNumbered(5);
    store.close();
    Path journal = storeDir().resolve("journal-0.log");
    long cleanLength = Files.size(journal);
    byte[] garbage = new byte[333];
    new Random(7).nextBytes(garbage);
    Files.write(journal, garbage, java.nio.file.StandardOpenOption.APPEND);

    store = DiskPageStore.open(storeDir(), PAGE_SIZE, NO_CHECKPOINT);

    assertHolds(store, written);
    assertThat(Files.size(journal)).isEqualTo(cleanLength);
    // Appending after the cut works and survives another reopen.
    store.write(numbered(5, 1));
    written.add(numbered(5, 1));
    assertHolds(reopen(NO_CHECKPOINT), written);
  }

  @Test
  void tornTail_lastRecordCutShort_isDroppedAndTheOthersKept() throws IOException {
    List<Page> written = writeNumbered(5);
    store.close();
    Path journal = storeDir().resolve("journal-0.log");
    try (RandomAccessFile raf = new RandomAccessFile(journal.toFile(), "rw")) {
      raf.setLength(raf.length() - 7);
    }

    store = DiskPageStore.open(storeDir(), PAGE_SIZE, NO_CHECKPOINT);

    assertHolds(store, written.subList(0, 4));
    assertThat(store.read(pageAt(4))).isNull();
  }

  @Test
  void tornTail_lastRecordFailingItsCrc_isDropped() throws IOException {
    List<Page> written = writeNumbered(3);
    store.close();
    Path journal = storeDir().resolve("journal-0.log");
    try (RandomAccessFile raf = new RandomAccessFile(journal.toFile(), "rw")) {
      raf.seek(raf.length() - 1);
      int last = raf.read();
      raf.seek(raf.length() - 1);
      raf.write(~last);
    }

    store = DiskPageStore.open(storeDir(), PAGE_SIZE, NO_CHECKPOINT);

    assertHolds(store, written.subList(0, 2));
  }

  @Test
  void brokenFramingWithIntactRecordsAfterIt_isCutButTheDroppedBytesAreSaved() throws IOException {
    List<Page> written = writeNumbered(2);
    Path journal = storeDir().resolve("journal-0.log");
    long brokenAt = Files.size(journal);
    writeNumbered(5);
    store.close();
    long length = Files.size(journal);
    try (RandomAccessFile raf = new RandomAccessFile(journal.toFile(), "rw")) {
      raf.seek(brokenAt + 2); // the length field of the third record
      raf.writeInt(Integer.MAX_VALUE);
    }

    store = DiskPageStore.open(storeDir(), PAGE_SIZE, NO_CHECKPOINT);

    assertHolds(store, written);
    Path saved = storeDir().resolve("journal-0.log.discarded-at-" + brokenAt);
    assertThat(saved).exists();
    assertThat(Files.size(saved)).isEqualTo(length - brokenAt);
    assertThat(Files.size(journal)).isEqualTo(brokenAt);
  }

  @Test
  void writeAndRead_onAnInterruptedThread_succeedAndKeepTheInterruptAndTheStoreWorks() throws IOException {
    // NIO closes a channel used by an interrupted thread (ClosedByInterruptException): a cache call on a thread that
    // was interrupted (a cancelled task) must neither fail nor break the store for everyone after it.
    store.write(page(1, 1, "before"));
    Thread.currentThread().interrupt();
    try {
      store.write(page(2, 1, "interrupted write"));
      store.writeLazily(page(3, 1, "interrupted lazy write"));
      assertThat(store.read(pageAt(1)).version()).isEqualTo(1);
      assertThat(store.removeLazily(pageAt(3))).isTrue();
      store.flush();
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    } finally {
      Thread.interrupted();
    }
    store.write(page(4, 1, "after"));
    assertThat(store.read(pageAt(2)).version()).isEqualTo(1);
    reopen(NO_CHECKPOINT);
    assertThat(store.read(pageAt(2)).version()).isEqualTo(1);
    assertThat(store.read(pageAt(3))).isNull();
    assertThat(store.read(pageAt(4)).version()).isEqualTo(1);
  }

  @Test
  void checkpoint_onAnInterruptedThread_stillHappens() throws IOException {
    reopen(TINY_CHECKPOINT);
    List<Page> written = new ArrayList<>();
    Thread.currentThread().interrupt();
    try {
      for (long n = 0; n < 40; n++) {
        Page page = numbered(n, 1);
        store.write(page);
        written.add(page);
      }
    } finally {
      assertThat(Thread.interrupted()).isTrue();
    }

    assertThat(disk().generation()).isGreaterThan(0);
    reopen(TINY_CHECKPOINT);
    assertHolds(store, written);
  }

  @Test
  void write_whileAnotherThreadKeepsInterruptingTheWriter_losesNothingAndNeverFails() throws Exception {
    int pages = 300;
    Thread writer = Thread.currentThread();
    java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
    // Interrupts land at random points of the writes (reads, appends, fsyncs), far enough apart that one operation's
    // retries are not all cut short too: a cancelled task is interrupted once, not in a storm.
    Thread interrupter = new Thread(() -> {
      Random random = new Random(7);
      for (int i = 0; i < 10_000 && !done.get(); i++) {
        writer.interrupt();
        java.util.concurrent.locks.LockSupport.parkNanos(2_000_000 + random.nextInt(8_000_000));
      }
    }, "interrupter");
    List<Page> written = new ArrayList<>();
    interrupter.start();
    try {
      for (long n = 0; n < pages; n++) {
        Page page = numbered(n, 1);
        store.write(page);
        written.add(page);
        assertThat(store.read(page.address()).version()).isEqualTo(1);
      }
    } finally {
      done.set(true);
      awaitIgnoringInterrupts(interrupter);
    }

    reopen(NO_CHECKPOINT);
    assertHolds(store, written);
  }

  @Test
  void read_ofALargeJournal_readsThroughItsMappingAndAppendsAfterItStillRead() throws IOException {
    byte[] marker = "QUIRE-DAMAGE-ME!".repeat(64).getBytes(StandardCharsets.US_ASCII);
    int pages = (int) (Journal.REMAP_AFTER_BYTES / PAGE_SIZE.bytes()) + 64;
    List<Page> written = new ArrayList<>();
    for (long n = 0; n < pages; n++) {
      Page page = n == 7 ? Page.of(pageAt(n), 1, false, false, marker) : fullPage(n, 1);
      store.writeLazily(page);
      written.add(page);
    }
    store.flush();

    assertHolds(store, written);
    long mapped = disk().journalMappedBytes();
    assertThat(mapped).isGreaterThanOrEqualTo(Journal.REMAP_AFTER_BYTES);
    store.write(fullPage(pages, 1));
    store.write(fullPage(3, 2));
    assertThat(store.read(pageAt(pages)).sameContentAs(fullPage(pages, 1))).isTrue();
    assertThat(store.read(pageAt(3)).sameContentAs(fullPage(3, 2))).isTrue();
    assertThat(disk().journalMappedBytes()).as("a small append does not remap").isEqualTo(mapped);

    // Damage under the mapping is seen through it, as through a read of the file.
    assertThat(flipBytesInside(storeDir().resolve("journal-0.log"), marker)).isEqualTo(1);
    assertThatThrownBy(() -> store.read(pageAt(7))).isInstanceOf(CorruptPageException.class)
        .hasMessageContaining(pageAt(7).toString());
    assertThat(store.read(pageAt(8)).sameContentAs(written.get(8))).isTrue();
  }

  /** Joins {@code thread}, whose last interrupts of this thread may still arrive; leaves this one not interrupted. */
  private static void awaitIgnoringInterrupts(Thread thread) throws InterruptedException {
    for (int attempt = 0; attempt < 100; attempt++) {
      Thread.interrupted();
      try {
        thread.join(10_000);
        break;
      } catch (InterruptedException lateInterrupt) {
        // One of the interrupter's last: join again.
      }
    }
    Thread.interrupted();
    assertThat(thread.isAlive()).isFalse();
  }

  /** A page filled to the page size with bytes that depend on {@code n} and {@code version}. */
  private static Page fullPage(long n, long version) {
    byte[] content = new byte[PAGE_SIZE.bytes()];
    new Random(n * 31 + version).nextBytes(content);
    return Page.of(pageAt(n), version, false, false, content);
  }

  @Test
  void read_pageDamagedInTheJournal_throwsCorruptPageNamingAddressAndJournal() throws IOException {
    byte[] marker = "QUIRE-DAMAGE-ME!".repeat(64).getBytes(StandardCharsets.US_ASCII);
    store.write(page(1, 1, "healthy before"));
    store.write(Page.of(pageAt(2), 5, false, false, marker));
    store.write(page(3, 1, "healthy after"));
    store.close();
    Path journal = storeDir().resolve("journal-0.log");
    assertThat(flipBytesInside(journal, marker)).isEqualTo(1);

    store = DiskPageStore.open(storeDir(), PAGE_SIZE, NO_CHECKPOINT);

    assertThatThrownBy(() -> store.read(pageAt(2)))
        .isInstanceOf(CorruptPageException.class)
        .hasMessageContaining(pageAt(2).toString())
        .hasMessageContaining(journal.toString())
        .satisfies(e -> assertThat(((CorruptPageException) e).address()).isEqualTo(pageAt(2)))
        .satisfies(e -> assertThat(((CorruptPageException) e).file()).isEqualTo(journal));
    assertThat(store.read(pageAt(1)).version()).isEqualTo(1);
    assertThat(store.read(pageAt(3)).version()).isEqualTo(1);
    // Rewriting the damaged page repairs it.
    store.write(page(2, 6, "repaired"));
    assertThat(store.read(pageAt(2)).version()).isEqualTo(6);
  }

  @Test
  void read_pageDamagedInThePageFile_throwsCorruptPageNamingAddressAndPageFile() throws IOException {
    byte[] marker = "QUIRE-DAMAGE-ME!".repeat(64).getBytes(StandardCharsets.US_ASCII);
    reopen(1);
    store.write(page(1, 1, "healthy before"));
    store.write(Page.of(pageAt(2), 5, false, false, marker));
    store.write(page(3, 1, "healthy after"));
    long generation = disk().generation();
    store.close();
    Path pages = storeDir().resolve("pages-" + generation + ".db");
    assertThat(flipBytesInside(pages, marker)).isEqualTo(1);

    store = DiskPageStore.open(storeDir(), PAGE_SIZE, NO_CHECKPOINT);

    assertThatThrownBy(() -> store.read(pageAt(2)))
        .isInstanceOf(CorruptPageException.class)
        .hasMessageContaining(pageAt(2).toString())
        .hasMessageContaining(pages.toString())
        .satisfies(e -> assertThat(((CorruptPageException) e).file()).isEqualTo(pages));
    assertThat(store.read(pageAt(1)).version()).isEqualTo(1);
    assertThat(store.read(pageAt(3)).version()).isEqualTo(1);
  }

  @Test
  void open_garbageOverAPageFileHeader_throwsCorruptStoreNamingTheFile() throws IOException {
    reopen(1).write(page(1, 1, "a"));
    long generation = disk().generation();
    store.close();
    Path pages = storeDir().resolve("pages-" + generation + ".db");
    byte[] garbage = new byte[64];
    new Random(42).nextBytes(garbage);
    try (RandomAccessFile raf = new RandomAccessFile(pages.toFile(), "rw")) {
      raf.write(garbage);
    }

    for (int attempt = 0; attempt < 2; attempt++) { // the second proves the failed open released the lock
      assertThatThrownBy(() -> DiskPageStore.open(storeDir(), PAGE_SIZE))
          .isInstanceOf(CorruptStoreException.class)
          .hasMessageContaining(pages.toString());
    }
    store = DiskPageStore.open(tmp.resolve("other"), PAGE_SIZE);
  }

  @Test
  void open_withOtherPageSize_throwsStoreExceptionNamingFileAndBothSizes() {
    store.close();

    assertThatThrownBy(() -> DiskPageStore.open(storeDir(), new PageSize(8192)))
        .isExactlyInstanceOf(StoreException.class)
        .hasMessageContaining(storeDir().resolve("STORE").toString())
        .hasMessageContaining("4096")
        .hasMessageContaining("8192");
    store = newStore(); // the refused open released the lock
  }

  @Test
  void open_unknownFormatVersion_isRefused() throws IOException {
    store.close();
    Path meta = storeDir().resolve("STORE");
    Files.writeString(meta, Files.readString(meta).replace("quire.store.format=1", "quire.store.format=99"));

    assertThatThrownBy(() -> DiskPageStore.open(storeDir(), PAGE_SIZE))
        .isExactlyInstanceOf(StoreException.class)
        .hasMessageContaining(meta.toString())
        .hasMessageContaining("99");
    store = DiskPageStore.open(tmp.resolve("other"), PAGE_SIZE);
  }

  @Test
  void open_directoryAlreadyOpen_throwsStoreFileLocked() {
    assertThatThrownBy(() -> DiskPageStore.open(storeDir(), PAGE_SIZE))
        .isInstanceOf(StoreFileLockedException.class)
        .hasMessageContaining(storeDir().toString());
    store.write(page(1, 1, "the first store still works"));
  }

  @Test
  void open_directoryOpenInThisJvm_isLockedForOtherProcesses_evenAfterAFailedSecondOpen() throws Exception {
    // A second open in this JVM must not close a channel of LOCK: POSIX drops a process's lock on any close.
    assertThatThrownBy(() -> DiskPageStore.open(storeDir(), PAGE_SIZE)).isInstanceOf(StoreFileLockedException.class);

    assertThat(openInChildProcess(storeDir())).as("child JVM exit code (3: locked)").isEqualTo(3);
    store.close();
    assertThat(openInChildProcess(storeDir())).as("child JVM exit code once closed").isZero();
  }

  private static int openInChildProcess(Path directory) throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process child = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
        LockProbe.class.getName(), directory.toString()).inheritIO().start();
    assertThat(child.waitFor(30, TimeUnit.SECONDS)).as("child JVM finished").isTrue();
    return child.exitValue();
  }

  @Test
  void open_leftoverTmpFiles_areIgnoredAndDeleted() throws IOException {
    store.write(page(1, 1, "a"));
    store.close();
    Files.write(storeDir().resolve("pages-1.db.tmp"), new byte[] {1, 2, 3});
    Files.write(storeDir().resolve("journal-1.log.tmp"), new byte[] {4});

    store = newStore();

    assertThat(store.read(pageAt(1))).isNotNull();
    assertThat(fileNames(storeDir())).noneMatch(name -> name.endsWith(".tmp"));
  }

  @Test
  void crashInsideACheckpoint_everyIntermediateDirectory_opensToTheAcknowledgedContent() throws IOException {
    List<Page> written = writeNumbered(12);
    assertThat(store.remove(pageAt(3))).isTrue();
    written.remove(3);
    store.close();
    Path before = Files.createTempDirectory(tmp, "before");
    copyDirectory(storeDir(), before); // generation 0: STORE and journal-0.log
    store = DiskPageStore.open(storeDir(), PAGE_SIZE, 1);
    store.write(written.get(0)); // the same content again, and a checkpoint to generation 1
    store.close();
    assertThat(fileNames(storeDir())).containsExactlyInAnyOrder("LOCK", "STORE", "pages-1.db", "journal-1.log");

    // The new page file renamed into place, its journal not yet created: generation 1, empty journal.
    Path pagesOnly = Files.createTempDirectory(tmp, "pages-only");
    copyDirectory(before, pagesOnly);
    Files.copy(storeDir().resolve("pages-1.db"), pagesOnly.resolve("pages-1.db"));
    // Both generations complete, the old one not yet deleted.
    Path both = Files.createTempDirectory(tmp, "both");
    copyDirectory(pagesOnly, both);
    Files.copy(storeDir().resolve("journal-1.log"), both.resolve("journal-1.log"));
    // The new page file still being written.
    Path building = Files.createTempDirectory(tmp, "building");
    copyDirectory(before, building);
    Files.copy(storeDir().resolve("pages-1.db"), building.resolve("pages-1.db.tmp"));

    for (Path crashed : List.of(pagesOnly, both, building)) {
      try (DiskPageStore recovered = DiskPageStore.open(crashed, PAGE_SIZE)) {
        assertHolds(recovered, written);
        assertThat(recovered.read(pageAt(3))).as("removed page in %s", crashed).isNull();
      }
      try (DiskPageStore again = DiskPageStore.open(crashed, PAGE_SIZE)) {
        assertHolds(again, written);
      }
    }
    assertThat(fileNames(pagesOnly)).containsExactlyInAnyOrder("LOCK", "STORE", "pages-1.db", "journal-1.log");
    assertThat(fileNames(building)).containsExactlyInAnyOrder("LOCK", "STORE", "journal-0.log");
  }

  @Test
  void open_pageFileNamedByTheJournalMissing_throwsStoreFileMissing() throws IOException {
    reopen(1).write(page(1, 1, "a"));
    long generation = disk().generation();
    store.close();
    Path pages = storeDir().resolve("pages-" + generation + ".db");
    Files.delete(pages);

    assertThatThrownBy(() -> DiskPageStore.open(storeDir(), PAGE_SIZE))
        .isInstanceOf(StoreFileMissingException.class)
        .hasMessageContaining(pages.toString());
    store = DiskPageStore.open(tmp.resolve("other"), PAGE_SIZE);
  }

  @Test
  void open_damagedRemovalInTheMiddleOfTheJournal_throwsCorruptStoreNamingTheJournal() throws IOException {
    store.write(page(1, 1, "a"));
    store.write(page(2, 1, "b"));
    long removalAt = Files.size(storeDir().resolve("journal-0.log"));
    assertThat(store.remove(pageAt(1))).isTrue();
    store.write(page(3, 1, "c"));
    store.close();
    Path journal = storeDir().resolve("journal-0.log");
    try (RandomAccessFile raf = new RandomAccessFile(journal.toFile(), "rw")) {
      raf.seek(removalAt + 6 + 15); // the last byte of the removed address
      raf.write(0x55);
    }

    assertThatThrownBy(() -> DiskPageStore.open(storeDir(), PAGE_SIZE))
        .isInstanceOf(CorruptStoreException.class)
        .hasMessageContaining(journal.toString());
    store = DiskPageStore.open(tmp.resolve("other"), PAGE_SIZE);
  }

  @Test
  void open_emptyJournalFile_throwsCorruptStore() throws IOException {
    store.close();
    Path journal = storeDir().resolve("journal-0.log");
    Files.write(journal, new byte[0]);

    assertThatThrownBy(() -> DiskPageStore.open(storeDir(), PAGE_SIZE))
        .isInstanceOf(CorruptStoreException.class)
        .hasMessageContaining(journal.toString());
    store = DiskPageStore.open(tmp.resolve("other"), PAGE_SIZE);
  }

  @Test
  void concurrentWritersAndReaders_seeEveryPage() throws Exception {
    reopen(64 * 1024);
    int threads = 4;
    int pagesEach = 50;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        long first = t * (long) pagesEach;
        done.add(pool.submit(() -> {
          for (long n = first; n < first + pagesEach; n++) {
            store.writeLazily(page(n, n, "page " + n));
            assertThat(store.read(pageAt(n)).version()).isEqualTo(n);
            if (n % 10 == 0) {
              store.flush();
            }
          }
          return null;
        }));
      }
      for (Future<?> f : done) {
        f.get(10, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }

    assertThat(store.pageCount()).isEqualTo(threads * (long) pagesEach);
    assertThat(reopen(NO_CHECKPOINT).pageCount()).isEqualTo(threads * (long) pagesEach);
  }

  private List<Page> writeNumbered(int count) {
    List<Page> written = new ArrayList<>();
    for (long n = 0; n < count; n++) {
      Page page = numbered(n, 1);
      store.write(page);
      written.add(page);
    }
    return written;
  }

  /** A copy of the store directory as it is now, with the store still open. */
  private Path crashCopy() throws IOException {
    Path copy = Files.createTempDirectory(tmp, "crash");
    copyDirectory(storeDir(), copy);
    return copy;
  }

  static void copyDirectory(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.list(from)) {
      for (Path file : files.toList()) {
        Files.copy(file, to.resolve(file.getFileName()));
      }
    }
  }

  static List<String> fileNames(Path directory) throws IOException {
    try (Stream<Path> files = Files.list(directory)) {
      return files.map(f -> f.getFileName().toString()).toList();
    }
  }

  /** Inverts two bytes in the middle of every occurrence of {@code marker} in {@code file}; returns how many. */
  static int flipBytesInside(Path file, byte[] marker) throws IOException {
    byte[] content = Files.readAllBytes(file);
    int found = 0;
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      for (int at = indexOf(content, marker, 0); at >= 0; at = indexOf(content, marker, at + marker.length)) {
        long middle = at + marker.length / 2;
        raf.seek(middle);
        raf.write(new byte[] {(byte) ~content[(int) middle], (byte) ~content[(int) middle + 1]});
        found++;
      }
    }
    return found;
  }

  private static int indexOf(byte[] haystack, byte[] needle, int from) {
    outer:
    for (int i = from; i <= haystack.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

}
