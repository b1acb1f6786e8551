/*
 * postwire_client.i - the client's helpers for postwire.i: connect, close, the batched event
 * poll, stats, capabilities, topology and administration.
 */

%{
/* Slots per event in pwj_client_poll's `slots` array: kind, then three numbers. */
enum { PWJ_EVENT_SLOTS = 4 };
%}

%{
/* A successful delivery report's extra: its id, or Object[] {id, long[3], String[2]} when the
 * broker said where it stored the message (only then: the common report stays one String). */
static jobject pwj_report_extra(JNIEnv* jenv, const postwire_event* event, const char* id) {
  int32_t partition = -1;
  int64_t offset = -1;
  int64_t broker_timestamp = -1;
  const char* broker_id = NULL;
  const char* sequence = NULL;
  jlong numbers[3];
  jobjectArray result;
  jlongArray where;
  jobjectArray texts;
  jstring id_string;
  postwire_event_delivery_position(event, &partition, &offset, &broker_timestamp, &broker_id,
                                   &sequence, NULL);
  if (partition < 0 && offset < 0 && broker_timestamp < 0 && (broker_id == NULL || !*broker_id) &&
      (sequence == NULL || !*sequence)) {
    return pwj_string(jenv, id);
  }
  numbers[0] = partition;
  numbers[1] = offset;
  numbers[2] = broker_timestamp;
  result = (*jenv)->NewObjectArray(jenv, 3, pwj_object_class, NULL);
  where = (*jenv)->NewLongArray(jenv, 3);
  texts = pwj_string_pair(jenv, broker_id, sequence);
  id_string = pwj_string(jenv, id);
  if (result != NULL && where != NULL && texts != NULL) {
    (*jenv)->SetLongArrayRegion(jenv, where, 0, 3, numbers);
    (*jenv)->SetObjectArrayElement(jenv, result, 0, id_string);
    (*jenv)->SetObjectArrayElement(jenv, result, 1, where);
    (*jenv)->SetObjectArrayElement(jenv, result, 2, texts);
  }
  (*jenv)->DeleteLocalRef(jenv, where);
  (*jenv)->DeleteLocalRef(jenv, texts);
  (*jenv)->DeleteLocalRef(jenv, id_string);
  return result;
}

/* An assignment event: the consumer's id in slot[1]; returns Object[] {source, int[]}. */
static jobject pwj_assignment_extra(JNIEnv* jenv, const postwire_event* event, jlong* slot) {
  uint64_t consumer_id = 0;
  const char* source = NULL;
  const int32_t* partitions = NULL;
  size_t count = 0;
  jobjectArray result;
  jintArray numbers;
  jstring name;
  if (postwire_event_assignment(event, &consumer_id, &source, &partitions, &count, NULL) !=
      POSTWIRE_OK) {
    return NULL;
  }
  slot[1] = (jlong)consumer_id;
  result = (*jenv)->NewObjectArray(jenv, 2, pwj_object_class, NULL);
  numbers = (*jenv)->NewIntArray(jenv, (jsize)count);
  name = pwj_string(jenv, source);
  if (result != NULL && numbers != NULL) {
    if (count > 0) {
      (*jenv)->SetIntArrayRegion(jenv, numbers, 0, (jsize)count, (const jint*)partitions);
    }
    (*jenv)->SetObjectArrayElement(jenv, result, 0, name);
    (*jenv)->SetObjectArrayElement(jenv, result, 1, numbers);
  }
  (*jenv)->DeleteLocalRef(jenv, numbers);
  (*jenv)->DeleteLocalRef(jenv, name);
  return result;
}
%}

