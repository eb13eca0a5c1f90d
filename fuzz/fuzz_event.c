/* libFuzzer target: the Lambda side of a request: API Gateway (REST v1.0 proxy) event parsing
 * (backend apigw_event_parse), then each of the handlers on the parsed event with no store
 * (handlers validate the whole input before touching the store: st == NULL answers 503 once the
 * input is valid), then the proxy response JSON. Whatever the event holds: no crash, no leak,
 * never a 500 or a 2xx without a store, and every answer is a JSON object with an "error" message (a 401:
 * API Gateway's "message"). */
#include <cjson/cJSON.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apigw.h"
#include "handlers.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                                                        \
    do {                                                                                                   \
        if (!(cond)) {                                                                                     \
            fprintf(stderr, "fuzz_event: property failed: %s (line %d)\n", #cond, __LINE__);              \
            abort();                                                                                       \
        }                                                                                                  \
    } while (0)

static void check_answer(const handler_result *r)
{
    int st = r->resp.status;
    CHECK(st >= 400 && st < 600 && st != 500);
    CHECK(r->resp.body != NULL);
    cJSON *b = cJSON_Parse(r->resp.body);
    CHECK(b != NULL && cJSON_IsObject(b));
    /* a 401 (no signed-in operator on an operator route) has API Gateway's own shape, {"message": ...} */
    const cJSON *e = cJSON_GetObjectItemCaseSensitive(b, st == 401 ? "message" : "error");
    CHECK(cJSON_IsString(e) && e->valuestring[0] != '\0');
    cJSON_Delete(b);
    char *proxy = apigw_response_json(&r->resp);
    if (proxy) { /* NULL only on OOM */
        cJSON *p = cJSON_Parse(proxy);
        CHECK(p != NULL);
        CHECK(cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(p, "statusCode")) == (double)st);
        cJSON_Delete(p);
        free(proxy);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    apigw_event ev;
    if (apigw_event_parse((const char *)data, size, &ev) != 0) {
        apigw_event_clear(&ev);
        return 0;
    }
    (void)apigw_header(&ev, "idempotency-key");
    (void)apigw_header(&ev, "Content-Type");
    (void)apigw_query_param(&ev, "limit");
    static const handler_fn fns[] = {handler_create_concert, handler_get_concert, handler_list_concerts,
                                     handler_purchase_ticket, handler_create_order, handler_get_order,
                                     handler_checkin, handler_undo_checkin, handler_refund_order,
                                     handler_concert_stats, handler_find_orders, handler_ticket_by_code,
                                     handler_open_shift, handler_current_shift, handler_get_shift,
                                     handler_shift_drop, handler_shift_paidout, handler_close_shift,
                                     handler_day_sheet, handler_get_journal};
    for (size_t i = 0; i < sizeof fns / sizeof fns[0]; i++) {
        handler_result r;
        memset(&r, 0, sizeof r);
        fns[i](NULL, &ev, &r);
        check_answer(&r);
        handler_result_clear(&r);
    }
    apigw_event_clear(&ev);
    return 0;
}
