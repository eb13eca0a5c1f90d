/* createConcert, getConcert, listConcerts. */
#include "handlers.h"

#include "bo_valid_order.h"
#include "caller.h"

#include <stdlib.h>
#include <string.h>

static const char CREATE_FAILED[] = "Could not create concert, please try again";
static const char GET_FAILED[] = "Could not retrieve concert, please try again";
static const char LIST_FAILED[] = "Could not retrieve concerts, please try again";
static const char NOT_FOUND[] = "Concert not found";

void handler_create_concert(store *st, const apigw_event *ev, handler_result *out)
{
    concert c;
    memset(&c, 0, sizeof c);
    caller who;
    cJSON *body = handler_body_object(ev, out);
    if (!body)
        return;
    const char *msg = handler_text_field(body, "name", &c.name);
    if (!msg)
        msg = handler_date_field(body, &c.date);
    if (!msg)
        msg = handler_text_field(body, "venue", &c.venue);
    if (!msg)
        msg = handler_tickets_field(body, &c.available_tickets);
    if (!msg)
        msg = handler_price_field(body, &c.price_cents);
    if (!msg)
        msg = handler_concert_order_fields(body, &c);
    cJSON_Delete(body);
    if (msg) {
        handler_fail_input(out, msg);
        goto done;
    }
    if (!handler_operator(ev, &who, out))
        goto done;
    if (!st) {
        handler_store_fail(out, st, STORE_UNAVAILABLE, CREATE_FAILED);
        goto done;
    }
    handler_ticket_id(NULL, c.id); /* a random v4 UUID, like the reference */
    store_status s = store_create_concert(st, &c, &who);
    if (s != STORE_OK) {
        handler_store_fail(out, st, s, CREATE_FAILED);
        goto done;
    }
    handler_answer_json(out, 201, handler_concert_json(&c));
done:
    concert_clear(&c);
}

void handler_get_concert(store *st, const apigw_event *ev, handler_result *out)
{
    const char *id = handler_path_id(st, ev, "id", GET_FAILED, out);
    if (!id)
        return;
    concert c;
    memset(&c, 0, sizeof c);
    store_status s = store_get_concert(st, id, &c);
    if (s == STORE_OK)
        handler_answer_json(out, 200, handler_concert_json(&c));
    else if (s == STORE_MALFORMED) {
        handler_fail_malformed(out, &c);
        out->store_error = store_last_error(st); /* the problems, for the log */
    }
    else if (s == STORE_NOT_FOUND)
        handler_fail(out, 404, NOT_FOUND);
    else
        handler_store_fail(out, st, s, GET_FAILED);
    concert_clear(&c);
}

void handler_list_concerts(store *st, const apigw_event *ev, handler_result *out)
{
    (void)ev; /* no input */
    if (!st) {
        handler_store_fail(out, st, STORE_UNAVAILABLE, LIST_FAILED);
        return;
    }
    concert_list l;
    memset(&l, 0, sizeof l);
    store_status s = store_list_concerts(st, &l);
    if (s != STORE_OK) {
        handler_store_fail(out, st, s, LIST_FAILED);
        concert_list_clear(&l);
        return;
    }
    cJSON *arr = cJSON_CreateArray();
    for (size_t i = 0; arr && i < l.n; i++) {
        cJSON *c = handler_concert_json(&l.items[i]);
        if (!c || !cJSON_AddItemToArray(arr, c)) {
            cJSON_Delete(c);
            cJSON_Delete(arr);
            arr = NULL;
        }
    }
    concert_list_clear(&l);
    handler_answer_json(out, 200, arr);
}
