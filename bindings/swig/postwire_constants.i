/*
 * postwire_constants.i - postwire.h's named constants for the Java enums (Capability,
 * ClientListener's states, EventPoller's event kinds and log levels), so that no Java file
 * spells out a value of the header. Each entry pairs a constant's name with the constant
 * itself, compiled in from postwire.h; the Java side asks by name when its class loads, and
 * ConstantsTest checks every table against the header. Error codes need no table here: ErrorCode
 * asks postwire_code_name().
 */
%{
/* The value of the postwire.h constant named `name` in *value; 0 if there is none. */
static int pwj_constant(const char* name, int64_t* value) {
#define PWJ_CONSTANT(constant) {#constant, (int64_t)(constant)}
  static const struct {
    const char* name;
    int64_t value;
  } constants[] = {
      PWJ_CONSTANT(POSTWIRE_CAP_EXCHANGES),
      PWJ_CONSTANT(POSTWIRE_CAP_PRIORITIES),
      PWJ_CONSTANT(POSTWIRE_CAP_PER_MESSAGE_TTL),
      PWJ_CONSTANT(POSTWIRE_CAP_DELAYED_NACK),
      PWJ_CONSTANT(POSTWIRE_CAP_BROKER_DEAD_LETTER),
      PWJ_CONSTANT(POSTWIRE_CAP_EXCLUSIVE_CONSUMERS),
      PWJ_CONSTANT(POSTWIRE_CAP_SINGLE_ACTIVE_CONSUMER),
      PWJ_CONSTANT(POSTWIRE_CAP_QUORUM_QUEUES),
      PWJ_CONSTANT(POSTWIRE_CAP_PARTITIONS),
      PWJ_CONSTANT(POSTWIRE_CAP_SEEK),
      PWJ_CONSTANT(POSTWIRE_CAP_CONSUMER_GROUPS),
      PWJ_CONSTANT(POSTWIRE_CAP_FIFO),
      PWJ_CONSTANT(POSTWIRE_CAP_NATIVE_DELAY),
      PWJ_CONSTANT(POSTWIRE_CAP_VISIBILITY_EXTENSION),
      PWJ_CONSTANT(POSTWIRE_EVENT_DELIVERY_REPORT),
      PWJ_CONSTANT(POSTWIRE_EVENT_MESSAGE),
      PWJ_CONSTANT(POSTWIRE_EVENT_ERROR),
      PWJ_CONSTANT(POSTWIRE_EVENT_LOG),
      PWJ_CONSTANT(POSTWIRE_EVENT_CONSUMER),
      PWJ_CONSTANT(POSTWIRE_EVENT_FLOW),
      PWJ_CONSTANT(POSTWIRE_EVENT_CONNECTION),
      PWJ_CONSTANT(POSTWIRE_EVENT_SOURCES_ASSIGNED),
      PWJ_CONSTANT(POSTWIRE_EVENT_SOURCES_REVOKED),
      PWJ_CONSTANT(POSTWIRE_SUBSCRIBE_EXCLUSIVE),
      PWJ_CONSTANT(POSTWIRE_SUBSCRIBE_TO_EVENTS),
      PWJ_CONSTANT(POSTWIRE_CONNECTION_CONNECTED),
      PWJ_CONSTANT(POSTWIRE_CONNECTION_RECOVERING),
      PWJ_CONSTANT(POSTWIRE_CONNECTION_FAILED),
      PWJ_CONSTANT(POSTWIRE_CONNECTION_CLOSED),
      PWJ_CONSTANT(POSTWIRE_CONSUMER_ACTIVE),
      PWJ_CONSTANT(POSTWIRE_CONSUMER_CANCELLED),
      PWJ_CONSTANT(POSTWIRE_CONSUMER_FAILED),
      PWJ_CONSTANT(POSTWIRE_LOG_TRACE),
      PWJ_CONSTANT(POSTWIRE_LOG_DEBUG),
      PWJ_CONSTANT(POSTWIRE_LOG_INFO),
      PWJ_CONSTANT(POSTWIRE_LOG_WARN),
      PWJ_CONSTANT(POSTWIRE_LOG_ERROR),
  };
#undef PWJ_CONSTANT
  size_t i;
  for (i = 0; i < sizeof constants / sizeof constants[0]; i++) {
    if (strcmp(constants[i].name, name) == 0) {
      *value = constants[i].value;
      return 1;
    }
  }
  return 0;
}
%}

%inline %{
/* The value of the postwire.h constant named `name`, or `missing` if there is none. */
int64_t pwj_constant_or(const char* name, int64_t missing) {
  int64_t value = missing;
  return pwj_constant(name, &value) ? value : missing;
}
%}
