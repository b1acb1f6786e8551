/*
 * postwire.i - the SWIG interface that generates the Java package's JNI layer over the C ABI
 * (bindings/c/include/postwire.h). Run by java/pom.xml:
 *
 *   swig -java -package io.postwire -outdir <dir> -o postwire_jni.c postwire.i
 *
 * The generated classes (NativeApi, NativeApiJNI) are package-private: applications see only
 * the hand-written API in java/src/main/java/io/postwire.
 *
 * Files: postwire_typemaps.i (how handles, errors and options cross), postwire_jni_support.h
 * (the C glue the typemaps and helpers share), and the helpers by handle: postwire_client.i,
 * postwire_producer.i, postwire_consumer.i.
 *
 * Shape of the layer:
 * - Handles cross as Java longs (the pointer's value); the Java side owns and frees them.
 * - Every postwire_error** out-parameter is hidden from Java. When the C function fails, the
 *   wrapper throws io.postwire.PostwireException carrying the error's code, message and flags,
 *   and frees the error. The Java layer never sees a status code.
 * - Out-parameters become return values through the small pwj_* helpers of the files above,
 *   each a direct use of one or a few C ABI functions; they hold no messaging logic.
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
#include "postwire_jni_support.h"
%}

%include "postwire_typemaps.i"

/* ---------------------------------------------------------------------------------------- */
/* The C ABI functions bound as they are: those that return their value directly            */
/* ---------------------------------------------------------------------------------------- */
/* Declared here rather than %include-d from postwire.h: the header's enums would make SWIG
 * emit public constants and enum classes. The wrappers are compiled against postwire.h, so the
 * compiler checks these declarations against it. The Java classes that need the header's
 * constants read them when they load: ErrorCode through postwire_code_name(), the others
 * through pwj_constant_or() (postwire_constants.i). */
typedef int32_t postwire_code;
const char* postwire_version(void);
int postwire_version_num(void);
const char* postwire_code_name(postwire_code code);
int postwire_code_retriable(postwire_code code);
int postwire_code_fatal(postwire_code code);
void postwire_client_destroy(postwire_client* client);
void postwire_producer_destroy(postwire_producer* producer);
void postwire_consumer_destroy(postwire_consumer* consumer);
void postwire_message_destroy(postwire_message* message);

%include "postwire_client.i"
%include "postwire_producer.i"
%include "postwire_consumer.i"
%include "postwire_constants.i"
