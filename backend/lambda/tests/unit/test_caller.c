/* The caller from API Gateway's Cognito authorizer claims: strings only, groups in both list spellings,
 * display names without control characters and never the e-mail in clear. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "caller.h"

static void from_claims(const char *claims_json, caller *who, apigw_event *ev)
{
    char buf[2048];
    snprintf(buf, sizeof buf, "{\"httpMethod\":\"GET\",\"requestContext\":{\"authorizer\":{\"claims\":%s}}}",
             claims_json);
    assert_int_equal(apigw_event_parse(buf, strlen(buf), ev), 0);
    caller_from_event(ev, who);
}

static void reads_api_gateway_claims(void **state)
{
    (void)state;
    apigw_event ev;
    caller who;
    from_claims("{\"sub\":\"0ab9\",\"cognito:username\":\"0ab9\",\"email\":\"ana@example.com\","
                "\"name\":\"Ana\",\"cognito:groups\":\"cashier,door\",\"token_use\":\"id\","
                "\"exp\":\"Mon Dec 07 20:50:59 UTC 2026\"}", &who, &ev);
    assert_true(who.signed_in);
    assert_string_equal(who.sub, "0ab9");
    assert_string_equal(who.username, "0ab9");
    assert_string_equal(who.email, "ana@example.com");
    assert_string_equal(caller_name(&who), "Ana");
    assert_int_equal(who.groups, CALLER_CASHIER | CALLER_DOOR);
    assert_true(caller_in(&who, CALLER_DOOR | CALLER_MANAGER));
    assert_false(caller_in(&who, CALLER_MANAGER));
    apigw_event_clear(&ev);
}

static void groups_in_every_spelling(void **state)
{
    (void)state;
    assert_int_equal(caller_groups_parse("manager"), CALLER_MANAGER);
    assert_int_equal(caller_groups_parse("[manager kiosk]"), CALLER_MANAGER | CALLER_KIOSK);
    assert_int_equal(caller_groups_parse("manager, kiosk"), CALLER_MANAGER | CALLER_KIOSK);
    assert_int_equal(caller_groups_parse("[\"door\",\"cashier\"]"), CALLER_DOOR | CALLER_CASHIER);
    assert_int_equal(caller_groups_parse("managers,Manager,admin,"), 0); /* exact names only */
    assert_int_equal(caller_groups_parse(""), 0);
    assert_int_equal(caller_groups_parse(NULL), 0);
    assert_string_equal(caller_group_name(CALLER_KIOSK), "kiosk");
    assert_null(caller_group_name(0));
}

static void no_claims_is_nobody(void **state)
{
    (void)state;
    const char *events[] = {
        "{}",
        "{\"requestContext\":{}}",
        "{\"requestContext\":{\"authorizer\":null}}",
        "{\"requestContext\":{\"authorizer\":{\"claims\":\"sub\"}}}",
        "{\"requestContext\":{\"authorizer\":{\"claims\":{\"sub\":\"\"}}}}",
        "{\"requestContext\":{\"authorizer\":{\"claims\":{\"sub\":7,\"cognito:groups\":\"manager\"}}}}",
    };
    for (size_t i = 0; i < sizeof events / sizeof events[0]; i++) {
        apigw_event ev;
        caller who;
        assert_int_equal(apigw_event_parse(events[i], strlen(events[i]), &ev), 0);
        caller_from_event(&ev, &who);
        assert_false(who.signed_in);
        assert_int_equal(who.groups, 0);
        assert_false(caller_in(&who, CALLER_MANAGER));
        assert_null(who.sub);
        apigw_event_clear(&ev);
    }
    caller who;
    caller_from_event(NULL, &who);
    assert_false(who.signed_in);
}

static void display_name_is_clean_and_never_the_email(void **state)
{
    (void)state;
    apigw_event ev;
    caller who;
    from_claims("{\"sub\":\"s\",\"email\":\"ana.maria@example.com\"}", &who, &ev);
    assert_string_equal(caller_name(&who), "an\xe2\x80\xa6");
    apigw_event_clear(&ev);
    from_claims("{\"sub\":\"s\",\"email\":\"\xc3\xa9lise@example.com\"}", &who, &ev);
    assert_string_equal(caller_name(&who), "\xc3\xa9l\xe2\x80\xa6");
    apigw_event_clear(&ev);
    from_claims("{\"sub\":\"s\",\"name\":\"A\\u001b[2Jna\\u0007\\u009b\"}", &who, &ev);
    assert_string_equal(caller_name(&who), "A[2Jna");
    apigw_event_clear(&ev);
    from_claims("{\"sub\":\"s\"}", &who, &ev);
    assert_string_equal(caller_name(&who), "operator");
    apigw_event_clear(&ev);
    /* cognito-local's ID token has no `name`: custom:display_name, else the masked e-mail; `name` first */
    from_claims("{\"sub\":\"s\",\"email\":\"ana@example.com\",\"custom:display_name\":\"Ana\"}", &who, &ev);
    assert_string_equal(caller_name(&who), "Ana");
    apigw_event_clear(&ev);
    from_claims("{\"sub\":\"s\",\"name\":\"Anna\",\"custom:display_name\":\"Ana\"}", &who, &ev);
    assert_string_equal(caller_name(&who), "Anna");
    apigw_event_clear(&ev);
    from_claims("{\"sub\":\"s\",\"email\":\"ana@example.com\",\"custom:display_name\":\"\"}", &who, &ev);
    assert_string_equal(caller_name(&who), "an\xe2\x80\xa6");
    apigw_event_clear(&ev);
    char longname[600] = "{\"sub\":\"s\",\"name\":\"";
    for (int i = 0; i < 100; i++)
        strcat(longname, "\xc3\xa9");             /* 2 bytes each: cut at 64 bytes, whole characters */
    strcat(longname, "\"}");
    from_claims(longname, &who, &ev);
    assert_int_equal(strlen(caller_name(&who)), 64);
    apigw_event_clear(&ev);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(reads_api_gateway_claims),
        cmocka_unit_test(groups_in_every_spelling),
        cmocka_unit_test(no_claims_is_nobody),
        cmocka_unit_test(display_name_is_clean_and_never_the_email),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
