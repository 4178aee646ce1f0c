package io.quire.store.disk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quire.core.address.GlobalAddress;
import io.quire.core.address.PageSize;
import io.quire.core.page.Page;
import io.quire.spi.store.CorruptPageException;
import io.quire.spi.store.CorruptStoreException;
import io.quire.spi.store.PageStore;
import io.quire.spi.store.StoreException;
import io.quire.spi.store.StoreFileLockedException;
import io.quire.store.PageStoreContract;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mapdb.DB;
import org.mapdb.DBMaker;

/** The disk tier: the {@link PageStoreContract} plus durability, file checks and corruption handling. */
class MapDbPageStoreTest extends PageStoreContract {

  @TempDir Path dir;

  private Path storeFile() {
    return dir.resolve("node.db");
  }

  @Override
  protected PageStore newStore() {
    return MapDbPageStore.open(storeFile(), PAGE_SIZE);
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
  void write_unalignedAddress_isRejected() {
    Page unaligned = Page.of(GlobalAddress.of(100), 1, false, false, new byte[] {1});

    assertThatThrownBy(() -> store.write(unaligned)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void reopen_afterClose_keepsEveryPage() {
    List<Page> written = new ArrayList<>();
    for (long n = 0; n < 20; n++) {
      Page page = Page.of(pageAt(n), n, false, n % 2 == 0, ("page " + n).getBytes(StandardCharsets.UTF_8));
      written.add(page);
      store.write(page);
    }
    store.close();

    store = newStore();

    assertThat(store.pageCount()).isEqualTo(20);
    for (Page page : written) {
      assertThat(store.read(page.address()).sameContentAs(page)).as("%s", page).isTrue();
    }
  }

  @Test
  void write_whenItReturns_pageIsInTheFileWithoutClose() throws IOException {
    store.write(page(1, 1, "durable"));

    // A copy of the file while the store is still open is what a SIGKILL at this moment would leave behind.
    Path crashCopy = copyOfStoreFile();

    try (PageStore recovered = MapDbPageStore.open(crashCopy, PAGE_SIZE)) {
      assertThat(recovered.read(pageAt(1)).version()).isEqualTo(1);
    }
  }

  @Test
  void writeLazily_thenFlush_pageIsInTheFileWithoutClose() throws IOException {
    store.writeLazily(page(1, 1, "lazy"));
    assertThat(store.read(pageAt(1))).isNotNull();

    store.flush();
    Path crashCopy = copyOfStoreFile();

    try (PageStore recovered = MapDbPageStore.open(crashCopy, PAGE_SIZE)) {
      assertThat(recovered.read(pageAt(1)).version()).isEqualTo(1);
    }
  }

  @Test
  void writeLazily_thenClose_survivesReopen() {
    store.writeLazily(page(1, 1, "lazy"));
    store.close();

    store = newStore();

    assertThat(store.read(pageAt(1)).version()).isEqualTo(1);
  }

  @Test
  void writeLazily_isCommittedByTheNextWrite() throws IOException {
    store.writeLazily(page(1, 1, "lazy"));
    store.write(page(2, 1, "eager"));

    try (PageStore recovered = MapDbPageStore.open(copyOfStoreFile(), PAGE_SIZE)) {
      assertThat(recovered.read(pageAt(1))).isNotNull();
      assertThat(recovered.read(pageAt(2))).isNotNull();
    }
  }

  @Test
  void open_withOtherPageSize_throwsStoreExceptionNamingFileAndBothSizes() {
    store.close();

    assertThatThrownBy(() -> MapDbPageStore.open(storeFile(), new PageSize(8192)))
        .isExactlyInstanceOf(StoreException.class)
        .hasMessageContaining(storeFile().toString())
        .hasMessageContaining("4096")
        .hasMessageContaining("8192");
    // The refused open must not keep the file locked.
    store = newStore();
  }

  @Test
  void open_fileLockedByOtherStore_throwsStoreFileLocked() {
    assertThatThrownBy(() -> MapDbPageStore.open(storeFile(), PAGE_SIZE))
        .isInstanceOf(StoreFileLockedException.class)
        .hasMessageContaining(storeFile().toString());
  }

  @Test
  void open_unknownFormatVersion_throwsStoreExceptionNamingTheVersion() {
    store.close();
    DB db = DBMaker.fileDB(storeFile().toFile()).transactionEnable().make();
    db.atomicInteger("quire.formatVersion").open().set(99);
    db.commit();
    db.close();

    assertThatThrownBy(() -> MapDbPageStore.open(storeFile(), PAGE_SIZE))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining(storeFile().toString())
        .hasMessageContaining("99");
    store = MapDbPageStore.open(dir.resolve("other.db"), PAGE_SIZE);
  }

  @Test
  void open_mapDbFileOfAnotherKind_throwsStoreException() {
    Path foreign = dir.resolve("foreign.db");
    DB db = DBMaker.fileDB(foreign.toFile()).transactionEnable().make();
    db.atomicLong("something").create();
    db.commit();
    db.close();

    assertThatThrownBy(() -> MapDbPageStore.open(foreign, PAGE_SIZE))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining(foreign.toString())
        .hasMessageContaining("not a Quire page store");
  }

  @Test
  void read_pageWithDamagedDataOnDisk_throwsCorruptPageNamingAddressAndFile() throws IOException {
    byte[] marker = "QUIRE-DAMAGE-ME!".repeat(64).getBytes(StandardCharsets.US_ASCII);
    store.write(page(1, 1, "healthy before"));
    store.write(Page.of(pageAt(2), 5, false, false, marker));
    store.write(page(3, 1, "healthy after"));
    store.close();

    int damaged = flipBytesInside(storeFile(), marker);
    assertThat(damaged).as("copies of the marker page found in the file").isPositive();

    store = newStore();
    assertThatThrownBy(() -> store.read(pageAt(2)))
        .isInstanceOf(CorruptPageException.class)
        .hasMessageContaining(pageAt(2).toString())
        .hasMessageContaining(storeFile().toString())
        .satisfies(e -> assertThat(((CorruptPageException) e).address()).isEqualTo(pageAt(2)));
    assertThat(store.read(pageAt(1)).version()).isEqualTo(1);
    assertThat(store.read(pageAt(3)).version()).isEqualTo(1);
  }

  @Test
  void open_garbageOverTheFileHeader_throwsCorruptStoreNamingTheFile() throws IOException {
    store.write(page(1, 1, "a"));
    store.close();
    byte[] garbage = new byte[64];
    new Random(42).nextBytes(garbage);
    try (RandomAccessFile raf = new RandomAccessFile(storeFile().toFile(), "rw")) {
      raf.write(garbage);
    }

    assertThatThrownBy(() -> MapDbPageStore.open(storeFile(), PAGE_SIZE))
        .isInstanceOf(CorruptStoreException.class)
        .hasMessageContaining(storeFile().toString());
    // Leave a working store behind for the contract's @AfterEach.
    store = MapDbPageStore.open(dir.resolve("other.db"), PAGE_SIZE);
  }

  @Test
  void open_emptyExistingFile_throwsCorruptStore() throws IOException {
    Path empty = Files.createFile(dir.resolve("empty.db"));

    assertThatThrownBy(() -> MapDbPageStore.open(empty, PAGE_SIZE))
        .isInstanceOf(CorruptStoreException.class)
        .hasMessageContaining(empty.toString());
  }

  @Test
  void decode_truncatedRecord_throwsCorruptPage() {
    byte[] record = disk().encode(page(1, 1, "some bytes"));

    assertCorrupt(Arrays.copyOf(record, record.length - 1), "length");
    assertCorrupt(Arrays.copyOf(record, MapDbPageStore.RECORD_HEADER_BYTES - 1), "header");
  }

  @Test
  void decode_recordWithLengthBeyondPageSize_throwsCorruptPage() {
    byte[] record = disk().encode(page(1, 1, "x"));
    ByteBuffer.wrap(record).putInt(MapDbPageStore.RECORD_HEADER_BYTES - Integer.BYTES, PAGE_SIZE.bytes() + 1);

    assertCorrupt(record, "length");
  }

  @Test
  void decode_unknownFormatOrFlags_throwsCorruptPage() {
    byte[] badFormat = disk().encode(page(1, 1, "x"));
    badFormat[0] = 7;
    byte[] badFlags = disk().encode(page(1, 1, "x"));
    badFlags[1] = (byte) 0x80;

    assertCorrupt(badFormat, "format");
    assertCorrupt(badFlags, "flags");
  }

  @Test
  void decode_recordStoredUnderAnotherAddress_failsItsChecksum() {
    byte[] record = disk().encode(page(1, 1, "belongs to page 1"));

    assertThatThrownBy(() -> disk().decode(pageAt(2), record))
        .isInstanceOf(CorruptPageException.class)
        .hasMessageContaining("checksum");
  }

  @Test
  void concurrentWritersAndReaders_seeEveryPage() throws Exception {
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
  }

  private MapDbPageStore disk() {
    return (MapDbPageStore) store;
  }

  private void assertCorrupt(byte[] record, String problem) {
    assertThatThrownBy(() -> disk().decode(pageAt(1), record))
        .isInstanceOf(CorruptPageException.class)
        .hasMessageContaining(pageAt(1).toString())
        .hasMessageContaining(storeFile().toString())
        .hasMessageContaining(problem);
  }

  private Path copyOfStoreFile() throws IOException {
    Path copy = dir.resolve("crash-copy.db");
    Files.copy(storeFile(), copy);
    return copy;
  }

  /** Inverts two bytes in the middle of every occurrence of {@code marker} in {@code file}; returns how many. */
  private static int flipBytesInside(Path file, byte[] marker) throws IOException {
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