%inline %{
/* Connects with the options (key, value, ...) set on a new config; the config lives for this
 * call only (the client copies it). */
static postwire_client* pwj_connect(const char* url, const char* const* options,
                                    size_t option_count, postwire_error** error) {
  postwire_config* config = NULL;
  postwire_client* client = NULL;
  size_t i;
  if (postwire_config_new(&config, error) != POSTWIRE_OK) {
    return NULL;
  }
  for (i = 0; i < option_count; ++i) {
    if (postwire_config_set(config, options[2 * i], options[2 * i + 1], error) != POSTWIRE_OK) {
      postwire_config_destroy(config);
      return NULL;
    }
  }
  postwire_client_connect(url, config, &client, error);
  postwire_config_destroy(config);
  return client;
}

static void pwj_client_close(postwire_client* client, long long timeout_ms,
                             postwire_error** error) {
  postwire_client_close(client, (int64_t)timeout_ms, error);
}

/* Polls up to extras.length events (and at most slots.length / 4) in one crossing, waiting up
 * to timeout_ms for the first. For event i, slots[4i] is its postwire_event_type and:
 *   delivery report  slots: token, attempts, latency_us; extras: the id (String) on success,
 *                    the PostwireException on failure; a success the broker gave a position
 *                    for: Object[] {id, long[] {partition, offset, broker timestamp ms},
 *                    String[] {broker message id, sequence number}} (rare on RabbitMQ: never)
 *   message          slots: the message handle, now owned by the caller; its consumer's id
 *   error            extras: the PostwireException
 *   log              slots: level; extras: String[] {category, text}
 *   consumer         slots: state, the consumer's id; extras: Object[] {source,
 *                    PostwireException or null}
 *   sources assigned / revoked  slots: the consumer's id; extras: Object[] {source, int[]
 *                    partitions}
 *   flow             slots: blocked (0/1); extras: the reason
 *   connection       slots: state; extras: Object[] {broker, PostwireException or null}
 * Returns how many events were written; every event is destroyed here. */
static int pwj_client_poll(JNIEnv* jenv, postwire_client* client, long long timeout_ms,
                           jlongArray slots, jobjectArray extras, postwire_error** error) {
  enum { MAX_BATCH = 1024 };
  postwire_event* events[MAX_BATCH];
  jlong numbers[MAX_BATCH * PWJ_EVENT_SLOTS];
  size_t max = (size_t)(*jenv)->GetArrayLength(jenv, extras);
  size_t slot_room = (size_t)(*jenv)->GetArrayLength(jenv, slots) / PWJ_EVENT_SLOTS;
  size_t count = 0;
  size_t i;
  if (slot_room < max) {
    max = slot_room;
  }
  if (max > MAX_BATCH) {
    max = MAX_BATCH;
  }
  if (postwire_client_poll(client, events, max, (int64_t)timeout_ms, &count, error) !=
      POSTWIRE_OK) {
    return 0;
  }
  memset(numbers, 0, sizeof(jlong) * PWJ_EVENT_SLOTS * count);
  for (i = 0; i < count; ++i) {
    postwire_event* event = events[i];
    jlong* slot = &numbers[i * PWJ_EVENT_SLOTS];
    jobject extra = NULL;
    int32_t type = 0;
    const postwire_error* carried = NULL;
    postwire_event_type_of(event, &type, NULL);
    postwire_event_error(event, &carried, NULL);
    slot[0] = type;
    if ((*jenv)->ExceptionCheck(jenv)) {
      postwire_event_destroy(event);
      continue; /* out of memory in the JVM: free the rest, the exception reaches Java */
    }
    switch (type) {
      case POSTWIRE_EVENT_DELIVERY_REPORT: {
        uint64_t token = 0;
        const char* id = NULL;
        uint32_t attempts = 0;
        int64_t latency_us = 0;
        postwire_event_delivery_report(event, &token, &id, NULL, &attempts, &latency_us, NULL);
        slot[1] = (jlong)token;
        slot[2] = (jlong)attempts;
        slot[3] = (jlong)latency_us;
        extra = carried != NULL ? pwj_exception(jenv, carried) : pwj_report_extra(jenv, event, id);
        break;
      }
      case POSTWIRE_EVENT_MESSAGE: {
        postwire_message* message = NULL;
        uint64_t consumer_id = 0;
        postwire_event_consumer_id(event, &consumer_id, NULL);
        postwire_event_take_message(event, &message, NULL);
        slot[1] = (jlong)(intptr_t)message;
        slot[2] = (jlong)consumer_id;
        break;
      }
      case POSTWIRE_EVENT_SOURCES_ASSIGNED:
      case POSTWIRE_EVENT_SOURCES_REVOKED:
        extra = pwj_assignment_extra(jenv, event, slot);
        break;
      case POSTWIRE_EVENT_ERROR:
        extra = carried != NULL ? pwj_exception(jenv, carried) : NULL;
        break;
      case POSTWIRE_EVENT_LOG: {
        int32_t level = 0;
        const char* category = NULL;
        const char* text = NULL;
        postwire_event_log(event, &level, &category, &text, NULL);
        slot[1] = level;
        extra = (*jenv)->NewObjectArray(jenv, 2, pwj_string_class, NULL);
        if (extra != NULL) {
          jstring a = pwj_string(jenv, category);
          jstring b = pwj_string(jenv, text);
          (*jenv)->SetObjectArrayElement(jenv, (jobjectArray)extra, 0, a);
          (*jenv)->SetObjectArrayElement(jenv, (jobjectArray)extra, 1, b);
          (*jenv)->DeleteLocalRef(jenv, a);
          (*jenv)->DeleteLocalRef(jenv, b);
        }
        break;
      }
      case POSTWIRE_EVENT_CONSUMER:
      case POSTWIRE_EVENT_CONNECTION: {
        int32_t state = 0;
        const char* name = NULL;
        if (type == POSTWIRE_EVENT_CONSUMER) {
          uint64_t consumer_id = 0;
          postwire_event_consumer(event, &name, &state, NULL);
          postwire_event_consumer_id(event, &consumer_id, NULL);
          slot[2] = (jlong)consumer_id;
        } else {
          postwire_event_connection(event, &state, &name, NULL);
        }
        slot[1] = state;
        extra = (*jenv)->NewObjectArray(jenv, 2, pwj_object_class, NULL);
        if (extra != NULL) {
          jstring a = pwj_string(jenv, name);
          jobject b = carried != NULL ? pwj_exception(jenv, carried) : NULL;
          (*jenv)->SetObjectArrayElement(jenv, (jobjectArray)extra, 0, a);
          (*jenv)->SetObjectArrayElement(jenv, (jobjectArray)extra, 1, b);
          (*jenv)->DeleteLocalRef(jenv, a);
          if (b != NULL) {
            (*jenv)->DeleteLocalRef(jenv, b);
          }
        }
        break;
      }
      case POSTWIRE_EVENT_FLOW: {
        int blocked = 0;
        const char* reason = NULL;
        postwire_event_flow(event, &blocked, &reason, NULL);
        slot[1] = blocked;
        extra = pwj_string(jenv, reason);
        break;
      }
      default:
        break; /* a kind added by a newer library: skipped */
    }
    postwire_event_destroy(event);
    if (extra != NULL && !(*jenv)->ExceptionCheck(jenv)) {
      (*jenv)->SetObjectArrayElement(jenv, extras, (jsize)i, extra);
    }
    if (extra != NULL) {
      (*jenv)->DeleteLocalRef(jenv, extra);
    }
  }
  if ((*jenv)->ExceptionCheck(jenv)) {
    /* The batch cannot reach Java (the JVM ran out of memory): free the messages taken. */
    for (i = 0; i < count; ++i) {
      if (numbers[i * PWJ_EVENT_SLOTS] == POSTWIRE_EVENT_MESSAGE) {
        postwire_message_destroy((postwire_message*)(intptr_t)numbers[i * PWJ_EVENT_SLOTS + 1]);
      }
    }
    return 0;
  }
  (*jenv)->SetLongArrayRegion(jenv, slots, 0, (jsize)(count * PWJ_EVENT_SLOTS), numbers);
  return (int)count;
}

/* The stats JSON as a String. */
static jstring pwj_client_stats(JNIEnv* jenv, postwire_client* client, postwire_error** error) {
  char* json = NULL;
  jstring result;
  if (postwire_client_stats(client, &json, error) != POSTWIRE_OK) {
    return NULL;
  }
  result = pwj_string(jenv, json);
  postwire_free(json);
  return result;
}

static long long pwj_client_capabilities(postwire_client* client, postwire_error** error) {
  uint64_t capabilities = 0;
  postwire_client_capabilities(client, &capabilities, error);
  return (long long)capabilities;
}

/* Declares a queue; returns its name, with the broker's message and consumer counts in
 * counts[0] and counts[1]. */
static jstring pwj_declare_queue(JNIEnv* jenv, postwire_client* client, const char* name,
                                 const char* const* options, size_t option_count,
                                 jlongArray counts, postwire_error** error) {
  char* name_out = NULL;
  uint64_t messages = 0;
  uint64_t consumers = 0;
  jlong numbers[2];
  jstring result;
  if (postwire_client_declare_queue(client, name, options, option_count, &name_out, &messages,
                                    &consumers, error) != POSTWIRE_OK) {
    return NULL;
  }
  numbers[0] = (jlong)messages;
  numbers[1] = (jlong)consumers;
  (*jenv)->SetLongArrayRegion(jenv, counts, 0, 2, numbers);
  result = pwj_string(jenv, name_out);
  postwire_free(name_out);
  return result;
}

static void pwj_declare_exchange(postwire_client* client, const char* name,
                                 const char* const* options, size_t option_count,
                                 postwire_error** error) {
  postwire_client_declare_exchange(client, name, options, option_count, error);
}

static void pwj_bind(postwire_client* client, const char* exchange, const char* destination,
                     const char* const* options, size_t option_count, postwire_error** error) {
  postwire_client_bind(client, exchange, destination, options, option_count, error);
}

static void pwj_unbind(postwire_client* client, const char* exchange, const char* destination,
                       const char* const* options, size_t option_count, postwire_error** error) {
  postwire_client_unbind(client, exchange, destination, options, option_count, error);
}

static long long pwj_purge_queue(postwire_client* client, const char* name,
                                 postwire_error** error) {
  uint64_t removed = 0;
  postwire_client_purge_queue(client, name, &removed, error);
  return (long long)removed;
}

static long long pwj_delete_queue(postwire_client* client, const char* name,
                                  const char* const* options, size_t option_count,
                                  postwire_error** error) {
  uint64_t removed = 0;
  postwire_client_delete_queue(client, name, options, option_count, &removed, error);
  return (long long)removed;
}

static void pwj_delete_exchange(postwire_client* client, const char* name,
                                const char* const* options, size_t option_count,
                                postwire_error** error) {
  postwire_client_delete_exchange(client, name, options, option_count, error);
}
%}
