/* harness.c - see harness.h. */
#define _POSIX_C_SOURCE 200809L

#include "harness.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "postwire.h"

#define MAX_TESTS 128

typedef struct {
  char name[96];
  int failures;
} test_result;

static test_result g_results[MAX_TESTS];
static size_t g_result_count;
static char g_test[96];
static int g_failures;

void (*harness_failure_context)(void);
void (*harness_after_test)(const broker_t* broker);

void report_failure(const char* file, int line, const char* format, ...) {
  va_list args;
  ++g_failures;
  printf("  [%s] %s:%d: ", g_test, file, line);
  va_start(args, format);
  vprintf(format, args);
  va_end(args);
  if (harness_failure_context != NULL) {
    harness_failure_context();
  }
  printf("\n");
  fflush(stdout);
}

int check_at(const char* file, int line, const char* expr, int passed) {
  if (!passed) {
    report_failure(file, line, "%s", expr);
  }
  return passed;
}

int64_t now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int json_u64(const char* json, const char* field, uint64_t* value) {
  char pattern[96];
  const char* at;
  char* end = NULL;
  snprintf(pattern, sizeof pattern, "\"%s\":", field);
  at = json != NULL ? strstr(json, pattern) : NULL;
  if (at == NULL) {
    return 0;
  }
  at += strlen(pattern);
  *value = (uint64_t)strtoull(at, &end, 10);
  return end != at;
}

void run_test(const char* prefix, const char* name, test_fn fn, const broker_t* broker) {
  const char* filter = getenv("POSTWIRE_C_TEST_FILTER");
  if (prefix != NULL) {
    snprintf(g_test, sizeof g_test, "%s.%s", prefix, name);
  } else {
    snprintf(g_test, sizeof g_test, "%s", name);
  }
  if (filter != NULL && filter[0] != '\0' && strstr(g_test, filter) == NULL) {
    return; /* not selected */
  }
  g_failures = 0;
  printf("RUN  %s\n", g_test);
  fflush(stdout);
  fn(broker);
  if (harness_after_test != NULL) {
    harness_after_test(broker);
  }
  if (g_result_count < MAX_TESTS) {
    snprintf(g_results[g_result_count].name, sizeof g_results[g_result_count].name, "%s", g_test);
    g_results[g_result_count].failures = g_failures;
    ++g_result_count;
  }
}

/* SQS has no transport yet: connecting must be refused, clearly, without a client. */
static void test_not_supported(const broker_t* broker) {
  static int sentinel;
  postwire_client* const untouched = (postwire_client*)(void*)&sentinel;
  postwire_client* client = untouched;
  postwire_error* error = NULL;
  postwire_code code = postwire_client_connect(broker->url, NULL, &client, &error);
  CHECK(code == POSTWIRE_ERR_NOT_SUPPORTED);
  CHECK(error != NULL && postwire_error_code(error) == code);
  CHECK(error != NULL && postwire_error_message(error)[0] != '\0');
  CHECK(client == untouched); /* no client, and *client left as it was */
  if (client != untouched) {
    postwire_client_destroy(client);
  }
  postwire_error_destroy(error);
  client = NULL;
  CHECK(postwire_client_connect(broker->url, NULL, &client, NULL) == POSTWIRE_ERR_NOT_SUPPORTED);
  CHECK(client == NULL);
}

static const char* g_missing_variable;

static void test_missing_url(const broker_t* broker) {
  report_failure(__FILE__, __LINE__,
                 "%s is not set: start the brokers with `ci/brokers up` and load their URLs "
                 "with `eval \"$(ci/brokers env)\"` (broker %s)",
                 g_missing_variable, broker->name);
}

static void test_unknown_broker(const broker_t* broker) {
  report_failure(__FILE__, __LINE__, "no tests for broker \"%s\" (known: amqp, kafka, sqs)",
                 broker->name);
}

void run_broker_tests(const broker_suites_t* suites) {
  const char* list = getenv("POSTWIRE_BROKERS");
  char brokers[256];
  char* saveptr = NULL;
  char* name;

  snprintf(brokers, sizeof brokers, "%s",
           list != NULL && list[0] != '\0' ? list : "amqp,kafka,sqs");
  for (name = strtok_r(brokers, ",", &saveptr); name != NULL;
       name = strtok_r(NULL, ",", &saveptr)) {
    char variable[128];
    broker_t broker;
    size_t k;
    snprintf(variable, sizeof variable, "POSTWIRE_TEST_%s_URL", name);
    for (k = 0; variable[k] != '\0'; ++k) {
      if (variable[k] >= 'a' && variable[k] <= 'z') {
        variable[k] = (char)(variable[k] - 'a' + 'A');
      }
    }
    broker.name = name;
    broker.url = getenv(variable);
    if (broker.url == NULL || broker.url[0] == '\0') {
      broker.url = NULL;
      g_missing_variable = variable;
      run_test(name, "url", test_missing_url, &broker);
    } else if (strcmp(name, "amqp") == 0) {
      suites->amqp(&broker);
    } else if (strcmp(name, "kafka") == 0) {
      suites->kafka(&broker);
    } else if (strcmp(name, "sqs") == 0) {
      run_test(name, "connect_not_supported", test_not_supported, &broker);
    } else {
      broker.url = NULL;
      run_test(name, "known", test_unknown_broker, &broker);
    }
  }
}

int harness_finish(void) {
  size_t i, passed = 0, failed = 0;
  for (i = 0; i < g_result_count; ++i) {
    printf("%s %s\n", g_results[i].failures == 0 ? "PASS" : "FAIL", g_results[i].name);
    if (g_results[i].failures == 0) {
      ++passed;
    } else {
      ++failed;
    }
  }
  printf("%zu passed, %zu failed\n", passed, failed);
  return failed == 0 && passed > 0 ? 0 : 1;
}
