package io.postwire;

/**
 * The C ABI's error codes (postwire.h, docs/errors.md). The values never change; a code this
 * version does not know maps to {@link #UNKNOWN}, and {@link PostwireException#codeValue()} still
 * carries its number.
 */
public enum ErrorCode {
  INVALID_ARGUMENT(100),
  CONFIG_UNKNOWN_KEY(101),
  CONFIG_INVALID_VALUE(102),
  INVALID_URL(103),
  CONNECTION_REFUSED(200),
  TIMED_OUT(201),
  NAME_RESOLUTION_FAILED(202),
  CONNECTION_CLOSED(203),
  NETWORK_ERROR(204),
  TLS_HANDSHAKE_FAILED(210),
  TLS_CERTIFICATE_REJECTED(211),
  TLS_SETUP_FAILED(212),
  AUTHENTICATION_FAILED(300),
  ACCESS_DENIED(301),
  NOT_FOUND(302),
  UNROUTABLE(303),
  PRECONDITION_FAILED(304),
  RESOURCE_LOCKED(305),
  BROKER_NACKED(306),
  BROKER_ERROR(307),
  QUEUE_FULL(400),
  SHUTTING_DOWN(401),
  CLOSED(402),
  FORKED_PROCESS(403),
  RETRY_BUDGET_EXHAUSTED(404),
  DELIVERY_TIMEOUT(405),
  NOT_SUPPORTED(406),
  PROTOCOL_ERROR(500),
  MESSAGE_TOO_LARGE(501),
  INTERNAL(900),
  /** A code added by a newer library than this package knows. */
  UNKNOWN(-1);

  private final int value;

  ErrorCode(int value) {
    this.value = value;
  }

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
