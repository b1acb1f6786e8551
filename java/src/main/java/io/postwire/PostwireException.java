package io.postwire;

/**
 * An error reported by postwire: its {@link #code() code}, a message naming what was wrong, and
 * whether retrying may help ({@link #isRetriable()}) or the client can no longer be used ({@link
 * #isFatal()}). The codes are the C ABI's (docs/errors.md).
 */
public class PostwireException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int codeValue;
  private final boolean retriable;
  private final boolean fatal;

  /** Made by the JNI layer (from a C ABI error) and by the binding for the same codes. */
  PostwireException(int codeValue, String message, boolean retriable, boolean fatal) {
    super(message);
    this.codeValue = codeValue;
    this.retriable = retriable;
    this.fatal = fatal;
  }

  static PostwireException closed(String what) {
    return new PostwireException(ErrorCode.CLOSED.value(), what + " is closed", false, false);
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
