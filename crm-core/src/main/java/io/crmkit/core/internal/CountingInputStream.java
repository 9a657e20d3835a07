package io.crmkit.core.internal;

import java.io.IOException;
import java.io.InputStream;

/** The bytes read through it, for progress. */
final class CountingInputStream extends java.io.FilterInputStream {
  private long count;

  /** Bytes read so far. */
  long count() {
    return count;
  }

  CountingInputStream(InputStream in) {
    super(in);
  }

  @Override
  public int read() throws IOException {
    int b = super.read();
    count += b >= 0 ? 1 : 0;
    return b;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    int n = super.read(b, off, len);
    count += Math.max(n, 0);
    return n;
  }
}
