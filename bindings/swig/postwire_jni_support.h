/*
 * postwire_jni_support.h - the C glue of the Java package's JNI layer (bindings/swig/postwire.i):
 * classes resolved at load time, Java strings and byte arrays from C data, PostwireException
 * from a postwire_error, and Java arrays held as C data for one call. Included once, by the
 * wrapper SWIG generates; everything here is static to it.
 */
#ifndef POSTWIRE_JNI_SUPPORT_H
#define POSTWIRE_JNI_SUPPORT_H

#include <jni.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "postwire.h"

/* Classes and methods the glue uses, resolved once when the library is loaded. */
static jclass pwj_exception_class;
static jmethodID pwj_exception_of;
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
  pwj_exception_of = (*jenv)->GetStaticMethodID(
      jenv, pwj_exception_class, "of", "(ILjava/lang/String;ZZ)Lio/postwire/PostwireException;");
  pwj_string_init =
      (*jenv)->GetMethodID(jenv, pwj_string_class, "<init>", "([BLjava/lang/String;)V");
  utf8 = (*jenv)->NewStringUTF(jenv, "UTF-8");
  if (pwj_exception_of == NULL || pwj_string_init == NULL || utf8 == NULL) {
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

/* A String[] {a, b}; NULL when the JVM is out of memory (an exception is then pending). */
static jobjectArray pwj_string_pair(JNIEnv* jenv, const char* a, const char* b) {
  jobjectArray pair = (*jenv)->NewObjectArray(jenv, 2, pwj_string_class, NULL);
  const char* texts[2];
  jsize i;
  texts[0] = a;
  texts[1] = b;
  for (i = 0; pair != NULL && i < 2; ++i) {
    jstring text = pwj_string(jenv, texts[i]);
    if (text == NULL && texts[i] != NULL) {
      (*jenv)->DeleteLocalRef(jenv, pair);
      return NULL;
    }
    (*jenv)->SetObjectArrayElement(jenv, pair, i, text);
    (*jenv)->DeleteLocalRef(jenv, text);
  }
  return pair;
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
  /* PostwireException.of picks the subclass for the code (PostwireTimeoutException, ...). */
  exception = (*jenv)->CallStaticObjectMethod(jenv, pwj_exception_class, pwj_exception_of,
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
  buffer->data =
      buffer->size <= PWJ_INLINE_BYTES ? buffer->inline_data : (char*)malloc(buffer->size);
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

#endif /* POSTWIRE_JNI_SUPPORT_H */
