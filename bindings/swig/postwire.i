/*
 * postwire.i - the SWIG interface that generates the Java package's JNI layer over the C ABI
 * (bindings/c/include/postwire.h). Run by java/pom.xml:
 *
 *   swig -java -package io.postwire -outdir <dir> -o postwire_jni.c postwire.i
 *
 * The generated classes (NativeApi, NativeApiJNI) are package-private: applications see only
 * the hand-written API in java/src/main/java/io/postwire.
 *
 * Shape of the layer:
 * - Handles cross as Java longs (the pointer's value); the Java side owns and frees them.
 * - Every postwire_error** out-parameter is hidden from Java. When the C function fails, the
 *   wrapper throws io.postwire.PostwireException carrying the error's code, message and flags,
 *   and frees the error. The Java layer never sees a status code.
 * - Out-parameters become return values through the small pwj_* helpers below, each a direct
 *   use of one or a few C ABI functions; they hold no messaging logic.
 * - Events are drained in batches: one JNI crossing per postwire_client_poll call.
 * - No native thread ever calls into the JVM: the library never calls back (postwire.h), and
 *   every function here runs on the Java thread that called it.
 */
%module(jniclassname = "NativeApiJNI") NativeApi

%pragma(java) moduleclassmodifiers = "final class"
%pragma(java) jniclassclassmodifiers = "final class"
/* The Java side loads the libraries itself (NativeLibrary) before the first call. */
%pragma(java) jniclasscode = %{
  private NativeApiJNI() {}
%}
%pragma(java) modulecode = %{
  private NativeApi() {}
%}

%include "stdint.i"

%{
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "postwire.h"
%}

/* ---------------------------------------------------------------------------------------- */
/* Typemaps                                                                                 */
/* ---------------------------------------------------------------------------------------- */

/* The helpers that need the JNI environment take it as a hidden first parameter. */
%typemap(in, numinputs = 0) JNIEnv* jenv %{ $1 = jenv; %}

/* Opaque handles cross as longs: no wrapper object per handle. */
%define PWJ_HANDLE(TYPE)
%typemap(jni) TYPE*, const TYPE* "jlong"
%typemap(jtype) TYPE*, const TYPE* "long"
%typemap(jstype) TYPE*, const TYPE* "long"
%typemap(javain) TYPE*, const TYPE* "$javainput"
%typemap(javaout) TYPE*, const TYPE* { return $jnicall; }
%typemap(in) TYPE*, const TYPE* %{ $1 = ($1_ltype)(intptr_t)$input; %}
%typemap(out) TYPE*, const TYPE* %{ $result = (jlong)(intptr_t)$1; %}
%enddef
PWJ_HANDLE(postwire_client)
PWJ_HANDLE(postwire_producer)
PWJ_HANDLE(postwire_consumer)
PWJ_HANDLE(postwire_message)

/* Errors: hidden from Java, thrown as PostwireException when set. The exception is left
 * pending and the wrapper returns normally, so freearg typemaps still release what they hold. */
%typemap(in, numinputs = 0) postwire_error** error (postwire_error* failure = NULL)
%{ $1 = &failure; %}
%typemap(argout) postwire_error** error
%{
  if (failure$argnum != NULL) {
    pwj_throw(jenv, failure$argnum);
    postwire_error_destroy(failure$argnum);
  }
%}

/* String options (key, value, key, value...) from a Java String[] of even length. */
%typemap(jni) (const char* const* options, size_t option_count) "jobjectArray"
%typemap(jtype) (const char* const* options, size_t option_count) "String[]"
%typemap(jstype) (const char* const* options, size_t option_count) "String[]"
%typemap(javain) (const char* const* options, size_t option_count) "$javainput"
%typemap(in) (const char* const* options, size_t option_count) (pwj_strings strings) %{
  if (!pwj_strings_get(jenv, $input, &strings)) {
    return $null;
  }
  $1 = ($1_ltype)strings.items;
  $2 = strings.count / 2;
%}
%typemap(freearg) (const char* const* options, size_t option_count) %{
  pwj_strings_release(jenv, $input, &strings$argnum);
%}

