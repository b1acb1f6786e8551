/*
 * harness.h - the small test harness the C ABI's test programs share: failures with file:line,
 * tests run by name (POSTWIRE_C_TEST_FILTER=TEXT runs those whose name contains TEXT), one
 * pass over the brokers in POSTWIRE_BROKERS, and a last line "N passed, M failed".
 */
#ifndef POSTWIRE_TESTS_C_HARNESS_H
#define POSTWIRE_TESTS_C_HARNESS_H

#include <stdint.h>

typedef struct {
  const char* name; /* "amqp", "kafka", "sqs" */
  const char* url;  /* NULL when the test has no broker */
} broker_t;

typedef void (*test_fn)(const broker_t* broker);

/* Records a failure of the running test, printed with its name, file and line. */
void report_failure(const char* file, int line, const char* format, ...);

/* Optional hooks: one that prints more about a failure (on the same line), and one that runs
 * after every test (to delete what it declared, free what it kept). */
extern void (*harness_failure_context)(void);
extern void (*harness_after_test)(const broker_t* broker);

int check_at(const char* file, int line, const char* expr, int passed);
/* An expression with value 1 when `cond` held; otherwise the failure is recorded. */
#define CHECK(cond) check_at(__FILE__, __LINE__, #cond, (cond) ? 1 : 0)

/* Milliseconds of CLOCK_MONOTONIC. */
int64_t now_ms(void);

/* Finds "field":NUMBER in a flat JSON object (the stats); 1 when found. */
int json_u64(const char* json, const char* field, uint64_t* value);

/* Runs `fn` as the test "prefix.name" (or "name" when prefix is NULL). */
void run_test(const char* prefix, const char* name, test_fn fn, const broker_t* broker);

/* The tests of each broker that has a transport. */
typedef struct {
  void (*amqp)(const broker_t* broker);
  void (*kafka)(const broker_t* broker);
} broker_suites_t;

/* For each broker in POSTWIRE_BROKERS (default "amqp,kafka,sqs"), with its URL from
 * POSTWIRE_TEST_<NAME>_URL: runs that broker's suite for amqp and kafka; for sqs, which has
 * no transport yet, checks that connecting is refused with not_supported. A missing URL or an
 * unknown broker is a failure, never a skip. */
void run_broker_tests(const broker_suites_t* suites);

/* Prints "PASS name" or "FAIL name" per test and "N passed, M failed"; returns the exit
 * status (1 when anything failed or nothing ran). */
int harness_finish(void);

#endif
