/*
 * postwire_typemaps.i - how values cross the JNI layer of postwire.i: handles as longs, errors
 * thrown as io.postwire.PostwireException, string options from a String[]. The C functions
 * they call are in postwire_jni_support.h.
 */

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