/* ---------------------------------------------------------------------------------------- */
/* Glue code                                                                                */
/* ---------------------------------------------------------------------------------------- */

%{
/* Classes and methods the glue uses, resolved once when the library is loaded. */
static jclass pwj_exception_class;
static jmethodID pwj_exception_init;
static jclass pwj_string_class;
static jmethodID pwj_string_init;
static jclass pwj_object_class;
static jclass pwj_bytes_class;
static jstring pwj_utf8;

static jclass pwj_global_class(JNIEnv* jenv, const char* name) {
  jclass local = (*jenv)->FindClass(jenv, name);
  jclass global;
  if (local == NULL) {
    return NULL;
  }
  global = (jclass)(*jenv)->NewGlobalRef(jenv, local);
  (*jenv)->DeleteLocalRef(jenv, local);
  return global;
}

JNIEXPORT jint JNICALL JNI_OnLoad(JavaVM* vm, void* reserved) {
  JNIEnv* jenv = NULL;
  jstring utf8;
  (void)reserved;
  if ((*vm)->GetEnv(vm, (void**)&jenv, JNI_VERSION_1_8) != JNI_OK) {
    return JNI_ERR;
  }
  pwj_exception_class = pwj_global_class(jenv, "io/postwire/PostwireException");
  pwj_string_class = pwj_global_class(jenv, "java/lang/String");
  pwj_object_class = pwj_global_class(jenv, "java/lang/Object");
  pwj_bytes_class = pwj_global_class(jenv, "[B");
  if (pwj_exception_class == NULL || pwj_string_class == NULL || pwj_object_class == NULL ||
      pwj_bytes_class == NULL) {
    return JNI_ERR;
  }
  pwj_exception_init =
      (*jenv)->GetMethodID(jenv, pwj_exception_class, "<init>", "(ILjava/lang/String;ZZ)V");
  pwj_string_init = (*jenv)->GetMethodID(jenv, pwj_string_class, "<init>", "([BLjava/lang/String;)V");
  utf8 = (*jenv)->NewStringUTF(jenv, "UTF-8");
  if (pwj_exception_init == NULL || pwj_string_init == NULL || utf8 == NULL) {
    return JNI_ERR;
  }
  pwj_utf8 = (jstring)(*jenv)->NewGlobalRef(jenv, utf8);
  (*jenv)->DeleteLocalRef(jenv, utf8);
  return JNI_VERSION_1_8;
}

/* A Java String from UTF-8 bytes. NewStringUTF takes modified UTF-8, which equals UTF-8 for
 * ASCII only (ids, names, broker addresses: the common case), so other text is decoded by
 * String(byte[], "UTF-8"). */
static jstring pwj_string_n(JNIEnv* jenv, const char* text, size_t size) {
  size_t i;
  jbyteArray bytes;
  jstring result;
  if (text == NULL) {
    return NULL;
  }
  for (i = 0; i < size; ++i) {
    if ((unsigned char)text[i] >= 0x80 || text[i] == '\0') {
      break;
    }
  }
  if (i == size && text[size] == '\0') {
    return (*jenv)->NewStringUTF(jenv, text);
  }
  bytes = (*jenv)->NewByteArray(jenv, (jsize)size);
  if (bytes == NULL) {
    return NULL;
  }
  (*jenv)->SetByteArrayRegion(jenv, bytes, 0, (jsize)size, (const jbyte*)text);
  result = (jstring)(*jenv)->NewObject(jenv, pwj_string_class, pwj_string_init, bytes, pwj_utf8);
  (*jenv)->DeleteLocalRef(jenv, bytes);
  return result;
}

static jstring pwj_string(JNIEnv* jenv, const char* text) {
  return text == NULL ? NULL : pwj_string_n(jenv, text, strlen(text));
}

static jbyteArray pwj_bytes(JNIEnv* jenv, const void* data, size_t size) {
  jbyteArray bytes = (*jenv)->NewByteArray(jenv, (jsize)size);
  if (bytes != NULL && size > 0) {
    (*jenv)->SetByteArrayRegion(jenv, bytes, 0, (jsize)size, (const jbyte*)data);
  }
  return bytes;
}

/* A PostwireException for an error (which stays the caller's). */
static jobject pwj_exception(JNIEnv* jenv, const postwire_error* error) {
  jstring message = pwj_string(jenv, postwire_error_message(error));
  jobject exception;
  if (message == NULL) {
    return NULL;
  }
  exception = (*jenv)->NewObject(jenv, pwj_exception_class, pwj_exception_init,
                                 (jint)postwire_error_code(error), message,
                                 (jboolean)(postwire_error_retriable(error) != 0),
                                 (jboolean)(postwire_error_fatal(error) != 0));
  (*jenv)->DeleteLocalRef(jenv, message);
  return exception;
}

static void pwj_throw(JNIEnv* jenv, const postwire_error* error) {
  jobject exception;
  if ((*jenv)->ExceptionCheck(jenv)) {
    return; /* a Java exception (out of memory, ...) is already on its way */
  }
  exception = pwj_exception(jenv, error);
  if (exception != NULL) {
    (*jenv)->Throw(jenv, (jthrowable)exception);
    (*jenv)->DeleteLocalRef(jenv, exception);
  }
}

/* An IllegalArgumentException for a wrong use the C ABI cannot see (Java-side shapes). */
static void pwj_illegal_argument(JNIEnv* jenv, const char* message) {
  jclass type = (*jenv)->FindClass(jenv, "java/lang/IllegalArgumentException");
  if (type != NULL) {
    (*jenv)->ThrowNew(jenv, type, message);
  }
}

/* A Java String[] held as C strings for the duration of one call. */
typedef struct pwj_strings {
  const char** items;
  size_t count;
} pwj_strings;

static void pwj_strings_release(JNIEnv* jenv, jobjectArray array, pwj_strings* strings) {
  size_t i;
  if (strings->items == NULL) {
    return;
  }
  for (i = 0; i < strings->count; ++i) {
    if (strings->items[i] != NULL) {
      jstring item = (jstring)(*jenv)->GetObjectArrayElement(jenv, array, (jsize)i);
      (*jenv)->ReleaseStringUTFChars(jenv, item, strings->items[i]);
      (*jenv)->DeleteLocalRef(jenv, item);
    }
  }
  free((void*)strings->items);
  strings->items = NULL;
}

static int pwj_strings_get(JNIEnv* jenv, jobjectArray array, pwj_strings* strings) {
  size_t i;
  strings->items = NULL;
  strings->count = 0;
  if (array == NULL) {
    return 1;
  }
  strings->count = (size_t)(*jenv)->GetArrayLength(jenv, array);
  if (strings->count % 2 != 0) {
    pwj_illegal_argument(jenv, "options must be key/value pairs");
    return 0;
  }
  if (strings->count == 0) {
    return 1;
  }
  strings->items = (const char**)calloc(strings->count, sizeof(char*));
  if (strings->items == NULL) {
    pwj_illegal_argument(jenv, "out of memory for the options");
    return 0;
  }
  for (i = 0; i < strings->count; ++i) {
    jstring item = (jstring)(*jenv)->GetObjectArrayElement(jenv, array, (jsize)i);
    if (item == NULL) {
      pwj_strings_release(jenv, array, strings);
      pwj_illegal_argument(jenv, "option keys and values must not be null");
      return 0;
    }
    strings->items[i] = (*jenv)->GetStringUTFChars(jenv, item, NULL);
    (*jenv)->DeleteLocalRef(jenv, item);
    if (strings->items[i] == NULL) {
      pwj_strings_release(jenv, array, strings);
      return 0;
    }
  }
  return 1;
}

/* A Java byte[] copied into C memory for one call: on the stack when small, so a send of a
 * small body allocates nothing here. The copy is needed because the call may block (a full
 * send buffer), and a pinned array must not be held while blocking. */
#define PWJ_INLINE_BYTES 1024
typedef struct pwj_buffer {
  char inline_data[PWJ_INLINE_BYTES];
  char* data;
  size_t size;
} pwj_buffer;

static int pwj_buffer_get(JNIEnv* jenv, jbyteArray array, pwj_buffer* buffer) {
  buffer->data = NULL;
  buffer->size = 0;
  if (array == NULL) {
    return 1;
  }
  buffer->size = (size_t)(*jenv)->GetArrayLength(jenv, array);
  buffer->data = buffer->size <= PWJ_INLINE_BYTES ? buffer->inline_data : (char*)malloc(buffer->size);
  if (buffer->data == NULL) {
    pwj_illegal_argument(jenv, "out of memory for the message body");
    return 0;
  }
  (*jenv)->GetByteArrayRegion(jenv, array, 0, (jsize)buffer->size, (jbyte*)buffer->data);
  return 1;
}

static void pwj_buffer_release(pwj_buffer* buffer) {
  if (buffer->data != NULL && buffer->data != buffer->inline_data) {
    free(buffer->data);
  }
  buffer->data = NULL;
}
%}

