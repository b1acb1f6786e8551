package io.postwire;

import java.lang.ref.Cleaner;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/**
 * One native handle and the function that frees it, shared by the object that owns it and the
 * {@link Cleaner} that frees it when that object is garbage-collected without being closed.
 *
 * <p>Calls borrow the handle with {@link #acquire()} and give it back with {@link #release()}.
 * {@link #close()} frees it at once when nobody borrows it, else when the last borrower gives it
 * back, so a handle is never freed under a call in another thread (which the C ABI forbids). It
 * never holds a reference to its owner, or the owner could never be collected.
 */
final class NativeRef implements Runnable {
  private static final Cleaner CLEANER =
      Cleaner.create(
          runnable -> {
            Thread thread = new Thread(runnable, "postwire-cleaner");
            thread.setDaemon(true);
            return thread;
          });
  private static final AtomicLong LIVE = new AtomicLong();
  private static final long CLOSED = 1L << 62;

  private final long address;
  private final LongConsumer destroy;
  private final String what;

  /** CLOSED once closed, plus the number of calls borrowing the handle. */
  private final AtomicLong state = new AtomicLong();

  private final AtomicBoolean freed = new AtomicBoolean();
  private final Cleaner.Cleanable cleanable;

  /**
   * Takes ownership of {@code address} for {@code owner}; {@code what} names the handle in errors
   * ("the producer", ...). With a null owner the handle is freed only by {@link #close()}: its
   * owner arranges its own cleaning (a client must be closed before it is freed).
   */
  NativeRef(Object owner, long address, LongConsumer destroy, String what) {
    if (address == 0) {
      throw new IllegalStateException("postwire: the C ABI returned no " + what);
    }
    this.address = address;
    this.destroy = destroy;
    this.what = what;
    LIVE.incrementAndGet();
    this.cleanable = owner == null ? this::run : CLEANER.register(owner, this);
  }

  static Cleaner cleaner() {
    return CLEANER;
  }

  /** Native handles made by this package and not yet freed, across every client. */
  static long live() {
    return LIVE.get();
  }

  /** Borrows the handle for one call; throws a closed error once {@link #close()} began. */
  long acquire() {
    while (true) {
      long current = state.get();
      if ((current & CLOSED) != 0) {
        throw PostwireException.closed(what);
      }
      if (state.compareAndSet(current, current + 1)) {
        return address;
      }
    }
  }

  void release() {
    if (state.decrementAndGet() == CLOSED) {
      cleanable.clean();
    }
  }

  boolean isClosed() {
    return (state.get() & CLOSED) != 0;
  }

  /** Frees the handle now, or when the last borrower releases it. Idempotent. */
  void close() {
    long before = state.getAndUpdate(current -> current | CLOSED);
    if ((before & CLOSED) == 0 && before == 0) {
      cleanable.clean();
    }
  }

  /** Run by {@link #close()} through the cleanable, or by the Cleaner after collection. */
  @Override
  public void run() {
    state.getAndUpdate(current -> current | CLOSED);
    free();
  }

  private void free() {
    if (freed.compareAndSet(false, true)) {
      destroy.accept(address);
      LIVE.decrementAndGet();
    }
  }
}
