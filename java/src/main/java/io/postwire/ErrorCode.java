package io.postwire;

/**
 * The C ABI's error codes (postwire.h, docs/errors.md), each numbered as the native library names
 * it (postwire_code_name), so the numbers are the header's. The values never change; a code this
 * version does not know maps to {@link #UNKNOWN}, and {@link PostwireException#codeValue()} still
 * carries its number.
 */
public enum ErrorCode {
  INVALID_ARGUMENT,
  CONFIG_UNKNOWN_KEY,
  CONFIG_INVALID_VALUE,
  INVALID_URL,
  CONNECTION_REFUSED,
  TIMED_OUT,
  NAME_RESOLUTION_FAILED,
  CONNECTION_CLOSED,
  NETWORK_ERROR,
  TLS_HANDSHAKE_FAILED,
  TLS_CERTIFICATE_REJECTED,
  TLS_SETUP_FAILED,
  AUTHENTICATION_FAILED,
  ACCESS_DENIED,
  NOT_FOUND,
  UNROUTABLE,
  PRECONDITION_FAILED,
  RESOURCE_LOCKED,
  BROKER_NACKED,
  BROKER_ERROR,
  QUEUE_FULL,
  SHUTTING_DOWN,
  CLOSED,
  FORKED_PROCESS,
  RETRY_BUDGET_EXHAUSTED,
  DELIVERY_TIMEOUT,
  NOT_SUPPORTED,
  PROTOCOL_ERROR,
  MESSAGE_TOO_LARGE,
  INTERNAL,
  /** A code added by a newer library than this package knows. */
  UNKNOWN;

  /** The number, as the native library names it (postwire_code_name); -1 for UNKNOWN. */
  private final int value =
      HeaderConstants.codes().getOrDefault(name().toLowerCase(java.util.Locale.ROOT), -1);

  /** The number postwire.h gives this code. */
  public int value() {
    return value;
  }

  /** The code with this number, or {@link #UNKNOWN}. */
  public static ErrorCode of(int value) {
    for (ErrorCode code : values()) {
      if (code.value == value) {
        return code;
      }
    }
    return UNKNOWN;
  }
}
