/*
 * postwire_producer.i - the producer's helpers for postwire.i: sends (the common one with a
 * body and a key, and one with every field), flush, in-flight count.
 */

%{
/* Fills an outgoing message's optional fields; returns 0 with *error set on the first refusal.
 * header_names[i] goes with header_values[i] (a byte[]). */
static int pwj_fill_outgoing(JNIEnv* jenv, postwire_outgoing* message, jbyteArray key,
                             const char* id, const char* content_type,
                             jobjectArray header_names, jobjectArray header_values,
                             int priority, long long ttl_ms, long long timestamp_ms,
                             int persistent, postwire_error** error) {
  jsize headers = header_names == NULL ? 0 : (*jenv)->GetArrayLength(jenv, header_names);
  jsize i;
  if (key != NULL) {
    pwj_buffer key_copy;
    int ok;
    if (!pwj_buffer_get(jenv, key, &key_copy)) {
      return 0;
    }
    ok = postwire_outgoing_set_key(message, key_copy.data, key_copy.size, error) == POSTWIRE_OK;
    pwj_buffer_release(&key_copy);
    if (!ok) {
      return 0;
    }
  }
  if ((id != NULL && postwire_outgoing_set_id(message, id, error) != POSTWIRE_OK) ||
      (content_type != NULL &&
       postwire_outgoing_set_content_type(message, content_type, error) != POSTWIRE_OK) ||
      postwire_outgoing_set_priority(message, priority, error) != POSTWIRE_OK ||
      postwire_outgoing_set_ttl(message, ttl_ms, error) != POSTWIRE_OK ||
      postwire_outgoing_set_timestamp(message, timestamp_ms, error) != POSTWIRE_OK ||
      postwire_outgoing_set_persistent(message, persistent, error) != POSTWIRE_OK) {
    return 0;
  }
  for (i = 0; i < headers; ++i) {
    jstring name = (jstring)(*jenv)->GetObjectArrayElement(jenv, header_names, i);
    jbyteArray value = (jbyteArray)(*jenv)->GetObjectArrayElement(jenv, header_values, i);
    const char* name_chars = name == NULL ? NULL : (*jenv)->GetStringUTFChars(jenv, name, NULL);
    jbyte* value_bytes = value == NULL ? NULL : (*jenv)->GetByteArrayElements(jenv, value, NULL);
    jsize value_size = value == NULL ? 0 : (*jenv)->GetArrayLength(jenv, value);
    int ok = name_chars != NULL && value_bytes != NULL &&
             postwire_outgoing_add_header(message, name_chars, value_bytes, (size_t)value_size,
                                          error) == POSTWIRE_OK;
    if (value_bytes != NULL) {
      (*jenv)->ReleaseByteArrayElements(jenv, value, value_bytes, JNI_ABORT);
    }
    if (name_chars != NULL) {
      (*jenv)->ReleaseStringUTFChars(jenv, name, name_chars);
    }
    (*jenv)->DeleteLocalRef(jenv, name);
    (*jenv)->DeleteLocalRef(jenv, value);
    if (!ok) {
      if (error != NULL && *error == NULL && !(*jenv)->ExceptionCheck(jenv)) {
        pwj_illegal_argument(jenv, "header names and values must not be null");
      }
      return 0;
    }
  }
  return 1;
}
%}

%inline %{
static postwire_producer* pwj_producer(postwire_client* client, postwire_error** error) {
  postwire_producer* producer = NULL;
  postwire_client_producer(client, &producer, error);
  return producer;
}

/* The common send: a body and an optional key (null: none). */
static void pwj_send_bytes(JNIEnv* jenv, postwire_producer* producer, const char* destination,
                           jbyteArray body, jbyteArray key, long long token,
                           postwire_error** error) {
  pwj_buffer body_copy;
  pwj_buffer key_copy;
  if (!pwj_buffer_get(jenv, body, &body_copy)) {
    return;
  }
  if (!pwj_buffer_get(jenv, key, &key_copy)) {
    pwj_buffer_release(&body_copy);
    return;
  }
  postwire_producer_send_bytes(producer, destination, body_copy.data, body_copy.size,
                               key_copy.data, key_copy.size, (uint64_t)token, error);
  pwj_buffer_release(&key_copy);
  pwj_buffer_release(&body_copy);
}

/* A send with every field: builds an outgoing message for this call and sends it.
 * priority, ttl_ms and timestamp_ms take -1 for "none" as in postwire.h. */
static void pwj_send(JNIEnv* jenv, postwire_producer* producer, const char* destination,
                     jbyteArray body, jbyteArray key, const char* id, const char* content_type,
                     jobjectArray header_names, jobjectArray header_values, int priority,
                     long long ttl_ms, long long timestamp_ms, int persistent, long long token,
                     postwire_error** error) {
  postwire_outgoing* message = NULL;
  pwj_buffer body_copy;
  if (postwire_outgoing_new(&message, error) != POSTWIRE_OK) {
    return;
  }
  if (!pwj_buffer_get(jenv, body, &body_copy)) {
    postwire_outgoing_destroy(message);
    return;
  }
  if (postwire_outgoing_set_body(message, body_copy.data, body_copy.size, error) == POSTWIRE_OK &&
      pwj_fill_outgoing(jenv, message, key, id, content_type, header_names, header_values,
                        priority, ttl_ms, timestamp_ms, persistent, error)) {
    postwire_producer_send(producer, destination, message, (uint64_t)token, error);
  }
  pwj_buffer_release(&body_copy);
  postwire_outgoing_destroy(message);
}

/* Returns 1 when everything was reported in time, 0 on timed_out (not thrown: a flush that
 * runs out of time is an answer, not a failure). Other errors are thrown. */
static int pwj_flush(postwire_producer* producer, long long timeout_ms, postwire_error** error) {
  postwire_error* failure = NULL;
  postwire_code code = postwire_producer_flush(producer, (int64_t)timeout_ms, &failure);
  if (code == POSTWIRE_ERR_TIMED_OUT) {
    postwire_error_destroy(failure);
    return 0;
  }
  if (failure != NULL) {
    *error = failure;
  }
  return code == POSTWIRE_OK;
}

static long long pwj_in_flight(postwire_producer* producer, postwire_error** error) {
  size_t count = 0;
  postwire_producer_in_flight(producer, &count, error);
  return (long long)count;
}
%}
