/*
 * postwire_consumer.i - the consumer's and the message's helpers for postwire.i: subscribe,
 * the batched poll, close, the message's fields and settling.
 */

%inline %{
static postwire_consumer* pwj_subscribe(postwire_client* client, const char* source,
                                        int prefetch, int flags, postwire_error** error) {
  postwire_consumer* consumer = NULL;
  postwire_client_subscribe(client, source, (uint32_t)prefetch, (uint32_t)flags, &consumer,
                            error);
  return consumer;
}

/* Subscribes with options (key, value, ...) as postwire_client_subscribe_with_options takes
 * them: the way to every option, including those of one broker only. */
static postwire_consumer* pwj_subscribe_with_options(postwire_client* client, const char* source,
                                                     const char* const* options,
                                                     size_t option_count, postwire_error** error) {
  postwire_consumer* consumer = NULL;
  postwire_client_subscribe_with_options(client, source, options, option_count, &consumer,
                                         error);
  return consumer;
}

static long long pwj_consumer_id(postwire_consumer* consumer, postwire_error** error) {
  uint64_t id = 0;
  postwire_consumer_id(consumer, &id, error);
  return (long long)id;
}

/* Up to handles.length messages (at most 1024) in one crossing; returns how many were
 * written to handles, each now owned by the caller. */
static int pwj_consumer_poll(JNIEnv* jenv, postwire_consumer* consumer, long long timeout_ms,
                             jlongArray handles, postwire_error** error) {
  enum { MAX_BATCH = 1024 };
  postwire_message* messages[MAX_BATCH];
  jlong numbers[MAX_BATCH];
  size_t max = (size_t)(*jenv)->GetArrayLength(jenv, handles);
  size_t count = 0;
  size_t i;
  if (max > MAX_BATCH) {
    max = MAX_BATCH;
  }
  if (postwire_consumer_poll_batch(consumer, messages, max, (int64_t)timeout_ms, &count,
                                   error) != POSTWIRE_OK) {
    return 0;
  }
  for (i = 0; i < count; ++i) {
    numbers[i] = (jlong)(intptr_t)messages[i];
  }
  (*jenv)->SetLongArrayRegion(jenv, handles, 0, (jsize)count, numbers);
  return (int)count;
}

static void pwj_consumer_close(postwire_consumer* consumer, postwire_error** error) {
  postwire_consumer_close(consumer, error);
}

/* ---- messages ---- */

static jbyteArray pwj_message_body(JNIEnv* jenv, postwire_message* message,
                                   postwire_error** error) {
  const void* data = NULL;
  size_t size = 0;
  if (postwire_message_body(message, &data, &size, error) != POSTWIRE_OK) {
    return NULL;
  }
  return pwj_bytes(jenv, data, size);
}

static jbyteArray pwj_message_key(JNIEnv* jenv, postwire_message* message,
                                  postwire_error** error) {
  const void* data = NULL;
  size_t size = 0;
  if (postwire_message_key(message, &data, &size, error) != POSTWIRE_OK) {
    return NULL;
  }
  return pwj_bytes(jenv, data, size);
}

static jstring pwj_message_id(JNIEnv* jenv, postwire_message* message, postwire_error** error) {
  const char* id = NULL;
  return postwire_message_id(message, &id, error) == POSTWIRE_OK ? pwj_string(jenv, id) : NULL;
}

static jstring pwj_message_content_type(JNIEnv* jenv, postwire_message* message,
                                        postwire_error** error) {
  const char* type = NULL;
  return postwire_message_content_type(message, &type, error) == POSTWIRE_OK
             ? pwj_string(jenv, type)
             : NULL;
}

static jstring pwj_message_source(JNIEnv* jenv, postwire_message* message,
                                  postwire_error** error) {
  const char* source = NULL;
  return postwire_message_source(message, &source, error) == POSTWIRE_OK
             ? pwj_string(jenv, source)
             : NULL;
}

/* The headers in order as Object[] {name, value bytes, name, value bytes, ...}. */
static jobjectArray pwj_message_headers(JNIEnv* jenv, postwire_message* message,
                                        postwire_error** error) {
  size_t count = 0;
  size_t i;
  jobjectArray result;
  if (postwire_message_header_count(message, &count, error) != POSTWIRE_OK) {
    return NULL;
  }
  result = (*jenv)->NewObjectArray(jenv, (jsize)(2 * count), pwj_object_class, NULL);
  for (i = 0; result != NULL && i < count; ++i) {
    const char* name = NULL;
    const void* value = NULL;
    size_t size = 0;
    jobject name_string;
    jobject value_bytes;
    if (postwire_message_header_at(message, i, &name, &value, &size, error) != POSTWIRE_OK) {
      return NULL;
    }
    name_string = pwj_string(jenv, name);
    value_bytes = pwj_bytes(jenv, value, size);
    if (name_string == NULL || value_bytes == NULL) {
      return NULL;
    }
    (*jenv)->SetObjectArrayElement(jenv, result, (jsize)(2 * i), name_string);
    (*jenv)->SetObjectArrayElement(jenv, result, (jsize)(2 * i + 1), value_bytes);
    (*jenv)->DeleteLocalRef(jenv, name_string);
    (*jenv)->DeleteLocalRef(jenv, value_bytes);
  }
  return result;
}

/* The numeric fields in one crossing (PWJ_MESSAGE_NUMBERS of them): fields[0] delivery count,
 * [1] redelivered (0/1), [2] priority (-1: none), [3] timestamp in ms (-1: none), [4] the
 * consumer id, [5] partition, [6] offset, [7] broker timestamp in ms (-1: none, each). */
static void pwj_message_numbers(JNIEnv* jenv, postwire_message* message, jlongArray fields,
                                postwire_error** error) {
  uint32_t count = 0;
  int redelivered = 0;
  int32_t priority = -1;
  int64_t timestamp = -1;
  uint64_t consumer_id = 0;
  int32_t partition = -1;
  int64_t offset = -1;
  int64_t broker_timestamp = -1;
  jlong numbers[8];
  if (postwire_message_delivery_count(message, &count, error) != POSTWIRE_OK ||
      postwire_message_redelivered(message, &redelivered, error) != POSTWIRE_OK ||
      postwire_message_priority(message, &priority, error) != POSTWIRE_OK ||
      postwire_message_timestamp(message, &timestamp, error) != POSTWIRE_OK ||
      postwire_message_consumer_id(message, &consumer_id, error) != POSTWIRE_OK ||
      postwire_message_position(message, &partition, &offset, &broker_timestamp, NULL, NULL,
                                error) != POSTWIRE_OK) {
    return;
  }
  numbers[0] = count;
  numbers[1] = redelivered;
  numbers[2] = priority;
  numbers[3] = timestamp;
  numbers[4] = (jlong)consumer_id;
  numbers[5] = partition;
  numbers[6] = offset;
  numbers[7] = broker_timestamp;
  (*jenv)->SetLongArrayRegion(jenv, fields, 0, 8, numbers);
}

/* The position's texts as String[] {broker message id, sequence number}, "" when absent. */
static jobjectArray pwj_message_position_texts(JNIEnv* jenv, postwire_message* message,
                                               postwire_error** error) {
  const char* texts[2] = {NULL, NULL};
  if (postwire_message_position(message, NULL, NULL, NULL, &texts[0], &texts[1], error) !=
      POSTWIRE_OK) {
    return NULL;
  }
  return pwj_string_pair(jenv, texts[0], texts[1]);
}

static void pwj_ack(postwire_message* message, postwire_error** error) {
  postwire_message_ack(message, error);
}

static void pwj_nack(postwire_message* message, long long delay_ms, postwire_error** error) {
  postwire_message_nack(message, (int64_t)delay_ms, error);
}

static void pwj_dead_letter(postwire_message* message, const char* reason,
                            postwire_error** error) {
  postwire_message_dead_letter(message, reason, error);
}
%}
