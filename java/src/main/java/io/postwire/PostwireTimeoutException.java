package io.postwire;

/**
 * A {@link PostwireException} with the code {@link ErrorCode#TIMED_OUT}: a wait of postwire's ran
 * out (connecting, a broker's answer within request.timeout.ms). It is unchecked like its base, so
 * it cannot be a {@link java.util.concurrent.TimeoutException} (which is checked); catch it where a
 * timeout is handled apart from other failures. A message that could not be confirmed within
 * delivery.timeout.ms is {@link ErrorCode#DELIVERY_TIMEOUT}, a plain PostwireException: it is a
 * verdict on the message, not a wait that may be tried again.
 */
public class PostwireTimeoutException extends PostwireException {
  private static final long serialVersionUID = 1L;

  PostwireTimeoutException(String message, boolean retriable, boolean fatal) {
    super(ErrorCode.TIMED_OUT.value(), message, retriable, fatal);
  }
}
