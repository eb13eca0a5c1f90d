/* purchaseTicket, with the optional Idempotency-Key. */
#include "handlers.h"

#include "timefmt.h"

#include <stdlib.h>
#include <string.h>

static const char PURCHASE_FAILED[] = "Could not purchase ticket, please try again";
static const char SOLD_OUT[] = "No tickets available";
static const char NOT_FOUND[] = "Concert not found";
static const char KEY_BAD[] = "Idempotency-Key must be 1 to 255 visible ASCII characters";

const char *handler_check_idempotency_key(const char *key)
{
    if (!key)
        return NULL;
    size_t n = strlen(key);
    if (n == 0 || n > HANDLER_IDEMPOTENCY_KEY_MAX)
        return KEY_BAD;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)key[i] < 0x21 || (unsigned char)key[i] > 0x7E)
            return KEY_BAD;
    return NULL;
}

void handler_fail_key_conflict(handler_result *out)
{
    handler_fail(out, 409, "Idempotency-Key was already used for a different request");
    out->reason = "key reused for another request";
}

static void answer_ticket(handler_result *out, const ticket *t, bool replayed)
{
    if (handler_answer_json(out, 201, handler_ticket_json(t)))
        out->resp.replayed = replayed;
}

void handler_purchase_ticket(store *st, const apigw_event *ev, handler_result *out)
{
    ticket t, stored;
    memset(&t, 0, sizeof t);
    memset(&stored, 0, sizeof stored);
    const char *key = apigw_header(ev, "Idempotency-Key");
    const char *msg = handler_check_idempotency_key(key);
    if (msg) {
        handler_fail(out, 400, msg);
        return;
    }
    cJSON *body = handler_body_object(ev, out);
    if (!body)
        return;
    msg = handler_concert_id_field(body, t.concert_id);
    if (!msg)
        msg = handler_text_field(body, "customerName", &t.customer_name);
    if (!msg)
        msg = handler_email_field(body, &t.customer_email);
    cJSON_Delete(body);
    if (msg) {
        handler_fail_input(out, msg);
        goto done;
    }
    if (!st) {
        handler_store_fail(out, st, STORE_UNAVAILABLE, PURCHASE_FAILED);
        goto done;
    }
    handler_ticket_id(key, t.id);
    timefmt_iso_ms(timefmt_now_ms(), t.purchase_date);
    store_status s = store_purchase(st, &t, &stored);
    switch (s) {
    case STORE_OK:
        answer_ticket(out, &t, false);
        break;
    case STORE_REPLAY: /* same key, same request: the first purchase's ticket, no second seat */
        answer_ticket(out, stored.id[0] ? &stored : &t, true);
        break;
    case STORE_SOLD_OUT:
        handler_fail(out, 400, SOLD_OUT);
        break;
    case STORE_NOT_FOUND:
        handler_fail(out, 404, NOT_FOUND);
        break;
    case STORE_CONFLICT: /* nothing of the first request (name, e-mail, ticket id) is told */
        handler_fail_key_conflict(out);
        break;
    case STORE_MALFORMED: { /* the same answer as GET /concerts/{id} */
        concert c;
        if (store_get_concert(st, t.concert_id, &c) == STORE_MALFORMED)
            handler_fail_malformed(out, &c);
        else
            handler_fail_malformed(out, NULL);
        out->store_error = store_last_error(st); /* the problems, for the log */
        concert_clear(&c);
        break;
    }
    default:
        handler_store_fail(out, st, s, PURCHASE_FAILED);
        break;
    }
done:
    ticket_clear(&stored);
    ticket_clear(&t);
}
