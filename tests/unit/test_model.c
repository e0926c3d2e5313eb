/* The model catalogue: parsing, lookups, overrides and error messages. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "model.h"

#include <stdlib.h>
#include <string.h>

static int add(ms_catalogue *c, const char *json, char **error) {
    *error = NULL;
    return ms_catalogue_add_json(c, json, strlen(json), "test.json", error);
}

static void bundled_models_load(void **state) {
    (void)state;
    ms_catalogue *c = ms_catalogue_new();
    char *error = NULL;
    assert_int_equal(ms_catalogue_add_bundled(c, &error), 0);
    assert_null(error);
    const ms_model_api *lock = ms_catalogue_method(c, MS_MODEL_GO, "sync", "Mutex", "Lock");
    assert_non_null(lock);
    assert_int_equal(lock->role, MS_ROLE_LOCK_ACQUIRE);
    assert_int_equal(lock->lock, MS_ARG_RECEIVER);
    const ms_model_api *rlock = ms_catalogue_method(c, MS_MODEL_GO, "sync", "RWMutex", "RLock");
    assert_int_equal(rlock->mode, MS_LOCK_SHARED);
    const ms_model_type *t = ms_catalogue_type(c, MS_MODEL_GO, "sync/atomic", "Int64");
    assert_non_null(t); /* through the "*" wildcard */
    assert_int_equal(t->type_class, MS_TC_ATOMIC);
    assert_null(ms_catalogue_function(c, MS_MODEL_GO, "sync", "Nope"));
    ms_catalogue_free(c);
}

static void user_models_override_and_c_serves_cxx(void **state) {
    (void)state;
    ms_catalogue *c = ms_catalogue_new();
    char *error;
    assert_int_equal(add(c,
                         "{\"model\":\"a\",\"language\":\"c\",\"apis\":[{\"function\":\"hm_put\","
                         "\"role\":\"map-insert\",\"map\":0,\"key\":1}]}",
                         &error),
                     0);
    assert_int_equal(add(c,
                         "{\"model\":\"b\",\"language\":\"c\",\"apis\":[{\"function\":\"hm_put\","
                         "\"role\":\"map-erase\",\"map\":0}]}",
                         &error),
                     0);
    const ms_model_api *a = ms_catalogue_function(c, MS_MODEL_C, NULL, "hm_put");
    assert_non_null(a);
    assert_int_equal(a->role, MS_ROLE_MAP_ERASE); /* the later model wins */
    assert_string_equal(a->model, "b");
    /* C APIs are visible from C++ */
    assert_non_null(ms_catalogue_function(c, MS_MODEL_CXX, NULL, "hm_put"));
    assert_null(ms_catalogue_function(c, MS_MODEL_GO, NULL, "hm_put"));
    ms_catalogue_free(c);
}

static void errors_point_at_the_problem(void **state) {
    (void)state;
    ms_catalogue *c = ms_catalogue_new();
    char *error;
    assert_int_equal(add(c, "{\"model\":\"x\",\n \"language\": \"c\",\n \"apis\": [,]}", &error),
                     -1);
    assert_non_null(strstr(error, "test.json:3:"));
    free(error);
    assert_int_equal(add(c,
                         "{\"model\":\"x\",\"language\":\"c\",\"apis\":[{\"function\":\"f\","
                         "\"role\":\"map-inset\"}]}",
                         &error),
                     -1);
    assert_non_null(strstr(error, "apis[0]"));
    assert_non_null(strstr(error, "map-inset"));
    free(error);
    assert_int_equal(add(c, "{\"model\":\"x\",\"language\":\"cobol\"}", &error), -1);
    assert_non_null(strstr(error, "language"));
    free(error);
    assert_int_equal(add(c,
                         "{\"model\":\"x\",\"language\":\"c\",\"types\":[{\"name\":\"T\","
                         "\"class\":\"map\",\"colour\":\"red\"}]}",
                         &error),
                     -1);
    assert_non_null(strstr(error, "types[0]"));
    assert_non_null(strstr(error, "colour"));
    free(error);
    assert_int_equal(add(c,
                         "{\"model\":\"x\",\"language\":\"c\",\"apis\":[{\"function\":\"f\","
                         "\"role\":\"spawn\",\"entry\":-3}]}",
                         &error),
                     -1);
    free(error);
    /* A failed model leaves nothing behind. */
    assert_int_equal(ms_catalogue_api_count(c), 0);
    ms_catalogue_free(c);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(bundled_models_load),
        cmocka_unit_test(user_models_override_and_c_serves_cxx),
        cmocka_unit_test(errors_point_at_the_problem),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
