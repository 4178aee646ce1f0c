package io.quire.store.disk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quire.core.address.GlobalAddress;
import io.quire.core.address.PageSize;
import io.quire.core.page.Page;
import io.quire.spi.store.CorruptPageException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The page record: what it keeps and how it rejects damage. */
class PageRecordCodecTest {

  private static final PageSize PAGE_SIZE = PageSize.DEFAULT;
  private static final Path FILE = Path.of("/data/pages-7.db");

  private final PageRecordCodec codec = new PageRecordCodec(PAGE_SIZE);

  private static GlobalAddress pageAt(long n) {
    return GlobalAddress.ZERO.plusPages(n, PAGE_SIZE);
  }

  private static Page page(long n, String text) {
    return Page.of(pageAt(n), 1, false, false, text.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void decode_ofEncode_returnsTheSameCleanPage() {
    Page written = Page.of(pageAt(2), 9, true, true, new byte[] {4, 5, 6});

    Page read = codec.decode(pageAt(2), codec.encode(written), FILE);

    assertThat(read.sameContentAs(written)).isTrue();
    assertThat(read.version()).isEqualTo(9);
    assertThat(read.isVolatile()).isTrue();
    assertThat(read.isDirty()).isFalse();
  }

  @Test
  void encode_pageLongerThanPageSizeOrUnaligned_isRejected() {
    assertThatThrownBy(() -> codec.encode(Page.of(pageAt(1), 1, false, false, new byte[PAGE_SIZE.bytes() + 1])))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> codec.encode(Page.of(GlobalAddress.of(100), 1, false, false, new byte[] {1})))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void decode_truncatedRecord_throwsCorruptPage() {
    byte[] record = codec.encode(page(1, "some bytes"));

    assertCorrupt(Arrays.copyOf(record, record.length - 1), "length");
    assertCorrupt(Arrays.copyOf(record, PageRecordCodec.RECORD_HEADER_BYTES - 1), "header");
  }

  @Test
  void decode_recordWithLengthBeyondPageSize_throwsCorruptPage() {
    byte[] record = codec.encode(page(1, "x"));
    ByteBuffer.wrap(record).putInt(PageRecordCodec.RECORD_HEADER_BYTES - Integer.BYTES, PAGE_SIZE.bytes() + 1);

    assertCorrupt(record, "length");
  }

  @Test
  void decode_unknownFormatOrFlags_throwsCorruptPage() {
    byte[] badFormat = codec.encode(page(1, "x"));
    badFormat[0] = 7;
    byte[] badFlags = codec.encode(page(1, "x"));
    badFlags[1] = (byte) 0x80;

    assertCorrupt(badFormat, "format");
    assertCorrupt(badFlags, "flags");
  }

  @Test
  void decode_flippedDataByte_failsItsChecksum() {
    byte[] record = codec.encode(page(1, "some data"));
    record[record.length - 2] ^= 0x10;

    assertCorrupt(record, "checksum");
  }

  @Test
  void decode_recordStoredUnderAnotherAddress_failsItsChecksum() {
    byte[] record = codec.encode(page(1, "belongs to page 1"));

    assertThatThrownBy(() -> codec.decode(pageAt(2), record, FILE))
        .isInstanceOf(CorruptPageException.class)
        .hasMessageContaining("checksum");
  }

  private void assertCorrupt(byte[] record, String problem) {
    assertThatThrownBy(() -> codec.decode(pageAt(1), record, FILE))
        .isInstanceOf(CorruptPageException.class)
        .hasMessageContaining(pageAt(1).toString())
        .hasMessageContaining(FILE.toString())
        .hasMessageContaining(problem);
  }
}
