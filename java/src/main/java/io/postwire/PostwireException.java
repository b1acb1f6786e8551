package io.postwire;

/**
 * An error reported by postwire: its {@link #code() code}, a message naming what was wrong, and
 * whether retrying may help ({@link #isRetriable()}) or the client can no longer be used ({@link
 * #isFatal()}). The codes are the C ABI's (docs/errors.md), and so are the flags, also of the
 * errors this package raises itself (an object closed on the Java side).
 *
 * <p>It is the base of every postwire error: catching it catches them all. A code that has a
 * natural Java meaning has a subclass: {@link PostwireTimeoutException} for {@code timed_out}.
 */
public class PostwireException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int codeValue;
  private final boolean retriable;
  private final boolean fatal;

  PostwireException(int codeValue, String message, boolean retriable, boolean fatal) {
    super(message);
    this.codeValue = codeValue;
    this.retriable = retriable;
    this.fatal = fatal;
  }

  /** The error of a C ABI error object, as its class for the code; called by the JNI layer. */
  static PostwireException of(int codeValue, String message, boolean retriable, boolean fatal) {
    if (codeValue == ErrorCode.TIMED_OUT.value()) {
      return new PostwireTimeoutException(message, retriable, fatal);
    }
    return new PostwireException(codeValue, message, retriable, fatal);
  }

  /**
   * An error this package raises itself with a code of the C ABI; its flags are the code's as the
   * native library defines them (postwire_code_retriable, postwire_code_fatal), never chosen here.
   */
  static PostwireException raised(ErrorCode code, String message) {
    NativeLibrary.load();
    return of(
        code.value(),
        message,
        NativeApi.postwire_code_retriable(code.value()) != 0,
        NativeApi.postwire_code_fatal(code.value()) != 0);
  }

  static PostwireException closed(String what) {
    return raised(ErrorCode.CLOSED, what + " is closed");
  }

  /** The code, or {@link ErrorCode#UNKNOWN} for one added by a newer library. */
  public ErrorCode code() {
    return ErrorCode.of(codeValue);
  }

  /** The code's number as postwire.h defines it. */
  public int codeValue() {
    return codeValue;
  }

  /** The code's name as the C ABI spells it ("timed_out", ...). */
  public String codeName() {
    ErrorCode code = code();
    return code == ErrorCode.UNKNOWN ? "unknown" : code.name().toLowerCase(java.util.Locale.ROOT);
  }

  /** Whether the same operation may succeed when tried again. */
  public boolean isRetriable() {
    return retriable;
  }

  /** Whether the client that raised it can no longer be used and must be closed. */
  public boolean isFatal() {
    return fatal;
  }

  @Override
  public String toString() {
    return "PostwireException[" + codeName() + "]: " + getMessage();
  }
}