/* ---------------------------------------------------------------------------------------- */
/* The C ABI functions bound as they are: those that return their value directly            */
/* ---------------------------------------------------------------------------------------- */
/* Declared here rather than %include-d from postwire.h: the header's anonymous enums would
 * make SWIG emit a public constants interface. The wrappers are compiled against postwire.h,
 * so the compiler checks these declarations against it. The Java classes that need the
 * header's constants (ErrorCode, Capability, EventPoller) spell out the values, which
 * postwire.h never changes. */
typedef int32_t postwire_code;
const char* postwire_version(void);
int postwire_version_num(void);
const char* postwire_code_name(postwire_code code);
void postwire_client_destroy(postwire_client* client);
void postwire_producer_destroy(postwire_producer* producer);
void postwire_consumer_destroy(postwire_consumer* consumer);
void postwire_message_destroy(postwire_message* message);

%{
/* Slots per event in pwj_client_poll's `slots` array: kind, then three numbers. */
enum { PWJ_EVENT_SLOTS = 4 };

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

/* ---------------------------------------------------------------------------------------- */
/* Helpers: out-parameters become return values                                             */
/* ---------------------------------------------------------------------------------------- */

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
 *                    the PostwireException on failure
 *   message          slots: the message handle, now owned by the caller
 *   error            extras: the PostwireException
 *   log              slots: level; extras: String[] {category, text}
 *   consumer         slots: state; extras: Object[] {source, PostwireException or null}
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
        extra = carried != NULL ? pwj_exception(jenv, carried) : pwj_string(jenv, id);
        break;
      }
      case POSTWIRE_EVENT_MESSAGE: {
        postwire_message* message = NULL;
        postwire_event_take_message(event, &message, NULL);
        slot[1] = (jlong)(intptr_t)message;
        break;
      }
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
          postwire_event_consumer(event, &name, &state, NULL);
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

/* ---- producing ---- */

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

/* ---- consuming ---- */

static postwire_consumer* pwj_subscribe(postwire_client* client, const char* source,
                                        int prefetch, int flags, postwire_error** error) {
  postwire_consumer* consumer = NULL;
  postwire_client_subscribe(client, source, (uint32_t)prefetch, (uint32_t)flags, &consumer,
                            error);
  return consumer;
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

/* The numeric fields in one crossing: fields[0] delivery count, [1] redelivered (0/1),
 * [2] priority (-1: none), [3] timestamp in ms (-1: none). */
static void pwj_message_numbers(JNIEnv* jenv, postwire_message* message, jlongArray fields,
                                postwire_error** error) {
  uint32_t count = 0;
  int redelivered = 0;
  int32_t priority = -1;
  int64_t timestamp = -1;
  jlong numbers[4];
  if (postwire_message_delivery_count(message, &count, error) != POSTWIRE_OK ||
      postwire_message_redelivered(message, &redelivered, error) != POSTWIRE_OK ||
      postwire_message_priority(message, &priority, error) != POSTWIRE_OK ||
      postwire_message_timestamp(message, &timestamp, error) != POSTWIRE_OK) {
    return;
  }
  numbers[0] = count;
  numbers[1] = redelivered;
  numbers[2] = priority;
  numbers[3] = timestamp;
  (*jenv)->SetLongArrayRegion(jenv, fields, 0, 4, numbers);
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
